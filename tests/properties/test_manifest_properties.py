"""The compose, Kubernetes, .env and config-file readers fed generated and mutated manifests (issue 16).

A manifest is analysed input: the only outcomes are a scan (with warnings for what was skipped) or a
FitnessError; never another exception, never a Python warning.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from fitness.collect.manifests.compose import scan_compose
from fitness.collect.manifests.connections import find_config_files, parse_dotenv, scan_config_connections
from fitness.collect.manifests.kubernetes import scan_kubernetes
from fitness.model import FitnessError
from fitness.model.facts import ManifestScan
from tests.properties.strategies import SCALARS, mutated, text_inputs, values

REPO = Path(__file__).resolve().parents[2]
COMPOSE_KEYS = [
    "services",
    "image",
    "build",
    "context",
    "dockerfile",
    "environment",
    "env_file",
    "ports",
    "depends_on",
    "volumes",
    "links",
    "extends",
    "service",
    "networks",
    "expose",
    "command",
    "x-common",
    "condition",
]
K8S_KEYS = [
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "labels",
    "spec",
    "template",
    "containers",
    "image",
    "env",
    "envFrom",
    "valueFrom",
    "configMapKeyRef",
    "secretKeyRef",
    "key",
    "value",
    "ports",
    "containerPort",
    "selector",
    "matchLabels",
    "data",
    "stringData",
    "items",
    "rules",
    "http",
    "paths",
    "backend",
    "port",
]
KINDS = ["Deployment", "Service", "ConfigMap", "Secret", "StatefulSet", "Ingress", "Job", "CronJob", "List"]
COMPOSE_SEEDS = [
    path.read_text(encoding="utf-8") for path in sorted(REPO.glob("examples/*/docker-compose.yml"))
]
K8S_SEED = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n  selector: {matchLabels: {app: orders}}\n"
    "  template:\n    metadata: {labels: {app: orders}}\n    spec:\n      containers:\n      - name: orders\n"
    "        image: shop/orders:1\n        env:\n        - {name: DB_URL, value: 'postgresql://db/orders'}\n"
    "        - name: CART\n          valueFrom: {configMapKeyRef: {name: cfg, key: CART_ADDR}}\n"
    "        envFrom: [{configMapRef: {name: cfg}}]\n        ports: [{containerPort: 8080}]\n---\n"
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {CART_ADDR: 'cart:7070'}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: orders}\nspec: {selector: {app: orders}, ports: [{port: 80}]}\n"
)


@st.composite
def compose_data(draw: st.DrawFn) -> Any:
    services = draw(st.dictionaries(st.text(max_size=8), values(COMPOSE_KEYS, 15), max_size=4))
    return {
        "services": services,
        **draw(st.dictionaries(st.sampled_from(COMPOSE_KEYS), values(COMPOSE_KEYS, 5), max_size=2)),
    }


@st.composite
def k8s_text(draw: st.DrawFn) -> str:
    docs = []
    for _ in range(draw(st.integers(1, 3))):
        doc = {
            "apiVersion": draw(st.sampled_from(["v1", "apps/v1", "batch/v1", "networking.k8s.io/v1"])),
            "kind": draw(st.one_of(st.sampled_from(KINDS), SCALARS)),
        }
        doc.update(draw(st.dictionaries(st.sampled_from(K8S_KEYS), values(K8S_KEYS, 20), max_size=4)))
        docs.append(doc)
    return yaml.safe_dump_all(docs, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("manifests")


def fresh(folder: Path, files: dict[str, str]) -> Path:
    root = folder / "tree"
    shutil.rmtree(root, ignore_errors=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    return root


def scanned(scan: Any) -> None:
    try:
        result = scan()
    except FitnessError as error:
        assert str(error).strip()
        event("a FitnessError")
        return
    assert isinstance(result, ManifestScan)
    event(
        "services found"
        if result.services
        else "a scan with warnings"
        if result.warnings
        else "an empty scan"
    )
    assert all(isinstance(warning, str) and warning for warning in result.warnings)


@given(text=text_inputs(COMPOSE_SEEDS, compose_data()), dotenv=st.one_of(st.just(""), st.text(max_size=80)))
def test_the_compose_reader_gives_a_scan_or_a_fitness_error(folder: Path, text: str, dotenv: str) -> None:
    root = fresh(folder, {"docker-compose.yml": text, ".env": dotenv})
    scanned(lambda: scan_compose(root))


@given(text=st.one_of(k8s_text(), mutated(st.one_of(st.just(K8S_SEED), k8s_text())), st.text(max_size=200)))
def test_the_kubernetes_reader_gives_a_scan_or_a_fitness_error(folder: Path, text: str) -> None:
    root = fresh(folder, {"k8s/app.yaml": "apiVersion: v1\nkind: " + text if not text.strip() else text})
    scanned(lambda: scan_kubernetes(root))


@given(
    text=st.one_of(st.text(max_size=300), mutated(st.just("export A=1\nB='two words' # c\nC=\"${A}x\"\n")))
)
def test_the_dotenv_reader_gives_entries(text: str) -> None:
    for name, value, line in parse_dotenv(text):
        assert isinstance(name, str) and isinstance(value, str) and line >= 1


@given(
    text=text_inputs(
        ["spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/orders\n"],
        values(["spring", "url", "datasource"]),
    ),
    name=st.sampled_from(["application.yml", "appsettings.json", "application.properties", "config.yaml"]),
)
def test_the_config_file_reader_gives_connections_or_warnings(folder: Path, text: str, name: str) -> None:
    root = fresh(folder, {name: text})
    connections, settings, warnings = scan_config_connections(find_config_files(root), root)
    assert isinstance(connections, list) and isinstance(settings, list)
    assert all(isinstance(warning, str) for warning in warnings)

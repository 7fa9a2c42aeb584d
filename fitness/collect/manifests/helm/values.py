"""The chart tree the built-in renderer runs: templates parsed, each with its chart's ``.Values``,
``.Release``, ``.Chart``, ``.Capabilities``, ``.Files`` and ``.Template``.

Subcharts under ``charts/`` get their own values with the parent's overrides and ``global`` merged in,
as helm does, and are left out when their dependency's ``condition`` is false.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fitness.collect.manifests.helm.govalues import go_str, normalize, resolve, scalar_text
from fitness.collect.manifests.helm.lexer import ParseError
from fitness.collect.manifests.helm.limits import (
    MAX_SUBCHART_DEPTH,
    MAX_TEMPLATE_BYTES,
    MAX_TEMPLATES,
    TooLarge,
)
from fitness.collect.manifests.helm.parser import Node, Parser
from fitness.collect.manifests.yaml_lines import parse_yaml, read_text, relative
from fitness.inputs import Unreadable, read_bytes
from fitness.model import FitnessError

KUBE_VERSION = "v1.30.0"
API_VERSIONS = frozenset(
    {
        "v1",
        "apps/v1",
        "batch/v1",
        "autoscaling/v1",
        "autoscaling/v2",
        "policy/v1",
        "networking.k8s.io/v1",
        "rbac.authorization.k8s.io/v1",
        "storage.k8s.io/v1",
        "apiextensions.k8s.io/v1",
        "admissionregistration.k8s.io/v1",
        "apiregistration.k8s.io/v1",
        "coordination.k8s.io/v1",
        "scheduling.k8s.io/v1",
        "discovery.k8s.io/v1",
        "certificates.k8s.io/v1",
        "events.k8s.io/v1",
        "node.k8s.io/v1",
        "authentication.k8s.io/v1",
        "authorization.k8s.io/v1",
    }
)
"""What ``.Capabilities.APIVersions.Has`` answers yes to (helm template's built-in versions, no CRDs)."""


@dataclass
class Template:
    """One template file parsed, with the ``.`` it is run with."""

    path: Path
    chart: Path
    nodes: list[Node]
    context: dict[str, Any]


def chart_templates(
    chart: Path,
    meta: dict[str, Any],
    name: str,
    root: Path,
    label: str,
    warnings: list[str],
    defines: dict[str, list[Node]],
) -> list[Template]:
    """The templates of ``chart`` and its subcharts, in rendering order; ``define`` bodies go to
    ``defines``."""
    tree = _ChartTree(root, label, warnings, defines)
    templates: list[Template] = []
    values = tree.load_values(chart)
    tree.collect(chart, meta, values, name, templates, 0)
    return templates


def load_yaml(path: Path, root: Path, warnings: list[str]) -> Any:
    """The first document of a chart's YAML file; None, with a warning, when it cannot be read."""
    shown = relative(path, root)
    text = read_text(path, shown, warnings)
    if text is None:
        return None
    try:
        docs = parse_yaml(text, shown)
    except FitnessError as error:
        warnings.append(f"{error}; ignored")
        return None
    return docs[0].data if docs else None


def read_small(path: Path) -> str | None:
    """A chart file's text (template lines, ``.Files.Get``); None when too large or unreadable."""
    try:
        return read_bytes(path, MAX_TEMPLATE_BYTES).decode("utf-8-sig", errors="replace")
    except Unreadable:
        return None


class _ChartTree:
    """Reads one chart and its subcharts; counts the template files read against MAX_TEMPLATES."""

    def __init__(self, root: Path, label: str, warnings: list[str], defines: dict[str, list[Node]]) -> None:
        self.root = root
        self.label = label
        self.warnings = warnings
        self.defines = defines
        self.files_read = 0

    def load_values(self, chart: Path) -> dict[str, Any]:
        path = chart / "values.yaml"
        if not path.is_file():
            return {}
        data = load_yaml(path, self.root, self.warnings)
        try:
            values = normalize(data, [0])
        except TooLarge:
            self.warnings.append(
                f"{relative(path, self.root)}: values too large once aliases expand, ignored"
            )
            return {}
        return values if isinstance(values, dict) else {}

    def collect(
        self,
        chart: Path,
        meta: dict[str, Any],
        values: dict[str, Any],
        release: str,
        templates: list[Template],
        depth: int,
    ) -> None:
        context = {
            "Values": values,
            "Release": {
                "Name": release,
                "Namespace": "default",
                "Service": "Helm",
                "IsInstall": True,
                "IsUpgrade": False,
                "Revision": 1,
            },
            "Chart": _chart_object(meta),
            "Capabilities": {
                "KubeVersion": {
                    "Version": KUBE_VERSION,
                    "GitVersion": KUBE_VERSION,
                    "Major": "1",
                    "Minor": "30",
                },
                "APIVersions": {"Has": _has_api_version},
                "HelmVersion": {"Version": "v3.14.0"},
            },
            "Files": {"Get": lambda name: _chart_file(chart, name)},
            "Template": {"Name": "", "BasePath": f"{scalar_text(meta.get('name'))}/templates"},
        }
        base = chart / "templates"
        for path in _template_files(base):
            if self.files_read >= MAX_TEMPLATES:
                self.warnings.append(f"{self.label}: more than {MAX_TEMPLATES} templates, rest skipped")
                return
            self.files_read += 1
            shown = relative(path, self.root)
            if _size(path) > MAX_TEMPLATE_BYTES:
                self.warnings.append(
                    f"{shown}: skipped, template larger than {MAX_TEMPLATE_BYTES // 1_000_000} MB"
                )
                continue
            text = read_text(path, shown, self.warnings)
            if text is None:
                continue
            try:
                nodes = Parser(text, self.defines).parse()
            except (ParseError, RecursionError) as error:
                self.warnings.append(
                    f"{shown}: skipped, template not understood ({error or 'nested too deeply'})"
                )
                continue
            own = dict(context)
            own["Template"] = {
                "Name": f"{scalar_text(meta.get('name'))}/{path.relative_to(chart).as_posix()}",
                "BasePath": f"{scalar_text(meta.get('name'))}/templates",
            }
            templates.append(Template(path, chart, nodes, own))
        if depth >= MAX_SUBCHART_DEPTH:
            return
        for sub in sorted((chart / "charts").glob("*/Chart.yaml")):
            self._subchart(sub.parent, meta, values, release, templates, depth)
        for archive in sorted((chart / "charts").glob("*.tgz")):
            self.warnings.append(f"{relative(archive, self.root)}: packaged subchart not rendered")

    def _subchart(
        self,
        sub: Path,
        parent_meta: dict[str, Any],
        parent_values: dict[str, Any],
        release: str,
        templates: list[Template],
        depth: int,
    ) -> None:
        meta = load_yaml(sub / "Chart.yaml", self.root, self.warnings)
        if not isinstance(meta, dict) or not (sub / "templates").is_dir():
            return
        name = scalar_text(meta.get("name")) or sub.name
        key = name
        dependencies = parent_meta.get("dependencies")
        for dependency in dependencies if isinstance(dependencies, list) else []:
            if not isinstance(dependency, dict) or scalar_text(dependency.get("name")) != name:
                continue
            key = scalar_text(dependency.get("alias")) or name
            if not _enabled(scalar_text(dependency.get("condition")), parent_values):
                return
        overrides = parent_values.get(key)
        values = _coalesce(self.load_values(sub), overrides if isinstance(overrides, dict) else {})
        parent_global = parent_values.get("global")
        if isinstance(parent_global, dict):
            own_global = values.get("global")
            values["global"] = _coalesce(own_global if isinstance(own_global, dict) else {}, parent_global)
        meta = {**meta, "name": key}
        self.collect(sub, meta, values, release, templates, depth + 1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_text says why it cannot be read


def _template_files(base: Path) -> list[Path]:
    found: list[Path] = []
    for directory, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(directory, name) for name in sorted(files) if not name.startswith("."))
    return found


def _chart_object(meta: dict[str, Any]) -> dict[str, Any]:
    """Chart.yaml as helm's ``.Chart``: ``appVersion`` -> ``AppVersion``, ``apiVersion`` -> ``APIVersion``."""
    special = {"apiVersion": "APIVersion", "appVersion": "AppVersion", "kubeVersion": "KubeVersion"}
    chart = {special.get(str(key), str(key)[:1].upper() + str(key)[1:]): value for key, value in meta.items()}
    for key in ("Name", "Version", "AppVersion"):
        chart[key] = scalar_text(chart.get(key))
    return chart


def _chart_file(chart: Path, name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError("file name")
    try:
        base = chart.resolve()
        path = (chart / name).resolve()
        if base not in path.parents or not path.is_file():
            return ""
    except (OSError, RuntimeError):  # a symlink loop
        return ""
    text = read_small(path)
    return text or ""


def _has_api_version(version: Any) -> bool:
    text = go_str(version)
    return text in API_VERSIONS or text.rsplit("/", 1)[0] in API_VERSIONS


def _enabled(condition: str, values: dict[str, Any]) -> bool:
    """A dependency's ``condition``: the first of its value paths that is a boolean decides."""
    for path in condition.split(","):
        value = resolve(values, [part for part in path.strip().split(".") if part])
        if isinstance(value, bool):
            return value
    return True


def _coalesce(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` written over it, maps merged deeply."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = _coalesce(current, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged

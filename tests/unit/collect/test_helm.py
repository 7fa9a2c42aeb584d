"""Helm charts: the built-in Go template renderer on small real charts, helm itself when installed, and
objects read through the Kubernetes collector with their template file as evidence."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from fitness.collect.manifests.helm import find_charts, render_chart
from fitness.collect.manifests.kubernetes import find_manifest_files, scan_kubernetes
from fitness.collect.manifests.yaml_lines import EXAMPLE_DIRS, SKIP_DIRS
from fitness.model.facts import DeployedService, ManifestScan
from tests.conftest import WriteTree

WITHOUT_HELM = "chart: rendered without helm (values.yaml substituted); install helm for exact output"


@pytest.fixture(autouse=True)
def no_helm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in renderer, whatever is installed on this machine."""
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "helm" else real_which(name))


def chart(files: dict[str, str], values: str = "", name: str = "shop") -> dict[str, str | bytes]:
    tree: dict[str, str | bytes] = {
        "chart/Chart.yaml": f"apiVersion: v2\nname: {name}\nversion: 1.2.3\nappVersion: '4.5'\n"
    }
    if values:
        tree["chart/values.yaml"] = values
    tree.update({f"chart/templates/{path}": text for path, text in files.items()})
    return tree


def render(write_tree: WriteTree, files: dict[str, str], values: str = "") -> tuple[list[Any], list[str]]:
    root = write_tree(chart(files, values))
    warnings: list[str] = []
    docs = render_chart(root / "chart", root, warnings)
    return [doc.data for doc in docs], warnings


def service(result: ManifestScan, name: str) -> DeployedService:
    return next(s for s in result.services if s.name == name)


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  template:
    metadata:
      labels:
        {{- include "shop.labels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          env:
            - name: DB_HOST
              value: {{ .Values.db.host | quote }}
            {{- range $key, $value := .Values.extraEnv }}
            - name: {{ $key }}
              value: {{ $value | quote }}
            {{- end }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
"""
HELPERS = """\
{{/* the usual helm create helpers */}}
{{- define "shop.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "shop.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
"""
VALUES = """\
image:
  repository: shop/orders
  tag: ""
db:
  host: orders-db
extraEnv:
  LOG_LEVEL: info
  B_FLAG: "on"
resources:
  limits: {cpu: 500m, memory: 1Gi}
"""


def test_values_include_range_and_to_yaml_render_like_helm(write_tree: WriteTree) -> None:
    docs, warnings = render(write_tree, {"_helpers.tpl": HELPERS, "deployment.yaml": DEPLOYMENT}, VALUES)
    assert docs == [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": "shop",
                "labels": {"app.kubernetes.io/name": "shop", "app.kubernetes.io/version": "4.5"},
            },
            "spec": {
                "template": {
                    "metadata": {
                        "labels": {"app.kubernetes.io/name": "shop", "app.kubernetes.io/version": "4.5"}
                    },
                    "spec": {
                        "containers": [
                            {
                                "name": "shop",
                                "image": "shop/orders:4.5",
                                "env": [
                                    {"name": "DB_HOST", "value": "orders-db"},
                                    {"name": "B_FLAG", "value": "on"},
                                    {"name": "LOG_LEVEL", "value": "info"},
                                ],
                                "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}},
                            }
                        ]
                    },
                }
            },
        }
    ]
    assert warnings == [WITHOUT_HELM]


def test_scan_kubernetes_reads_the_chart_with_template_file_evidence(write_tree: WriteTree) -> None:
    root = write_tree(
        chart(
            {
                "_helpers.tpl": HELPERS,
                "deployment.yaml": DEPLOYMENT,
                "service.yaml": (
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.service.name }}\n"
                    'spec:\n  selector:\n    {{- include "shop.labels" . | nindent 4 }}\n'
                    "  ports:\n    - port: {{ .Values.service.port }}\n"
                ),
            },
            VALUES + "service: {name: orders, port: 8080}\n",
        )
    )
    result = scan_kubernetes(root)
    shop = service(result, "shop")
    assert shop.image == "shop/orders:4.5"
    assert shop.evidence.path == "chart/templates/deployment.yaml"
    assert shop.evidence.line == 4  # name: {{ include "shop.fullname" . }}
    assert [(var.name, var.value, var.evidence.path, var.evidence.line) for var in shop.env] == [
        ("DB_HOST", "orders-db", "chart/templates/deployment.yaml", 17),
        ("B_FLAG", "on", "chart/templates/deployment.yaml", 20),  # both from the range's lines
        ("LOG_LEVEL", "info", "chart/templates/deployment.yaml", 20),
    ]
    assert "orders" in shop.aliases and 8080 in shop.ports  # the Service selects it by the included labels
    assert result.warnings == [WITHOUT_HELM]


def test_if_else_if_else_and_logic(write_tree: WriteTree) -> None:
    template = """\
a: {{ if .Values.enabled }}is-on{{ else }}is-off{{ end }}
b: {{ if not .Values.disabled }}not-off{{ end }}
c: {{ if and .Values.enabled (eq .Values.mode "fast") }}fast{{ else if eq .Values.mode "slow" }}slow{{ else }}other{{ end }}
d: {{ if or .Values.disabled .Values.missing.deep }}yes{{ else if ne .Values.mode "slow" }}not-slow{{ end }}
e: {{ if .Values.emptyList }}full{{ else }}empty{{ end }}
f: {{ if eq .Values.mode "x" "fast" }}one-of{{ end }}
g: {{ .Values.disabled | default "fallback" }}
h: {{ .Values.missing | default .Values.mode | upper }}
i: {{ "ABC" | lower }}-{{ "abcdef" | trunc 3 }}-{{ "name-" | trimSuffix "-" }}
"""
    docs, _ = render(
        write_tree, {"t.yaml": template}, "enabled: true\ndisabled: false\nmode: fast\nemptyList: []\n"
    )
    assert docs == [
        {
            "a": "is-on",
            "b": "not-off",
            "c": "fast",
            "d": "not-slow",
            "e": "empty",
            "f": "one-of",
            "g": "fallback",
            "h": "FAST",
            "i": "abc-abc-name",
        }
    ]


def test_range_over_lists_and_maps_with_variables_and_root(write_tree: WriteTree) -> None:
    template = """\
hosts:
{{- range .Values.hosts }}
  - {{ . }}.{{ $.Release.Namespace }}
{{- end }}
ports:
{{- range $index, $port := .Values.ports }}
  p{{ $index }}: {{ $port.number }}
{{- end }}
labels:
{{- range $key, $value := .Values.labels }}
  {{ $key }}: {{ $value | quote }}
{{- end }}
none: {{ range .Values.nothing }}x{{ else }}empty{{ end }}
{{- $total := 0 }}
{{- range .Values.ports }}{{ $total = add $total .number }}{{ end }}
total: {{ $total }}
"""
    values = "hosts: [a, b]\nports: [{number: 80}, {number: 443}]\nlabels: {z: 1, a: two}\n"
    docs, warnings = render(write_tree, {"t.yaml": template}, values)
    assert docs == [
        {
            "hosts": ["a.default", "b.default"],
            "ports": {"p0": 80, "p1": 443},
            "labels": {"a": "two", "z": "1"},
            "none": "empty",
            "total": 523,
        }
    ]
    assert warnings == [WITHOUT_HELM]


def test_include_template_and_define_in_any_tpl_file(write_tree: WriteTree) -> None:
    files = {
        "_helpers.tpl": '{{- define "shop.name" -}}{{ .Chart.Name }}-{{ .Chart.Version }}{{- end }}',
        "extra.tpl": (
            '{{- define "shop.host" -}}{{ include "shop.name" . | replace "." "-" }}.{{ .Release.Namespace }}'
            "{{- end }}\n"
            '{{- define "shop.port" -}}{{ .port }}{{- end }}'
        ),
        "cm.yaml": (
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ template "shop.name" . }}\n'
            'data:\n  HOST: {{ include "shop.host" . }}\n'
            '  PORT: {{ include "shop.port" .Values.db | quote }}\n'
            '  URL: {{ printf "%s://%s:%d" "http" (include "shop.host" .) 8080 }}\n'
        ),
    }
    docs, warnings = render(write_tree, files, "db: {port: 5432}\n")
    assert docs == [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "shop-1.2.3"},
            "data": {
                "HOST": "shop-1-2-3.default",
                "PORT": "5432",
                "URL": "http://shop-1-2-3.default:8080",
            },
        }
    ]
    assert warnings == [WITHOUT_HELM]  # extra.tpl renders to nothing: no document


def test_to_yaml_nindent_indent_and_with(write_tree: WriteTree) -> None:
    template = """\
spec:
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.absent }}
  absent: {{ . }}
  {{- end }}
  tolerations:
{{ toYaml .Values.tolerations | indent 4 }}
  name: {{ with .Values.db }}{{ .name }}{{ else }}none{{ end }}
"""
    values = (
        "nodeSelector: {disk: ssd, zone: a}\ntolerations: [{key: k, operator: Exists}]\ndb: {name: orders}\n"
    )
    docs, _ = render(write_tree, {"t.yaml": template}, values)
    assert docs == [
        {
            "spec": {
                "nodeSelector": {"disk": "ssd", "zone": "a"},
                "tolerations": [{"key": "k", "operator": "Exists"}],
                "name": "orders",
            }
        }
    ]


def test_broken_and_unknown_templates_warn_and_the_rest_renders(write_tree: WriteTree) -> None:
    files = {
        "broken.yaml": "apiVersion: v1\nkind: ConfigMap\n{{ if .Values.x }}\nmetadata: {name: never}\n",
        "unclosed.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Values.name }\n",
        "bad-yaml.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: [{{ .Values.name }}\n",
        "good.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n"
            "data:\n  WHEN: '{{ now | date \"2006\" }}'\n  WHO: '{{ .Values.who | frobnicate }}'\n"
            '  ALSO: {{ if fail "x" }}yes{{ else }}nope{{ end }}\n'
        ),
    }
    docs, warnings = render(write_tree, files, "name: settings\nwho: me\n")
    assert docs == [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "settings"},
            "data": {"WHEN": "", "WHO": "", "ALSO": "nope"},
        }
    ]
    assert warnings[:4] == [
        "chart/templates/broken.yaml: skipped, template not understood (missing {{ end }})",
        "chart/templates/unclosed.yaml: skipped, template not understood (unclosed action (no }}))",
        WITHOUT_HELM,
        "chart: 3 template expressions not understood (rendered as empty)",  # now, frobnicate, fail
    ]
    assert len(warnings) == 5
    assert warnings[4].startswith(
        "chart/templates/bad-yaml.yaml: skipped, rendered template is not valid YAML (malformed YAML: "
    )


def test_bounded_recursion_and_loops(write_tree: WriteTree) -> None:
    files = {
        "_helpers.tpl": '{{- define "loop" -}}x{{ include "loop" . }}{{- end }}',
        "t.yaml": 'a: {{ include "loop" . }}\nb: "{{ range until 3 }}{{ . }}{{ end }}"\n',
    }
    docs, warnings = render(write_tree, files)
    assert docs == [{"a": "x" * 10, "b": "012"}]  # ten levels deep, then the include is not understood
    assert warnings[-1] == "chart: 1 template expressions not understood (rendered as empty)"


def test_subchart_values_from_the_parent_and_its_condition(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "chart/Chart.yaml": (
                "apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n"
                "  - {name: cache, condition: cache.enabled}\n  - {name: queue, condition: queue.enabled}\n"
            ),
            "chart/values.yaml": "cache: {enabled: true, port: 6380}\nqueue: {enabled: false}\nglobal: {env: prod}\n",
            "chart/templates/cm.yaml": "kind: ConfigMap\nname: {{ .Release.Name }}-{{ .Chart.Name }}\n",
            "chart/charts/cache/Chart.yaml": "apiVersion: v2\nname: cache\nversion: 0.1.0\n",
            "chart/charts/cache/values.yaml": "port: 6379\nimage: redis\n",
            "chart/charts/cache/templates/t.yaml": (
                "name: {{ .Release.Name }}-{{ .Chart.Name }}\nport: {{ .Values.port }}\n"
                "image: {{ .Values.image }}\nenv: {{ .Values.global.env }}\n"
            ),
            "chart/charts/queue/Chart.yaml": "apiVersion: v2\nname: queue\nversion: 0.1.0\n",
            "chart/charts/queue/templates/t.yaml": "name: never\n",
        }
    )
    assert find_charts(find_manifest_files(root)) == [root / "chart"]
    docs = render_chart(root / "chart", root, [])
    assert [(doc.path, doc.data) for doc in docs] == [
        ("chart/templates/cm.yaml", {"kind": "ConfigMap", "name": "shop-shop"}),
        (
            "chart/charts/cache/templates/t.yaml",
            {"name": "shop-cache", "port": 6380, "image": "redis", "env": "prod"},
        ),
    ]


def test_charts_under_examples_only_when_examples_are_read_and_other_templates_still_skipped(
    write_tree: WriteTree,
) -> None:
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-api\n"
        "spec:\n  template:\n    spec:\n      containers: [{name: api, image: '{{ .Values.image }}'}]\n"
    )
    root = write_tree(
        {
            "examples/helm/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
            "examples/helm/values.yaml": "image: shop/api:2\n",
            "examples/helm/templates/deployment.yaml": deployment,
            "monitoring/alertmanager.yaml": (
                "apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata:\n"
                "  name: slack\nspec:\n  text: '{{ .CommonLabels.alertname }}'\n"
            ),
        }
    )
    skipped = "monitoring/alertmanager.yaml: skipped, a Helm template ({{ }}); render it to analyse it"
    assert scan_kubernetes(root).services == []
    assert scan_kubernetes(root).warnings == [skipped]
    result = scan_kubernetes(root, SKIP_DIRS - EXAMPLE_DIRS)
    assert [(s.name, s.image, s.evidence.path, s.evidence.line) for s in result.services] == [
        ("shop-api", "shop/api:2", "examples/helm/templates/deployment.yaml", 4)
    ]
    assert result.warnings == [
        skipped,
        "examples/helm: rendered without helm (values.yaml substituted); install helm for exact output",
    ]


HELM_OUTPUT = """\
---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: orders
spec:
  selector: {app: orders}
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-orders
spec:
  template:
    metadata:
      labels: {app: orders}
    spec:
      containers:
        - name: orders
          image: shop/orders:1
          env:
            - name: DB_HOST
              value: orders-db
"""


def fake_helm(tmp_path: Path, script: str) -> str:
    helm = tmp_path / "bin" / "helm"
    helm.parent.mkdir()
    helm.write_text("#!/bin/sh\n" + script)
    helm.chmod(0o755)
    return str(helm)


def test_helm_template_output_is_mapped_back_to_template_files(
    write_tree: WriteTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(
        chart(
            {
                "service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n",
                "deployment.yaml": (
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-orders\n"
                    "spec:\n  template:\n    spec:\n      containers:\n        - name: orders\n"
                    "          env:\n            - name: DB_HOST\n              value: {{ .Values.db }}\n"
                ),
            }
        )
    )
    calls = tmp_path / "calls.txt"
    helm = fake_helm(tmp_path, f'echo "$@" > {calls}\ncat <<"EOF"\n{HELM_OUTPUT}EOF\n')
    monkeypatch.setattr(shutil, "which", lambda name: helm if name == "helm" else None)
    result = scan_kubernetes(root)
    assert calls.read_text().split() == ["template", "shop", str((root / "chart").resolve()), "--skip-tests"]
    orders = service(result, "shop-orders")
    assert (orders.evidence.path, orders.evidence.line) == ("chart/templates/deployment.yaml", 4)
    assert [(v.name, v.value, v.evidence.line) for v in orders.env] == [("DB_HOST", "orders-db", 11)]
    assert "orders" in orders.aliases
    assert result.warnings == []


def test_failing_helm_falls_back_to_the_built_in_renderer(
    write_tree: WriteTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(chart({"cm.yaml": "kind: ConfigMap\nname: {{ .Values.name }}\n"}, "name: settings\n"))
    helm = fake_helm(tmp_path, 'echo "Error: chart requires kubeVersion" >&2\nexit 1\n')
    monkeypatch.setattr(shutil, "which", lambda name: helm if name == "helm" else None)
    warnings: list[str] = []
    docs = render_chart(root / "chart", root, warnings)
    assert [doc.data for doc in docs] == [{"kind": "ConfigMap", "name": "settings"}]
    assert warnings == [
        "chart: helm template failed (Error: chart requires kubeVersion); rendered without helm",
        "chart: rendered without helm (values.yaml substituted); install helm for exact output",
    ]

"""Domains from deployment manifests (issue 14): a Kubernetes ``part-of`` label or namespace puts
services in one box of the service graph, whatever their names."""

from __future__ import annotations

from pathlib import Path

from fitness.pipeline import Options, run
from fitness.report.html_services import service_graph
from fitness.report.service_domains import domains

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {labels}
    spec:
      containers:
        - name: {name}
          image: example/{name}:1.0
"""


def test_kubernetes_namespaces_and_part_of_labels_make_domains(tmp_path: Path) -> None:
    workloads = {
        "ledger": ("money", "{app: ledger}"),
        "balances": ("money", "{app: balances}"),
        "parcels": ("default", "{app: parcels, app.kubernetes.io/part-of: delivery}"),
        "couriers": ("default", "{app: couriers, app.kubernetes.io/part-of: delivery}"),
        "frontend": ("default", "{app: frontend}"),
    }
    manifests = tmp_path / "k8s"
    manifests.mkdir()
    for name, (namespace, labels) in workloads.items():
        text = DEPLOYMENT.format(name=name, namespace=namespace, labels=labels)
        (manifests / f"{name}.yaml").write_text(text)
    analysis = run(tmp_path, Options(cache=False))
    groups = {n.name: n.attrs.get("group") for n in analysis.graph.nodes() if n.kind.value == "service"}
    assert groups == {
        "balances": "money",
        "couriers": "delivery",
        "frontend": None,
        "ledger": "money",
        "parcels": "delivery",
    }
    found = domains(analysis, service_graph(analysis))
    assert found == {"balances": "money", "couriers": "delivery", "ledger": "money", "parcels": "delivery"}

"""Kubernetes Ingress routes and kustomize overlays, on real YAML written to disk and the real pipeline.

An Ingress is the cluster's entry point: its routes become calls from one ``ingress`` node (infra, never
judged) to the workloads its backend Services select. A kustomize overlay is one deployment of its base:
the chosen overlay's patched values win, other overlays add only alternatives, nothing is counted twice."""

from __future__ import annotations

import json
from pathlib import Path

from fitness.model import EdgeKind, NodeKind
from fitness.pipeline import Options, run
from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness


def deployment(name: str, env: str = "", env_from: str = "") -> str:
    """A Deployment running the image built from src/<name>, labelled app=<name>."""
    text = (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n"
        f"  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n"
        f"      labels: {{app: {name}}}\n    spec:\n      containers:\n        - name: {name}\n"
        f"          image: shop/{name}:1\n"
    )
    if env_from:
        text += f"          envFrom:\n            - configMapRef: {{name: {env_from}}}\n"
    if env:
        text += "          env:\n" + "".join(
            f"            - name: {key}\n              value: {value}\n"
            for key, value in (pair.split("=", 1) for pair in env.split(","))
        )
    return text


def service(name: str, app: str, port: int) -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n"
        f"  selector: {{app: {app}}}\n  ports: [{{port: {port}}}]\n"
    )


def sources(*names: str, reads: tuple[str, ...] = ()) -> dict[str, str]:
    """src/<name>: a Go service each; the first one reads the settings ``reads`` and dials them."""
    files = {}
    for name in names:
        files[f"src/{name}/Dockerfile"] = "FROM golang:1.22\n"
        files[f"src/{name}/main.go"] = "package main\n\nfunc main() {}\n"
    if reads:
        body = "".join(f'\tdial(os.Getenv("{key}"))\n' for key in reads)
        files[f"src/{names[0]}/main.go"] = f'package main\n\nimport "os"\n\nfunc main() {{\n{body}}}\n'
    return files


def calls(root: Path) -> dict[tuple[str, str], list[str]]:
    """caller, callee -> the evidence chain in resolution order."""
    graph = run(root, Options(cache=False)).graph
    return {
        (graph.node(e.source).name, graph.node(e.target).name): list(e.attrs["chain"])
        for e in graph.edges(EdgeKind.CALLS)
    }


# -- Ingress ------------------------------------------------------------------------------------

INGRESS_V1 = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api/orders
            pathType: Prefix
            backend:
              service:
                name: orders-api
                port:
                  name: http
"""

INGRESS_V1BETA1 = """\
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
spec:
  backend:
    serviceName: web
    servicePort: 80
  rules:
    - http:
        paths:
          - path: /orders
            backend:
              serviceName: orders-api
              servicePort: 8080
"""

SHOP = {
    "k8s/web.yaml": deployment("web") + "---\n" + service("web", "web", 80),
    # the Service name differs from the workload: the selector maps orders-api to orders
    "k8s/orders.yaml": deployment("orders") + "---\n" + service("orders-api", "orders", 8080),
    **sources("web", "orders"),
}


def test_ingress_v1_routes_and_default_backend_are_calls_from_the_ingress(write_tree: WriteTree) -> None:
    root = write_tree({**SHOP, "k8s/ingress.yaml": INGRESS_V1})
    analysis = run(root, Options(cache=False))
    graph = analysis.graph
    found = {
        (graph.node(e.source).name, graph.node(e.target).name): e.attrs["chain"]
        for e in graph.edges(EdgeKind.CALLS)
    }
    assert found == {
        ("ingress", "web"): ["k8s/ingress.yaml:8"],  # defaultBackend.service.name
        ("ingress", "orders"): ["k8s/ingress.yaml:19"],  # through Service orders-api's selector
    }
    ingress = graph.node("service:ingress")
    assert ingress.attrs["role"] == "infra"
    assert "Ingress" in ingress.attrs["role_why"]
    assert ingress.attrs["aliases"] == ["shop.example.com"]
    edge = graph.edge("service:ingress", "service:orders", EdgeKind.CALLS)
    assert edge is not None
    assert [e.text for e in edge.evidence] == ["Ingress shop shop.example.com/api/orders -> orders-api:http"]


def test_ingress_v1beta1_service_name_and_port_and_old_default_backend(write_tree: WriteTree) -> None:
    root = write_tree({**SHOP, "k8s/ingress.yaml": INGRESS_V1BETA1})
    assert calls(root) == {
        ("ingress", "web"): ["k8s/ingress.yaml:7"],  # spec.backend.serviceName
        ("ingress", "orders"): ["k8s/ingress.yaml:14"],
    }


def test_the_ingress_is_infra_never_on_a_sync_cycle_nor_in_the_service_graph(write_tree: WriteTree) -> None:
    # orders calls the public host the ingress answers to, and the ingress routes to web and orders:
    # were the ingress a service, ingress -> orders -> ingress would be a cycle
    files = {
        **SHOP,
        "k8s/ingress.yaml": INGRESS_V1,
        "k8s/orders.yaml": deployment("orders", env="SHOP_URL=https://shop.example.com")
        + "---\n"
        + service("orders-api", "orders", 8080),
        **sources("orders", reads=("SHOP_URL",)),
    }
    root = write_tree(files)
    found = calls(root)
    assert ("orders", "ingress") in found and ("ingress", "orders") in found
    report = json.loads(run_fitness("check", str(root), "--no-cache", "--format", "json").stdout)
    codes = {finding["code"] for finding in report["findings"]}
    assert "FIT308" not in codes  # no sync cycle through the ingress
    result = run_fitness("graph", str(root), "--level", "services", "--format", "json", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert sorted(node["id"] for node in json.loads(result.stdout)["nodes"]) == ["orders", "web"]


def test_an_ingress_to_a_service_nobody_deploys_makes_no_call(write_tree: WriteTree) -> None:
    ingress = INGRESS_V1.replace("name: orders-api", "name: payments")
    root = write_tree({**SHOP, "k8s/ingress.yaml": ingress})
    assert calls(root) == {("ingress", "web"): ["k8s/ingress.yaml:8"]}


# -- kustomize ----------------------------------------------------------------------------------

KUSTOMIZE = {
    "k8s/base/kustomization.yaml": (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "commonLabels:\n  team: shop\n"
        "resources:\n  - web.yaml\n  - cart.yaml\n  - checkout.yaml\n  - orders.yaml\n"
        "configMapGenerator:\n  - name: web-config\n    literals:\n"
        "      - ORDERS_URL=http://orders:8080\n"
    ),
    "k8s/base/web.yaml": deployment("web", env="CART_ADDR=cart:7070", env_from="web-config"),
    "k8s/base/cart.yaml": deployment("cart") + "---\n" + service("cart", "cart", 7070),
    "k8s/base/checkout.yaml": deployment("checkout") + "---\n" + service("checkout", "checkout", 5050),
    "k8s/base/orders.yaml": deployment("orders") + "---\n" + service("orders", "orders", 8080),
    "k8s/overlays/production/kustomization.yaml": (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "namePrefix: prod-\nresources:\n  - ../../base\npatches:\n  - path: web-env.yaml\n"
    ),
    # production: the cart is reached through the checkout service, by its prefixed name
    "k8s/overlays/production/web-env.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: web\n          env:\n"
        "            - name: CART_ADDR\n              value: prod-checkout:5050\n"
    ),
    "k8s/overlays/dev/kustomization.yaml": (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: dev-\n"
        "resources:\n  - ../../base\n"
        "patchesJson6902:\n  - target: {kind: Deployment, name: web}\n    patch: |-\n"
        "      - op: replace\n        path: /spec/template/spec/containers/0/env/0/value\n"
        "        value: dev-cart:7070\n"
    ),
    **sources("web", "cart", "checkout", "orders", reads=("CART_ADDR", "ORDERS_URL")),
}


def test_the_production_overlay_env_patch_wins_and_each_service_is_counted_once(
    write_tree: WriteTree,
) -> None:
    root = write_tree(KUSTOMIZE)
    found = calls(root)
    # CART_ADDR: the base says cart, production (chosen) says prod-checkout, dev (an alternative) dev-cart
    assert found[("web", "checkout")] == [
        "src/web/main.go:6",
        "k8s/overlays/production/web-env.yaml:11",
    ]
    assert ("web", "cart") not in found
    # a configMapGenerator literal, read through envFrom
    assert found[("web", "orders")] == ["src/web/main.go:7", "k8s/base/kustomization.yaml:13"]
    graph = run(root, Options(cache=False)).graph
    names = sorted(node.name for node in graph.nodes(NodeKind.SERVICE))
    assert names == ["cart", "checkout", "orders", "web"]  # two overlays, one base: four services
    result = run_fitness("check", str(root), "--no-cache")
    assert "services: 4 services" in result.stdout, result.stdout + result.stderr
    assert "kustomization" not in result.stderr


def test_name_prefixes_of_every_overlay_are_aliases_of_one_identity(write_tree: WriteTree) -> None:
    root = write_tree(KUSTOMIZE)
    graph = run(root, Options(cache=False)).graph
    checkout = graph.node("service:checkout").attrs["aliases"]
    assert {"prod-checkout", "dev-checkout"} <= set(checkout)
    assert not [
        node.name for node in graph.nodes(NodeKind.SERVICE) if node.name.startswith(("prod-", "dev-"))
    ]


def test_without_a_production_overlay_the_first_in_sorted_order_is_chosen(write_tree: WriteTree) -> None:
    files = {
        path.replace("overlays/production/", "overlays/staging/"): text for path, text in KUSTOMIZE.items()
    }
    root = write_tree(files)  # overlays dev and staging: dev sorts first, its dev-cart wins
    found = calls(root)
    assert found[("web", "cart")] == [
        "src/web/main.go:6",
        "k8s/overlays/dev/kustomization.yaml:11",  # the value of the inline JSON 6902 operation
    ]
    assert ("web", "checkout") not in found


def test_a_generator_env_file_and_a_base_configmap_merged_by_an_overlay(write_tree: WriteTree) -> None:
    files = {
        "deploy/base/kustomization.yaml": (
            "resources: [web.yaml, orders.yaml, payments.yaml]\n"
            "configMapGenerator:\n  - name: web-config\n    envs: [web.env]\n"
        ),
        "deploy/base/web.env": "# addresses\nORDERS_URL=http://orders:8080\n",
        "deploy/base/web.yaml": deployment("web", env_from="web-config"),
        "deploy/base/orders.yaml": deployment("orders") + "---\n" + service("orders", "orders", 8080),
        "deploy/base/payments.yaml": deployment("payments") + "---\n" + service("payments", "payments", 80),
        "deploy/prod/kustomization.yaml": (
            "resources: [../base]\n"
            "configMapGenerator:\n  - name: web-config\n    behavior: merge\n"
            "    literals: [PAYMENTS_URL=http://payments]\n"
        ),
        **sources("web", "orders", "payments", reads=("ORDERS_URL", "PAYMENTS_URL")),
    }
    root = write_tree(files)
    assert calls(root) == {
        ("web", "orders"): ["src/web/main.go:6", "deploy/base/web.env:2"],
        ("web", "payments"): ["src/web/main.go:7", "deploy/prod/kustomization.yaml:5"],
    }


def test_a_broken_kustomization_is_one_warning_and_the_analysis_goes_on(write_tree: WriteTree) -> None:
    files = {
        **SHOP,
        "k8s/kustomization.yaml": "resources: [web.yaml, orders.yaml\n",  # unclosed list
        "k8s/overlays/bad/kustomization.yaml": "resources: web.yaml\n",  # not a list
    }
    root = write_tree(files)
    result = run_fitness("check", str(root), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if "kustomization" in line]
    assert len(warnings) == 2, result.stderr
    assert warnings[0].startswith("warning: k8s/kustomization.yaml:")
    assert "malformed YAML" in warnings[0]
    assert warnings[1] == (
        "warning: k8s/overlays/bad/kustomization.yaml:1: invalid kustomization (resources must be a list); "
        "its folder is read as plain manifests"
    )
    assert "services: 2 services" in result.stdout  # the folder is read as plain manifests

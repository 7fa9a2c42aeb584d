"""The Kubernetes collector on kustomize trees: what each overlay deploys, read once, with the evidence of
the file that wrote each value."""

from __future__ import annotations

from fitness.collect.manifests.kubernetes import scan_kubernetes
from tests.conftest import WriteTree

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: shop/web:1
          env:
            - name: CART_ADDR
              value: cart:7070
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
"""

ENV_PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - name: CART_ADDR
              value: cart.shop-prod:7070
            - name: TRACING
              value: "off"
"""


def test_patch_files_are_read_through_their_overlay_not_as_workloads_of_their_own(
    write_tree: WriteTree,
) -> None:
    root = write_tree(
        {
            "k8s/base/kustomization.yaml": "resources: [web.yaml]\n",
            "k8s/base/web.yaml": WEB,
            "k8s/prod/kustomization.yaml": (
                "resources: [../base]\nnamespace: shop-prod\npatchesStrategicMerge: [env.yaml]\n"
                "images:\n  - {name: shop/web, newName: registry.example.com/web, newTag: '2.0'}\n"
            ),
            "k8s/prod/env.yaml": ENV_PATCH,
        }
    )
    scan = scan_kubernetes(root)
    [web] = scan.services  # not a second, partial "web" read from the patch file
    assert (web.name, web.image, web.evidence.path) == (
        "web",
        "registry.example.com/web:2.0",
        "k8s/base/web.yaml",
    )
    assert [(v.name, v.value, f"{v.evidence.path}:{v.evidence.line}") for v in web.env] == [
        ("CART_ADDR", "cart.shop-prod:7070", "k8s/prod/env.yaml:11"),
        ("TRACING", "off", "k8s/prod/env.yaml:13"),
    ]
    assert "web.shop-prod" in web.aliases  # the Service, moved to the overlay's namespace
    assert scan.warnings == []


def test_components_generators_and_secrets_of_an_overlay(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "deploy/base/kustomization.yaml": "resources: [web.yaml]\n",
            "deploy/base/web.yaml": WEB.replace(
                "          env:\n",
                "          envFrom:\n            - secretRef: {name: web-secret}\n          env:\n",
            ),
            "deploy/components/tracing/kustomization.yaml": (
                "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
                "patches:\n  - target: {kind: Deployment}\n    path: tracing.yaml\n"
            ),
            "deploy/components/tracing/tracing.yaml": (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: any}\nspec:\n  template:\n"
                "    spec:\n      containers:\n        - name: web\n          env:\n"
                "            - {name: TRACING, value: 'on'}\n"
            ),
            "deploy/production/kustomization.yaml": (
                "resources: [../base]\ncomponents: [../components/tracing]\n"
                "secretGenerator:\n  - name: web-secret\n    literals: ['PAYMENTS_URL=http://payments:80']\n"
            ),
        }
    )
    [web] = scan_kubernetes(root).services
    assert web.name == "web"  # the component's patch target ignores the patch's own name
    assert sorted((v.name, v.value, v.evidence.path, v.evidence.line) for v in web.env) == [
        ("CART_ADDR", "cart:7070", "deploy/base/web.yaml", 18),
        ("PAYMENTS_URL", "http://payments:80", "deploy/production/kustomization.yaml", 5),
        ("TRACING", "on", "deploy/components/tracing/tracing.yaml", 10),
    ]


def test_other_overlays_add_only_what_differs_ranked_after_the_chosen_one(write_tree: WriteTree) -> None:
    overlay = "resources: [../../base]\nnamePrefix: {prefix}-\npatchesStrategicMerge: [env.yaml]\n"
    root = write_tree(
        {
            "k8s/base/kustomization.yaml": "resources: [web.yaml]\n",
            "k8s/base/web.yaml": WEB,
            "k8s/overlays/prod/kustomization.yaml": overlay.format(prefix="prod"),
            "k8s/overlays/prod/env.yaml": ENV_PATCH,
            "k8s/overlays/qa/kustomization.yaml": overlay.format(prefix="qa"),
            "k8s/overlays/qa/env.yaml": ENV_PATCH.replace("cart.shop-prod", "cart-qa"),
        }
    )
    chosen, other = sorted(scan_kubernetes(root).services, key=lambda s: s.rank)
    assert (chosen.rank, other.rank) == (2, 3)  # prod is chosen (named like production), qa ranks after it
    assert [(v.name, v.value) for v in chosen.env] == [
        ("CART_ADDR", "cart.shop-prod:7070"),
        ("TRACING", "off"),
    ]
    assert [(v.name, v.value) for v in other.env] == [("CART_ADDR", "cart-qa:7070")]
    assert "prod-web" in chosen.aliases and "qa-web" in other.aliases


def test_missing_and_remote_resources_are_warnings_naming_the_kustomization(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "k8s/kustomization.yaml": (
                "resources:\n  - web.yaml\n  - gone.yaml\n  - https://github.com/acme/base?ref=v1\n"
            ),
            "k8s/web.yaml": WEB,
        }
    )
    scan = scan_kubernetes(root)
    assert [s.name for s in scan.services] == ["web"]
    assert scan.warnings == [
        "k8s/kustomization.yaml:3: gone.yaml not found",
        "k8s/kustomization.yaml:4: remote resource https://github.com/acme/base?ref=v1 not read",
    ]

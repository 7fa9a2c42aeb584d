"""The Kubernetes collector on real manifests: workloads, env from ConfigMaps and Secrets, Services as aliases."""

from __future__ import annotations

import base64

import pytest

from fitness.collect.manifests.kubernetes import find_manifest_files, scan_kubernetes
from fitness.model import Evidence
from fitness.model.facts import DeployedService, ManifestScan
from tests.conftest import WriteTree


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def service(result: ManifestScan, name: str) -> DeployedService:
    return next(s for s in result.services if s.name == name)


ORDERS = f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-config
  namespace: shop
data:
  DB_HOST: orders-db
  DB_PORT: "5432"
  LOG_LEVEL: info
---
apiVersion: v1
kind: Secret
metadata:
  name: orders-secret
  namespace: shop
type: Opaque
data:
  DB_PASSWORD: {b64("s3cret")}
  DATABASE_URL: {b64("postgresql://orders:s3cret@orders-db:5432/orders")}
stringData:
  API_TOKEN: plain-token
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  selector:
    matchLabels: {{app: orders}}
  template:
    metadata:
      labels: {{app: orders, tier: backend}}
    spec:
      initContainers:
        - name: migrate
          image: shop/orders-migrate:1
          env:
            - name: MIGRATE
              value: "yes"
      containers:
        - name: orders
          image: ghcr.io/shop/orders:1.4
          ports:
            - containerPort: 8000
          envFrom:
            - configMapRef: {{name: orders-config}}
              prefix: ORDERS_
            - secretRef: {{name: orders-secret}}
          env:
            - name: PAYMENTS_URL
              value: http://payments.shop.svc.cluster.local:8000
            - name: DB_NAME
              valueFrom:
                configMapKeyRef: {{name: orders-config, key: LOG_LEVEL}}
            - name: DB_PASS
              valueFrom:
                secretKeyRef: {{name: orders-secret, key: DB_PASSWORD}}
            - name: POD_IP
              valueFrom:
                fieldRef: {{fieldPath: status.podIP}}
            - name: WORKERS
              value: 4
            - name: DSN
              value: postgresql://orders:$(DB_PASS)@$(ORDERS_DB_HOST)/orders?x=$(UNKNOWN)
---
apiVersion: v1
kind: Service
metadata:
  name: orders-api
  namespace: shop
spec:
  selector: {{app: orders}}
  ports:
    - port: 80
      targetPort: 8000
"""


def test_deployment_env_from_configmaps_and_secrets(write_tree: WriteTree) -> None:
    root = write_tree({"k8s/orders.yaml": ORDERS})
    result = scan_kubernetes(root)
    assert result.warnings == [] and result.datastores == []
    orders = service(result, "orders")
    assert orders.source == "kubernetes"
    assert orders.image == "ghcr.io/shop/orders:1.4"
    assert orders.evidence == Evidence(
        "k8s/orders.yaml", 26, "Deployment orders (image ghcr.io/shop/orders:1.4)", "manifest"
    )
    assert orders.ports == (8000, 80)
    got = [(v.name, v.value, v.evidence.path, v.evidence.line) for v in orders.env]
    assert got == [
        ("MIGRATE", "yes", "k8s/orders.yaml", 39),
        ("ORDERS_DB_HOST", "orders-db", "k8s/orders.yaml", 7),
        ("ORDERS_DB_PORT", "5432", "k8s/orders.yaml", 8),
        ("ORDERS_LOG_LEVEL", "info", "k8s/orders.yaml", 9),
        ("DB_PASSWORD", "s3cret", "k8s/orders.yaml", 18),
        ("DATABASE_URL", "postgresql://orders:s3cret@orders-db:5432/orders", "k8s/orders.yaml", 19),
        ("API_TOKEN", "plain-token", "k8s/orders.yaml", 21),
        ("PAYMENTS_URL", "http://payments.shop.svc.cluster.local:8000", "k8s/orders.yaml", 51),
        ("DB_NAME", "info", "k8s/orders.yaml", 9),
        ("DB_PASS", "s3cret", "k8s/orders.yaml", 18),
        ("WORKERS", "4", "k8s/orders.yaml", 62),
        ("DSN", "postgresql://orders:s3cret@orders-db/orders?x=$(UNKNOWN)", "k8s/orders.yaml", 64),
    ]
    texts = {v.name: v.evidence.text for v in orders.env}
    assert texts["DB_PASSWORD"] == "DB_PASSWORD=***"
    assert texts["DB_PASS"] == "DB_PASS=***"
    assert texts["API_TOKEN"] == "API_TOKEN=***"
    assert texts["DATABASE_URL"] == "DATABASE_URL=postgresql://***@orders-db:5432/orders"
    assert texts["DSN"] == "DSN=postgresql://***@orders-db/orders?x=$(UNKNOWN)"
    assert all("s3cret" not in text for text in texts.values())


def test_services_become_aliases_of_the_workloads_they_select(write_tree: WriteTree) -> None:
    root = write_tree({"k8s/orders.yaml": ORDERS})
    orders = service(scan_kubernetes(root), "orders")
    assert orders.aliases == (
        "orders-api",
        "orders-api.shop",
        "orders-api.shop.svc",
        "orders-api.shop.svc.cluster.local",
    )


def test_statefulset_with_a_known_image_is_a_datastore(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "deploy/db/postgres.yml": (
                "apiVersion: apps/v1\n"
                "kind: StatefulSet\n"
                "metadata: {name: orders-db}\n"
                "spec:\n"
                "  serviceName: orders-db\n"
                "  selector: {matchLabels: {app: orders-db}}\n"
                "  template:\n"
                "    metadata: {labels: {app: orders-db}}\n"
                "    spec:\n"
                "      containers:\n"
                "        - name: pg\n"
                "          image: postgres:16\n"
                "          env:\n"
                "            - {name: POSTGRES_DB, valueFrom: {secretKeyRef: {name: pg, key: db}}}\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Secret\n"
                "metadata: {name: pg}\n"
                f"data: {{db: {b64('orders')}}}\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Service\n"
                "metadata: {name: orders-db}\n"
                "spec: {selector: {app: orders-db}, ports: [{port: 5432}]}\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Service\n"
                "metadata: {name: other, namespace: elsewhere}\n"
                "spec: {selector: {app: orders-db}}\n"
                "---\n"
                "apiVersion: v1\n"
                "kind: Service\n"
                "metadata: {name: external}\n"
                "spec: {type: ExternalName, externalName: db.example.com}\n"
            ),
        }
    )
    result = scan_kubernetes(root)
    assert result.services == []
    [store] = result.datastores
    assert (store.name, store.kind, store.role, store.databases) == (
        "orders-db",
        "postgres",
        "database",
        ("orders",),
    )
    assert store.aliases == (
        "orders-db.default",
        "orders-db.default.svc",
        "orders-db.default.svc.cluster.local",
    )
    assert store.evidence == Evidence(
        "deploy/db/postgres.yml", 3, "StatefulSet orders-db (image postgres:16)", "manifest"
    )


def test_lists_daemonsets_and_missing_references(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "manifests/all.yaml": (
                "apiVersion: v1\n"
                "kind: List\n"
                "items:\n"
                "  - apiVersion: apps/v1\n"
                "    kind: DaemonSet\n"
                "    metadata: {name: agent}\n"
                "    spec:\n"
                "      template:\n"
                "        spec:\n"
                "          containers:\n"
                "            - image: shop/agent\n"
                "              env:\n"
                "                - {name: A, valueFrom: {configMapKeyRef: {name: nope, key: a}}}\n"
                "                - {name: B, valueFrom: {configMapKeyRef: {name: nope, key: b, optional: true}}}\n"
                "              envFrom: [{secretRef: {name: gone}}]\n"
                "  - apiVersion: batch/v1\n"
                "    kind: CronJob\n"
                "    metadata: {name: nightly}\n"
            ),
        }
    )
    result = scan_kubernetes(root)
    assert [(s.name, s.image, s.env, s.role) for s in result.services] == [
        ("agent", "shop/agent", (), ""),
        ("nightly", "", (), "job"),  # a CronJob is deployed too: a batch or init job, infra
    ]
    assert result.services[0].evidence.line == 6
    assert result.warnings == [
        "manifests/all.yaml:15: DaemonSet agent uses Secret gone, not found in the scanned manifests",
        "manifests/all.yaml:13: DaemonSet agent uses ConfigMap nope key a, not found in the scanned manifests",
    ]


def test_helm_templates_outside_a_chart_skipped_with_warning_and_other_yaml_silently(
    write_tree: WriteTree,
) -> None:
    root = write_tree(
        {
            "charts/shop/templates/deployment.yaml": (  # no Chart.yaml: nothing says how to render it
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
            ),
            "charts/shop/values.yaml": "image: {repository: shop}\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            "config/broken.yaml": "this: [is: not\n  valid",
            "k8s/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
        }
    )
    result = scan_kubernetes(root)
    assert result.services == [] and result.datastores == []
    assert result.warnings == [
        "charts/shop/templates/deployment.yaml: skipped, a Helm template ({{ }}); render it to analyse it"
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: {}\n", 5),
        ("apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Service\nmetadata: [\n", 7),
        ("apiVersion: v1\nkind: Secret\ndata:\n  key: 'open\n", 5),
    ],
)
def test_a_malformed_manifest_is_a_warning_with_its_line_and_the_rest_is_read(
    write_tree: WriteTree, text: str, line: int
) -> None:
    good = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart}\n"
    root = write_tree({"k8s/bad.yaml": text, "k8s/cart.yaml": good})
    result = scan_kubernetes(root)
    assert [s.name for s in result.services] == ["cart"]
    assert (
        [w for w in result.warnings if w.startswith("k8s/bad.yaml")]
        == [
            w
            for w in result.warnings
            if w.startswith(f"k8s/bad.yaml:{line}: malformed YAML") and w.endswith("; skipped")
        ]
        != []
    )


def test_manifest_files_deep_only_inside_manifest_folders(write_tree: WriteTree) -> None:
    doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s}\n"
    root = write_tree(
        {
            "a/b/c/d/shallow.yaml": doc % "shallow",
            "a/b/c/d/e/deep.yaml": doc % "deep",
            "k8s/overlays/prod/a/b/c/deep-k8s.yml": doc % "deep-k8s",
            "node_modules/x/y.yaml": doc % "vendored",
            "services/orders/deployment.yaml": doc % "orders",
            "README.md": doc % "not-yaml",
        }
    )
    found = [p.relative_to(root).as_posix() for p in find_manifest_files(root)]
    assert found == [
        "a/b/c/d/shallow.yaml",
        "k8s/overlays/prod/a/b/c/deep-k8s.yml",
        "services/orders/deployment.yaml",
    ]
    assert sorted(s.name for s in scan_kubernetes(root).services) == ["deep-k8s", "orders", "shallow"]


def test_each_folder_is_its_own_deployment_ranked_by_depth(write_tree: WriteTree) -> None:
    base = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - image: %s\n          env: [{name: %s, value: '%s'}]\n"
    )
    root = write_tree(
        {
            "k8s/base/orders.yaml": base % ("shop/orders:1", "A", "1"),
            "k8s/prod/orders.yaml": base % ("shop/orders:2", "B", "2"),
        }
    )
    base_orders, prod_orders = scan_kubernetes(root).services
    assert (base_orders.image, base_orders.evidence.path) == ("shop/orders:1", "k8s/base/orders.yaml")
    assert (prod_orders.image, prod_orders.evidence.path) == ("shop/orders:2", "k8s/prod/orders.yaml")
    assert [(v.name, v.value) for v in prod_orders.env] == [("B", "2")]
    assert base_orders.rank == prod_orders.rank == 2  # same depth: neither overrides the other


def test_a_configmap_is_taken_from_the_nearest_deployment(write_tree: WriteTree) -> None:
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - image: shop/orders\n          envFrom: [{configMapRef: {name: db}}]\n"
    )
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db}\ndata: {DB_URL: '%s'}\n"
    root = write_tree(
        {
            "manifests/orders.yaml": deployment,
            "manifests/config.yaml": config % "postgresql://orders-db/orders",
            "extras/pool/manifests/orders.yaml": deployment,
            "extras/pool/manifests/config.yaml": config % "postgresql://pool/shared",
        }
    )
    extras, base = scan_kubernetes(root).services
    assert [(v.name, v.value) for v in base.env] == [("DB_URL", "postgresql://orders-db/orders")]
    assert [(v.name, v.value) for v in extras.env] == [("DB_URL", "postgresql://pool/shared")]
    assert (base.rank, extras.rank) == (1, 3)  # the base deployment's settings win


def test_alias_bombs_stay_small(write_tree: WriteTree) -> None:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for level in range(1, 10):
        name = chr(ord("a") + level)
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    deployment = (
        f"apiVersion: apps/v1\nkind: Deployment\n{text}"
        f"metadata: {{name: w, namespace: *{previous}}}\n"
        f"spec: {{template: {{spec: {{containers: [{{image: *{previous}, env: *{previous}, "
        f"envFrom: *{previous}, ports: *{previous}}}]}}}}}}\n"
    )
    root = write_tree(
        {"k8s/list.yaml": f"apiVersion: v1\nkind: List\n{text}items: *{previous}\n", "k8s/w.yaml": deployment}
    )
    scan = scan_kubernetes(root)  # both refused before anything is built from them (issue 16)
    assert scan.services == []
    assert sorted(scan.warnings) == [
        f"k8s/{name}.yaml:{line}: aliases expand to more than 200,000 nodes (an alias bomb?), not read; skipped"
        for name, line in (("list", 8), ("w", 8))
    ]

"""Calls, data and events of small real-looking polyglot systems, resolved from facts spread over files.

Each system is written to disk and analysed by the real pipeline (``fitness check``), never imported."""

from __future__ import annotations

import json
from pathlib import Path

from fitness.model import EdgeKind, NodeKind
from fitness.pipeline import Options, run
from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness


def _calls(root: Path) -> dict[tuple[str, str], list[str]]:
    """caller, callee -> the evidence chain in the order it was resolved (code first)."""
    graph = run(root, Options(cache=False)).graph
    return {
        (graph.node(e.source).name, graph.node(e.target).name): list(e.attrs["chain"])
        for e in graph.edges(EdgeKind.CALLS)
    }


KUBERNETES = {
    "k8s/config.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: service-api-config}\n"
        "data:\n  CART_ADDR: cart:7070\n  PAYMENTS_URL: http://payments:8080\n"
    ),
    "k8s/frontend.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: frontend}\nspec:\n  template:\n"
        "    metadata: {labels: {app: frontend}}\n    spec:\n      containers:\n"
        "        - image: shop/frontend\n          envFrom: [{configMapRef: {name: service-api-config}}]\n"
    ),
    "k8s/cart.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart}\nspec:\n  template:\n"
        "    metadata: {labels: {app: cart}}\n    spec:\n      containers: [{image: shop/cart}]\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: cart}\nspec: {selector: {app: cart}}\n"
    ),
    "k8s/payments.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: payments}\nspec:\n  template:\n"
        "    spec:\n      containers: [{image: shop/payments}]\n"
    ),
    "src/frontend/Dockerfile": "FROM golang:1.22\n",
    "src/frontend/main.go": (
        'package main\n\nimport "os"\n\nfunc main() {\n\tcart := os.Getenv("CART_ADDR")\n\tdial(cart)\n}\n'
    ),
    "src/cart/Dockerfile": "FROM golang:1.22\n",
    "src/cart/main.go": "package main\n\nfunc main() {}\n",
    "src/payments/Dockerfile": "FROM python:3.12\n",
    "src/payments/app.py": "print('payments')\n",
}


def test_a_configmap_address_read_in_go_is_a_call_with_the_whole_chain(write_tree: WriteTree) -> None:
    root = write_tree(KUBERNETES)
    calls = _calls(root)
    # code first, then where the value is written; PAYMENTS_URL is set but never read: no call
    assert calls == {("frontend", "cart"): ["src/frontend/main.go:6", "k8s/config.yaml:5"]}


COMPOSE = {
    ".env": "CHECKOUT_ADDR=checkout:5050\nBACKEND_PORT=8100\n",
    "docker-compose.yml": (
        "services:\n"
        "  web:\n    build: ./web\n    environment:\n      - CHECKOUT_ADDR\n"
        "      - REACT_APP_API=http://localhost:${BACKEND_PORT}\n"
        "  checkout:\n    build: ./checkout\n"
        "  api:\n    build: ./api\n    ports: ['${BACKEND_PORT}:8080']\n"
        "    environment: [SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/orders]\n"
        "  db:\n    build: ./db\n"
        "  proxy:\n    image: nginx:1.27\n"
    ),
    "web/Dockerfile": "FROM node:20\n",
    "web/package.json": '{"name": "web", "scripts": {"start": "node server.js"}}\n',
    "web/src/config.js": (
        'export const checkout = process.env.CHECKOUT_ADDR || "localhost:5050";\n'
        'export const api = env("API") || "";\n'
    ),
    "checkout/Dockerfile": "FROM node:20\n",
    "checkout/server.js": "require('http').createServer().listen(5050);\n",
    "api/Dockerfile": "FROM eclipse-temurin:21\n",
    "api/src/main/java/shop/Orders.java": "package shop;\nclass Orders {}\n",
    "db/Dockerfile": "FROM postgres:16\n",
}


def test_compose_passthrough_env_published_ports_and_datastores_from_dockerfiles(
    write_tree: WriteTree,
) -> None:
    root = write_tree(COMPOSE)
    analysis = run(root, Options(cache=False))
    graph = analysis.graph
    calls = {(graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.CALLS)}
    # CHECKOUT_ADDR passed through from .env; REACT_APP_API read as env("API"), localhost:8100 published by api
    assert calls == {("web", "checkout"), ("web", "api")}
    stores = {node.name: node.attrs["kind"] for node in graph.nodes(NodeKind.DATASTORE)}
    assert stores == {"db": "postgres"}  # its own Dockerfile starts FROM postgres
    connects = {
        (graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.CONNECTS)
    }
    assert connects == {("api", "db")}
    roles = {node.name: node.attrs["role"] for node in graph.nodes(NodeKind.SERVICE)}
    assert roles == {"api": "service", "checkout": "service", "proxy": "infra", "web": "service"}
    assert "no routes, no code and no caller" in graph.node("service:proxy").attrs["role_why"]


SPRING = {
    "docker-compose.yml": (
        "services:\n"
        "  customer-core:\n    build: ./customer-core\n"
        "  policy:\n    build: ./policy\n    environment: [CUSTOMERCORE_BASEURL=http://customer-core:8110]\n"
        "  gateway:\n    build: ./gateway\n"
        "  admin:\n    build: ./admin\n"
    ),
    "customer-core/pom.xml": "<project><artifactId>customer-core</artifactId></project>\n",
    "customer-core/src/main/java/core/App.java": "package core;\nclass App {}\n",
    "policy/pom.xml": "<project><artifactId>policy</artifactId></project>\n",
    "policy/src/main/resources/application.properties": "customercore.baseURL=http://localhost:8110\n",
    "policy/src/main/java/policy/CustomerCoreClient.java": (
        "package policy;\n\n"
        '@FeignClient(name = "customercore", url = "${customercore.baseURL}")\n'
        "public interface CustomerCoreClient {}\n"
    ),
    "gateway/pom.xml": "<project><artifactId>gateway</artifactId></project>\n",
    "gateway/src/main/resources/application.yml": (
        "spring:\n  cloud:\n    gateway:\n      routes:\n"
        "        - id: policies\n          uri: lb://policy\n          predicates: [Path=/policies/**]\n"
    ),
    "admin/pom.xml": (
        "<project><dependencies><dependency><artifactId>spring-boot-admin-starter-server</artifactId>"
        "</dependency></dependencies></project>\n"
    ),
}


def test_feign_url_overridden_by_env_and_gateway_routes_by_name(write_tree: WriteTree) -> None:
    root = write_tree(SPRING)
    calls = _calls(root)
    assert set(calls) == {("policy", "customer-core"), ("gateway", "policy")}
    assert calls[("policy", "customer-core")][0] == "policy/src/main/java/policy/CustomerCoreClient.java:3"
    graph = run(root, Options(cache=False)).graph
    assert graph.node("service:admin").attrs["role"] == "infra"


KAFKA = {
    "docker-compose.yml": (
        "services:\n  kafka:\n    image: apache/kafka:3.7\n"
        "  order:\n    build: ./order\n  shipping:\n    build: ./shipping\n"
        "  monitor-mq:\n    image: rabbitmq:3\n"
    ),
    "order/pom.xml": "<project/>\n",
    "order/src/main/java/order/OrderService.java": (
        "package order;\n\nclass OrderService {\n"
        '  void place(Order o) { kafkaTemplate.send("order", o.id(), o); }\n}\n'
    ),
    "shipping/pom.xml": "<project/>\n",
    "shipping/src/main/resources/application.yml": "shipping:\n  topic: order\n",
    "shipping/src/main/java/shipping/Listener.java": (
        "package shipping;\n\nclass Listener {\n"
        '  @KafkaListener(topics = "${shipping.topic}")\n  void on(Order o) {}\n}\n'
    ),
}


def test_a_kafka_topic_links_producer_and_consumer_across_config(write_tree: WriteTree) -> None:
    root = write_tree(KAFKA)
    graph = run(root, Options(cache=False)).graph
    publishes = {
        (graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.PUBLISHES)
    }
    subscribes = {
        (graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.SUBSCRIBES)
    }
    assert publishes == {("order", "order")} and subscribes == {("shipping", "order")}
    assert graph.node("datastore:kafka").attrs["role"] == "broker"


def test_unresolved_addresses_are_counted_even_when_the_check_passes(write_tree: WriteTree) -> None:
    files = dict(KUBERNETES)
    files["src/frontend/main.go"] = files["src/frontend/main.go"].replace("CART_ADDR", "CART_SERVICE_ADDR")
    files["src/frontend/proxy.conf"] = "server {\n  location /x/ { proxy_pass http://$upstream; }\n}\n"
    root = write_tree(files)
    result = run_fitness("check", str(root), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "services: 3 services" in result.stdout
    assert "unresolved" in result.stdout
    report = json.loads(run_fitness("check", str(root), "--no-cache", "--format", "json").stdout)
    kinds = {item["kind"] for item in report["summary"]["unresolved"]}
    assert kinds  # the proxy's variable target is listed with its file and line
    assert all(item["path"] and item["line"] for item in report["summary"]["unresolved"])


def test_runnable_folders_without_manifests_are_services(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "orders/requirements.txt": "flask\n",
            "orders/app.py": (
                "import os\nimport requests\n\n"
                "def stock():\n    return requests.get(os.environ['INVENTORY_URL'] + '/stock')\n"
            ),
            "orders/.env": "INVENTORY_URL=http://inventory:8000\n",
            "inventory/go.mod": "module inventory\n",
            "inventory/main.go": "package main\n\nfunc main() {}\n",
            "shared-lib/pyproject.toml": "[project]\nname = 'lib'\n",
        }
    )
    graph = run(root, Options(cache=False)).graph
    assert sorted(node.name for node in graph.nodes(NodeKind.SERVICE)) == ["inventory", "orders"]
    assert {(graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.CALLS)} == {
        ("orders", "inventory")
    }


def test_bad_files_are_warnings_and_the_analysis_goes_on(write_tree: WriteTree) -> None:
    files = dict(KUBERNETES)
    files["src/cart/src/main/resources/application.yml"] = "spring: [unclosed\n"
    files["src/cart/web/app.min.js"] = "var a=1;" * 5000
    files["src/cart/blob.go"] = b"package main\x00\x01\x02"
    files["src/frontend/appsettings.json"] = "{ not json"
    root = write_tree(files)
    analysis = run(root, Options(cache=False))
    assert ("frontend", "cart") in {
        (analysis.graph.node(e.source).name, analysis.graph.node(e.target).name)
        for e in analysis.graph.edges(EdgeKind.CALLS)
    }
    text = "\n".join(analysis.warnings)
    assert "application.yml" in text and "binary" in text


CONFIG_SERVER = {
    "docker-compose.yml": (
        "services:\n"
        "  config:\n    build: ./config\n"
        "  gateway:\n    build: ./gateway\n"
        "  account-service:\n    build: ./account-service\n"
        "  account-mongodb:\n    image: mongo:7\n"
    ),
    "config/pom.xml": "<project><artifactId>spring-cloud-config-server</artifactId></project>\n",
    "config/src/main/resources/application.yml": "spring:\n  cloud:\n    config:\n      server: {native: {}}\n",
    "config/src/main/resources/shared/gateway.yml": (
        "zuul:\n  routes:\n    accounts:\n      path: /accounts/**\n      serviceId: account-service\n"
    ),
    "config/src/main/resources/shared/account-service.yml": (
        "spring:\n  data:\n    mongodb:\n      host: account-mongodb\n      database: piggymetrics\n"
    ),
    "gateway/pom.xml": "<project/>\n",
    "gateway/src/main/resources/bootstrap.yml": "spring:\n  application:\n    name: gateway\n",
    "gateway/src/main/java/gw/GatewayApplication.java": "package gw;\n@EnableZuulProxy\nclass GatewayApplication {}\n",
    "account-service/pom.xml": "<project/>\n",
    "account-service/src/main/resources/bootstrap.yml": "spring:\n  application:\n    name: account-service\n",
    "account-service/src/main/java/acc/App.java": "package acc;\nclass App {}\n",
}


def test_a_config_server_serves_its_files_to_the_clients_that_fetch_them(write_tree: WriteTree) -> None:
    root = write_tree(CONFIG_SERVER)
    graph = run(root, Options(cache=False)).graph
    calls = {(graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.CALLS)}
    assert calls == {("gateway", "account-service")}  # the route lives in the config server's folder
    connects = {
        (graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.CONNECTS)
    }
    assert connects == {("account-service", "account-mongodb")}
    assert graph.node("service:config").attrs["role"] == "infra"


def test_dockerfile_env_format_urls_go_dsns_and_outermost_folders(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "deploy/docker-compose.yml": (
                "services:\n"
                "  web:\n    image: shop/web:1.0\n"
                "  catalogue:\n    image: shop/catalogue:1.0\n"
                "  catalogue-db:\n    image: mysql:8\n"
                "  front-end:\n    image: shop/front-end:1.0\n"
            ),
            "web/Dockerfile": "FROM nginx:1.27\nENV CATALOGUE_HOST=catalogue \\\n    FRONT_HOST=front-end\n",
            "web/default.conf.template": (
                "server {\n  location /catalogue/ { proxy_pass http://${CATALOGUE_HOST}:8080/; }\n}\n"
            ),
            "catalogue/docker/catalogue/Dockerfile": "FROM golang:1.22\n",
            "catalogue/cmd/cataloguesvc/main.go": (
                'package main\n\nimport "flag"\n\n'
                'var dsn = flag.String("DSN", "user:pw@tcp(catalogue-db:3306)/socksdb", "Data Source")\n'
            ),
            "front-end/package.json": '{"name": "front-end", "scripts": {"start": "node server.js"}}\n',
            "front-end/api/endpoints.js": 'module.exports = { catalogueUrl: util.format("http://catalogue%s", d) };\n',
        }
    )
    graph = run(root, Options(cache=False)).graph
    calls = {(graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.CALLS)}
    assert calls == {("web", "catalogue"), ("front-end", "catalogue")}
    connects = {
        (graph.node(e.source).name, graph.node(e.target).name) for e in graph.edges(EdgeKind.CONNECTS)
    }
    assert connects == {("catalogue", "catalogue-db")}
    assert graph.node("service:catalogue").attrs["folders"] == ["catalogue"]  # not catalogue/docker/catalogue


def test_a_role_declared_in_fitness_yaml_overrides_what_was_seen(write_tree: WriteTree) -> None:
    files = dict(COMPOSE)
    files["fitness.yaml"] = "version: 1\nservices:\n  proxy:\n    annotations: {role: service}\n"
    root = write_tree(files)
    node = run(root, Options(cache=False)).graph.node("service:proxy")
    assert (node.attrs["role"], node.attrs["role_why"]) == ("service", "declared in fitness.yaml")

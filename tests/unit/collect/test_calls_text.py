"""The call collector's text pass: endpoints in any language and in config files."""

from __future__ import annotations

from fitness.collect.code.calls import CallScan, scan_calls
from fitness.model import Evidence
from fitness.model.facts import Call
from tests.conftest import WriteTree


def scan(write_tree: WriteTree, files: dict[str, str | bytes]) -> CallScan:
    root = write_tree(files)
    return scan_calls(sorted(p for p in root.rglob("*") if p.is_file()), root)


def seen(result: CallScan) -> list[tuple[str, str, str, int, str]]:
    """(path, host, protocol, line, how) in file and line order."""
    return sorted(
        (c.evidence.path, c.host, c.protocol, c.evidence.line, c.evidence.how) for c in result.calls
    )


def test_java_go_node_and_csharp_sources(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "orders/src/main/java/shop/InventoryClient.java": (
                "package shop;\n"
                "// see http://wiki.internal/inventory for the API\n"
                "public class InventoryClient {\n"
                '    private static final String BASE = "http://inventory:8080/api";\n'
                '    private static final String PAYMENTS_HOST = "payments";\n'
                '    ManagedChannel ch = ManagedChannelBuilder.forTarget("ledger:50051").usePlaintext().build();\n'
                '    String url = "http://" + host + ":8080";\n'
                "}\n"
            ),
            "orders/main.go": (
                "package main\n"
                "/*\n"
                " * https://pkg.go.dev/net/http\n"
                " */\n"
                "func main() {\n"
                '\tconn, _ := grpc.Dial("pricing:50051", grpc.WithInsecure())\n'
                '\tresp, _ := http.Get(fmt.Sprintf("http://%s:8080/x", host))\n'
                '\tshippingAddr := "shipping:9000"\n'
                "}\n"
            ),
            "web/index.mjs": (
                'const axios = require("axios");\n'
                'const api = axios.create({ baseURL: process.env.USERS_URL || "http://users:3000" });\n'
                "fetch(`https://reviews.shop.svc.cluster.local/r/${id}`);\n"
                'const client = new proto.Tax("tax:50051", grpc.credentials.createInsecure());\n'
                'const ws = new WebSocket("wss://live:443/feed");\n'
            ),
            "billing/Startup.cs": 'var channel = GrpcChannel.ForAddress("https://fx:5001");\n',
        },
    )
    assert seen(result) == [
        ("billing/Startup.cs", "fx", "http", 1, "source-text"),
        ("orders/main.go", "pricing", "grpc", 6, "source-text"),
        ("orders/main.go", "shipping", "unknown", 8, "source-text"),
        ("orders/src/main/java/shop/InventoryClient.java", "inventory", "http", 4, "source-text"),
        ("orders/src/main/java/shop/InventoryClient.java", "ledger", "grpc", 6, "source-text"),
        ("orders/src/main/java/shop/InventoryClient.java", "payments", "unknown", 5, "source-text"),
        ("web/index.mjs", "live", "ws", 5, "source-text"),
        ("web/index.mjs", "reviews.shop.svc.cluster.local", "http", 3, "source-text"),
        ("web/index.mjs", "tax", "grpc", 4, "source-text"),
        ("web/index.mjs", "users", "http", 2, "source-text"),
    ]
    java = next(c for c in result.calls if c.host == "inventory")
    assert java == Call(
        "inventory",
        "http://inventory:8080/api",
        "http",
        Evidence(
            "orders/src/main/java/shop/InventoryClient.java",
            4,
            'private static final String BASE = "http://inventory:8080/api";',
            "source-text",
        ),
    )
    assert {
        c.target for c in result.calls if c.host in ("reviews.shop.svc.cluster.local", "tax", "ledger")
    } == {
        "https://reviews.shop.svc.cluster.local/r/${id}",
        "tax:50051",
        "ledger:50051",
    }
    assert result.warnings == [] and result.unresolved == []


def test_compose_style_yaml_env_properties_and_json(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "docker-compose.yml": (
                "services:\n"
                "  orders:\n"
                "    environment:\n"
                "      INVENTORY_URL: http://inventory:8000\n"
                "      - PAYMENTS_ADDR=payments:50051\n"
                "      SHIPPING_HOST: shipping\n"
                "      DB_HOST: postgres\n"
                "      REDIS_URL: redis://redis:6379/0\n"
                "      LOG_LEVEL: info\n"
                "      # OLD_URL: http://legacy:80\n"
                "      SELF_URL: http://localhost:8000\n"
                "      GRPC_PRICING_ENDPOINT: pricing:50051\n"
                "      TIMEOUT_URL_SECONDS: 3\n"
            ),
            "orders/.env": "export USERS_URL=http://users:8080\nCATALOG_HOST=catalog\nCATALOG_PORT=80\n",
            "orders/src/main/resources/application.properties": (
                "reviews.url=http://reviews:7000/api\n"
                "tax.host=tax\n"
                "spring.datasource.url=jdbc:postgresql://db:5432/orders\n"
                "fx.endpoint=${FX_ENDPOINT:http://fx:5001}\n"
            ),
            "orders/appsettings.json": (
                '{\n  "$schema": "https://json-schema.org/draft-07/schema",\n'
                '  "Services": { "AuditUrl": "http://audit:9000", "LedgerAddress": "ledger:7000" },\n'
                '  "homepage": "https://github.com/shop/orders"\n}\n'
            ),
        },
    )
    assert seen(result) == [
        ("docker-compose.yml", "inventory", "http", 4, "config"),
        ("docker-compose.yml", "payments", "unknown", 5, "config"),
        ("docker-compose.yml", "pricing", "grpc", 12, "config"),
        ("docker-compose.yml", "shipping", "unknown", 6, "config"),
        ("orders/.env", "catalog", "unknown", 2, "config"),
        ("orders/.env", "users", "http", 1, "config"),
        ("orders/appsettings.json", "audit", "http", 3, "config"),
        ("orders/appsettings.json", "ledger", "unknown", 3, "config"),
        ("orders/src/main/resources/application.properties", "fx", "http", 4, "config"),
        ("orders/src/main/resources/application.properties", "reviews", "http", 1, "config"),
        ("orders/src/main/resources/application.properties", "tax", "unknown", 2, "config"),
    ]
    assert next(c for c in result.calls if c.host == "payments").target == "payments:50051"
    assert next(c for c in result.calls if c.host == "inventory").evidence == Evidence(
        "docker-compose.yml", 4, "INVENTORY_URL: http://inventory:8000", "config"
    )


def test_prose_and_identifier_constants_are_not_endpoints(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/strings.json": (
                '{"error": {"invalid_host": "Nombre de host o IP no valido"},\n'
                ' "bad_host": "L\'URL de l\'API",\n'
                ' "description": "Open http://192.168.1.10:8123 in a browser",\n'
                ' "documentation": "https://docs.shop.io/orders"}\n'
            ),
            "svc/const.py": (
                'ATTR_HOST = "host"\n'
                'CONF_API_HOST = "api_host"\n'
                'ATTR_REMOTE_HOST = "Remote Server"\n'
                "DEFAULT_HOST = 'router.vendor.io'\n"
                "MIXED_HOST = \"inventory'\n"
            ),
            "svc/app.yaml": "inventory_host: inventory  # the service\nlog_host: Remote Server\n",
        },
    )
    assert seen(result) == [
        ("svc/app.yaml", "inventory", "unknown", 1, "config"),
        ("svc/const.py", "router.vendor.io", "unknown", 4, "source-text"),
    ]


def test_kubernetes_env_pairs_and_dockerfiles(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "deploy/orders.yaml": (
                "apiVersion: apps/v1\n"
                "kind: Deployment\n"
                "spec:\n"
                "  template:\n"
                "    spec:\n"
                "      containers:\n"
                "        - name: orders\n"
                "          env:\n"
                "            - name: INVENTORY_ADDR\n"
                '              value: "inventory.shop.svc.cluster.local:50051"\n'
                "            - name: PAYMENTS_URL\n"
                "              value: http://payments:8080\n"
                "            - name: DB_HOST\n"
                "              value: orders-db\n"
                "            - name: LOG_LEVEL\n"
                "              value: debug\n"
            ),
            "orders/Dockerfile": "FROM python:3.12\nENV SHIPPING_URL=http://shipping:9000\n",
        },
    )
    assert seen(result) == [
        ("deploy/orders.yaml", "inventory.shop.svc.cluster.local", "unknown", 10, "config"),
        ("deploy/orders.yaml", "payments", "http", 12, "config"),
        ("orders/Dockerfile", "shipping", "http", 2, "config"),
    ]
    assert result.calls[0].evidence.text == 'value: "inventory.shop.svc.cluster.local:50051"'


def test_schema_and_namespace_urls_are_not_endpoints(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/pom.xml": (
                '<project xmlns="http://maven.apache.org/POM/4.0.0"\n'
                '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
                '  xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 '
                'http://maven.apache.org/xsd/maven-4.0.0.xsd">\n'
                "  <url>http://inventory:8080</url>\n"
                "</project>\n"
            ),
            "svc/beans.xml": '<beans xmlns:ctx="http://www.springframework.org/schema/context"/>\n',
            "svc/wsdl.xml": '<a href="http://schemas.xmlsoap.org/soap/envelope/"/>\n',
            "svc/example.yaml": "docs: https://api.example.com/v1\nother: http://0.0.0.0:80\n",
        },
    )
    assert seen(result) == [("svc/pom.xml", "inventory", "http", 4, "config")]


def test_python_text_pass_does_not_repeat_the_ast_facts(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/app.py": (
                '"""Talks to http://documented:1 (prose, not config)."""\n'
                "import requests\n"
                'INVENTORY = "http://inventory:8000"\n'
                'WEBHOOK = "https://hooks.partner.io/x"  # a literal the ast pass never used\n'
                "# FALLBACK = 'http://commented:1'\n"
                "def f():\n"
                '    """See http://also-prose:2."""\n'
                '    return requests.get(INVENTORY + "/items")\n'
            )
        },
    )
    assert seen(result) == [
        ("svc/app.py", "hooks.partner.io", "http", 4, "source-text"),
        ("svc/app.py", "inventory", "http", 8, "code"),
    ]


def test_skipped_paths_and_unlisted_extensions(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "web/node_modules/lib/index.js": 'fetch("http://inventory:1")\n',
            "web/vendor/x.go": '"http://inventory:2"\n',
            "web/package-lock.json": '{"resolved": "http://inventory:3"}\n',
            "web/app.min.js": 'fetch("http://inventory:4")\n',
            "web/README.md": "http://inventory:5\n",
            "web/logo.png": b"\x89PNG http://inventory:6",
            "web/app.ts": 'fetch("http://inventory:7/x")\n',
        },
    )
    assert seen(result) == [("web/app.ts", "inventory", "http", 1, "source-text")]
    assert result.warnings == [  # one counted line; README.md and logo.png hold no endpoints: not counted
        "skipped 4 minified, vendored or generated files: 2 vendored, 1 lock file, 1 minified "
        "(e.g. web/app.min.js, web/node_modules/lib/index.js, web/package-lock.json, ...)"
    ]


def test_docstring_precheck_parses_only_when_a_hit_may_be_prose() -> None:
    from fitness.collect.code.calls import may_be_prose

    code = (
        'URL = "http://inventory:1"\n'  # 1: a string on an assignment line: never prose
        '"""Module docs: http://docs:2\n'  # 2: opens a docstring
        'more http://docs:3"""\n'  # 3: inside it
        "x = call('http://orders:4')\n"  # 4: after it
        "def f():\n"
        "    '''http://prose:6'''\n"  # 6: a one-line docstring
    )
    assert may_be_prose(code, {1, 4}) is False
    assert may_be_prose(code, {3}) is True
    assert may_be_prose(code, {6}) is True
    assert may_be_prose(code, {2}) is True
    # triple quotes it cannot pair up, or next to a comment, mean "maybe": the parse decides
    assert may_be_prose('x = 1  # """\ny = "http://a:1"\n', {2}) is True
    assert may_be_prose('s = """\nhttp://a:1\n', {3}) is True


def test_a_url_in_code_after_a_docstring_is_kept_without_a_parse(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/client.py": (
                '"""Client for http://documented:1."""\n'
                'BASE = os.environ.get("X", "x") or "http://inventory:8000"\n'
            )
        },
    )
    assert [(path, host) for path, host, *_ in seen(result)] == [("svc/client.py", "inventory")]

"""The microservice examples: exact service findings on the shop, a clean pass on shop-fixed."""

from __future__ import annotations

import json

from fitness.model import Analysis
from tests.functional.conftest import run_fitness

EXPECTED_SHOP = {
    ("FIT120", "database-per-service", ("datastore:shop-db/shop", "inventory", "orders")),
    # one finding per shared table (issue 17): FIT123, FIT303, FIT304 about it are folded into it
    ("FIT122", "one-owner-per-table", ("table:stock_reservations",)),
    ("FIT123", "deploy-alone", ("datastore:shop-db/shop", "inventory", "orders")),
    ("FIT123", "deploy-alone", ("inventory", "orders", "inventory.service", "orders.schemas")),
    ("FIT123", "deploy-alone", ("orders", "inventory", "orders.service", "inventory.models")),
    ("FIT124", "short-sync-chains", ("orders", "payments", "inventory", "notifications")),
    ("FIT126", "no-event-ping-pong", ("orders", "payments")),
    ("FIT127", "not-a-distributed-monolith", ("inventory", "notifications", "orders", "payments")),
    ("FIT131", "no-wobbly-calls", ("inventory",)),
    # the checkout saga's first step has no compensation (the rule reports it; FIT319 is not repeated)
    ("FIT132", "sagas-compensate", ("orders", "services/orders/orders/checkout.py:CHECKOUT:create-order")),
    ("FIT303", "shared-table", ("table:stock_items", "inventory", "orders")),
    ("FIT305", "service-imports", ("inventory", "orders")),
    ("FIT305", "service-imports", ("orders", "inventory")),
    ("FIT313", "dual-write", ("orders", "services/orders/orders/service.py:place_order")),
    ("FIT313", "dual-write", ("payments", "services/payments/payments/service.py:charge")),
    ("FIT315", "remote-call-in-loop", ("inventory",)),
}


def check(example, *extra: str) -> tuple[int, dict]:
    result = run_fitness("check", str(example), "--no-cache", "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_shop_reports_exactly_its_planted_smells(example_copy) -> None:
    code, document = check(example_copy("shop"))
    assert code == 1
    found = {
        (f["code"], f["rule"], tuple(f["subjects"])) for f in document["findings"] if f["severity"] != "info"
    }
    assert found == EXPECTED_SHOP
    summary = document["summary"]
    assert summary["services"] == ["inventory", "notifications", "orders", "payments"]
    assert summary["datastores"] == ["cache", "kafka", "payments-db", "shop-db"]


SUMMARY_KEYS = [  # the JSON shape of Analysis.summary for a system of services (fitness.model.summary)
    *("call_sites", "config", "datastores", "fitness_version", "granularity", "history", "imports"),
    *("modules", "package_depth", "packages", "rules", "services", "settings", "source_roots"),
    *("sql_statements", "unresolved", "unresolved_counts"),
]


def test_shop_summary_has_its_keys_and_survives_a_round_trip(example_copy) -> None:
    """Every part of the typed summary a system of services fills in, written and read back unchanged."""
    _, document = check(example_copy("shop"), "--graph", "full")
    summary = document["summary"]
    assert list(summary) == SUMMARY_KEYS  # sorted, and nothing missing or added
    assert list(summary["history"]) == sorted(
        ["available", "reason", "commits", "skipped", "since", "window", "shallow", "truncated", "co_changes"]
    )
    assert list(summary["rules"][0]) == [
        "adr",
        "advice",
        "because",
        "code",
        "id",
        "severity",
        "summary",
        "type",
    ]
    row = summary["granularity"]["services"][0]
    fields = ("name", "modules", "verdict", "reason", "split_pressure", "merge_pressure", "merge_with")
    assert list(row) == sorted([*fields, "parts", "disintegrators"])
    loaded = Analysis.from_json(document)
    assert loaded.summary.services == ("inventory", "notifications", "orders", "payments")
    assert loaded.summary.granularity is not None and loaded.summary.history is not None
    saved = {key: value for key, value in document.items() if key not in ("passed", "fail_on")}
    assert json.dumps(loaded.to_json(), sort_keys=True) == json.dumps(saved, sort_keys=True)


def test_shop_evidence_points_at_the_lines(example_copy) -> None:
    _, document = check(example_copy("shop"))
    by_key = {(f["code"], f["subjects"][0]): f for f in document["findings"]}
    shared_db = by_key["FIT120", "datastore:shop-db/shop"]
    assert {(loc["path"], loc["line"]) for loc in shared_db["locations"]} == {
        ("docker-compose.yml", 7),
        ("docker-compose.yml", 15),
    }
    chain = by_key["FIT124", "orders"]
    assert "availability 0.999^4 = 0.9960" in chain["message"]
    # orders' cross-service write (FIT304) is folded into the one finding about the table (issue 17)
    writes = by_key["FIT122", "table:stock_reservations"]
    assert "services/orders/orders/service.py" in {loc["path"] for loc in writes["locations"]}


def test_hardcoded_endpoints_and_shared_library_are_info(example_copy) -> None:
    _, document = check(example_copy("shop"))
    infos = sorted((f["code"], tuple(f["subjects"])) for f in document["findings"] if f["severity"] == "info")
    assert ("FIT310", ("inventory", "notifications")) in infos
    assert ("FIT306", ("library:shopcommon", "orders", "payments")) in infos


def test_shop_fixed_passes_even_on_warnings(example_copy) -> None:
    code, document = check(example_copy("shop-fixed"), "--fail-on", "warning")
    assert code == 0, [f["message"] for f in document["findings"]]
    assert document["summary"]["datastores"] == ["cache", "inventory-db", "kafka", "orders-db", "payments-db"]


def test_service_graph_levels(example_copy) -> None:
    shop = str(example_copy("shop"))
    services = json.loads(run_fitness("graph", shop, "--level", "services", "--format", "json").stdout)
    edges = {(e["source"], e["target"], e["style"]) for e in services["edges"]}
    assert ("orders", "payments", "solid") in edges
    assert ("orders", "order-placed", "dashed") in edges
    assert ("orders", "shop-db", "dotted") in edges
    highlighted = {n["id"] for n in services["nodes"] if n["on_cycle"]}
    assert "shop-db" in highlighted  # shared database
    tables = json.loads(run_fitness("graph", shop, "--level", "tables", "--format", "json").stdout)
    assert {(e["source"], e["target"], e["label"]) for e in tables["edges"]} >= {
        ("orders", "stock_reservations", "writes"),
        ("inventory", "stock_reservations", "writes"),
        ("orders", "stock_items", "reads"),
    }
    events = run_fitness("graph", shop, "--level", "events", "--format", "mermaid")
    assert events.returncode == 0 and "order-placed" in events.stdout
    dot = run_fitness("graph", shop, "--level", "services", "--format", "dot").stdout
    assert '"shop-db" [label="shop-db", shape=cylinder, fillcolor="#ffe3e3", color="#c92a2a"];' in dot


def test_service_levels_without_services_say_so(example_copy) -> None:
    result = run_fitness("graph", str(example_copy("layered")), "--level", "services")
    assert result.returncode == 2
    assert "no services found" in result.stderr


def test_init_discovers_services_and_proposes_service_rules(example_copy) -> None:
    shop = example_copy("shop")
    (shop / "fitness.yaml").unlink()
    assert run_fitness("init", str(shop)).returncode == 0
    text = (shop / "fitness.yaml").read_text()
    assert "# Services found: inventory, notifications, orders, payments" in text
    assert "# Datastores and brokers found: cache, kafka, payments-db, shop-db" in text
    assert "- libs/shopcommon" in text
    for rule_type in (
        "no-shared-database",
        "max-sync-chain",
        "no-event-cycles",
        "max-distributed-monolith-score",
    ):
        assert f"type: {rule_type}" in text
    _, document = check(shop)
    assert {"FIT120", "FIT124", "FIT126"} <= {f["code"] for f in document["findings"]}


POLYGLOT = {
    "docker-compose.yml": (
        "services:\n"
        "  web:\n    build: ./web\n    environment:\n      API_URL: http://api:8080\n"
        "  api:\n    build: ./api\n    environment:\n"
        "      SPRING_DATASOURCE_URL: jdbc:postgresql://db:5432/shop\n"
        "  worker:\n    build: ./worker\n    environment:\n      DB_HOST: db\n      DB_NAME: shop\n"
        "  db:\n    image: postgres:16\n"
    ),
    "web/package.json": '{"name": "web"}\n',
    "web/src/client.js": "export const items = () => fetch('http://api:8080/items');\n",
    "api/pom.xml": "<project/>\n",
    "api/src/main/java/App.java": 'class App { String w = "http://worker:9000/jobs"; }\n',
    "worker/go.mod": "module worker\n",
    "worker/main.go": 'package main\nconst jobs = "http://api:8080/jobs"\n',
}


def test_services_in_other_languages_get_language_agnostic_evidence(write_tree) -> None:
    root = write_tree(POLYGLOT)
    result = run_fitness("check", str(root), "--no-cache", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["services"] == ["api", "web", "worker"]
    found = {(f["code"], tuple(f["subjects"])) for f in document["findings"]}
    assert ("FIT301", ("datastore:db/shop", "api", "worker")) in found
    assert ("FIT308", ("api", "worker")) in found  # api -> worker -> api
    graph = json.loads(run_fitness("graph", str(root), "--level", "services", "--format", "json").stdout)
    calls = {(e["source"], e["target"]) for e in graph["edges"] if e["style"] == "solid"}
    assert calls == {("web", "api"), ("api", "worker"), ("worker", "api")}

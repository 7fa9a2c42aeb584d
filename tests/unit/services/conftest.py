"""A small service graph in memory: the shop's smells, without reading any file."""

from __future__ import annotations

import pytest

from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind


def ev(path: str, line: int, how: str = "code") -> list[Evidence]:
    return [Evidence(path, line, "seen", how)]


@pytest.fixture
def shop() -> ArchGraph:
    g = ArchGraph()
    for name in ("orders", "inventory", "payments", "notifications"):
        g.add_node(NodeKind.SERVICE, name, {"annotations": {"latency_ms": 10}})
    g.add_node(NodeKind.DATASTORE, "shop-db", {"kind": "postgres"})
    g.add_node(NodeKind.DATASTORE, "payments-db", {"kind": "postgres"})
    for service, store, db, line in (
        ("orders", "shop-db", "shop", 5),
        ("inventory", "shop-db", "shop", 15),
        ("payments", "payments-db", "payments", 24),
    ):
        g.add_edge(
            f"service:{service}",
            f"datastore:{store}",
            EdgeKind.CONNECTS,
            ev("docker-compose.yml", line, "env"),
            {"database": db},
        )
    # calls: orders -> payments -> inventory -> notifications (3 hops)
    g.add_edge("service:orders", "service:payments", EdgeKind.CALLS, ev("o/service.py", 30, "env"))
    g.add_edge("service:payments", "service:inventory", EdgeKind.CALLS, ev("p/service.py", 20, "env"))
    g.add_edge("service:inventory", "service:notifications", EdgeKind.CALLS, ev("i/service.py", 9, "code"))
    # events: orders <-> payments
    for topic in ("order-placed", "payment-completed"):
        g.add_node(NodeKind.TOPIC, topic, {"broker": "kafka"})
    g.add_edge("service:orders", "topic:order-placed", EdgeKind.PUBLISHES, ev("o/service.py", 31))
    g.add_edge("service:payments", "topic:order-placed", EdgeKind.SUBSCRIBES, ev("p/service.py", 27))
    g.add_edge("service:payments", "topic:payment-completed", EdgeKind.PUBLISHES, ev("p/service.py", 22))
    g.add_edge("service:orders", "topic:payment-completed", EdgeKind.SUBSCRIBES, ev("o/service.py", 35))
    # tables
    for table in ("orders", "stock_items", "stock_reservations", "charges"):
        g.add_node(NodeKind.TABLE, table)
    g.add_node(NodeKind.TABLE, "stock_reservations", {"owner": "inventory"})
    g.add_edge("service:orders", "table:orders", EdgeKind.WRITES, ev("o/service.py", 18, "sql"))
    g.add_edge("service:orders", "table:stock_reservations", EdgeKind.WRITES, ev("o/service.py", 22, "sql"))
    g.add_edge("service:orders", "table:stock_items", EdgeKind.READS, ev("o/service.py", 25, "sql"))
    g.add_edge(
        "service:inventory", "table:stock_reservations", EdgeKind.WRITES, ev("i/service.py", 15, "sql")
    )
    g.add_edge("service:inventory", "table:stock_items", EdgeKind.WRITES, ev("i/service.py", 21, "sql"))
    g.add_edge("service:payments", "table:charges", EdgeKind.WRITES, ev("p/service.py", 17, "sql"))
    # code: orders.service imports inventory.models
    for module, service in (
        ("orders.service", "orders"),
        ("inventory.models", "inventory"),
        ("shopcommon.money", None),
    ):
        g.add_node(NodeKind.MODULE, module, {"path": module.replace(".", "/") + ".py"})
        if service:
            g.add_edge(f"service:{service}", f"module:{module}", EdgeKind.CONTAINS)
    g.add_edge(
        "module:orders.service", "module:inventory.models", EdgeKind.IMPORTS, ev("o/service.py", 8, "import")
    )
    g.add_edge(
        "module:orders.service", "module:shopcommon.money", EdgeKind.IMPORTS, ev("o/service.py", 9, "import")
    )
    return g

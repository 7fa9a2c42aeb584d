"""Service rules on the in-memory shop: each fails where it should and passes where it should."""

from __future__ import annotations

from typing import Any

import pytest

from fitness.model import ArchGraph, EdgeKind
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView
from fitness.rules.base import RuleContext
from fitness.rules.registry import rule_types


def run(graph: ArchGraph, rule_type: str, **options: Any) -> list[str]:
    spec = RuleSpec(id="r", type=rule_type, options=options)
    cls = rule_types()[rule_type]
    values, errors = cls.parse_options(spec)
    assert errors == []
    return [f.message for f in cls(spec, values).check(RuleContext(ImportView.from_graph(graph)))]


def test_no_shared_database(shop: ArchGraph) -> None:
    assert run(shop, "no-shared-database") == ["inventory, orders share database 'shop' on shop-db"]
    assert run(shop, "no-shared-database", allow=["shop-db"]) == []


def test_no_shared_tables_with_allow_list(shop: ArchGraph) -> None:
    assert run(shop, "no-shared-tables") == [
        "table stock_items is used by inventory, orders (common ownership; written by inventory)",
        "table stock_reservations is used by inventory, orders (joint ownership; written by inventory, orders)",
    ]
    assert len(run(shop, "no-shared-tables", allow=["stock_*"])) == 0
    assert len(run(shop, "no-shared-tables", writers_only=True)) == 1


def test_table_ownership(shop: ArchGraph) -> None:
    assert run(shop, "table-ownership") == [
        "table stock_reservations: owned by inventory but also written by orders"
    ]
    shop.add_node(__import__("fitness.model", fromlist=["NodeKind"]).NodeKind.TABLE, "legacy")
    shop.add_edge("service:payments", "table:legacy", EdgeKind.READS)
    assert "table legacy: no owner: nobody writes it (read by payments)" in run(shop, "table-ownership")


def test_services_independent(shop: ArchGraph) -> None:
    messages = run(shop, "services-independent")
    assert "orders imports the code of inventory: orders.service -> inventory.models" in messages
    assert "inventory, orders all write table stock_reservations" in messages
    assert "inventory, orders share database shop" in messages
    assert run(shop, "services-independent", services=["payments", "notifications"]) == []


@pytest.mark.parametrize(("limit", "count"), [(2, 1), (3, 0)])
def test_max_sync_chain(shop: ArchGraph, limit: int, count: int) -> None:
    assert len(run(shop, "max-sync-chain", max=limit)) == count


def test_cycles(shop: ArchGraph) -> None:
    assert run(shop, "no-service-cycles") == []
    assert run(shop, "no-event-cycles") == ["event cycle between orders, payments"]
    shop.add_edge("service:notifications", "service:orders", EdgeKind.CALLS)
    assert run(shop, "no-service-cycles") == [
        "services call each other in a cycle: inventory, notifications, orders, payments"
    ]


def test_distributed_monolith_score(shop: ArchGraph) -> None:
    (message,) = run(shop, "max-distributed-monolith-score", max=0.4)
    assert message.startswith("inventory, notifications, orders, payments score 0.80 > 0.40")
    assert run(shop, "max-distributed-monolith-score", max=1.0) == []

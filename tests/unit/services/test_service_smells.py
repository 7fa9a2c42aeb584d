"""Service smells on an in-memory shop: what each reports, with which evidence."""

from __future__ import annotations

from fitness.analyze.services import service_smells
from fitness.model import ArchGraph, Location, Severity
from fitness.model.call_chains import longest_chains
from fitness.model.service_view import ServiceView, monolith_groups, monolith_score, ownership
from fitness.model.thresholds import AnalysisSettings


def smells(graph: ArchGraph) -> dict[str, list]:
    found: dict[str, list] = {}
    for finding in service_smells(ServiceView.from_graph(graph), AnalysisSettings()):
        found.setdefault(finding.code, []).append(finding)
    return found


def test_view_reads_the_graph(shop: ArchGraph) -> None:
    view = ServiceView.from_graph(shop)
    assert view.services == ["inventory", "notifications", "orders", "payments"]
    assert view.writers["stock_reservations"] == {"orders", "inventory"}
    assert view.events() == {
        "inventory": set(),
        "notifications": set(),
        "orders": {"payments"},
        "payments": {"orders"},
    }
    assert view.imports["orders"] == {"inventory"}
    assert view.module_owner == {"orders.service": "orders", "inventory.models": "inventory"}
    assert ownership(view, "stock_reservations") == "joint"
    assert ownership(view, "stock_items") == "common"
    assert ownership(view, "charges") == "sole"


def test_shared_database_names_services_and_evidence(shop: ArchGraph) -> None:
    (finding,) = smells(shop)["FIT301"]
    assert finding.message == "2 services share database 'shop' on shop-db: inventory, orders"
    assert finding.locations == (Location("docker-compose.yml", 5), Location("docker-compose.yml", 15))


def test_shared_tables_with_hard_parts_ownership(shop: ArchGraph) -> None:
    found = {f.data["table"]: f for f in smells(shop)["FIT303"]}
    assert sorted(found) == ["stock_items", "stock_reservations"]
    assert found["stock_reservations"].data["ownership"] == "joint"
    assert found["stock_items"].message == (
        "table stock_items is shared (common ownership): written by inventory only, read by orders"
    )


def test_cross_service_access_against_declared_owner(shop: ArchGraph) -> None:
    (finding,) = smells(shop)["FIT304"]
    assert finding.message == "orders writes table stock_reservations, owned by inventory"
    assert finding.locations == (Location("o/service.py", 22),)


def test_import_coupling_and_hardcoded_endpoint(shop: ArchGraph) -> None:
    found = smells(shop)
    assert [f.message for f in found["FIT305"]] == ["service orders imports the code of service inventory"]
    assert [f.subjects for f in found["FIT310"]] == [("inventory", "notifications")]


def test_sync_chain_with_availability_and_latency(shop: ArchGraph) -> None:
    (finding,) = smells(shop)["FIT307"]
    assert finding.subjects == ("orders", "payments", "inventory", "notifications")
    assert "availability 0.999^4 = 0.9960" in finding.message
    assert "declared latency adds up to 40 ms" in finding.message
    assert finding.data["hops"] == 3


def test_event_cycle(shop: ArchGraph) -> None:
    (finding,) = smells(shop)["FIT309"]
    assert finding.message == "event cycle between orders, payments (topics: order-placed, payment-completed)"


def test_no_sync_cycle_until_one_is_added(shop: ArchGraph) -> None:
    assert "FIT308" not in smells(shop)
    from fitness.model import EdgeKind

    shop.add_edge("service:notifications", "service:orders", EdgeKind.CALLS)
    (finding,) = smells(shop)["FIT308"]
    assert finding.subjects == ("inventory", "notifications", "orders", "payments")


def test_distributed_monolith_says_which_signals_fired(shop: ArchGraph) -> None:
    view = ServiceView.from_graph(shop)
    ((group, fired),) = [g for g in monolith_groups(view) if "orders" in g[0]]
    assert "inventory" in group and "orders" in group
    assert {"shared tables", "shared database", "shared code", "long sync chain"} <= set(fired)
    assert monolith_score(fired) >= 0.8
    (finding,) = smells(shop)["FIT311"]
    assert "shared tables (stock_reservations written by inventory, orders)" in finding.message


def test_longest_chains_cut_cycles() -> None:
    calls = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert longest_chains(calls).chains == [["a", "b", "c", "d"]]


def test_severity_and_switching_off(shop: ArchGraph) -> None:
    from fitness.model.thresholds import SmellSettings

    settings = AnalysisSettings()
    settings.smells["shared_tables"] = SmellSettings(False, Severity.WARNING)
    settings.smells["sync_chains"] = SmellSettings(True, Severity.ERROR, 3)
    codes = {f.code: f for f in service_smells(ServiceView.from_graph(shop), settings)}
    assert "FIT303" not in codes
    assert "FIT307" not in codes  # 3 hops allowed now

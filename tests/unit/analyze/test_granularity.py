"""Granularity scoring on crafted in-memory graphs: exact scores, verdicts and evidence."""

from __future__ import annotations

import pytest

from fitness.analyze.granularity import score_granularity
from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind
from fitness.model.granularity import (
    GranularitySettings,
    GranularityTable,
    ServiceVerdict,
    granularity_metrics,
    pressure,
    verdict,
)
from fitness.model.history import HistorySummary
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView
from fitness.rules.base import RuleContext
from fitness.rules.granularity import MaxMergePressure, MaxSplitPressure


def service(g: ArchGraph, name: str, modules: list[str], annotations: dict | None = None) -> None:
    g.add_node(NodeKind.SERVICE, name, {"annotations": annotations or {}})
    for module in modules:
        g.add_node(NodeKind.MODULE, module, {"path": module.replace(".", "/") + ".py"})
        g.add_edge(f"service:{name}", f"module:{module}", EdgeKind.CONTAINS)


def imports(g: ArchGraph, a: str, b: str) -> None:
    g.add_edge(f"module:{a}", f"module:{b}", EdgeKind.IMPORTS, [Evidence(a.replace(".", "/") + ".py", 3)])


def row(table: GranularityTable, name: str) -> ServiceVerdict:
    return next(r for r in table.services if r.name == name)


def test_pressure_is_a_noisy_or() -> None:
    assert pressure([]) == 0.0
    assert pressure([(0.8, 1.0)]) == 0.8
    assert pressure([(0.8, 1.0), (0.5, 1.0)]) == 0.9  # 1 - 0.2 * 0.5
    assert pressure([(0.6, 0.5), (0.4, 0.25)]) == round(1 - 0.7 * 0.9, 3)


def test_verdict_needs_threshold_and_margin() -> None:
    s = GranularitySettings()
    assert verdict(0.7, 0.2, s) == "split"
    assert verdict(0.2, 0.7, s) == "merge"
    assert verdict(0.6, 0.55, s) == "keep"  # within the margin
    assert verdict(0.4, 0.3, s) == "keep"  # below the thresholds


@pytest.fixture
def two_parts() -> ArchGraph:
    """billing holds two clusters of modules that never import each other."""
    g = ArchGraph()
    service(g, "billing", ["billing.invoices", "billing.pdf", "billing.tax", "billing.rates"])
    imports(g, "billing.invoices", "billing.pdf")
    imports(g, "billing.tax", "billing.rates")
    return g


def test_scope_names_the_parts(two_parts: ArchGraph) -> None:
    table = score_granularity(two_parts)
    billing = row(table, "billing")
    assert billing.disintegrators["scope"].score == 1.0  # two equal parts
    assert billing.split_pressure == 0.8  # scope weight
    assert billing.verdict == "split"
    assert [p.modules for p in billing.parts] == [
        ("billing.invoices", "billing.pdf"),
        ("billing.rates", "billing.tax"),
    ]
    assert "scope and function 1.00" in billing.reason
    assert billing.disintegrators["volatility"].status == "unavailable"
    assert (table.history_available, table.history_reason) == (False, "no git history collected")
    assert table.to_json()["history"] == {"available": False, "reason": "no git history collected"}


def test_uneven_parts_score_less(two_parts: ArchGraph) -> None:
    for name in ("billing.vat", "billing.duty"):
        two_parts.add_node(NodeKind.MODULE, name)
        two_parts.add_edge("service:billing", f"module:{name}", EdgeKind.CONTAINS)
        imports(two_parts, name, "billing.tax")
    billing = row(score_granularity(two_parts), "billing")
    assert billing.disintegrators["scope"].score == pytest.approx(2 * (1 - 4 / 6), abs=1e-3)


def test_volatility_and_security(two_parts: ArchGraph) -> None:
    g = ArchGraph()
    service(g, "payments", ["payments.service", "payments.fraud", "payments.card_vault"])
    imports(g, "payments.service", "payments.fraud")
    imports(g, "payments.service", "payments.card_vault")
    for module, commits in (("payments.service", 2), ("payments.fraud", 10), ("payments.card_vault", 0)):
        g.add_node(NodeKind.MODULE, module, {"churn": {"commits": commits, "lines": 1, "authors": 1}})
    payments = row(score_granularity(g), "payments")
    forces = payments.disintegrators
    assert forces["scope"].score == 0.0
    # 10 of 12 commits in 1 of 3 modules: (10/12 - 1/3) / (2/3) = 0.75
    assert forces["volatility"].score == 0.75
    assert forces["security"].score == 0.5
    assert payments.split_pressure == pressure([(0.7, 0.75), (0.8, 0.5)])
    assert payments.verdict == "split"
    assert [p.name for p in payments.parts] == ["payments.fraud", "payments.card_vault", "the rest"]


def test_declared_forces_and_extensibility() -> None:
    g = ArchGraph()
    providers = [f"ship.providers.{n}_provider" for n in ("dhl", "ups", "fedex", "usps", "gls")]
    service(
        g,
        "ship",
        ["ship.api", *providers],
        {"scaling": "high", "fault_tolerance": "isolate", "handles": ["pii"]},
    )
    for p in providers:
        imports(g, "ship.api", p)
    forces = row(score_granularity(g), "ship").disintegrators
    assert forces["scalability"].score == 1.0
    assert forces["fault_tolerance"].score == 1.0
    assert forces["security"].score == 0.7
    assert forces["extensibility"].score == 5 / 8
    assert "fitness.yaml: scaling: high" in forces["scalability"].evidence


@pytest.fixture
def coupled() -> ArchGraph:
    g = ArchGraph()
    service(g, "orders", ["orders.service"])
    service(g, "stock", ["stock.models"])
    imports(g, "orders.service", "stock.models")
    for table in ("reservations", "items"):
        g.add_node(NodeKind.TABLE, table)
    g.add_edge("service:orders", "table:reservations", EdgeKind.WRITES, [Evidence("o.py", 5, "", "sql")])
    g.add_edge("service:stock", "table:reservations", EdgeKind.WRITES, [Evidence("s.py", 6, "", "sql")])
    g.add_edge("service:stock", "table:items", EdgeKind.WRITES)
    g.add_edge("service:orders", "table:items", EdgeKind.READS)
    g.add_edge("service:orders", "service:stock", EdgeKind.CALLS)
    g.add_edge("service:orders", "service:stock", EdgeKind.CO_CHANGES, attrs={"degree": 80, "shared": 8})
    return g


def test_integrators_of_a_pair(coupled: ArchGraph) -> None:
    table = score_granularity(coupled)
    (pair,) = table.pairs
    scores = {force: body.score for force, body in pair.integrators.items()}
    assert scores == {"transactions": 1.0, "workflow": 0.6, "shared_code": 0.5, "data": 0.5, "co_change": 0.8}
    expected = pressure([(0.9, 1.0), (0.6, 0.6), (0.5, 0.5), (0.5, 0.5), (0.8, 0.8)])
    assert pair.merge_pressure == expected
    orders = row(table, "orders")
    assert orders.verdict == "merge"
    assert orders.merge_with == ("stock",)
    assert "co-change 0.80" in orders.reason
    assert any("reservations" in e for e in pair.integrators["transactions"].evidence)


def test_history_unavailable_is_not_zero(coupled: ArchGraph) -> None:
    history = HistorySummary(available=False, reason="not a git repository")
    co_change = score_granularity(coupled, history=history).pairs[0].integrators["co_change"]
    assert co_change.status == "unavailable"
    assert co_change.score is None
    assert "not a git repository" in co_change.note
    assert co_change.to_json() == {
        "score": None,
        "status": "unavailable",
        "evidence": [],
        "note": co_change.note,
    }


def test_weights_are_configurable(coupled: ArchGraph) -> None:
    settings = GranularitySettings(
        weights={"transactions": 0.0, "workflow": 0.0, "shared_code": 0.0, "data": 0.0, "co_change": 0.1}
    )
    table = score_granularity(coupled, settings)
    assert table.pairs[0].merge_pressure == 0.08
    assert row(table, "orders").verdict == "keep"
    assert table.settings.weight("co_change") == 0.1


def test_packages_stand_in_for_services() -> None:
    g = ArchGraph()
    for name in ("app", "app.a", "app.a.x", "app.b", "app.b.y"):
        g.add_node(NodeKind.MODULE, name)
    imports(g, "app.a.x", "app.b.y")
    table = score_granularity(g, depth=2)
    assert table.level == "packages"
    assert [r.name for r in table.services] == ["app.a", "app.b"]
    assert table.pairs[0].services == ("app.a", "app.b")


def _rule(kind: type, **options: object) -> MaxSplitPressure | MaxMergePressure:
    spec = RuleSpec(id=kind.name, type=kind.name, options=dict(options))
    values, errors = kind.parse_options(spec)
    assert not errors
    return kind(spec, values)


def test_rules_read_the_pressures(coupled: ArchGraph, two_parts: ArchGraph) -> None:
    metrics = granularity_metrics(score_granularity(coupled))
    context = RuleContext(ImportView.from_graph(coupled), metrics)
    (finding,) = _rule(MaxMergePressure, max=0.5).check(context)
    assert finding.code == "FIT130"
    assert finding.subjects == ("orders", "stock")
    assert "transactions 1.00" in finding.message
    assert _rule(MaxMergePressure, max=0.5, pairs=["a <-> b"]).check(context) == []
    assert _rule(MaxMergePressure, max=0.99).check(context) == []
    split_context = RuleContext(
        ImportView.from_graph(two_parts), granularity_metrics(score_granularity(two_parts))
    )
    (split,) = _rule(MaxSplitPressure, max=0.5).check(split_context)
    assert split.code == "FIT129"
    assert "scope 1.00" in split.message
    assert _rule(MaxSplitPressure, max=0.5, services=["other"]).check(split_context) == []


def test_rule_options_are_checked(coupled: ArchGraph) -> None:
    view = ImportView.from_graph(coupled)
    assert _rule(MaxSplitPressure, max=1.5).check_config(view)
    assert _rule(MaxMergePressure, pairs=["orders and stock"]).check_config(view)

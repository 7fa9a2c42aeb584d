"""Starter rules: the contracts the import graph nearly keeps, counted with the rule types check runs."""

from __future__ import annotations

from fitness.model.layout import Units
from fitness.rules.propose import budget, feedback_order, propose_rules


def units(*names: str, depth: int = 2) -> Units:
    return Units(tuple(names), depth, "subpackages", dict.fromkeys(names, 1))


def test_feedback_order_puts_importers_first_and_few_edges_backwards() -> None:
    weight = {
        ("api", "services"): 5,
        ("services", "domain"): 4,
        ("domain", "services"): 1,
        ("api", "domain"): 2,
    }
    assert feedback_order(["domain", "services", "api"], weight) == ["api", "services", "domain"]


def test_layers_are_proposed_when_few_imports_break_them(kit) -> None:
    view = kit.view(
        "shop.api.views -> shop.services.orders",
        "shop.api.views -> shop.domain.order",
        "shop.services.orders -> shop.domain.order",
        "shop.services.billing -> shop.domain.order",
        "shop.adapters.db -> shop.domain.order",
        "shop.domain.order:7 -> shop.services.billing",  # the one import the layering does not allow
    )
    rules, sketch = propose_rules(view, units("shop.adapters", "shop.api", "shop.domain", "shop.services"), 2)
    by_id = {proposed.rule["id"]: proposed for proposed in rules}
    assert sketch is None
    layers = by_id["unit-layers"]
    assert layers.rule["containers"] == ["shop"]
    assert layers.rule["layers"] == ["api", "adapters | services", "domain"]
    assert (layers.findings, layers.imports) == (1, 1)
    assert by_id["no-package-cycles"].findings == 1


def test_shared_code_must_not_import_the_units(kit) -> None:
    view = kit.view(
        "shop.orders.x -> shop.utils.money",
        "shop.billing.x -> shop.utils.money",
        "shop.utils.money:3 -> shop.orders.models",
        modules=("shop.catalog.x",),
    )
    rules, _ = propose_rules(view, units("shop.billing", "shop.catalog", "shop.orders"), 2)
    [kernel] = [proposed for proposed in rules if proposed.rule["type"] == "forbidden"]
    assert kernel.rule["source_modules"] == ["shop.utils"]
    assert kernel.rule["forbidden_modules"] == ["shop.billing", "shop.catalog", "shop.orders"]
    assert (kernel.findings, kernel.imports) == (1, 1)


def test_without_a_near_layering_the_largest_nearly_independent_set(kit) -> None:
    tangle = [
        f"app.p{a}.m{k} -> app.p{b}.m{k}" for a in range(3) for b in range(3) if a != b for k in range(3)
    ]
    view = kit.view(*tangle, *(f"app.p{n}.m -> app.p0.m0" for n in range(3, 6)), "app.p3.m -> app.p4.m")
    rules, sketch = propose_rules(view, units(*(f"app.p{n}" for n in range(6))), 2)
    assert [proposed.rule["id"] for proposed in rules] == [
        "shared-code-does-not-import-apps",  # p0 is imported by every other unit
        "independent-units",
        "no-package-cycles",
    ]
    assert rules[0].rule["source_modules"] == ["app.p0"]
    # p2 goes (most imports to cut); p3, p4 and p5 reach p1 through p0: 4 imports, within the budget of 5
    assert rules[1].rule["modules"] == ["app.p1", "app.p3", "app.p4", "app.p5"]
    # p3's two violations (-> p1 through p0, -> p4) are one finding about p3 (ADR 12): 3 findings
    assert (rules[1].findings, rules[1].imports) == (3, 4)
    assert sketch is not None and sketch.rule["type"] == "layers"
    assert "too many to propose it" in sketch.note


def test_budget_is_five_percent_of_the_imports_between_units_and_at_least_five() -> None:
    assert (budget(10), budget(1000)) == (5, 50)

"""FIT106 acyclic: no import cycles between packages (default), modules, or a container's children."""

from __future__ import annotations

import pytest

from fitness.rules.acyclic import Acyclic

# orders -> billing once; billing -> orders twice: the cycle is cheapest to break at orders -> billing.
PACKAGE_CYCLE = (
    "shop.orders.views:3 -> shop.billing.api",
    "shop.billing.api:7 -> shop.orders.models",
    "shop.billing.tasks:8 -> shop.orders.models",
)


def test_a_package_cycle_is_one_finding_with_a_witness_and_the_cheapest_cut(kit):
    view = kit.view(*PACKAGE_CYCLE, "shop.orders.views -> shop.orders.models")

    [finding] = kit.run(Acyclic, view)

    assert finding.code == "FIT106"
    assert finding.subjects == ("shop.billing", "shop.orders")
    assert finding.message == "cycle of 2 packages: shop.billing -> shop.orders -> shop.billing"
    # each step of the package cycle is shown by its first module import
    assert finding.chains == (
        (
            kit.link("shop.billing.api", "shop.orders.models", 7),
            kit.link("shop.orders.views", "shop.billing.api", 3),
        ),
    )
    assert finding.fix == (
        "remove 1 dependency to break the cycle: shop.orders -> shop.billing (shop/orders/views.py:3); "
        "or invert one (an interface owned by the imported side)"
    )
    assert finding.data["breakers"] == [["shop.orders", "shop.billing"]]
    assert finding.data["complete"] is True


def test_no_cycle_no_finding(kit):
    view = kit.view("shop.orders.views -> shop.billing.api", "shop.billing.api -> shop.kernel")

    assert kit.run(Acyclic, view) == []
    assert kit.run(Acyclic, view, level="modules") == []


def test_the_package_depth_comes_from_the_option_or_the_analysis(kit):
    view = kit.view("shop.orders.a.x -> shop.orders.b", "shop.orders.b -> shop.orders.a.y")

    assert kit.run(Acyclic, view) == []  # at depth 2 both are shop.orders
    assert kit.pairs(kit.run(Acyclic, view, depth=3)) == [("shop.orders.a", "shop.orders.b")]
    assert kit.pairs(kit.run(Acyclic, view, depth=3, level="packages", containers=["shop.orders"])) == [
        ("shop.orders.a", "shop.orders.b")
    ]
    assert kit.pairs(kit.run(Acyclic, view, 3)) == [("shop.orders.a", "shop.orders.b")]  # the analysis' depth


def test_module_cycles_are_reported_per_component_with_a_shortest_loop(kit):
    view = kit.view(
        "app.a:1 -> app.b",
        "app.b:2 -> app.c",
        "app.c:3 -> app.a",
        "app.c:4 -> app.b",  # one component
        "app.x:5 -> app.y",
        "app.y:6 -> app.x",  # another
    )

    findings = kit.run(Acyclic, view, level="modules")

    assert kit.pairs(findings) == [("app.a", "app.b", "app.c"), ("app.x", "app.y")]
    assert findings[0].message == "cycle of 3 modules; shortest loop: app.b -> app.c -> app.b"
    assert findings[0].chains == ((kit.link("app.b", "app.c", 2), kit.link("app.c", "app.b", 4)),)
    # one cut breaks both loops of the component (a -> b -> c -> a and b -> c -> b)
    assert findings[0].fix == (
        "remove 1 import to break the cycle: app.b -> app.c (app/b.py:2); "
        "or invert one (an interface owned by the imported side)"
    )
    assert findings[1].message == "cycle of 2 modules: app.x -> app.y -> app.x"


def test_siblings_are_the_children_of_a_container_each_standing_for_its_subtree(kit):
    view = kit.view(
        "shop.orders.api.views:4 -> shop.billing.models",
        "shop.billing.services:9 -> shop.orders.api",
        "shop:1 -> shop.billing",  # the container itself is not one of the siblings
        "shop.billing.models -> shop",
        "lib.a -> lib.b",
        "lib.b -> lib.a",  # outside the container
    )

    [finding] = kit.run(Acyclic, view, level="siblings", containers=["shop"])

    assert finding.subjects == ("shop.billing", "shop.orders")
    assert finding.message == "cycle of 2 subpackages: shop.billing -> shop.orders -> shop.billing"
    assert finding.chains == (
        (
            kit.link("shop.billing.services", "shop.orders.api", 9),
            kit.link("shop.orders.api.views", "shop.billing.models", 4),
        ),
    )


def test_siblings_of_each_container_with_wildcards(kit):
    view = kit.view(
        "shop.a.x -> shop.a.y", "shop.a.y -> shop.a.x", "shop.b.p -> shop.b.q", "shop.b.q -> shop.a.x"
    )

    findings = kit.run(Acyclic, view, level="siblings", containers=["shop.*"])

    assert kit.pairs(findings) == [("shop.a.x", "shop.a.y")]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"level": "classes"}, "level: expected one of modules, packages, siblings, got 'classes'"),
        ({"level": "siblings"}, "level: siblings needs `containers`"),
        ({"depth": 0}, "depth: must be at least 1, got 0"),
        ({"depth": "2"}, "depth: expected an integer"),
    ],
)
def test_config_errors(kit, options, message):
    view = kit.view("a.b -> a.c")

    assert [error.split(": ", 1)[1] for error in kit.errors(Acyclic, view, **options)] == [
        f"rule 'r': {message}"
    ]


def test_a_long_list_of_cuts_names_no_internal_field(kit):
    """More cuts than the fix spells out: the rest are in the JSON output, said in words a user knows."""
    every_way = [f"app.p{a}.m -> app.p{b}.m" for a in range(5) for b in range(5) if a != b]
    [finding] = kit.run(Acyclic, kit.view(*every_way))
    assert "more (--format json lists them all)" in finding.fix
    assert "data." not in finding.fix and "data." not in finding.message

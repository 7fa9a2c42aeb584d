"""FIT108 max-fan-out: distinct internal modules (or packages) imported, against a maximum."""

from __future__ import annotations

import pytest

from fitness.rules.thresholds import MaxFanOut

HUB = (
    "app.hub:3 -> app.a",
    "app.hub:4 -> app.b",
    "app.hub:5 -> app.c",
    "app.a -> app.b",
    "app.hub -> !requests",
)


def test_a_module_importing_more_than_max_modules_is_reported_with_each_import(kit):
    view = kit.view(*HUB)

    [finding] = kit.run(MaxFanOut, view, max=2)

    assert finding.code == "FIT108"
    assert finding.subjects == ("app.hub",)
    assert finding.message == "app.hub imports 3 modules (max 2)"
    assert finding.chains == (
        (kit.link("app.hub", "app.a", 3),),
        (kit.link("app.hub", "app.b", 4),),
        (kit.link("app.hub", "app.c", 5),),
    )
    assert finding.data == {"level": "modules", "fan_out": 3, "max": 2}
    assert finding.fix == "bring the modules app.hub imports down to 2: split it, or use a facade"


def test_at_the_maximum_is_fine_and_third_party_imports_do_not_count(kit):
    assert kit.run(MaxFanOut, kit.view(*HUB), max=3) == []


def test_packages_level_counts_distinct_packages_at_the_analysis_depth(kit):
    view = kit.view(
        "shop.orders.views:2 -> shop.billing.api",
        "shop.orders.views:3 -> shop.billing.models",  # same package: counted once
        "shop.orders.tasks:4 -> shop.catalog",
        "shop.orders.views -> shop.orders.models",  # inside: not counted
    )

    [finding] = kit.run(MaxFanOut, view, max=1, level="packages")

    assert finding.subjects == ("shop.orders",)
    assert finding.message == "shop.orders imports 2 packages (max 1)"
    assert finding.chains == (
        (kit.link("shop.orders.views", "shop.billing.api", 2),),
        (kit.link("shop.orders.tasks", "shop.catalog", 4),),
    )
    assert kit.run(MaxFanOut, view, 1, max=1, level="packages") == []  # at depth 1 all is one package


def test_the_modules_option_limits_what_is_checked(kit):
    view = kit.view(*HUB, "lib.x -> lib.y", "lib.x -> lib.z")

    assert kit.pairs(kit.run(MaxFanOut, view, max=1, modules=["lib"])) == [("lib.x",)]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max": -1}, "max: must be at least 0, got -1"),
        ({"max": 2.5}, "max: expected an integer"),
        ({"max": 2, "level": "classes"}, "level: expected one of modules, packages, got 'classes'"),
    ],
)
def test_config_errors(kit, options, message):
    errors = kit.errors(MaxFanOut, kit.view(*HUB), **options)

    assert [error.split(": ", 1)[1] for error in errors] == [f"rule 'r': {message}"]
    assert kit.errors(MaxFanOut, kit.view(*HUB)) == ["9: rule 'r' (max-fan-out) needs 'max'"]

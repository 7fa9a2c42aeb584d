"""FIT109 max-instability: Martin's I = Ce / (Ca + Ce) for packages meant to be stable."""

from __future__ import annotations

from fitness.rules.thresholds import MaxInstability


def test_an_unstable_package_is_reported_with_its_outgoing_imports(kit):
    view = kit.view(
        "shop.kernel.ids:3 -> shop.orders.models",  # Ce: shop.orders.models
        "shop.kernel.money:5 -> shop.billing",  # Ce: shop.billing
        "shop.kernel.ids -> shop.kernel.money",  # inside: neither
        "shop.orders.views -> shop.kernel.ids",  # Ca: shop.orders.views
    )

    [finding] = kit.run(MaxInstability, view, packages=["shop.kernel"], max=0.5)

    assert finding.code == "FIT109"
    assert finding.subjects == ("shop.kernel",)
    assert finding.message == (
        "shop.kernel has instability 0.67 > 0.5: it imports 2 outside modules (Ce) and is imported by 1 (Ca)"
    )
    assert finding.chains == (
        (kit.link("shop.kernel.money", "shop.billing", 5),),
        (kit.link("shop.kernel.ids", "shop.orders.models", 3),),
    )
    assert finding.data == {"instability": 0.667, "ca": 1, "ce": 2, "max": 0.5}
    assert finding.fix == (
        "depend on at most 1 outside module (now 2): move the code that needs them out of shop.kernel, "
        "or put interfaces it owns in front of them"
    )


def test_a_stable_package_and_an_isolated_one_are_fine(kit):
    view = kit.view(
        "shop.orders -> shop.kernel",
        "shop.billing -> shop.kernel",
        "shop.catalog -> shop.kernel",
        "shop.kernel:2 -> shop.util",
        "shop.alone.a -> shop.alone.b",
    )

    # kernel: Ca = 3, Ce = 1, I = 0.25; alone: Ca = Ce = 0, I = 0
    assert kit.run(MaxInstability, view, packages=["shop.kernel", "shop.alone"]) == []
    assert kit.pairs(kit.run(MaxInstability, view, packages=["shop.kernel"], max=0.2)) == [("shop.kernel",)]


def test_wildcards_check_each_package_on_its_own(kit):
    view = kit.view("shop.a -> shop.b", "shop.b -> shop.c")

    findings = kit.run(MaxInstability, view, packages=["shop.*"], max=0.5)

    assert kit.pairs(findings) == [("shop.a",)]  # a: I = 1; b: 1 / 2 = 0.5; c: 0


def test_config_errors(kit):
    view = kit.view("shop.a -> shop.b")

    assert kit.errors(MaxInstability, view, packages=["shop.a"], max=1.5) == [
        "11: rule 'r': max: must be at most 1, got 1.5"
    ]
    assert kit.errors(MaxInstability, view, max=0.3) == ["9: rule 'r' (max-instability) needs 'packages'"]

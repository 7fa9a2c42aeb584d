"""FIT110 max-cycle-size: cycles may exist, but none may hold more than `max` modules (or packages)."""

from __future__ import annotations

from fitness.rules.thresholds import MaxCycleSize

TANGLE = ("app.a:1 -> app.b", "app.b:2 -> app.c", "app.c:3 -> app.a", "app.x:4 -> app.y", "app.y:5 -> app.x")


def test_a_cycle_larger_than_max_is_reported_and_smaller_ones_are_not(kit):
    view = kit.view(*TANGLE)

    [finding] = kit.run(MaxCycleSize, view, max=2)

    assert finding.code == "FIT110"
    assert finding.subjects == ("app.a", "app.b", "app.c")
    assert finding.message == "cycle of 3 modules (max 2): app.a -> app.b -> app.c -> app.a"
    assert finding.chains == (
        (kit.link("app.a", "app.b", 1), kit.link("app.b", "app.c", 2), kit.link("app.c", "app.a", 3)),
    )
    assert finding.data["size"] == 3
    assert finding.data["max"] == 2
    assert finding.fix.startswith("remove 1 import to break the cycle: ")


def test_at_most_max_is_fine(kit):
    assert kit.run(MaxCycleSize, kit.view(*TANGLE), max=3) == []


def test_packages_level_at_a_depth(kit):
    view = kit.view("p.a.m:1 -> p.b.m", "p.b.m:2 -> p.c.m", "p.c.m:3 -> p.a.n")

    [finding] = kit.run(MaxCycleSize, view, max=2, level="packages")

    assert finding.subjects == ("p.a", "p.b", "p.c")
    assert finding.message == "cycle of 3 packages (max 2): p.a -> p.b -> p.c -> p.a"
    assert kit.run(MaxCycleSize, view, max=2, level="packages", depth=1) == []


def test_config_errors(kit):
    view = kit.view(*TANGLE)

    assert kit.errors(MaxCycleSize, view, max=0) == ["10: rule 'r': max: must be at least 1, got 0"]
    assert kit.errors(MaxCycleSize, view, max=2, level="siblings") == [
        "11: rule 'r': level: expected one of modules, packages, got 'siblings'"
    ]

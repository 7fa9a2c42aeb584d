from __future__ import annotations

import pytest

from fitness.analyze.metrics import compute_metrics
from fitness.analyze.smells import hub_like, smell_setting, unstable_dependencies
from fitness.model.evidence import Location
from fitness.model.findings import ChainLink, Severity
from fitness.model.thresholds import AnalysisSettings, SmellSettings
from fitness.model.views import PackageView

DEFAULTS = AnalysisSettings()


def _smells(view, depth=1):
    packages = PackageView.collapse(view, depth)
    return packages, compute_metrics(view, depth, packages)


def _with(name, threshold, severity=Severity.INFO, enabled=True, tolerance=0.0):
    return AnalysisSettings(smells={name: SmellSettings(enabled, severity, threshold, tolerance)})


# Arcan's FIT204 without the tolerance fitness adds by default (issue 17: differences up to 0.1 are noise)
STRICT = _with("unstable_dependency", 0.3)


# -- hub-like ---------------------------------------------------------------------------------------
# h is imported by a, b, c and imports x, y, z. Fan-in over packages: 0 0 0 3 1 1 1 (median 1);
# fan-out: 1 1 1 3 0 0 0 (median 1).
HUB = [("a", "h"), ("b", "h"), ("c", "h"), ("h", "x"), ("h", "y"), ("h", "z")]


def test_hub_is_found_with_its_numbers(view_of):
    view = view_of(HUB)
    packages, metrics = _smells(view)
    [finding] = hub_like(view, packages, metrics, DEFAULTS)
    assert (finding.code, finding.rule, finding.severity) == ("FIT203", "hub-like", Severity.INFO)
    assert finding.subjects == ("h",)
    assert finding.message == (
        "h is a hub: fan-in 3 and fan-out 3 are both above the package medians (1 and 1) and balanced "
        "(|3 - 3| = 0 is less than 0.25 of 6 = 1.5)"
    )
    assert finding.locations == (Location("h.py"),)
    assert finding.data == {
        "fan_in": 3,
        "fan_out": 3,
        "median_fan_in": 1,
        "median_fan_out": 1,
        "threshold": 0.25,
        "dependents": ["a", "b", "c"],
        "dependencies": ["x", "y", "z"],
    }


def test_unbalanced_hub_depends_on_the_threshold(view_of):
    view = view_of([*HUB, ("h", "w")])  # fan-in 3, fan-out 4: |3 - 4| = 1 against 0.25 x 7 = 1.75
    packages, metrics = _smells(view)
    assert [f.subjects for f in hub_like(view, packages, metrics, DEFAULTS)] == [("h",)]
    assert hub_like(view, packages, metrics, _with("hub_like", 0.1)) == []  # 0.7 < 1


def test_no_hub_at_the_median(view_of):
    # Two packages with fan-in 1 and fan-out 1 each: equal to the medians, not above them.
    view = view_of([("a", "b"), ("b", "a")])
    packages, metrics = _smells(view)
    assert hub_like(view, packages, metrics, DEFAULTS) == []


# Fan-in: s1 0, s2 0, h 2, x 2, y 2, z 2 (median 2); fan-out: s1 3, s2 2, h 3, x y z 0 (median 1).
AT_MEDIAN = [
    ("s1", "h"),
    ("s2", "h"),
    ("h", "x"),
    ("h", "y"),
    ("h", "z"),
    ("s1", "x"),
    ("s2", "y"),
    ("s1", "z"),
]


@pytest.mark.parametrize("reverse", [False, True], ids=["fan-in-at-median", "fan-out-at-median"])
def test_a_count_equal_to_its_median_is_not_enough(view_of, reverse):
    view = view_of([(b, a) for a, b in AT_MEDIAN] if reverse else AT_MEDIAN)
    packages, metrics = _smells(view)
    counts = (metrics["packages"]["h"]["fan_in"], metrics["packages"]["h"]["fan_out"])
    assert counts == ((3, 2) if reverse else (2, 3))
    assert hub_like(view, packages, metrics, DEFAULTS) == []


@pytest.mark.parametrize(("threshold", "found"), [(0.25, False), (0.3, True)])
def test_balance_must_be_strictly_below_the_threshold(view_of, threshold, found):
    view = view_of([*HUB, ("h", "w"), ("h", "v")])  # |3 - 5| = 2 against 0.25 x 8 = 2 (not below)
    packages, metrics = _smells(view)
    assert bool(hub_like(view, packages, metrics, _with("hub_like", threshold))) is found


def test_hub_like_can_be_switched_off(view_of):
    view = view_of(HUB)
    packages, metrics = _smells(view)
    assert hub_like(view, packages, metrics, _with("hub_like", 0.25, enabled=False)) == []


# -- unstable dependency ----------------------------------------------------------------------------
# p (I = 3/5 = 0.6) depends on q1 (I = 1/2), q2 (I = 2/3) and q3 (I = 3/4): two of three less stable.
UNSTABLE = [
    ("a1", "p"),
    ("a2", "p"),
    ("p", "q1"),
    ("p", "q2"),
    ("p", "q3"),
    ("q1", "r"),
    ("q2", "r"),
    ("q2", "s"),
    ("q3", "r"),
    ("q3", "s"),
    ("q3", "t"),
]


def test_unstable_dependency_is_found_with_its_numbers(view_of):
    view = view_of(UNSTABLE)
    packages, metrics = _smells(view)
    [finding] = unstable_dependencies(view, packages, metrics, STRICT)
    assert (finding.code, finding.rule) == ("FIT204", "unstable-dependency")
    assert finding.subjects == ("p",)
    assert finding.message == (
        "p (instability 0.60) depends on 3 packages, 2 of them less stable than itself (67% > 30%): "
        "q2 (I=0.67), q3 (I=0.75)"
    )
    assert finding.chains == (
        (ChainLink("p", "q2", "p.py", 2, "import q2"),),
        (ChainLink("p", "q3", "p.py", 3, "import q3"),),
    )
    assert finding.locations == (Location("p.py", 2), Location("p.py", 3))
    assert finding.data == {
        "instability": 0.6,
        "dependencies": 3,
        "fraction": 0.6667,
        "threshold": 0.3,
        "tolerance": 0.0,
        "less_stable": [{"package": "q2", "instability": 0.6667}, {"package": "q3", "instability": 0.75}],
    }


@pytest.mark.parametrize(("threshold", "found"), [(0.5, True), (2 / 3, False), (0.7, False)])
def test_unstable_dependency_threshold_is_configurable(view_of, threshold, found):
    view = view_of(UNSTABLE)
    packages, metrics = _smells(view)
    findings = unstable_dependencies(view, packages, metrics, _with("unstable_dependency", threshold))
    assert bool(findings) is found


def test_depending_on_stabler_packages_is_fine(view_of):
    view = view_of([("app", "lib"), ("app", "util"), ("lib", "util")])
    packages, metrics = _smells(view)
    assert unstable_dependencies(view, packages, metrics, STRICT) == []


def test_unstable_dependency_shows_the_first_module_import_of_a_package_dependency(view_of):
    # I(x.p) = 2 / (2 + 2) = 0.5 < I(x.q) = 3 / (2 + 3) = 0.6; x.p -> x.q rests on two module imports.
    view = view_of(
        [
            *[("x.up", "x.p.b"), ("x.up2", "x.p.b")],
            *[("x.p.b", "x.q.m"), ("x.p.a", "x.q.n")],
            *[("x.q.m", "x.r"), ("x.q.n", "x.s"), ("x.q.n", "x.t")],
        ]
    )
    packages, metrics = _smells(view, depth=2)
    [finding] = unstable_dependencies(view, packages, metrics, STRICT)
    assert finding.subjects == ("x.p",)
    assert finding.chains == ((ChainLink("x.p.a", "x.q.n", "x/p/a.py", 1, "import x.q.n"),),)


def test_unstable_dependency_tolerance_leaves_small_differences_out(view_of):
    # p (I=0.60) -> q2 (I=0.67) differs by 0.07, below the default tolerance 0.1; q3 (I=0.75) counts
    view = view_of(UNSTABLE)
    packages, metrics = _smells(view)
    [finding] = unstable_dependencies(view, packages, metrics, DEFAULTS)
    assert [dep["package"] for dep in finding.data["less_stable"]] == ["q3"]
    assert "1 of them less stable than itself by more than 0.1 (33% > 30%)" in finding.message
    tolerant = _with("unstable_dependency", 0.3, tolerance=0.2)
    assert unstable_dependencies(view, packages, metrics, tolerant) == []


def test_missing_or_partial_settings_fall_back_to_the_defaults():
    empty = AnalysisSettings(smells={})
    assert smell_setting(empty, "hub_like") == SmellSettings(True, Severity.INFO, 0.25)
    partial = AnalysisSettings(smells={"hub_like": SmellSettings(True, Severity.ERROR)})
    assert smell_setting(partial, "hub_like") == SmellSettings(True, Severity.ERROR, 0.25)

"""``Analysis.summary`` typed: its JSON round trip, every optional part, and files from an older fitness."""

from __future__ import annotations

import json

from fitness.model import Analysis, ArchGraph
from fitness.model.granularity import (
    ForceScore,
    GranularitySettings,
    GranularityTable,
    PairPressure,
    ServiceVerdict,
    SplitPart,
)
from fitness.model.history import HistorySummary
from fitness.model.summary import (
    ChangedSince,
    ConfiguredRule,
    DecisionSummary,
    ServiceSummary,
    Summary,
    UnresolvedItem,
)


def whole() -> Summary:
    """A summary with every optional part filled in."""
    forces = {"scope": ForceScore(1, ("two clusters",)), "volatility": ForceScore(None, note="no git")}
    table = GranularityTable(
        level="services",
        history_available=False,
        history_reason="no git",
        settings=GranularitySettings(split_threshold=0.6),
        services=(
            ServiceVerdict(
                "orders", 4, "split", "two parts", 0.8, 0.2, (), (SplitPart("a", ("orders.a",), "x"),), forces
            ),
        ),
        pairs=(PairPressure(("orders", "stock"), 0.2, {"workflow": ForceScore(0.6)}),),
    )
    return Summary(
        fitness_version="1.2.3",
        config="fitness.yaml",
        source_roots=("src",),
        packages=("shop",),
        package_depth=3,
        modules=40,
        imports=97,
        rules=(ConfiguredRule("pure", "forbidden", "FIT102", "warning", "why", 7, "sum", "fix"),),
        history=HistorySummary(
            True, "", 14, {"merges": 1}, "2024-01-01", "12 months", co_changes={"services": 2}
        ),
        service_scan=ServiceSummary(
            services=("orders", "stock"),
            datastores=("db",),
            sql_statements=9,
            call_sites=14,
            settings=5,
            unresolved=(
                UnresolvedItem("b.py", 3, "url", "dynamic"),
                UnresolvedItem("a.py", 1, "sql", "f-string"),
            ),
        ),
        granularity=table,
        decisions={7: DecisionSummary("Use events", "Accepted", "docs/adr/0007-use-events.md", ("pure",))},
        changed_since=ChangedSince("main", 3),
    )


def test_the_whole_summary_survives_a_json_round_trip() -> None:
    analysis = Analysis("shop", ArchGraph(), summary=whole())
    text = json.dumps(analysis.to_json(), sort_keys=True)
    loaded = Analysis.from_json(json.loads(text))
    assert loaded.summary == whole()
    assert json.dumps(loaded.to_json(), sort_keys=True) == text


def test_the_json_keeps_its_flat_shape() -> None:
    data = Analysis("shop", ArchGraph(), summary=whole()).to_json()["summary"]
    assert list(data) == sorted(data)
    assert data["services"] == ["orders", "stock"] and data["unresolved_counts"] == {"sql": 1, "url": 1}
    assert data["unresolved"][0] == {
        "kind": "url",
        "line": 3,
        "path": "b.py",
        "reason": "dynamic",
    }  # found order
    assert data["decisions"] == {
        "7": {
            "path": "docs/adr/0007-use-events.md",
            "rules": ["pure"],
            "status": "Accepted",
            "title": "Use events",
        }
    }
    assert data["changed_since"] == {"files": 3, "rev": "main"}
    assert data["granularity"]["history"] == {"available": False, "reason": "no git"}
    force = data["granularity"]["services"][0]["disintegrators"]["scope"]
    assert force == {"evidence": ["two clusters"], "note": "", "score": 1, "status": "measured"}
    assert isinstance(force["score"], int)  # numbers keep their type: same bytes after a round trip


def test_optional_parts_are_left_out_when_not_produced() -> None:
    data = Summary(modules=3).to_json()
    assert sorted(data) == sorted(
        [
            "fitness_version",
            "config",
            "source_roots",
            "packages",
            "package_depth",
            "modules",
            "imports",
            "rules",
        ]
    )
    loaded = Summary.from_json(data)
    assert loaded == Summary(modules=3)
    assert loaded.service_scan is None and loaded.services == () and loaded.granularity is None


def test_a_file_from_an_older_fitness_loads_with_defaults() -> None:
    old = {
        "modules": "12",  # a wrong type: the default, not a crash in a reporter
        "rules": [{"id": "layers", "type": "layers", "code": "FIT101"}, "junk"],
        "services": ["orders"],
        "unresolved": [{"kind": "url", "path": "a.py"}],
        "decisions": {"2": {"title": "B"}, "x": {"title": "bad"}},
        "package_depth": 0,
    }
    summary = Summary.from_json(old)
    assert summary.modules == 0 and summary.package_depth == 2
    assert summary.rules == (ConfiguredRule("layers", "layers", "FIT101"),)
    assert summary.service_scan is not None and summary.service_scan.by_kind == {"url": 1}
    assert summary.service_scan.unresolved == (UnresolvedItem("a.py", 0, "url", ""),)
    assert summary.decisions == {2: DecisionSummary("B", "", "")}

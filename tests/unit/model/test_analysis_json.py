"""The Analysis JSON round trip, schema version, and fingerprints that survive unrelated edits."""

from __future__ import annotations

import json

import pytest

from fitness.model import (
    Analysis,
    ArchGraph,
    ChainLink,
    EdgeKind,
    Evidence,
    Finding,
    FitnessError,
    Location,
    NodeKind,
    Severity,
)


def sample() -> Analysis:
    graph = ArchGraph()
    graph.add_node(NodeKind.MODULE, "a", {"path": "a.py"})
    graph.add_node(NodeKind.MODULE, "b", {"path": "b.py"})
    graph.add_edge("module:a", "module:b", EdgeKind.IMPORTS, [Evidence("a.py", 3, "import b")])
    graph.add_edge("module:a", "module:b", EdgeKind.IMPORTS, [Evidence("a.py", 1, "import b as c")])
    finding = Finding(
        "FIT102",
        "pure",
        Severity.ERROR,
        "a imports forbidden b",
        ("a", "b"),
        (Location("a.py", 3),),
        ((ChainLink("a", "b", "a.py", 3, "import b"),),),
        fix="cut it",
    )
    return Analysis("proj", graph, [finding], {"modules": {"a": {"fan_out": 1}}}, {"modules": 2})


def test_round_trip_is_lossless_and_deterministic() -> None:
    first = json.dumps(sample().to_json(), sort_keys=True)
    again = json.dumps(Analysis.from_json(json.loads(first)).to_json(), sort_keys=True)
    assert first == again


def test_repeated_edges_merge_evidence_sorted() -> None:
    edge = sample().graph.edge("module:a", "module:b", EdgeKind.IMPORTS)
    assert edge is not None
    assert [e.line for e in edge.evidence] == [1, 3]


def test_newer_schema_is_refused() -> None:
    data = sample().to_json()
    data["schema_version"] = 99
    with pytest.raises(FitnessError, match="newer fitness"):
        Analysis.from_json(data, "x.json")


def test_fingerprint_ignores_lines_and_message() -> None:
    finding = sample().findings[0]
    moved = Finding(
        finding.code, finding.rule, finding.severity, "reworded", finding.subjects, (Location("a.py", 40),)
    )
    other = Finding(finding.code, finding.rule, finding.severity, finding.message, ("a", "c"))
    assert moved.fingerprint == finding.fingerprint
    assert other.fingerprint != finding.fingerprint


def test_failing_respects_threshold_and_baseline() -> None:
    analysis = sample()
    assert len(analysis.failing(Severity.ERROR)) == 1
    analysis.baseline_state = {analysis.findings[0].fingerprint: "unchanged"}
    assert analysis.failing(Severity.ERROR) == []

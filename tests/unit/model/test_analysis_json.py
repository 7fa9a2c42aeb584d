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
from fitness.model.summary import Summary


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
    return Analysis("proj", graph, [finding], {"modules": {"a": {"fan_out": 1}}}, Summary(modules=2))


def with_service(analysis: Analysis) -> Analysis:
    graph = analysis.graph
    graph.add_node(NodeKind.SERVICE, "orders", {"folders": ["orders"]})
    graph.add_node(NodeKind.TABLE, "orders")
    graph.add_edge("service:orders", "table:orders", EdgeKind.WRITES, [Evidence("a.py", 2, "INSERT", "sql")])
    graph.add_edge("service:orders", "module:a", EdgeKind.CONTAINS)
    return analysis


@pytest.mark.parametrize("detail", ["full", "compact"])
def test_round_trip_is_lossless_and_deterministic(detail: str) -> None:
    first = json.dumps(with_service(sample()).to_json(graph=detail), sort_keys=True)
    again = json.dumps(Analysis.from_json(json.loads(first)).to_json(graph=detail), sort_keys=True)
    assert first == again


def test_compact_graph_keeps_the_service_side_and_counts_the_rest() -> None:
    analysis = with_service(sample())
    graph = analysis.to_json(graph="compact")["graph"]
    assert graph["detail"] == "compact"
    assert [node["id"] for node in graph["nodes"]] == ["service:orders", "table:orders"]
    assert [(e["source"], e["target"], e["evidence"][0]["line"]) for e in graph["edges"]] == [
        ("service:orders", "table:orders", 2)
    ]
    assert graph["omitted"] == {"edges": {"contains": 1, "imports": 1}, "nodes": {"module": 2}}
    loaded = Analysis.from_json(analysis.to_json(graph="compact"))
    assert not loaded.graph_complete
    assert loaded.graph_omitted == graph["omitted"]
    # a compact analysis cannot grow its graph back: asked for the full form, it writes what it has
    assert loaded.to_json(graph="full")["graph"] == graph
    assert analysis.findings == loaded.findings


def test_full_graph_is_marked_and_complete() -> None:
    document = sample().to_json()
    assert document["schema_version"] == 2 and document["graph"]["detail"] == "full"
    assert Analysis.from_json(document).graph_complete


def test_schema_1_reads_as_a_full_graph() -> None:
    document = sample().to_json()
    document["schema_version"] = 1
    del document["graph"]["detail"]
    loaded = Analysis.from_json(document)
    assert loaded.graph_complete
    assert loaded.graph.edge("module:a", "module:b", EdgeKind.IMPORTS) is not None


def test_unknown_graph_detail_is_refused() -> None:
    document = sample().to_json()
    document["graph"]["detail"] = "tiny"
    with pytest.raises(FitnessError, match="unknown graph detail 'tiny'"):
        Analysis.from_json(document, "x.json")
    with pytest.raises(ValueError, match="graph must be one of"):
        sample().to_json(graph="tiny")


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

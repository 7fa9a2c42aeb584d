"""Evidence refined on first read (``ArchGraph.refine_later``): whatever reads it sees it refined, once."""

from __future__ import annotations

from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind


def _graph() -> tuple[ArchGraph, list[str]]:
    graph = ArchGraph()
    a, b, c = (graph.add_node(NodeKind.MODULE, name) for name in ("a", "b", "c"))
    graph.add_edges(
        EdgeKind.IMPORTS,
        {
            (a, b): [Evidence("a.py", 3, "import b", "import")],
            (a, c): [Evidence("a.py", 9, "import c", "import")],
        },
    )
    calls: list[str] = []

    def refine(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        calls.append(evidence[0].text)
        return tuple(e._replace(how="lazy") if e.line > 5 else e for e in evidence)

    graph.refine_later(a, EdgeKind.IMPORTS, refine)
    return graph, calls


def test_nothing_is_refined_until_the_evidence_is_read() -> None:
    graph, calls = _graph()
    assert graph.successors("module:a", EdgeKind.IMPORTS) == {"module:b", "module:c"}
    assert graph.adjacency(EdgeKind.IMPORTS)["module:a"] == {"module:b", "module:c"}
    assert calls == []  # the structure is there; its evidence is not asked for
    edge = graph.edge("module:a", "module:c", EdgeKind.IMPORTS)
    assert edge is not None and edge.evidence[0].how == "lazy"
    assert sorted(calls) == ["import b", "import c"]  # every edge of the importer, once
    graph.edges()
    graph.to_json()
    assert len(calls) == 2


def test_every_way_of_reading_sees_the_refined_evidence() -> None:
    for read in (
        lambda g: {e.target: e.evidence[0].how for e in g.edges(EdgeKind.IMPORTS)},
        lambda g: {e.target: e.evidence[0].how for e in g.iter_edges(EdgeKind.IMPORTS)},
        lambda g: {k[1]: e.evidence[0].how for k, e in g.snapshot()[1].items()},
        lambda g: {e["target"]: e["evidence"][0]["how"] for e in g.to_json()["edges"]},
    ):
        graph, _ = _graph()
        assert read(graph) == {"module:b": "import", "module:c": "lazy"}


def test_evidence_added_later_merges_with_the_refined_evidence() -> None:
    graph, calls = _graph()
    graph.add_edge("module:a", "module:c", EdgeKind.IMPORTS, [Evidence("a.py", 1, "import c", "import")])
    edge = graph.edge("module:a", "module:c", EdgeKind.IMPORTS)
    assert edge is not None
    assert [(e.line, e.how) for e in edge.evidence] == [(1, "import"), (9, "lazy")]
    assert len(calls) == 2

"""The HTML page as a pure function: deterministic, every section from the Analysis, text instead of graphs
without Graphviz, payloads escaped, bounded on a 5,000-module system."""

from __future__ import annotations

import json

from fitness.model import Analysis, ArchGraph
from fitness.model.graph import EdgeKind, NodeKind
from fitness.report import ReportOptions, html
from fitness.report.html_graphs import MAX_NODES, order_for_dsm, svg_inline


def fake_draw(dot_text: str) -> str:
    return f'<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- c -->\n<svg data-lines="{dot_text.count(chr(10))}"></svg>'


def test_same_analysis_same_bytes_and_no_clock(full: Analysis, empty: Analysis) -> None:
    for analysis in (full, empty):
        page = html.render(analysis, ReportOptions(), fake_draw)
        assert page == html.render(analysis, ReportOptions(), fake_draw)
        assert page.startswith("<!DOCTYPE html>") and '<p class="generated">' not in page
    assert "generated 2026-01-01" in html.render(full, ReportOptions(), fake_draw, "2026-01-01")


def test_saved_analysis_renders_the_same(full: Analysis) -> None:
    reloaded = Analysis.from_json(json.loads(json.dumps(full.to_json())))
    assert html.render(reloaded, ReportOptions(), fake_draw) == html.render(full, ReportOptions(), fake_draw)


def test_sections_only_with_data(full: Analysis, empty: Analysis) -> None:
    page = html.render(full, ReportOptions(), fake_draw)
    assert 'id="findings"' in page and 'id="metrics"' not in page
    assert 'id="matrix"' not in page and 'id="granularity"' not in page
    bare = html.render(empty, ReportOptions(), fake_draw)
    assert 'id="findings"' not in bare and 'id="dsm"' not in bare


def test_without_graphviz_graphs_become_adjacency_lists(full: Analysis) -> None:
    graph = ArchGraph()
    for name in ("shop", "shop.a", "shop.b"):
        graph.add_node(NodeKind.MODULE, name)
    graph.add_edge("module:shop.a", "module:shop.b", EdgeKind.IMPORTS)
    page = html.render(Analysis("shop", graph), ReportOptions(), None)
    assert "<svg" not in page and 'id="graph-packages"' in page and 'id="dsm"' in page
    assert "Graphviz&#39;s dot program was not found" in page
    assert 'class="adjacency"' in page


def test_svg_is_inlined_without_prolog() -> None:
    assert svg_inline(fake_draw("a\nb\n")) == '<svg data-lines="2"></svg>'


def test_json_in_script_cannot_close_it() -> None:
    text = str(html.json_script({"name": "</script><!--<script>&"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><!--<script>&"}


def test_dsm_order_puts_importers_first_and_cycles_together() -> None:
    succ = {"api": {"core", "db"}, "core": {"db", "util"}, "db": {"core"}, "util": set()}
    order, blocks = order_for_dsm(succ, succ)
    assert order == ["api", "core", "db", "util"]
    assert blocks == [(1, 3)]


def test_granularity_rendered_generically() -> None:
    rows = html.granularity_rows(
        {"orders": {"verdict": "split", "reason": "two volatilities", "forces": ["churn", "scale"]}}
    )
    assert rows == [
        {"service": "orders", "verdict": "split", "reason": "two volatilities", "forces": "churn; scale"}
    ]
    assert html.granularity_rows([{"service": "b", "verdict": "keep"}])[0]["verdict"] == "keep"
    assert html.granularity_rows(None) == []


def test_five_thousand_modules_stay_bounded() -> None:
    graph = ArchGraph()
    names = [f"big.p{p}.s{s}.m{m}" for p in range(10) for s in range(25) for m in range(20)]
    for name in ["big", *names]:
        graph.add_node(NodeKind.MODULE, name)
    for index, name in enumerate(names):
        for step in (1, 37, 501):
            target = names[(index + step) % len(names)]
            graph.add_edge(f"module:{name}", f"module:{target}", EdgeKind.IMPORTS)
    metrics = {"modules": {n: {"ca": 1.0, "ce": 3.0} for n in names}}
    analysis = Analysis("big", graph, metrics=metrics, summary={"package_depth": 2, "modules": 5001})
    drawn: list[int] = []
    page = html.render(analysis, ReportOptions(), lambda d: drawn.append(d.count("->")) or fake_draw(d))
    assert len(page) < 2_000_000
    assert 2 <= len(drawn) <= 8  # the package graph and a few packages drilled into
    assert page.count("<svg") == len(drawn)
    assert 'id="graph-modules"' not in page and "Inside big.p0" in page
    assert page.count("<tr>") < 500
    assert all(n <= MAX_NODES * 10 for n in drawn)

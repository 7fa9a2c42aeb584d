"""The HTML page as a pure function: deterministic, every section from the Analysis, text instead of graphs
without Graphviz, payloads escaped, bounded on a 5,000-module system."""

from __future__ import annotations

import json

from fitness.model import Analysis, ArchGraph, Finding, Severity
from fitness.model.evidence import Evidence
from fitness.model.granularity import ForceScore, GranularitySettings, GranularityTable, ServiceVerdict
from fitness.model.graph import EdgeKind, NodeKind
from fitness.model.summary import ServiceSummary, Summary
from fitness.report import ReportOptions, dot, html
from fitness.report.graph_view import GraphData
from fitness.report.html_dsm import order_for_dsm
from fitness.report.html_graphs import MAX_NODES, pictures, svg_inline
from fitness.report.html_services import compact_services, service_graph


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


def granularity_table() -> GranularityTable:
    forces = {
        "scope": ForceScore(1.0, ("two clusters",)),
        "volatility": ForceScore(None, note="no git history"),
        "security": ForceScore(0.5),
        "extensibility": ForceScore(0.0),
    }
    rows = (
        ServiceVerdict("orders", 4, "split", "two volatilities", 0.9, 0.1, disintegrators=forces),
        ServiceVerdict("billing", 2, "keep", "no side reaches its threshold", 0.0, 0.2),
    )
    return GranularityTable("services", False, "no git history", GranularitySettings(), rows)


def test_granularity_rows_name_each_service_and_its_forces() -> None:
    """Each row from the typed table: the service's name and the measured forces (the page once showed
    neither: it read keys the table does not have)."""
    assert html.granularity_rows(granularity_table()) == [
        {"service": "billing", "verdict": "keep", "reason": "no side reaches its threshold", "forces": ""},
        {
            "service": "orders",
            "verdict": "split",
            "reason": "two volatilities",
            "forces": "scope 1.00; security 0.50",
        },
    ]
    assert html.granularity_rows(None) == []
    analysis = Analysis("shop", ArchGraph(), summary=Summary(granularity=granularity_table()))
    page = html.render(Analysis.from_json(json.loads(json.dumps(analysis.to_json()))), ReportOptions())
    assert "<td>orders</td>" in page and "scope 1.00; security 0.50" in page


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
    analysis = Analysis("big", graph, metrics=metrics, summary=Summary(package_depth=2, modules=5001))
    drawn: list[int] = []
    page = html.render(analysis, ReportOptions(), lambda d: drawn.append(d.count("->")) or fake_draw(d))
    assert len(page) < 2_000_000
    assert 2 <= len(drawn) <= 8  # the package graph and a few packages drilled into
    assert page.count("<svg") == len(drawn)
    assert 'id="graph-modules"' not in page and "Inside big.p0" in page
    assert page.count("<tr>") < 500
    assert all(n <= MAX_NODES * 10 for n in drawn)


def service_system() -> Analysis:
    """orders calls payments, publishes to a topic billing consumes, writes a table billing reads;
    tracing (infrastructure) is called by both; orders and billing share the database."""
    graph = ArchGraph()
    where = Evidence("svc/orders/api.py", 12, "requests.post(PAYMENTS_URL)", "call")
    for name in ("orders", "payments", "billing"):
        graph.add_node(NodeKind.SERVICE, name, {"role": "service"})
    graph.add_node(NodeKind.SERVICE, "tracing", {"role": "infra"})
    graph.add_node(NodeKind.DATASTORE, "main-db", {"role": "database"})
    graph.add_node(NodeKind.TOPIC, "order-placed")
    graph.add_node(NodeKind.TABLE, "invoices")
    graph.add_edge("service:orders", "service:payments", EdgeKind.CALLS, [where])
    graph.add_edge("service:orders", "service:tracing", EdgeKind.CALLS)
    graph.add_edge("service:billing", "service:tracing", EdgeKind.CALLS)
    graph.add_edge("service:orders", "topic:order-placed", EdgeKind.PUBLISHES)
    graph.add_edge("service:billing", "topic:order-placed", EdgeKind.SUBSCRIBES)
    graph.add_edge("service:orders", "table:invoices", EdgeKind.WRITES, [Evidence("svc/orders/db.py", 7)])
    graph.add_edge("service:billing", "table:invoices", EdgeKind.READS, [Evidence("svc/billing/q.py", 3)])
    for name in ("orders", "billing"):
        graph.add_edge(f"service:{name}", "datastore:main-db", EdgeKind.CONNECTS)
    finding = Finding("FIT124", "chain", Severity.ERROR, "orders -> payments", ("orders", "payments"))
    summary = Summary(service_scan=ServiceSummary(("billing", "orders", "payments")))
    return Analysis("shop", graph, findings=[finding], summary=summary)


def test_svg_ids_and_classes_name_no_one_and_weights_are_widths() -> None:
    data = GraphData(
        "packages", ['a"<b', "c"], [('a"<b', "c", 9)], {"c"}, {'a"<b': "service"}, roles={'a"<b': "infra"}
    )
    text = dot.render(data, "graph-x-v0")
    assert 'id="graph-x-v0-n0", class="nk-service role-infra"' in text
    assert 'id="graph-x-v0-e0", class="ek-imports"' in text and "penwidth=" in text
    assert 'label="9"' not in text and 'label="9"' in dot.render(data)  # the CLI's DOT keeps its labels
    assert "id=" not in dot.render(data)


def test_service_graph_keeps_infra_for_the_toggle_and_panels_cite_file_lines() -> None:
    analysis = service_system()
    data = service_graph(analysis)
    assert data.roles["tracing"] == "infra" and data.roles["orders"] == "service"
    assert data.edge_kinds["orders", "payments"] == "calls"
    assert data.edge_kinds["orders", "order-placed"] == "events"
    assert data.edge_kinds["orders", "main-db"] == "data"
    compact = compact_services(data)
    assert "order-placed" not in compact.nodes and compact.edge_kinds["orders", "billing"] == "events"
    assert "main-db" in compact.nodes  # shared by two services: kept
    page = html.render(analysis, ReportOptions(), fake_draw)
    assert '<details class="entity service" id="svc-1">' in page  # orders
    assert "svc/orders/api.py:12" in page and "svc/billing/q.py:3" in page
    assert '<a href="#finding-0">FIT124</a>' in page
    island = page.split('id="fitness-data">')[1].split("</script>")[0]
    script = json.loads(island)
    assert script["panels"] == {"billing": "svc-0", "orders": "svc-1", "payments": "svc-2"}
    assert script["findings"][0]["pairs"] == [["orders", "payments"]]
    nodes = script["graphs"]["graph-services"]["views"][0]["nodes"]
    assert ["tracing", "service", "infra", 0] in nodes


def test_large_systems_open_on_packages_and_keep_tests_out_of_module_detail() -> None:
    graph = ArchGraph()
    names = [f"big.{p}.m{m}" for p in ("api", "core", "db", "tests", "migrations") for m in range(40)]
    for name in ["big", *names]:
        graph.add_node(NodeKind.MODULE, name)
    for index, name in enumerate(names):
        graph.add_edge(f"module:{name}", f"module:{names[(index * 7 + 3) % len(names)]}", EdgeKind.IMPORTS)
    analysis = Analysis("big", graph, summary=Summary(package_depth=2, modules=len(names) + 1))
    drawn = pictures(analysis, fake_draw)
    packages = drawn[0]
    assert packages.ident == "graph-packages" and packages.shown == 0
    inside = [p for p in drawn if p.detail]
    assert inside and {p.view.within for p in inside} <= {"big.api", "big.core", "big.db"}
    page = html.render(analysis, ReportOptions(), fake_draw)
    assert '<template id="detail-graphs">' in page and "Show module detail" in page
    assert 'href="#module-detail"' in page


def test_draw_many_gets_every_graph_at_once(full: Analysis) -> None:
    batches: list[int] = []

    def many(texts: list[str]) -> list[str | None]:
        batches.append(len(texts))
        return [fake_draw(t) for t in texts]

    page = html.render(full, ReportOptions(), None, "", many)
    assert len(batches) == 1 and page.count("<svg") == batches[0]


def many_services(count: int) -> Analysis:
    """``count`` services, each writing its own two tables; every fifth also reads its neighbour's first
    table; one chain finding that names every service, and 30 findings on ``s000``."""
    graph = ArchGraph()
    names = [f"s{i:03d}" for i in range(count)]
    for name in names:
        graph.add_node(NodeKind.SERVICE, name, {"role": "service"})
        for t in (0, 1):
            graph.add_node(NodeKind.TABLE, f"{name}_t{t}")
            graph.add_edge(
                f"service:{name}", f"table:{name}_t{t}", EdgeKind.WRITES, [Evidence(f"{name}/db.py", 1)]
            )
    for i in range(0, count, 5):
        neighbour = names[(i + 1) % count]
        graph.add_edge(f"service:{names[i]}", f"table:{neighbour}_t0", EdgeKind.READS, [Evidence("x.py", 2)])
    chain = " -> ".join(names)
    findings = [
        Finding(
            "FIT124",
            "chain",
            Severity.ERROR,
            f"synchronous chain of {count} calls: {chain}, and back: {chain}",
            tuple(names),
        )
    ]
    findings += [
        Finding("FIT131", "timeouts", Severity.WARNING, f"s000: call {n} has no timeout", ("s000",))
        for n in range(30)
    ]
    summary = Summary(service_scan=ServiceSummary(tuple(names)))
    return Analysis("big", graph, findings=findings, summary=summary)


def test_a_large_service_system_keeps_its_matrix_and_panels_bounded() -> None:
    page = html.render(many_services(120), ReportOptions(), fake_draw)
    matrix = page.split('<section id="matrix">')[1].split("</section>")[0]
    assert "20 of 240 tables (those used by more than one service) and 40 of 120 services" in matrix
    assert matrix.count('<th class="rot">') == 40 and matrix.count('<tr class="shared">') == 20
    panel = page.split('<details class="entity service" id="svc-0">')[1].split("</details>")[0]
    assert "+11 more under Findings" in panel  # 31 findings touch s000: 20 listed
    chain_line = next(line for line in panel.split("<li>") if "FIT124" in line)
    assert "…" in chain_line and len(chain_line) < 1700  # cut in the panel (1,000 characters, escaped)
    assert "s119</" in page.split('<section id="findings">')[1]  # whole in the findings
    small = html.render(many_services(30), ReportOptions(), fake_draw)
    assert (
        "of 60 tables" not in small
        and small.split('<section id="matrix">')[1].count('<th class="rot">') == 30
    )

"""Domains of the service graph (issue 14): inferred by general rules, drawn as boxes, collapsed into one
node each with the edges between two bundled and counted; Graphviz batches come out the same bytes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from fitness.model import Analysis, ArchGraph
from fitness.model.graph import EdgeKind, NodeKind
from fitness.model.summary import ServiceSummary, Summary
from fitness.report import dot, html
from fitness.report.html_graphs import dot_texts, planned, svg_inline
from fitness.report.html_services import collapse_domains, compact_services, domain_names, service_graph
from fitness.report.options import ReportOptions
from fitness.report.service_domains import domains

TIERS = ("gateway", "api", "core", "store")


def system(domains_: list[str], attrs: dict[str, dict[str, Any]] | None = None) -> Analysis:
    """Each domain has a service per tier, each calling the next tier at home and in the next domain
    (so three calls go from one domain to the next) and all four using ``<domain>-db``."""
    graph = ArchGraph()
    names = [f"{d}-{t}" for d in domains_ for t in TIERS]
    for name in names:
        graph.add_node(NodeKind.SERVICE, name, {"role": "service", **(attrs or {}).get(name, {})})
    for d, domain in enumerate(domains_):
        graph.add_node(NodeKind.DATASTORE, f"{domain}-db", {"role": "database"})
        neighbour = domains_[(d + 1) % len(domains_)]
        for t, tier in enumerate(TIERS):
            graph.add_edge(f"service:{domain}-{tier}", f"datastore:{domain}-db", EdgeKind.CONNECTS)
            if t + 1 < len(TIERS):
                for target in (domain, neighbour):
                    graph.add_edge(
                        f"service:{domain}-{tier}", f"service:{target}-{TIERS[t + 1]}", EdgeKind.CALLS
                    )
    summary = Summary(service_scan=ServiceSummary(tuple(sorted(names))))
    return Analysis("s", graph, summary=summary)


def test_name_prefixes_make_domains_and_stores_join_their_owner() -> None:
    analysis = system(["orders", "payments", "users"])
    found = domains(analysis, service_graph(analysis))
    assert found["orders-api"] == found["orders-db"] == "orders"
    assert sorted(set(found.values())) == ["orders", "payments", "users"]


def test_a_prefix_every_service_shares_is_no_domain_but_a_longer_one_is() -> None:
    analysis = system(["shop-orders", "shop-payments", "shop-users"])
    found = domains(analysis, service_graph(analysis))
    assert found["shop-orders-core"] == "shop-orders"  # not "shop": that would be one box of everything


def test_declared_domain_wins_and_a_group_of_one_is_no_group() -> None:
    declared = {
        "orders-gateway": {"annotations": {"domain": "edge"}},
        "users-gateway": {"annotations": {"domain": "edge"}},
    }
    declared["payments-gateway"] = {"annotations": {"domain": "lonely"}}
    analysis = system(["orders", "payments", "users"], declared)
    found = domains(analysis, service_graph(analysis))
    assert found["orders-gateway"] == found["users-gateway"] == "edge"
    assert "payments-gateway" not in found and found["orders-api"] == "orders"


def test_folders_holding_several_services_make_domains_but_not_one_holding_most() -> None:
    graph = ArchGraph()
    homes = {"a": "src/billing/a", "b": "src/billing/b", "c": "src/ship/c", "d": "src/ship/d", "e": "src/e"}
    for name, folder in homes.items():
        graph.add_node(NodeKind.SERVICE, name, {"role": "service", "folders": [folder]})
    graph.add_node(NodeKind.SERVICE, "prometheus", {"role": "infra", "folders": ["src/billing/p"]})
    analysis = Analysis("f", graph, summary=Summary(service_scan=ServiceSummary(tuple(homes))))
    found = domains(analysis, service_graph(analysis))
    assert found == {"a": "billing", "b": "billing", "c": "ship", "d": "ship"}  # src/ holds most; infra out


def test_collapsed_domains_bundle_the_edges_between_them_with_their_count() -> None:
    analysis = system(["orders", "payments", "users"])
    full = service_graph(analysis)
    found = domains(analysis, full)
    compact = compact_services(full)
    collapsed = collapse_domains(
        compact, {n: d for n, d in found.items() if n in compact.kinds}, domain_names(full, found)
    )
    data = collapsed.data
    assert data.nodes == ["orders", "payments", "users"]
    assert {data.kinds[n] for n in data.nodes} == {"domain"}
    assert data.edges == [("orders", "payments", 3), ("payments", "users", 3), ("users", "orders", 3)]
    assert collapsed.notes["orders", "payments"] == "3 calls" and data.labels["orders", "payments"] == "3"
    assert collapsed.members["orders"] == [
        "orders-api",
        "orders-core",
        "orders-db",
        "orders-gateway",
        "orders-store",
    ]
    assert collapsed.captions["orders"] == "4 services, 1 store"


def test_a_domain_named_like_a_node_outside_every_domain_gets_its_own_name() -> None:
    analysis = system(["orders", "payments"])
    analysis.graph.add_node(NodeKind.SERVICE, "payments", {"role": "infra"})  # in no domain
    analysis.graph.add_edge("service:orders-api", "service:payments", EdgeKind.CALLS)
    full = service_graph(analysis)
    assert domain_names(full, domains(analysis, full))["payments"] == "payments (domain)"


def test_boxes_and_captions_in_dot_escape_names() -> None:
    analysis = system(["orders", "payments"])
    data = service_graph(analysis)
    text = dot.render(
        data, "g-v0", {"orders-api": 'a"<b>&', "orders-core": 'a"<b>&'}, {"orders-db": "<i>x</i>"}
    )
    assert 'subgraph cluster_0 {\n    label="a\\"<b>&";  id="g-v0-c0"; class="box";' in text
    assert "&lt;i&gt;x&lt;/i&gt;" in text and "<i>" not in text.replace('label="a\\"<b>&"', "")


def test_page_opens_large_systems_on_domains_with_what_expands_where() -> None:
    analysis = system([f"d{i:02d}x" for i in range(9)])  # 36 services: a large system
    page = html.render(analysis, ReportOptions(), lambda text: "<svg></svg>")
    script = page.split('id="fitness-data">')[1].split("</script>")[0]
    services = json.loads(script)["graphs"]["graph-services"]
    labels = [view["label"] for view in services["views"]]
    assert labels == ["domains (collapsed)", "services only", "services, topics and datastores"]
    assert services["shown"] == 0 and services["collapsed"] == 0 and services["expanded"] == 1
    collapsed, boxed = services["views"][0], services["views"][1]
    assert all(edge[3] == 3 and edge[4] == "3 calls" for edge in collapsed["edges"])
    assert [box[0] for box in boxed["boxes"]] == [f"d{i:02d}x" for i in range(9)]
    assert all(len(box[1]) == 5 for box in boxed["boxes"])  # four services and their database


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_batched_drawings_are_the_bytes_of_single_ones() -> None:
    from fitness import drawing, tasks

    analysis = system([f"d{i:02d}x" for i in range(9)])
    texts = dot_texts(planned(analysis))
    texts.insert(1, dot.render(service_graph(analysis), "x-v0", spread=True))  # drawn by forces (neato)
    alone = [svg_inline(tasks.draw_svg(text) or "") for text in texts]
    assert [svg_inline(svg or "") for svg in drawing.draw_many(texts)] == alone
    assert [svg_inline(svg or "") for svg in drawing.draw_many(texts[::-1])] == alone[::-1]
    singles = [batch for batch in drawing.batches_of(texts, 2) if len(batch) == 1]
    assert [1] in singles and [2] in singles  # neato, and boxes: each in a process of its own


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_kept_drawings_are_reused_from_a_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fitness import drawing

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    texts = dot_texts(planned(system(["orders", "payments", "users"])))
    first = drawing.draw_many(texts, keep=True)
    folder = tmp_path / "fitness" / "layouts"
    kept = sorted(folder.glob("*.svg"))
    assert len(kept) == len(texts) and folder.stat().st_mode & 0o077 == 0
    for path in kept:  # what the next run reads is what is in the folder, not a new drawing
        path.write_text(path.read_text().replace("<title>fitness</title>", "<title>kept</title>"))
    again = drawing.draw_many(texts, keep=True)
    assert again == [svg.replace("<title>fitness</title>", "<title>kept</title>") for svg in first if svg]
    assert drawing.draw_many(texts) == first  # not asked to keep: drawn afresh
    folder.chmod(0o777)  # a folder others may write to is not used
    assert drawing.draw_many(texts, keep=True) == first

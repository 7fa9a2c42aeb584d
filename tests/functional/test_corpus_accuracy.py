"""The accuracy benchmark (bench/accuracy.py): its scoring rules on tiny hand-made inputs, and the floors
(bench/accuracy_floor.json) on the labelled corpus (skipped when the corpus folder is absent)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from fitness.model import ArchGraph, EdgeKind, Evidence, Finding, NodeKind, Severity

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "bench" / "accuracy.py"
FLOOR = REPO / "bench" / "accuracy_floor.json"


def _load() -> ModuleType:
    name = "fitness_bench_accuracy"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


accuracy = _load()

LABELS: dict[str, Any] = {
    "services": ["web", "orders", "billing", "shipping"],
    "infra": ["registry"],
    "datastores": ["orders-db"],
    "calls": [
        ["web", "orders", "web/app.py:3", "http"],
        ["web", "registry", "web/app.py:9", "callee is infra: not scored"],
        ["web", "billing", "web/pay.py:4", "missed"],
    ],
    "uses": [["orders", "orders-db", "orders/db.py:2", "jdbc"]],
    "async": [
        ["orders", "web", "Order_Events", "orders/pub.py:1", "web/sub.py:1"],
        ["orders", "shipping", "order-events", "orders/pub.py:1", "shipping/sub.py:1"],
    ],
    "shared_database": [[["orders", "billing"], "same schema"]],
    "shared_server_separate_db": [],
    "sync_cycles": [],
}


def _graph() -> ArchGraph:
    g = ArchGraph()
    ev = [Evidence("compose.yaml", 1, "", "manifest")]
    g.add_node(NodeKind.SERVICE, "tools.descartes.web", {"aliases": ["Web"]}, ev)  # alias -> web
    g.add_node(NodeKind.SERVICE, "Orders")  # case -> orders
    g.add_node(NodeKind.SERVICE, "billing")
    g.add_node(NodeKind.SERVICE, "shipping")
    g.add_node(NodeKind.SERVICE, "teastore-registry", {"role": "infra", "aliases": ["registry"]})
    g.add_node(NodeKind.SERVICE, "zipkin", {"role": "infra"})  # unlabelled infra: edges not scored
    g.add_node(NodeKind.SERVICE, "stripe", {"role": "external"})  # unlabelled external: no role FP
    g.add_node(NodeKind.SERVICE, "cron")  # unlabelled service: role FP, edges FP
    g.add_node(NodeKind.DATASTORE, "orders_db", {"role": "database"})
    return g


def _by_key(items: list[Any]) -> list[tuple[str, ...]]:
    return [item.key for item in items]


def test_name_mapping_and_roles() -> None:
    scores = accuracy.score_system(LABELS, _graph(), [])
    roles = scores["roles"]
    assert _by_key(roles.tp) == [
        ("billing",),
        ("orders",),
        ("orders-db",),
        ("registry",),
        ("shipping",),
        ("web",),
    ]
    # unlabelled nodes are false, except external ones (stripe)
    assert _by_key(roles.fp) == [("cron",), ("zipkin",)]
    assert roles.fn == []
    # a wrong class is a miss and a false node at once
    g = _graph()
    g.add_node(NodeKind.SERVICE, "shipping", {"role": "infra"})
    roles = accuracy.score_system(LABELS, g, [])["roles"]
    assert _by_key(roles.fn) == [("shipping",)] and "tool says infra" in roles.fn[0].note
    assert ("shipping",) in _by_key(roles.fp)
    assert accuracy.normalise("Order_Events.v1") == "order-events-v1"


def test_calls_and_uses_with_infra_exclusion() -> None:
    g = _graph()
    here = [Evidence("web/app.py", 3, "requests.get(ORDERS)", "call")]
    g.add_edge("service:tools.descartes.web", "service:Orders", EdgeKind.CALLS, here)
    g.add_edge("service:tools.descartes.web", "service:teastore-registry", EdgeKind.CALLS)  # label infra
    g.add_edge("service:Orders", "service:zipkin", EdgeKind.CALLS)  # unlabelled tool infra
    g.add_edge("service:Orders", "service:cron", EdgeKind.CALLS, [Evidence("orders/x.py", 7)])
    g.add_edge("service:Orders", "datastore:orders_db", EdgeKind.CONNECTS, [Evidence("compose.yaml", 9)])
    scores = accuracy.score_system(LABELS, g, [])
    calls = scores["calls"]
    assert _by_key(calls.tp) == [("web", "orders")]
    assert calls.agree == 1  # the tool's evidence has the label's file web/app.py
    assert _by_key(calls.fp) == [("orders", "cron")]
    assert calls.fp[0].evidence == ("orders/x.py:7",) and calls.fp[0].note == "unmapped: cron"
    assert _by_key(calls.fn) == [("web", "billing")]  # web -> registry is infra: not a miss
    uses = scores["uses"]
    assert (_by_key(uses.tp), uses.fp, uses.fn, uses.agree) == ([("orders", "orders-db")], [], [], 0)
    counts = calls.counts()
    assert (counts.precision, counts.recall) == (0.5, 0.5)
    assert (accuracy.Counts().precision, accuracy.Counts().recall) == (1.0, 1.0)


def test_async_triples() -> None:
    g = _graph()
    topic = g.add_node(NodeKind.TOPIC, "order.events", {"broker": "kafka"})
    g.add_edge("service:Orders", topic, EdgeKind.PUBLISHES, [Evidence("orders/pub.py", 1)])
    g.add_edge("service:Orders", topic, EdgeKind.SUBSCRIBES)  # a service hearing itself: no triple
    g.add_edge("service:tools.descartes.web", topic, EdgeKind.SUBSCRIBES, [Evidence("web/sub.py", 1)])
    g.add_edge("service:billing", topic, EdgeKind.SUBSCRIBES)
    g.add_edge("service:zipkin", topic, EdgeKind.SUBSCRIBES)  # infra consumer: not scored
    score = accuracy.score_system(LABELS, g, [])["async"]
    assert _by_key(score.tp) == [("orders", "web", "order-events")]
    assert score.tp[0].evidence == ("orders/pub.py:1", "web/sub.py:1")
    assert _by_key(score.fp) == [("orders", "billing", "order-events")]
    assert _by_key(score.fn) == [("orders", "shipping", "order-events")]


def _finding(code: str, *subjects: str) -> Finding:
    return Finding(code, code.lower(), Severity.WARNING, "m", subjects)


def test_shared_database_and_cycles_as_pairs() -> None:
    findings = [
        _finding("FIT301", "datastore:orders_db/orders", "Orders", "billing", "web"),
        _finding("FIT301", "datastore:cache/", "shipping", "cron"),
        _finding("FIT301", "datastore:shared/x", "web", "shipping", "teastore-registry"),  # through infra
        _finding("FIT308", "billing", "Orders"),
    ]
    scores = accuracy.score_system(LABELS, _graph(), findings)
    shared = scores["shared_database"]
    assert _by_key(shared.tp) == [("billing", "orders")]
    assert _by_key(shared.fp) == [
        ("billing", "web"),
        ("cron", "shipping"),
        ("orders", "web"),
        ("registry", "shipping"),
        ("registry", "web"),
        ("shipping", "web"),
    ]
    notes = {item.key: item.note for item in shared.fp}
    assert notes[("shipping", "web")] == "FIT301 datastore:shared/x; through infra: teastore-registry"
    assert notes[("cron", "shipping")].endswith("unmapped: cron")
    assert shared.fn == []
    cycles = scores["sync_cycles"]
    assert (_by_key(cycles.fp), cycles.tp, cycles.fn) == ([("billing", "orders")], [], [])


def test_missing_corpus_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert accuracy.main(["--corpus", str(tmp_path / "nope")]) == 2
    assert "corpus not found" in capsys.readouterr().out


# -- the labelled corpus --------------------------------------------------------------------------

FLOORS: dict[str, dict[str, float]] = json.loads(FLOOR.read_text(encoding="utf-8"))["floors"]


@pytest.fixture(scope="module")
def corpus_report() -> Any:
    corpus = accuracy.corpus_path()
    if not (corpus / "labels.yaml").is_file():
        pytest.skip(f"labelled corpus not found: {corpus} (set FITNESS_CORPUS)")
    return accuracy.score_corpus(corpus)


@pytest.mark.parametrize(
    ("figure", "measure"),
    [(figure, measure) for figure in sorted(FLOORS) for measure in sorted(FLOORS[figure])],
)
def test_corpus_accuracy_floor(corpus_report: Any, figure: str, measure: str) -> None:
    floor = FLOORS[figure][measure]
    value = getattr(corpus_report.counts(figure), measure)
    if value >= floor:
        return
    which = "fn" if measure == "recall" else "fp"
    title = "misses" if which == "fn" else "false edges"
    found = corpus_report.items(figure, which)
    lines = [f"{figure} {measure} {value:.3f} < floor {floor:.2f}; {len(found)} {title}:"]
    lines += [
        f"  {system} {kind}: {item.show(kind)} [{', '.join(item.evidence)}] {item.note}".rstrip()
        for system, kind, item in found
    ]
    pytest.fail("\n".join(lines), pytrace=False)

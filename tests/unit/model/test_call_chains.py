"""Longest call chains: iterative (no recursion limit), exact where the graph allows, bounded elsewhere."""

from __future__ import annotations

import itertools
import random

import pytest

from fitness.analyze.services import service_smells
from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind
from fitness.model.call_chains import longest_chains
from fitness.model.rulespec import RuleSpec
from fitness.model.service_view import ServiceView, monolith_groups
from fitness.model.thresholds import AnalysisSettings
from fitness.model.views import ImportView
from fitness.rules.base import RuleContext
from fitness.rules.service_flow import MaxSyncChain


def service_chain(count: int, *, close: bool = False) -> ArchGraph:
    """``s00000 -> s00001 -> ... -> s{count-1}`` as services calling each other; ``close`` adds the way back."""
    graph = ArchGraph()
    names = [f"s{index:05d}" for index in range(count)]
    for name in names:
        graph.add_node(NodeKind.SERVICE, name)
    pairs = list(itertools.pairwise(names)) + ([(names[-1], names[0])] if close else [])
    for line, (caller, called) in enumerate(pairs, start=1):
        graph.add_edge(
            f"service:{caller}", f"service:{called}", EdgeKind.CALLS, [Evidence("calls.py", line, "", "code")]
        )
    return graph


def test_a_chain_of_5000_services_used_to_hit_the_recursion_limit() -> None:
    graph = service_chain(5000)
    view = ServiceView.from_graph(graph)
    search = longest_chains(view.calls)
    assert search.complete
    assert search.chains == [view.services]
    assert search.note() == ""
    (sync_chain,) = [f for f in service_smells(view, AnalysisSettings()) if f.code == "FIT307"]
    assert sync_chain.message.startswith("synchronous chain of 4999 calls: s00000 -> s00001 -> ")
    assert "complete" not in sync_chain.data
    ((members, fired),) = monolith_groups(view)
    assert len(members) == 5000 and "long sync chain" in fired
    spec = RuleSpec(id="short", type="max-sync-chain", options={"max": 3})
    values, _ = MaxSyncChain.parse_options(spec)
    (finding,) = MaxSyncChain(spec, values).check(RuleContext(ImportView.from_graph(graph)))
    assert finding.subjects == tuple(view.services)


def test_a_ring_of_5000_services_is_one_chain_from_its_first_service() -> None:
    """Every service is called: the ring is entered once, at its first service, not once per member."""
    view = ServiceView.from_graph(service_chain(5000, close=True))
    search = view.call_chains()
    assert search.complete
    assert search.chains == [view.services]
    assert view.call_chains() is search  # searched once per view, shared by the smells and the rules
    findings = service_smells(view, AnalysisSettings())
    assert [f.code for f in findings if f.code in {"FIT307", "FIT308"}] == ["FIT307", "FIT308"]


def test_a_search_cut_short_says_so() -> None:
    rnd = random.Random(3)
    names = [f"s{index:03d}" for index in range(300)]
    calls = {name: {other for other in rnd.sample(names, 4) if other != name} for name in names}
    calls["entry"] = {"s000"}
    search = longest_chains(calls, max_work=5_000)
    assert not search.complete
    assert search.note() == "; the chain search stopped after 5,000 steps, so longer chains may exist"
    (chain,) = [chain for chain in search.chains if chain[0] == "entry"]
    assert chain[1] == "s000" and len(chain) > 50
    assert len(set(chain)) == len(chain)
    assert all(b in calls[a] for a, b in itertools.pairwise(chain))
    graph = ArchGraph()
    for name in calls:
        graph.add_node(NodeKind.SERVICE, name)
    for name, others in calls.items():
        for other in others:
            graph.add_edge(f"service:{name}", f"service:{other}", EdgeKind.CALLS)
    view = ServiceView.from_graph(graph)
    object.__setattr__(view, "_chains", search)
    sync_chains = [f for f in service_smells(view, AnalysisSettings()) if f.code == "FIT307"]
    assert sync_chains and all(f.message.endswith(search.note()) for f in sync_chains)
    assert all(f.data["complete"] is False for f in sync_chains)


def test_a_tangle_shares_the_work_between_its_entries() -> None:
    rnd = random.Random(7)
    names = [f"s{index:04d}" for index in range(1000)]
    calls = {name: {other for other in rnd.sample(names, 3) if other != name} for name in names}
    called = {other for others in calls.values() for other in others}
    entries = [name for name in names if name not in called]
    search = longest_chains(calls, max_work=200_000)
    assert not search.complete
    assert sorted(chain[0] for chain in search.chains) == entries  # no entry starved by the first one
    for chain in search.chains:
        assert len(set(chain)) == len(chain)
        assert all(b in calls[a] for a, b in itertools.pairwise(chain))


def _brute_longest(calls: dict[str, set[str]], entry: str) -> int:
    best = 1
    stack = [[entry]]
    while stack:
        path = stack.pop()
        best = max(best, len(path))
        stack.extend([*path, child] for child in calls.get(path[-1], ()) if child not in path)
    return best


@pytest.mark.parametrize("seed", range(60))
def test_exact_on_small_graphs_with_cycles(seed: int) -> None:
    rnd = random.Random(seed)
    names = [f"s{index}" for index in range(rnd.randint(2, 8))]
    calls = {a: {b for b in names if b != a and rnd.random() < 0.3} for a in names}
    search = longest_chains(calls)
    assert search.complete
    by_start = {chain[0]: chain for chain in search.chains}
    for start, chain in by_start.items():
        assert len(chain) == _brute_longest(calls, start)
        assert all(b in calls[a] for a, b in itertools.pairwise(chain))
    assert search.chains == sorted(search.chains, key=lambda chain: (-len(chain), chain))


def test_ties_go_to_the_first_service_in_sorted_order() -> None:
    calls = {"a": {"c", "b"}, "b": {"d"}, "c": {"d"}, "d": set()}
    assert longest_chains(calls).chains == [["a", "b", "d"]]


def test_cycles_are_cut_and_chains_inside_others_dropped() -> None:
    assert longest_chains({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}).chains == [
        ["a", "b", "c", "d"]
    ]
    # nobody is uncalled: each cycle nobody else calls is entered at its first service
    ring = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    assert longest_chains(ring).chains == [["a", "b", "c"]]
    two_rings = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}, "x": {"y"}, "y": {"x"}}
    assert longest_chains(two_rings).chains == [["a", "b", "c", "d"], ["x", "y"]]
    assert longest_chains({}).chains == []

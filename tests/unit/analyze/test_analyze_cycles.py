from __future__ import annotations

import itertools
import random
from collections import deque

import networkx as nx
import pytest

from fitness.analyze.cycles import module_cycles, package_cycles
from fitness.model.algorithms import (
    bounded_shortest_cycle,
    cyclic_components,
    nominate_cycle_breakers,
)
from fitness.model.evidence import Location
from fitness.model.findings import ChainLink, Severity
from fitness.model.thresholds import AnalysisSettings, SmellSettings
from fitness.model.views import PackageView

DEFAULTS = AnalysisSettings()


def _succ(pairs):
    succ: dict[str, set[str]] = {}
    for a, b in pairs:
        succ.setdefault(a, set()).add(b)
        succ.setdefault(b, set())
    return succ


def _acyclic_without(component, succ, cuts):
    graph = nx.DiGraph()
    graph.add_nodes_from(component)
    graph.add_edges_from((a, b) for a in component for b in succ[a] if b in set(component))
    graph.remove_edges_from(cuts)
    return nx.is_directed_acyclic_graph(graph)


def test_three_module_cycle_is_one_finding_with_witness_and_breaker(view_of):
    view = view_of([("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")])
    [finding] = module_cycles(view, DEFAULTS)
    assert (finding.code, finding.rule, finding.severity) == ("FIT201", "module-cycles", Severity.WARNING)
    assert finding.subjects == ("a", "b", "c")  # d only imports into the cycle
    assert finding.message == "cycle of 3 modules: a -> b -> c -> a"
    assert finding.chains == (
        (
            ChainLink("a", "b", "a.py", 1, "import b"),
            ChainLink("b", "c", "b.py", 1, "import c"),
            ChainLink("c", "a", "c.py", 1, "import a"),
        ),
    )
    assert finding.locations == (Location("a.py", 1), Location("b.py", 1), Location("c.py", 1))
    # All edges weigh one statement: the first edge in sorted order is cut.
    assert finding.data == {"size": 3, "breakers": [["a", "b"]], "complete": True, "cuts": 1}
    assert finding.fix.startswith("break the cycle by removing 1 import: a -> b (a.py:1).")


def test_witness_is_the_shortest_loop_of_a_bigger_tangle(view_of):
    view = view_of([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("c", "b")])
    [finding] = module_cycles(view, DEFAULTS)
    assert finding.subjects == ("a", "b", "c", "d")
    assert finding.message == "cycle of 4 modules; shortest loop: b -> c -> b"
    assert [(link.importer, link.imported) for link in finding.chains[0]] == [("b", "c"), ("c", "b")]
    assert finding.data["size"] == 4
    assert _acyclic_without("abcd", view.succ, [tuple(pair) for pair in finding.data["breakers"]])


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ([("a", "b", 3), ("b", "a", 1)], [["b", "a"]]),
        ([("a", "b", 1), ("b", "a", 3)], [["a", "b"]]),
    ],
)
def test_breaker_is_the_import_with_fewest_statements(view_of, imports, expected):
    [finding] = module_cycles(view_of(imports), DEFAULTS)
    assert finding.data["breakers"] == expected


def test_fingerprint_survives_moved_lines(view_of):
    imports = [("a", "b"), ("b", "a")]
    before = module_cycles(view_of(imports), DEFAULTS)[0]
    after = module_cycles(view_of(imports, first_line=40), DEFAULTS)[0]
    assert before.locations != after.locations
    assert before.fingerprint == after.fingerprint


def test_self_import_is_a_cycle_of_one(view_of):
    [finding] = module_cycles(view_of([("a", "a"), ("a", "b")]), DEFAULTS)
    assert finding.message == "cycle of 1 module: a -> a"
    assert finding.data["breakers"] == [["a", "a"]]


def test_severity_and_switch_come_from_settings(view_of):
    view = view_of([("a", "b"), ("b", "a")])
    off = AnalysisSettings(smells={"module_cycles": SmellSettings(False, Severity.ERROR)})
    loud = AnalysisSettings(smells={"module_cycles": SmellSettings(True, Severity.ERROR)})
    assert module_cycles(view, off) == []
    assert module_cycles(view, loud)[0].severity is Severity.ERROR


@pytest.mark.parametrize("seed", range(6))
def test_cycles_match_networkx_components_and_breakers_untangle_them(view_of, random_graph, seed):
    imports = random_graph(seed, 40, 25 + 12 * seed)
    view = view_of(imports)
    findings = module_cycles(view, DEFAULTS)
    expected = sorted(
        tuple(sorted(c)) for c in nx.strongly_connected_components(nx.DiGraph(imports)) if len(c) > 1
    )
    assert [f.subjects for f in findings] == expected
    for finding in findings:
        cuts = [tuple(pair) for pair in finding.data["breakers"]]
        assert finding.data["complete"]
        assert _acyclic_without(finding.subjects, view.succ, cuts)
        loop = [finding.chains[0][0].importer] + [link.imported for link in finding.chains[0]]
        assert len(loop) - 1 == _girth(finding.subjects, view.succ)


def _girth(component, succ):
    """Brute force: the shortest cycle is min over edges u->v of 1 + dist(v, u)."""
    members = set(component)
    best = len(members) + 1
    for u in members:
        for v in succ[u] & members:
            dist = {v: 0}
            queue = deque([v])
            while queue and u not in dist:
                node = queue.popleft()
                for child in succ[node] & members:
                    if child not in dist:
                        dist[child] = dist[node] + 1
                        queue.append(child)
            if u in dist:
                best = min(best, dist[u] + 1)
    return best


@pytest.mark.parametrize("seed", range(5))
def test_bounded_shortest_cycle_is_as_short_as_brute_force(random_graph, seed):
    succ = _succ(random_graph(seed, 50, 120))
    for component in cyclic_components(succ, succ):
        fast = bounded_shortest_cycle(component, succ)
        assert len(fast) - 1 == _girth(component, succ)
        assert fast[0] == fast[-1]
        assert all(b in succ[a] for a, b in itertools.pairwise(fast))


def test_a_ring_is_its_own_shortest_cycle_and_one_cut_breaks_it():
    names = [f"m{i:02d}" for i in range(30)]
    succ = {a: {b} for a, b in zip(names, [*names[1:], names[0]], strict=True)}

    assert bounded_shortest_cycle(names, succ) == [*names, names[0]]
    cuts, complete = nominate_cycle_breakers(names, succ)
    assert complete and len(cuts) == 1


def test_bounded_shortest_cycle_prefers_a_self_import_to_a_pair():
    succ = {"a": {"b"}, "b": {"a", "c"}, "c": {"c", "b"}}
    assert bounded_shortest_cycle(["a", "b", "c"], succ) == ["c", "c"]


def test_breaker_search_stops_at_the_cap_and_says_so():
    pairs = [(f"a{i}", f"b{i}") for i in range(4)] + [(f"b{i}", f"a{i}") for i in range(4)]
    pairs += [(f"a{i}", f"a{i + 1}") for i in range(3)] + [("a3", "a0")]  # one component
    succ = _succ(pairs)
    component = sorted(succ)
    cuts, complete = nominate_cycle_breakers(component, succ, max_cuts=2)
    assert (len(cuts), complete) == (2, False)
    cuts, complete = nominate_cycle_breakers(component, succ)
    assert complete
    assert _acyclic_without(component, succ, cuts)


def test_breakers_untangle_a_tangle_larger_than_the_search_starts():
    # A ring a00 -> ... -> a59 -> a00 and a triangle z0 -> z1 -> z2 -> z0, joined by a59 -> z0 -> z1 -> a00.
    # The BFS starts (the first 50 names) only see the ring; once it is cut, the triangle is left in
    # nodes the starts cannot reach, so the search must split the tangle to find it.
    ring = [f"a{i:02d}" for i in range(60)]
    pairs = [*itertools.pairwise([*ring, ring[0]]), ("z0", "z1"), ("z1", "z2"), ("z2", "z0")]
    succ = _succ([*pairs, ("a59", "z0"), ("z1", "a00")])
    cuts, complete = nominate_cycle_breakers(succ, succ)
    assert complete
    assert cuts == [("a00", "a01"), ("z0", "z1")]
    assert _acyclic_without(sorted(succ), succ, cuts)


@pytest.mark.parametrize("seed", range(4))
def test_breakers_untangle_random_tangles_beyond_the_start_limit(random_graph, seed):
    succ = _succ(random_graph(seed, 150, 260))
    cuts, complete = nominate_cycle_breakers(succ, succ, max_cuts=1000)
    assert complete
    assert _acyclic_without(sorted(succ), succ, cuts)
    # Greedy, yet no cut is wasted: putting any one back brings a cycle back.
    for cut in cuts:
        assert not _acyclic_without(sorted(succ), succ, [c for c in cuts if c != cut])


def test_breaker_search_accepts_a_set_that_is_not_one_component():
    succ = _succ([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "c")])
    cuts, complete = nominate_cycle_breakers(succ, succ)
    assert (cuts, complete) == ([("a", "b"), ("c", "d")], True)


def test_large_tangle_is_capped_but_fast():
    rng = random.Random(5)
    nodes = [f"m{i:04d}" for i in range(3000)]
    succ: dict[str, set[str]] = {node: set() for node in nodes}
    for _ in range(25000):
        a, b = rng.sample(nodes, 2)
        succ[a].add(b)
    [component] = [c for c in cyclic_components(nodes, succ) if len(c) > 100]
    cuts, complete = nominate_cycle_breakers(component, succ, max_work=200_000)
    assert cuts and not complete


# -- packages ---------------------------------------------------------------------------------------
PACKAGE_CYCLE = [
    ("app.a.x", "app.b.y"),
    ("app.a.w", "app.b.y"),
    ("app.b.z", "app.a.w"),
    ("app.b.y", "app.b.z"),  # inside app.b: not a package dependency
]


def test_package_cycle_shows_first_module_import_per_dependency(view_of):
    view = view_of(PACKAGE_CYCLE)
    [finding] = package_cycles(view, PackageView.collapse(view, 2), DEFAULTS)
    assert (finding.code, finding.rule) == ("FIT202", "package-cycles")
    assert finding.subjects == ("app.a", "app.b")
    assert finding.message == "cycle of 2 packages: app.a -> app.b -> app.a"
    assert finding.chains == (
        (
            ChainLink("app.a.w", "app.b.y", "app/a/w.py", 1, "import app.b.y"),
            ChainLink("app.b.z", "app.a.w", "app/b/z.py", 1, "import app.a.w"),
        ),
    )
    assert finding.locations == (Location("app/a/w.py", 1), Location("app/b/z.py", 1))
    # app.a -> app.b rests on two imports, app.b -> app.a on one: cut the lighter one.
    assert finding.data == {"size": 2, "breakers": [["app.b", "app.a"]], "complete": True, "cuts": 1}
    assert "removing 1 package dependency: app.b -> app.a (app/b/z.py:1)" in finding.fix


def test_package_breaker_names_every_import_behind_it(view_of):
    view = view_of([("p.a.m1", "p.b.n"), ("p.a.m2", "p.b.n"), ("p.b.n", "p.a.m1", 5)])
    [finding] = package_cycles(view, PackageView.collapse(view, 2), DEFAULTS)
    assert finding.data["breakers"] == [["p.a", "p.b"]]
    assert "p.a -> p.b (2 imports: p/a/m1.py:1, p/a/m2.py:1)" in finding.fix


def test_package_cycles_follow_the_depth_and_settings(view_of):
    view = view_of(PACKAGE_CYCLE)
    assert package_cycles(view, PackageView.collapse(view, 1), DEFAULTS) == []
    off = AnalysisSettings(smells={"package_cycles": SmellSettings(False, Severity.WARNING)})
    assert package_cycles(view, PackageView.collapse(view, 2), off) == []


@pytest.mark.parametrize("max_work", [40, 300, 500_000])
def test_breakers_of_a_known_strong_component_are_the_same_without_the_first_split(max_work):
    """``strongly_connected=True`` skips a search that would only confirm it, charging its work to the
    budget: the cuts and the ``complete`` flag are those of the full search, budget cut-offs included."""
    rng = random.Random(max_work)
    for _ in range(150):
        nodes = [f"m{i}" for i in range(rng.randint(1, 25))]
        succ = {node: {rng.choice(nodes) for _ in range(rng.randint(1, 3))} for node in nodes}
        for component in cyclic_components(nodes, succ):
            expected = nominate_cycle_breakers(component, succ, max_work=max_work)
            found = nominate_cycle_breakers(component, succ, max_work=max_work, strongly_connected=True)
            assert found == expected

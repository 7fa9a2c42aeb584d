"""The chains behind a violation, on random graphs: shortest first, each the shortest between its own ends
(under the rule's constraints), one per pair of ends, and every route (first import) counted."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable

import pytest

from fitness.model.views import ImportView
from fitness.rules.chains import MAX_CHAINS, Group, GroupReach, Routes, routes_between
from tests.unit.rules.conftest import Kit


def random_view(kit: Kit, seed: int) -> ImportView:
    rnd = random.Random(seed)
    names = [f"p.s{i}" for i in range(4)] + [f"p.m{i}" for i in range(12)] + [f"p.t{i}" for i in range(4)]
    imports = [f"{a} -> {b}" for a in names for b in names if a != b and rnd.random() < 0.12]
    return kit.view(*imports, modules=tuple(names))


def distance(view: ImportView, start: str, end: str, passable: Callable[[str], bool]) -> int | None:
    """Imports on the shortest path start -> end whose inner modules are all passable (plain BFS)."""
    seen, queue = {start: 0}, deque([start])
    while queue:
        node = queue.popleft()
        for child in view.succ.get(node, ()):
            if child == end:
                return seen[node] + 1
            if child not in seen and passable(child):
                seen[child] = seen[node] + 1
                queue.append(child)
    return None


def check_routes(
    view: ImportView, routes: Routes, sources: set[str], targets: set[str], passable: Callable[[str], bool]
) -> None:
    chains = [[chain[0].importer, *(link.imported for link in chain)] for chain in routes.chains]
    assert chains == sorted(chains, key=lambda path: (len(path), path))
    ends = [(path[0], path[-1]) for path in chains]
    assert len(set(ends)) == len(ends)
    for path in chains:
        assert path[0] in sources and path[-1] in targets
        assert all(passable(module) for module in path[1:-1])
        assert len(path) - 1 == distance(view, path[0], path[-1], passable)
    ways_in = {
        (source, first)
        for source in sources
        for first in view.succ.get(source, ())
        if first in targets
        or (passable(first) and any(distance(view, first, t, passable) is not None for t in targets))
    }
    assert set(routes.ways_in) == ways_in
    assert len(chains) <= MAX_CHAINS and (chains or not ways_in)
    if ways_in:
        shortest = min(
            1
            + (
                0
                if f in targets
                else min(d for t in targets if (d := distance(view, f, t, passable)) is not None)
            )
            for _, f in ways_in
        )
        assert len(chains[0]) - 1 == shortest


@pytest.mark.parametrize("seed", range(40))
def test_routes_between_sources_and_targets(kit: Kit, seed: int) -> None:
    view = random_view(kit, seed)
    sources = {f"p.s{i}" for i in range(4)}
    targets = {f"p.t{i}" for i in range(4)}
    routes = routes_between(view, sources, targets)
    check_routes(view, routes, sources, targets, lambda m: m not in sources and m not in targets)


@pytest.mark.parametrize("seed", range(40))
def test_group_routes_never_pass_another_group_of_the_scope(kit: Kit, seed: int) -> None:
    view = random_view(kit, seed)
    groups = [
        Group("high", "p", frozenset({"p.t0", "p.t1", "p.t2", "p.t3"})),
        Group("middle", "p", frozenset({"p.m0", "p.m1"})),
        Group("low", "p", frozenset({"p.s0", "p.s1", "p.s2", "p.s3"})),
    ]
    reach = GroupReach(view, groups)
    blocked = set().union(*(group.members for group in groups))
    routes = reach.routes(2, 0)
    assert bool(routes.chains) == reach.reaches(2, 0)
    check_routes(view, routes, set(groups[2].members), set(groups[0].members), lambda m: m not in blocked)

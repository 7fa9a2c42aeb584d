"""Finding the import chains behind a violation, and the import to cut.

A violation ``A -> B`` (a forbidden pair, a layer importing a higher one) can have many routes. A *route*
here is a first import out of A (``a1 -> x``) from which B can be reached; every route is counted
(``Routes.ways_in``, the ``imports`` a finding's fingerprint covers) and a few chains are shown:

- each chain is a shortest path between its own two ends (under the rule's constraints: never through
  another module of A, nor of B, nor of another layer), checked by a short search when a chain picked
  by its first import could be beaten by another way in;
- one chain per pair of ends (deduplicated), shortest first, then by name;
- at most ``MAX_CHAINS``; the finding says ``5 of 93 chains shown`` when there were more routes.

Everything is iterative and at most linear in the graph: one search per violation (forward from the
source side and backward from the target side, whichever settles first), plus a bounded check of each
chain shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from fitness.model.findings import Chain, Import
from fitness.model.views import ImportView

MAX_CHAINS = 5
CHECK_WORK = 20_000  # edge visits per chain shown, to look for a shorter chain between its ends
CANDIDATES = 20  # ways in tried per chain shown (several can lead to the same pair of ends)


@dataclass(frozen=True)
class Routes:
    """The chains shown for one violation, and every route they were picked from (by first import)."""

    chains: list[Chain]
    ways_in: tuple[Import, ...] = ()

    @property
    def total(self) -> int:
        return len(self.ways_in)


def chains_between(
    view: ImportView,
    sources: Collection[str],
    targets: Collection[str],
    *,
    direct_only: bool = False,
    allowed: Callable[[str], bool] | None = None,
    limit: int = MAX_CHAINS,
) -> list[Chain]:
    """Up to ``limit`` shortest chains from ``sources`` to ``targets`` (see ``routes_between``)."""
    return routes_between(
        view, sources, targets, direct_only=direct_only, allowed=allowed, limit=limit
    ).chains


def routes_between(
    view: ImportView,
    sources: Collection[str],
    targets: Collection[str],
    *,
    direct_only: bool = False,
    allowed: Callable[[str], bool] | None = None,
    limit: int = MAX_CHAINS,
) -> Routes:
    """The routes from ``sources`` to ``targets`` and up to ``limit`` chains, shortest first.

    A chain never passes through another source or target module (each of those has its own, shorter
    chain). ``direct_only`` counts the direct imports only (one link each); ``allowed`` limits the
    modules an indirect chain may pass through.
    """
    source_set = set(sources) - set(targets)
    target_set = set(targets)
    if direct_only:
        pairs = sorted((a, b) for a in source_set for b in view.succ.get(a, ()) if b in target_set)
        return Routes([view.chain(pair) for pair in pairs[:limit]], tuple(pairs))

    hops = _hops(view, source_set, target_set, allowed)
    first = sorted(
        (hops[imported] + 1, module, imported)
        for module in source_set
        for imported in view.succ.get(module, ())
        if imported in hops
    )
    return _pick(view, first, hops.get, target_set, lambda module: hops.get(module, 0) > 0, limit)


def _hops(
    view: ImportView, sources: set[str], targets: set[str], allowed: Callable[[str], bool] | None
) -> dict[str, int]:
    """Imports from each module that can be on a chain to the nearest target (targets: 0), through
    neither a source nor a target nor a module ``allowed`` refuses.

    Two searches by levels, with set operations: forward from the sources and backward from the
    targets, always growing the smaller frontier, until one side is done. A pure ``domain`` that
    reaches little is settled by the forward side, a forbidden package few modules import by the
    backward side; either way the cost is about the smaller of the two regions, not the whole graph.
    """
    blocked = sources | targets

    def admit(modules: set[str]) -> set[str]:
        modules -= blocked
        return modules if allowed is None else {module for module in modules if allowed(module)}

    region: set[str] = set()  # forward: modules the sources reach
    reached: set[str] = set()  # forward: targets the sources reach
    ahead: set[str] = set(sources)
    hops = dict.fromkeys(targets, 0)  # backward: modules that reach the targets, by distance
    behind, level = set(targets), 0
    while ahead and behind:
        if len(ahead) <= len(behind):
            following = _step(view.succ, ahead) - region
            reached |= following & targets
            ahead = admit(following)
            region |= ahead
        else:
            level += 1
            behind = admit(_step(view.pred, behind) - hops.keys())
            hops.update(dict.fromkeys(behind, level))
    if not behind:  # the backward search is complete: every module that reaches a target is in hops
        return hops
    while ahead:  # complete the forward region
        following = _step(view.succ, ahead) - region
        reached |= following & targets
        ahead = admit(following)
        region |= ahead
    hops, behind, level = dict.fromkeys(reached, 0), set(reached), 0
    while behind:  # distances inside the forward region only: chains never leave it
        level += 1
        behind = (_step(view.pred, behind) & region) - hops.keys()
        hops.update(dict.fromkeys(behind, level))
    return hops


def _step(adjacency: Mapping[str, Iterable[str]], modules: set[str]) -> set[str]:
    following: set[str] = set()
    for module in modules:
        following.update(adjacency.get(module, ()))
    return following


def _pick(
    view: ImportView,
    first: Sequence[tuple[int, str, str]],
    distance: Callable[[str], int | None],
    targets: Collection[str],
    passable: Callable[[str], bool],
    limit: int,
) -> Routes:
    """Chains from the ways in, ``(hops, module, imported)`` sorted: one per pair of ends, each the
    shortest between its ends, shortest first, at most ``limit``."""
    nearest: dict[str, int] = {}
    for hops, module, _ in first:
        nearest.setdefault(module, hops)
    picked: dict[tuple[str, str], list[str]] = {}
    budget = [CHECK_WORK * limit]  # shared by the checks of one violation
    for hops, module, imported in first[: limit * CANDIDATES]:
        if len(picked) >= limit:
            break
        path = _walk(view.succ, module, imported, targets, distance)
        if hops > nearest[module]:  # another way out of ``module`` is shorter: maybe to this end too
            path = _shorter(view.succ, path, passable, budget) or path
        picked.setdefault((path[0], path[-1]), path)
    chains = sorted(picked.values(), key=lambda path: (len(path), path))
    ways_in = tuple(sorted({(module, imported) for _, module, imported in first}))
    return Routes([view.chain(path) for path in chains], ways_in)


def _walk(
    succ: Mapping[str, Iterable[str]],
    start: str,
    imported: str,
    targets: Collection[str],
    distance: Callable[[str], int | None],
) -> list[str]:
    """Down the hop counts from ``imported`` to the targets (the smallest name at each step)."""
    path = [start, imported]
    while path[-1] not in targets:
        want = (distance(path[-1]) or 1) - 1
        path.append(min(c for c in succ[path[-1]] if (c in targets if want == 0 else distance(c) == want)))
    return path


def _shorter(
    succ: Mapping[str, Iterable[str]], path: list[str], passable: Callable[[str], bool], budget: list[int]
) -> list[str] | None:
    """A path between the ends of ``path`` with fewer imports, through passable modules only (a BFS
    from the start, sorted, so the first one found is the smallest by name); None if there is none, or
    if the edge visits left in ``budget`` did not settle it."""
    start, end = path[0], path[-1]
    parent: dict[str, str] = {}
    frontier = [start]
    for _ in range(len(path) - 2):  # paths of at most len(path) - 2 imports
        following: list[str] = []
        for node in frontier:
            children = sorted(succ.get(node, ()))
            budget[0] -= len(children)
            if budget[0] < 0:
                return None
            for child in children:
                if child == end:
                    found = [end, node]
                    while found[-1] != start:
                        found.append(parent[found[-1]])
                    return found[::-1]
                if child not in parent and child != start and passable(child):
                    parent[child] = node
                    following.append(child)
        frontier = following
    return None


def edge_to_cut(chains: list[Chain]) -> str:
    """The import shared by most chains (ties: the one nearest the forbidden end), as advice."""
    if not chains:
        return ""
    counts: Counter[tuple[str, str]] = Counter()
    position: dict[tuple[str, str], tuple[int, str, int]] = {}
    for chain in chains:
        for index, link in enumerate(chain):
            key = (link.importer, link.imported)
            counts[key] += 1
            position.setdefault(key, (index - len(chain), link.path, link.line))
    best = max(counts, key=lambda key: (counts[key], position[key][0], key))
    _, path, line = position[best]
    where = f" ({path}:{line})" if line else ""
    suffix = f"; it is in {counts[best]} of the {len(chains)} chains shown" if len(chains) > 1 else ""
    return f"cut the import {best[0]} -> {best[1]}{where}{suffix}"


@dataclass(frozen=True)
class Group:
    """A named set of modules (a layer, an independent module) within a ``scope`` (its container)."""

    name: str
    scope: str
    members: frozenset[str]


class GroupReach:
    """Which group reaches which by a chain that passes through no *other* group of the same scope.

    That is import-linter's rule for layers and independence (a chain through a third layer is that
    layer's own violation). Rather than a search per pair of groups, one breadth-first propagation of
    bitsets (a bit per group) over the reversed graph: a module learns at hop k the groups it reaches in
    k imports, and a module that belongs to a group of scope S passes on none of S's bits. The hop counts
    then give every shortest chain by walking down them, without another search.
    """

    def __init__(self, view: ImportView, groups: Sequence[Group]) -> None:
        self.view = view
        self.groups = list(groups)
        self._scope_bits: dict[str, int] = {}
        for index, group in enumerate(self.groups):
            self._scope_bits[group.scope] = self._scope_bits.get(group.scope, 0) | 1 << index
        own: dict[str, int] = {}
        self._block: dict[str, int] = {}
        for index, group in enumerate(self.groups):
            for module in group.members:
                own[module] = own.get(module, 0) | 1 << index
                self._block[module] = self._block.get(module, 0) | self._scope_bits[group.scope]
        self._hops = _propagate(view.pred, own, self._block)
        self._known: dict[int, dict[str, int | None]] = {}
        self._from: list[int] = []
        for group in self.groups:
            bits = 0
            for module in group.members:
                for _, gained in self._hops.get(module, ()):
                    bits |= gained
            self._from.append(bits)

    def reaches(self, source: int, target: int) -> bool:
        return bool(self._from[source] >> target & 1)

    def chains(self, source: int, target: int, limit: int = MAX_CHAINS) -> list[Chain]:
        return self.routes(source, target, limit).chains

    def routes(self, source: int, target: int, limit: int = MAX_CHAINS) -> Routes:
        """Every route from group ``source`` to group ``target`` and up to ``limit`` shortest chains."""
        targets = self.groups[target].members
        distance = self._distances(target)
        first: list[tuple[int, str, str]] = []
        for module in sorted(self.groups[source].members - targets):
            for imported in self.view.succ.get(module, ()):
                hops = 0 if imported in targets else distance(imported)
                if hops is not None:
                    first.append((hops + 1, module, imported))
        first.sort()
        scope, block = self._scope_bits[self.groups[target].scope], self._block

        def passable(module: str) -> bool:
            return not block.get(module, 0) & scope

        return _pick(self.view, first, distance, targets, passable, limit)

    def _distances(self, target: int) -> Callable[[str], int | None]:
        """Imports from a module (as a pass-through) to group ``target``, or None when it cannot pass."""
        bit, scope, hops, block = (
            1 << target,
            self._scope_bits[self.groups[target].scope],
            self._hops,
            self._block,
        )
        known = self._known.setdefault(target, {})

        def distance(module: str) -> int | None:
            if module in known:
                return known[module]
            found = None
            if not block.get(module, 0) & scope:
                found = next((hop for hop, gained in hops.get(module, ()) if gained & bit), None)
            known[module] = found
            return found

        return distance


def _propagate(
    pred: Mapping[str, Collection[str]], own: dict[str, int], block: dict[str, int]
) -> dict[str, list[tuple[int, int]]]:
    """For each module, the (hop, bits) at which it first reaches groups: a BFS of bitsets, hop by hop."""
    hops: dict[str, list[tuple[int, int]]] = {}
    known: dict[str, int] = {}
    passing = own  # what each module newly passes on to its importers at this hop
    hop = 0
    while passing:
        hop += 1
        gained: defaultdict[str, int] = defaultdict(int)
        for module, bits in passing.items():
            for importer in pred.get(module, ()):
                gained[importer] |= bits
        passing = {}
        for module, bits in gained.items():
            new = bits & ~known.get(module, 0)
            if new:
                known[module] = known.get(module, 0) | new
                hops.setdefault(module, []).append((hop, new))
                if new & ~block.get(module, 0):
                    passing[module] = new & ~block.get(module, 0)
    return hops

"""Finding the import chains behind a violation, and the import to cut."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from fitness.model.algorithms import shortest_path
from fitness.model.findings import Chain
from fitness.model.views import ImportView

MAX_CHAINS = 5


def chains_between(
    view: ImportView,
    sources: Collection[str],
    targets: Collection[str],
    *,
    direct_only: bool = False,
    allowed: Callable[[str], bool] | None = None,
    limit: int = MAX_CHAINS,
) -> list[Chain]:
    """Up to ``limit`` distinct shortest chains from ``sources`` to ``targets``.

    After each chain is found its first import is set aside, so the next chain shows another way in.
    ``direct_only`` returns the direct imports only (one link each); ``allowed`` limits the modules an
    indirect chain may pass through.
    """
    source_set = set(sources) - set(targets)
    target_set = set(targets)
    if direct_only:
        pairs = sorted((a, b) for a in source_set for b in view.succ.get(a, ()) if b in target_set)
        return [view.chain(pair) for pair in pairs[:limit]]
    removed: set[tuple[str, str]] = set()
    result: list[Chain] = []
    while len(result) < limit:
        current = view.succ if not removed else _without(view.succ, removed)
        path = shortest_path(current, source_set, target_set, allowed)
        if path is None:
            break
        result.append(view.chain(path))
        removed.add((path[0], path[1]))
    return result


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


class _Without(Mapping[str, Collection[str]]):
    """``succ`` minus some edges, filtered on access: copying a 7,000-module map per chain is too slow."""

    def __init__(self, succ: Mapping[str, Collection[str]], removed: set[tuple[str, str]]) -> None:
        self._succ = succ
        self._cut: dict[str, set[str]] = {}
        for head, tail in removed:
            self._cut.setdefault(head, set()).add(tail)

    def __getitem__(self, node: str) -> Collection[str]:
        children = self._succ[node]
        cut = self._cut.get(node)
        return [child for child in children if child not in cut] if cut else children

    def __iter__(self) -> Iterator[str]:
        return iter(self._succ)

    def __len__(self) -> int:
        return len(self._succ)


def _without(
    succ: Mapping[str, Collection[str]], removed: set[tuple[str, str]]
) -> Mapping[str, Collection[str]]:
    return _Without(succ, removed)


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
        """Up to ``limit`` shortest chains from ``source`` to ``target``, each with another first import."""
        targets = self.groups[target].members
        distance = self._distances(target)
        first: list[tuple[int, str, str]] = []
        for module in sorted(self.groups[source].members - targets):
            for imported in self.view.succ.get(module, ()):
                hops = 0 if imported in targets else distance(imported)
                if hops is not None:
                    first.append((hops + 1, module, imported))
        first.sort()
        return [
            self.view.chain(self._walk(start, imported, targets, distance))
            for _, start, imported in first[:limit]
        ]

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

    def _walk(
        self, start: str, imported: str, targets: Collection[str], distance: Callable[[str], int | None]
    ) -> list[str]:
        """Down the hop counts from ``imported`` to the target group (the smallest name at each step)."""
        path = [start, imported]
        while path[-1] not in targets:
            want = (distance(path[-1]) or 1) - 1
            succ = self.view.succ[path[-1]]
            path.append(min(c for c in succ if (c in targets if want == 0 else distance(c) == want)))
        return path


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

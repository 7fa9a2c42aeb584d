"""Graph algorithms over plain successor maps (``dict[node, set[node]]``).

They live in the model because both ``analyze`` and ``rules`` need them and neither may depend on the
other. They are iterative (no recursion limits on deep graphs) and deterministic (sorted iteration).
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

Succ = Mapping[str, Collection[str]]


def strongly_connected_components(nodes: Iterable[str], succ: Succ) -> list[list[str]]:
    """Tarjan's algorithm, iterative. Returns every component (singletons too), each sorted.

    Each frame holds an iterator over its node's successors and runs through the ones already seen in
    one inner loop, leaving it only to descend (no list copied per node); the components (a partition,
    each sorted, sorted) do not depend on the order successors are visited in.
    """
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    empty: tuple[str, ...] = ()
    for root in sorted(nodes):
        if root in index_of:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(succ.get(root, empty)))]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ.get(child, empty))))
                    break
                if child in on_stack and index_of[child] < low[node]:
                    low[node] = index_of[child]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index_of[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    result.append(sorted(component))
    return sorted(result)


def cyclic_components(
    nodes: Iterable[str], succ: Succ, components: list[list[str]] | None = None
) -> list[list[str]]:
    """Components that hold a cycle: two or more members, or one member importing itself.
    ``components``: ``strongly_connected_components(nodes, succ)`` when the caller already has them."""
    if components is None:
        components = strongly_connected_components(nodes, succ)
    return [
        component
        for component in components
        if len(component) > 1 or component[0] in succ.get(component[0], ())
    ]


def shortest_path(
    succ: Succ,
    sources: Iterable[str],
    targets: Collection[str],
    allowed: Callable[[str], bool] | None = None,
) -> list[str] | None:
    """Fewest-hops path from any source to any target (multi-source BFS), or None.

    ``allowed`` limits the intermediate nodes a path may pass through (sources and targets are always
    allowed). Ties are broken by sorted order so the same graph always gives the same path.
    """
    target_set = set(targets)
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for source in sorted(set(sources)):
        parent[source] = None
        queue.append(source)
    while queue:
        node = queue.popleft()
        for child in sorted(succ.get(node, ())):
            if child in parent:
                continue
            if child in target_set:
                path = [child, node]
                while (previous := parent[path[-1]]) is not None:
                    path.append(previous)
                return path[::-1]
            if allowed is not None and not allowed(child):
                continue
            parent[child] = node
            queue.append(child)
    return None


def reach_counts(
    nodes: Iterable[str], succ: Succ, components: list[list[str]] | None = None
) -> dict[str, int]:
    """How many nodes each node reaches, itself included (a row sum of the visibility matrix).

    Members of one strongly connected component reach the same set, so the graph is condensed, the
    components are visited sinks first, and each component's reach is a Python int used as a bitset:
    7,000 modules with 60,000 imports take a fraction of a second. Bit positions are numbered within
    each weakly connected part (nothing reaches outside its part), so a system of many separate parts
    (5,000 services) builds small ints, not one as wide as the whole graph per component, which grew
    with the square of the graph. Edges to nodes outside ``nodes`` are ignored. ``components``: the
    strongly connected components of ``nodes`` over those edges, when the caller already has them.
    """
    node_set = set(nodes)
    inner = {node: [c for c in succ.get(node, ()) if c in node_set] for node in node_set}
    if components is None:
        components = strongly_connected_components(node_set, inner)
    component_of = {member: index for index, component in enumerate(components) for member in component}
    out: list[set[int]] = [set() for _ in components]
    for index, component in enumerate(components):
        for member in component:
            out[index].update(component_of[child] for child in inner[member])
        out[index].discard(index)
    bits = [0] * len(components)
    starts = _part_offsets([len(component) for component in components], out)
    for index in _sinks_first(out):
        mask = ((1 << len(components[index])) - 1) << starts[index]  # the component's own members
        for child in out[index]:
            mask |= bits[child]
        bits[index] = mask
    return {member: bits[component_of[member]].bit_count() for member in sorted(node_set)}


def bounded_shortest_cycle(component: Collection[str], succ: Succ, max_starts: int = 200) -> list[str]:
    """A shortest cycle inside one strongly connected component, as ``[a, b, ..., a]``; fast on tangles.

    Self-imports and two-module cycles are found by scanning every edge (first in sorted order); longer
    cycles by BFS from up to ``max_starts`` members, each BFS stopping at the best length found so far,
    so a component of thousands of modules costs a few BFS, not thousands. Unlike a plain BFS from every member,
    it never misses a self-import. ``component`` must be strongly connected (as ``cyclic_components``
    returns them); ``[]`` means it holds no cycle.
    """
    return _Tangle(component, succ).short_cycle(max_starts)


def stability_weight(
    component: Collection[str], succ: Succ, cost: Callable[[str, str], int]
) -> Callable[[str, str], tuple[int, float]]:
    """Weigh an edge of a cyclic component for cutting: fewest import statements first, then the edge
    that most breaks the Stable Dependencies Principle (a stable node depending on a less stable one),
    since that is the dependency a designer would invert. Instability is out / (in + out) counted
    inside the component, which keeps this linear in the component's size.
    """
    members = set(component)
    fan_out = {node: sum(1 for child in succ.get(node, ()) if child in members) for node in members}
    fan_in = dict.fromkeys(members, 0)
    for node in members:
        for child in succ.get(node, ()):
            if child in members:
                fan_in[child] += 1

    def instability(node: str) -> float:
        total = fan_out.get(node, 0) + fan_in.get(node, 0)
        return fan_out.get(node, 0) / total if total else 0.0

    known = {node: instability(node) for node in members}  # once per node, not twice per edge weighed

    def unstable(node: str) -> float:
        found = known.get(node)
        return instability(node) if found is None else found

    return lambda a, b: (cost(a, b), round(unstable(a) - unstable(b), 6))


def nominate_cycle_breakers(
    component: Collection[str],
    succ: Succ,
    weight: Callable[[str, str], Any] | None = None,
    max_cuts: int = 100,
    max_work: int = 500_000,
    strongly_connected: bool = False,
) -> tuple[list[tuple[str, str]], bool]:
    """Edges whose removal makes ``component`` acyclic, and whether the search finished.

    Greedy, so small but not provably minimal: take a shortest remaining cycle and cut its lightest edge
    (``weight``, e.g. the number of import statements behind it; ties: the first edge in sorted order),
    until no cycle is left; then put back, latest first, every cut whose return would close no cycle
    (a later cut may break the loop an earlier one was made for). ``component`` need not be strongly
    connected. The search stops early, returning ``(cuts so far, False)``, after ``max_cuts`` cuts or
    about ``max_work`` edge visits, so a tangle of thousands of modules costs well under a second.
    Cuts come back sorted. ``strongly_connected``: the caller knows ``component`` is one (as
    ``cyclic_components`` returns them), so the first split, which would only confirm it, is skipped and
    its work charged as if done: the same cuts, at a fraction of the cost on thousands of small cycles.
    """
    weigh = weight or (lambda a, b: 1)
    budget = [max_work]
    cuts: list[tuple[str, str]] = []
    whole = _Tangle(component, succ, budget)
    if strongly_connected and whole.adjacency:
        budget[0] -= 2 * sum(len(children) for children in whole.adjacency.values())  # two searches
        stack = [whole]
    else:
        stack = whole.split()
    while stack:
        tangle = stack.pop()
        cycle = tangle.short_cycle(_BREAKER_STARTS)
        if not cycle:
            continue
        if len(cuts) >= max_cuts or budget[0] <= 0:
            return sorted(cuts), False
        cut = min(itertools.pairwise(cycle), key=lambda edge: (weigh(*edge), edge))
        tangle.remove(*cut)
        cuts.append(cut)
        if tangle.still_whole(*cut):
            stack.append(tangle)
        else:
            stack.extend(tangle.split())
    return sorted(_drop_redundant(component, succ, cuts, budget)), True


_BREAKER_STARTS = 50


class _Tangle:
    """A private, mutable copy of one component's internal edges, cut down by the breaker search.

    ``budget`` is a one-item list shared by every tangle of one search, decremented by edges visited.
    """

    def __init__(self, members: Collection[str], succ: Succ, budget: list[int] | None = None) -> None:
        member_set = set(members)
        self.budget = budget if budget is not None else [0]
        self.out = {node: {c for c in succ.get(node, ()) if c in member_set} for node in sorted(member_set)}
        self.adjacency = {node: sorted(children) for node, children in self.out.items()}
        self.preds: dict[str, set[str]] = {node: set() for node in self.adjacency}
        for node, children in self.adjacency.items():
            for child in children:
                self.preds[child].add(node)
        # Removing edges never creates a cycle, so these candidate lists only ever shrink.
        self._loops = deque(node for node, children in self.out.items() if node in children)
        self._pairs = deque(
            (a, b) for a, children in self.adjacency.items() for b in children if a < b and a in self.out[b]
        )

    def remove(self, a: str, b: str) -> None:
        self.adjacency[a].remove(b)
        self.out[a].discard(b)
        self.preds[b].discard(a)

    def short_cycle(self, max_starts: int) -> list[str]:
        """Self-import, else two-node cycle (both by scan), else BFS from the first ``max_starts`` nodes."""
        while self._loops and self._loops[0] not in self.out.get(self._loops[0], ()):
            self._loops.popleft()
        if self._loops:
            return [self._loops[0], self._loops[0]]
        while self._pairs and not self._pair_alive(*self._pairs[0]):
            self._pairs.popleft()
        if self._pairs:
            a, b = self._pairs[0]
            return [a, b, a]
        # strongly connected with as many edges as nodes: one ring, so the first cycle found is the only one
        ring = sum(len(children) for children in self.adjacency.values()) == len(self.adjacency)
        best: list[str] = []
        for start in list(self.adjacency)[:max_starts]:
            cycle = self._cycle_through(start, len(best) - 2 if best else len(self.adjacency))
            if cycle:
                best = cycle
                if len(best) == 4 or ring:  # three edges: the shortest left once loops and pairs are gone
                    break
        return best

    def still_whole(self, a: str, b: str) -> bool:
        """Still strongly connected after cutting ``a -> b`` from a strongly connected tangle?

        Yes iff ``a`` still reaches ``b``: every path that used the cut can take that detour instead.
        """
        if a == b:
            return len(self.adjacency) > 1
        return b in _reach(self.adjacency, a, self.budget, b)

    def split(self) -> list[_Tangle]:
        """The tangle's cyclic parts, first part last (a stack). Peels acyclic fringes cheaply first."""
        self._trim()
        if not self.adjacency:
            return []
        root = next(iter(self.adjacency))
        if (
            len(_reach(self.adjacency, root, self.budget))
            == len(_reach(self.preds, root, self.budget))
            == len(self.adjacency)
        ):
            return [self]  # trimmed and strongly connected: every node sits on a cycle
        self.budget[0] -= 2 * sum(len(children) for children in self.out.values())
        parts = cyclic_components(self.adjacency, self.adjacency)
        return [_Tangle(part, self.adjacency, self.budget) for part in reversed(parts)]

    def _trim(self) -> None:
        """Drop nodes with no way in or no way out (they sit on no cycle), until none is left."""
        queue = deque(node for node in self.adjacency if not self.adjacency[node] or not self.preds[node])
        while queue:
            node = queue.popleft()
            if node not in self.adjacency:
                continue
            self.out.pop(node)
            for child in self.adjacency.pop(node):
                self.preds[child].discard(node)
                if child != node and not self.preds[child]:
                    queue.append(child)
            for parent in self.preds.pop(node):
                if parent in self.adjacency:
                    self.adjacency[parent].remove(node)
                    self.out[parent].discard(node)
                    if not self.adjacency[parent]:
                        queue.append(parent)

    def _pair_alive(self, a: str, b: str) -> bool:
        return a in self.out and b in self.out and b in self.out[a] and a in self.out[b]

    def _cycle_through(self, start: str, limit: int) -> list[str]:
        """Shortest cycle through ``start`` with at most ``limit`` edges (BFS by levels), or []."""
        parent = {start: start}
        frontier = [start]
        for _ in range(limit):
            following: list[str] = []
            for node in frontier:
                self.budget[0] -= len(self.adjacency[node])
                for child in self.adjacency[node]:
                    if child == start:
                        path = [node]
                        while path[-1] != start:
                            path.append(parent[path[-1]])
                        return [*reversed(path), start]
                    if child not in parent:
                        parent[child] = node
                        following.append(child)
            if not following:
                break
            frontier = following
        return []


def _drop_redundant(
    component: Collection[str], succ: Succ, cuts: list[tuple[str, str]], budget: list[int]
) -> list[tuple[str, str]]:
    """The cuts still needed once each of the others, latest first, has been put back if it can be.

    Putting ``a -> b`` back into an acyclic graph closes a cycle iff ``b`` reaches ``a``.
    """
    members = set(component)
    removed = set(cuts)
    graph = {
        node: [c for c in succ.get(node, ()) if c in members and (node, c) not in removed] for node in members
    }
    kept: list[tuple[str, str]] = []
    for a, b in reversed(cuts):
        if budget[0] > 0 and a != b and a not in _reach(graph, b, budget, a):
            graph[a].append(b)
        else:
            kept.append((a, b))
    return kept


def _reach(
    succ: Mapping[str, Collection[str]], source: str, budget: list[int], target: str | None = None
) -> set[str]:
    """Nodes reached by BFS from ``source`` (stopping once ``target`` is seen), charged to ``budget``."""
    seen = {source}
    queue = deque([source])
    while queue:
        children = succ[queue.popleft()]
        budget[0] -= len(children)
        for child in children:
            if child not in seen:
                seen.add(child)
                if child == target:
                    return seen
                queue.append(child)
    return seen


def _part_offsets(sizes: list[int], out: list[set[int]]) -> list[int]:
    """The first bit of each node of a DAG (``out``: successor sets), counted from 0 in each weakly
    connected part, the nodes of a part packed one after another by ``sizes`` (breadth-first)."""
    links: list[list[int]] = [list(children) for children in out]
    for node, children in enumerate(out):
        for child in children:
            links[child].append(node)
    starts = [-1] * len(out)
    for root in range(len(out)):
        if starts[root] >= 0:
            continue
        starts[root], following = 0, sizes[root]
        queue = deque([root])
        while queue:
            for neighbour in links[queue.popleft()]:
                if starts[neighbour] < 0:
                    starts[neighbour] = following
                    following += sizes[neighbour]
                    queue.append(neighbour)
    return starts


def greedy_modularity(
    nodes: Iterable[str], links: Mapping[tuple[str, str], int]
) -> tuple[list[list[str]], float]:
    """Clauset-Newman-Moore greedy modularity communities of an undirected weighted graph (``links``:
    ``(a, b) -> weight``, ``a != b``, one key per pair), each sorted, and the partition's modularity.

    The same merges, in the same order, and the same floating-point sums as networkx 3's
    ``greedy_modularity_communities(G, weight="weight")`` and ``modularity`` on a graph built from the
    sorted nodes and then the sorted links (tested against it): networkx picks the pair of the largest
    gain, ties by the smaller pair of node names, and stops at the first negative gain; here a heap of
    ``(-gain, a, b)`` whose stale entries are skipped does the same. Written here because the networkx
    call costs a few milliseconds per service in graph classes and dispatch, most of a granularity
    table of 5,000 services. Bounded: at most one merge per node, each touching its neighbours.
    """
    order = sorted(nodes)
    edges = sorted(links.items())
    degree: dict[str, int] = dict.fromkeys(order, 0)
    for (a, b), weight in edges:
        degree[a] = degree.get(a, 0) + weight
        degree[b] = degree.get(b, 0) + weight
    deg_sum = sum(degree.values())
    if not edges or not deg_sum:
        return [[node] for node in sorted(degree)], 0.0
    share = {node: deg * (1 / (deg_sum / 2)) * 0.5 for node, deg in degree.items()}  # a[i] of the paper
    gain = _initial_gains(edges, share, 1 / (deg_sum / 2))
    heap = [(-value, a, b) for a, row in gain.items() for b, value in row.items()]
    heapq.heapify(heap)
    members: dict[str, list[str]] = {node: [node] for node in degree}
    while heap:
        negative, a, b = heap[0]
        row = gain.get(a)
        if row is None or row.get(b) != -negative:
            heapq.heappop(heap)  # stale: the pair was merged away or its gain changed since
            continue
        if negative > 0:  # the best merge would lower the modularity
            break
        heapq.heappop(heap)
        _merge_into(a, b, gain, share, heap)
        members[b] = members[b] + members.pop(a)
    groups = sorted(sorted(group) for group in members.values())
    return groups, _modularity(groups, edges, degree, deg_sum)


def _initial_gains(
    edges: list[tuple[tuple[str, str], int]], share: Mapping[str, float], q0: float
) -> dict[str, dict[str, float]]:
    gain: dict[str, dict[str, float]] = {}
    for (a, b), weight in edges:
        wt = float(weight)
        gain.setdefault(a, {})[b] = q0 * wt - (share[a] * share[b] + share[a] * share[b])
        gain.setdefault(b, {})[a] = q0 * wt - (share[b] * share[a] + share[b] * share[a])
    return gain


def _merge_into(
    u: str,
    v: str,
    gain: dict[str, dict[str, float]],
    share: dict[str, float],
    heap: list[tuple[float, str, str]],
) -> None:
    """Community ``u`` joins ``v``: the gains of ``v`` with every neighbour of either are updated."""
    u_row, v_row = gain[u], gain[v]
    for w in (u_row.keys() | v_row.keys()) - {u, v}:
        if w in u_row and w in v_row:
            value = v_row[w] + u_row[w]
        elif w in v_row:
            value = v_row[w] - (share[u] * share[w] + share[w] * share[u])
        else:
            value = u_row[w] - (share[v] * share[w] + share[w] * share[v])
        v_row[w] = gain[w][v] = value
        heapq.heappush(heap, (-value, v, w))
        heapq.heappush(heap, (-value, w, v))
    for w in u_row:
        del gain[w][u]
    del gain[u]
    share[v] += share[u]
    share[u] = 0


def _modularity(
    groups: list[list[str]],
    edges: list[tuple[tuple[str, str], int]],
    degree: Mapping[str, int],
    deg_sum: int,
) -> float:
    """Newman's modularity of the partition, summed group by group as networkx sums it."""
    group_of = {node: index for index, group in enumerate(groups) for node in group}
    inside = [0] * len(groups)
    for (a, b), weight in edges:
        if group_of[a] == group_of[b]:
            inside[group_of[a]] += weight
    m, norm = deg_sum / 2, 1 / deg_sum**2

    def contribution(index: int) -> float:
        total = sum(degree[node] for node in groups[index])
        return inside[index] / m - total * total * norm

    return sum(map(contribution, range(len(groups))))


def _sinks_first(out: list[set[int]]) -> list[int]:
    """A topological order of a DAG given as successor sets, successors before predecessors."""
    preds: list[list[int]] = [[] for _ in out]
    remaining = [len(children) for children in out]
    for node, children in enumerate(out):
        for child in children:
            preds[child].append(node)
    order = [node for node, count in enumerate(remaining) if count == 0]
    position = 0
    while position < len(order):
        for parent in preds[order[position]]:
            remaining[parent] -= 1
            if remaining[parent] == 0:
                order.append(parent)
        position += 1
    return order

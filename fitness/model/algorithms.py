"""Graph algorithms over plain successor maps (``dict[node, set[node]]``).

They live in the model because both ``analyze`` and ``rules`` need them and neither may depend on the
other. They are iterative (no recursion limits on deep graphs) and deterministic (sorted iteration).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping

Succ = Mapping[str, Collection[str]]


def strongly_connected_components(nodes: Iterable[str], succ: Succ) -> list[list[str]]:
    """Tarjan's algorithm, iterative. Returns every component (singletons too), each sorted."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index_of:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(succ.get(root, ())))]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            if children:
                child = children.pop()
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(succ.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index_of[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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


def cyclic_components(nodes: Iterable[str], succ: Succ) -> list[list[str]]:
    """Components that hold a cycle: two or more members, or one member importing itself."""
    return [
        component
        for component in strongly_connected_components(nodes, succ)
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


def shortest_cycle(component: Collection[str], succ: Succ, max_starts: int = 200) -> list[str]:
    """A shortest cycle inside one strongly connected component, as ``[a, b, ..., a]``.

    BFS from each member back to itself; on very large components only ``max_starts`` members are tried
    (the result is then a short cycle, not provably the shortest).
    """
    members = set(component)
    inner = {node: {c for c in succ.get(node, ()) if c in members} for node in members}
    preds: dict[str, set[str]] = {node: set() for node in members}
    for node, children in inner.items():
        for child in children:
            preds[child].add(node)
    best: list[str] | None = None
    for start in sorted(members)[:max_starts]:
        if start in inner[start]:
            return [start, start]
        path = shortest_path(inner, [start], preds[start])
        if path is not None and (best is None or len(path) + 1 < len(best)):
            best = [*path, start]
            if len(best) == 3:
                break
    return best or []


def reachable(succ: Succ, sources: Iterable[str]) -> set[str]:
    """Every node reachable from ``sources`` (sources included)."""
    seen = set(sources)
    queue = deque(seen)
    while queue:
        node = queue.popleft()
        for child in succ.get(node, ()):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return seen

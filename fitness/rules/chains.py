"""Finding the import chains behind a violation, and the import to cut."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection

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
    succ = view.succ if not removed else None
    result: list[Chain] = []
    while len(result) < limit:
        current = succ if not removed else _without(view.succ, removed)
        path = shortest_path(current, source_set, target_set, allowed)
        if path is None:
            break
        result.append(view.chain(path))
        removed.add((path[0], path[1]))
    return result


def count_direct(view: ImportView, sources: Collection[str], targets: Collection[str]) -> int:
    target_set = set(targets)
    return sum(1 for a in sources for b in view.succ.get(a, ()) if b in target_set)


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


def _without(succ: dict[str, set[str]], removed: set[tuple[str, str]]) -> dict[str, set[str]]:
    heads = {a for a, _ in removed}
    return {
        node: ({c for c in children if (node, c) not in removed} if node in heads else children)
        for node, children in succ.items()
    }

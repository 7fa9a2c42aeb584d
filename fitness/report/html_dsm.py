"""The package DSM of the HTML report: packages ordered so that layers sit above the diagonal and the
cycles form blocks below it, bounded to ``MAX_DSM`` packages."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from fitness.model import Analysis
from fitness.model.algorithms import strongly_connected_components
from fitness.model.views import ImportView, PackageView, package_of

MAX_DSM = 60  # packages in the matrix


@dataclass
class Dsm:
    """Dependency structure matrix: ``cells[i][j]`` = imports from ``names[i]`` to ``names[j]``.

    Ordered by a topological order of the packages' condensation (importers first), so an acyclic
    system has every mark above the diagonal and the marks below it are the cycles, kept together as
    ``blocks`` (index ranges of the strongly connected components)."""

    names: list[str]
    cells: list[list[int]]
    blocks: list[tuple[int, int]] = field(default_factory=list)
    depth: int = 2
    note: str = ""

    def in_block(self, row: int, column: int) -> bool:
        return any(start <= row < end and start <= column < end for start, end in self.blocks)


def dsm(analysis: Analysis, view: ImportView | None = None) -> Dsm | None:
    """The package DSM at the analysis' package depth (shallower when that gives too many packages);
    ``view``: the analysis' import view when the caller has built it already."""
    view = view if view is not None else ImportView.from_graph(analysis.graph)
    if not view.modules:
        return None
    depth = package_depth(analysis, view)
    while depth > 1 and len({package_of(m, depth) for m in view.modules}) > MAX_DSM:
        depth -= 1
    collapsed = PackageView.collapse(view, depth)
    names, blocks = order_for_dsm(collapsed.nodes, collapsed.succ)
    note = ""
    if len(names) > MAX_DSM:
        note = f"Showing the first {MAX_DSM} of {len(names)} packages."
        names = names[:MAX_DSM]
        blocks = [(a, min(b, MAX_DSM)) for a, b in blocks if a < MAX_DSM]
    index = {name: i for i, name in enumerate(names)}
    cells = [[0] * len(names) for _ in names]
    for (importer, imported), pairs in collapsed.members.items():
        if importer in index and imported in index:
            cells[index[importer]][index[imported]] = len(pairs)
    return Dsm(names, cells, blocks, depth, note)


def order_for_dsm(
    nodes: Iterable[str], succ: Mapping[str, Collection[str]]
) -> tuple[list[str], list[tuple[int, int]]]:
    """Topological order of the condensation (importers before what they import, ties by name), each
    strongly connected component kept together; returns the order and the components' index ranges.

    >>> order_for_dsm(["a", "b", "c"], {"a": {"b"}, "b": {"c"}, "c": {"b"}})
    (['a', 'b', 'c'], [(1, 3)])
    """
    components = strongly_connected_components(sorted(nodes), succ)
    owner = {name: index for index, component in enumerate(components) for name in component}
    into: dict[int, set[int]] = {index: set() for index in range(len(components))}
    out: dict[int, set[int]] = {index: set() for index in range(len(components))}
    for source, targets in succ.items():
        for target in targets:
            a, b = owner[source], owner[target]
            if a != b:
                out[a].add(b)
                into[b].add(a)
    ready = sorted((components[i][0], i) for i in into if not into[i])
    order: list[str] = []
    blocks: list[tuple[int, int]] = []
    while ready:
        _, index = ready.pop(0)
        members = components[index]
        if len(members) > 1:
            blocks.append((len(order), len(order) + len(members)))
        order.extend(members)
        for later in out[index]:
            into[later].discard(index)
            if not into[later]:
                ready.append((components[later][0], later))
        ready.sort()
    return order, blocks


def package_depth(analysis: Analysis, view: ImportView) -> int:
    """The analysis' package depth (2 when unset), within the depth of the deepest module."""
    depth = analysis.summary.package_depth or 2
    return max(1, min(depth, max(m.count(".") + 1 for m in view.modules)))

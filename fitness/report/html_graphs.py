"""The pictures of the HTML report: graphs (as DOT, drawn by a function the caller passes in) and the
package DSM, each bounded so that a 5,000-module system still gives a page a browser opens quickly.

Bounds: a graph shows at most ``MAX_NODES`` nodes. The module graph is drawn whole only when it is small;
otherwise the report shows the package graph and, for the ``DRILL_DOWN`` biggest packages, the modules
inside each one, collapsed one level at a time until they fit (the biggest kept, the rest counted).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from fitness.model import Analysis
from fitness.model.algorithms import cyclic_components, strongly_connected_components
from fitness.model.views import ImportView, PackageView, package_of
from fitness.report import dot
from fitness.report.graph_view import GraphData, graph_data

# dot text -> SVG text, or None when Graphviz is not installed (the page then shows adjacency lists)
Draw = Callable[[str], "str | None"]

MAX_NODES = 80  # per drawn graph
MAX_EDGES = 400  # per drawn graph: the weakest edges go first
DRILL_DOWN = 6  # module graphs of the biggest packages, when the whole module graph is too big
MAX_DSM = 60  # packages in the matrix

_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)


@dataclass
class Picture:
    """One graph in the page: its SVG, or (without Graphviz) its adjacency list."""

    ident: str
    title: str
    caption: str
    svg: str | None
    adjacency: list[tuple[str, list[str]]]
    highlighted: list[str]
    note: str = ""


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


def pictures(analysis: Analysis, draw: Draw | None) -> list[Picture]:
    """Every graph the page shows, in order: services, packages, modules (whole or per package)."""
    result: list[Picture] = []
    services = analysis.summary.get("services") or []
    if services:
        data = graph_data(analysis, "services")
        result.append(
            _picture(
                "graph-services",
                "Service graph",
                "Calls solid, messages dashed, database connections dotted; shared datastores and "
                "call cycles in red.",
                data,
                draw,
            )
        )
    view = ImportView.from_graph(analysis.graph)
    if not view.modules:
        return result
    depth = _package_depth(analysis, view)
    packages = _bounded(view.modules, view.succ, depth, "")
    result.append(
        _picture(
            "graph-packages",
            f"Package graph (depth {depth})",
            "Packages and the imports between them (edge labels count the module imports); packages on "
            "a cycle in red." + packages[1],
            packages[0],
            draw,
        )
    )
    if len(view.modules) <= MAX_NODES:
        result.append(
            _picture(
                "graph-modules",
                "Module graph",
                "Every module import; modules on a cycle in red.",
                graph_data(analysis, "modules"),
                draw,
            )
        )
        return result
    for package in _biggest(view.modules, depth):
        inside = [m for m in view.modules if m == package or m.startswith(package + ".")]
        data, note = _bounded(inside, view.succ, package.count(".") + 2, package)
        result.append(
            _picture(
                f"graph-{_slug(package)}",
                f"Inside {package}",
                f"{len(inside)} modules; names relative to {package}, cycles in red." + note,
                data,
                draw,
            )
        )
    return result


def dsm(analysis: Analysis) -> Dsm | None:
    """The package DSM at the analysis' package depth (shallower when that gives too many packages)."""
    view = ImportView.from_graph(analysis.graph)
    if not view.modules:
        return None
    depth = _package_depth(analysis, view)
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


def svg_inline(svg: str) -> str:
    """Graphviz's SVG without the XML prolog, doctype and comments, to sit inside HTML."""
    return _PROLOG.sub("", svg).strip()


def _picture(ident: str, title: str, caption: str, data: GraphData, draw: Draw | None) -> Picture:
    succ: dict[str, list[str]] = {node: [] for node in data.nodes}
    for source, target, _ in data.edges:
        succ.setdefault(source, []).append(target)
    adjacency = sorted((node, sorted(set(targets))) for node, targets in succ.items())
    svg = draw(dot.render(data)) if draw is not None else None
    note = "" if svg is not None else "Graphviz's dot program was not found: the graph is listed as text."
    return Picture(
        ident,
        title,
        caption,
        None if svg is None else svg_inline(svg),
        adjacency,
        sorted(data.cyclic),
        note,
    )


def _package_depth(analysis: Analysis, view: ImportView) -> int:
    depth = int(analysis.summary.get("package_depth") or 2)
    return max(1, min(depth, max(m.count(".") + 1 for m in view.modules)))


def _biggest(modules: Iterable[str], depth: int) -> list[str]:
    sizes: dict[str, int] = {}
    for module in modules:
        if module.count(".") + 1 > depth:
            key = package_of(module, depth)
            sizes[key] = sizes.get(key, 0) + 1
    ranked = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, size in ranked[:DRILL_DOWN] if size > 1]


def _bounded(
    modules: Iterable[str], succ: Mapping[str, Iterable[str]], depth: int, within: str
) -> tuple[GraphData, str]:
    """The import graph of ``modules`` collapsed to ``depth`` (deeper while it fits MAX_NODES); when even
    ``depth`` has too many nodes, the biggest MAX_NODES are kept. Returns the graph and a note on cuts."""
    members = sorted(modules)
    inside = set(members)
    local = {m: [t for t in succ.get(m, ()) if t in inside] for m in members}
    deepest = max(m.count(".") + 1 for m in members)
    while depth < deepest and len({package_of(m, depth + 1) for m in members}) <= MAX_NODES:
        depth += 1
    collapsed = PackageView.collapse_succ(members, local, depth)
    nodes = sorted(collapsed.nodes)
    note = ""
    if len(nodes) > MAX_NODES:
        degree: dict[str, int] = dict.fromkeys(nodes, 0)
        for a, b in collapsed.members:
            degree[a] += 1
            degree[b] += 1
        kept = sorted(sorted(nodes, key=lambda n: (-degree[n], n))[:MAX_NODES])
        note = (
            f" Showing the {MAX_NODES} most connected of {len(nodes)} packages under {within or 'the root'}."
        )
        nodes = kept
    keep = set(nodes)
    edges = sorted(
        ((a, b, len(pairs)) for (a, b), pairs in collapsed.members.items() if a in keep and b in keep),
        key=lambda edge: (-edge[2], edge[0], edge[1]),
    )
    if len(edges) > MAX_EDGES:
        note += f" The {MAX_EDGES} heaviest of {len(edges)} dependencies are drawn."
        edges = edges[:MAX_EDGES]
    edges.sort()
    node_succ = {n: {b for a, b, _ in edges if a == n} for n in nodes}
    cyclic = {n for component in cyclic_components(nodes, node_succ) for n in component}
    if within:  # drawn inside one package: its name in front of every node only adds width
        short = {n: n[len(within) + 1 :] or n for n in nodes}
        nodes = sorted(short.values())
        edges = sorted((short[a], short[b], w) for a, b, w in edges)
        cyclic = {short[n] for n in cyclic}
    return GraphData("packages", nodes, edges, cyclic), note


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name)

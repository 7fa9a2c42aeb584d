"""The graphs of the HTML report, as DOT (drawn by a function the caller passes in) and the data the page's
script needs to pan, zoom, search, focus and filter them; each bounded so that a 5,000-module system still
gives a page a browser opens quickly and whose labels can be read.

Bounds: a drawing shows at most ``MAX_NODES`` nodes. The package graph is drawn at a few depths (the
page switches between them: collapse and expand); on a large system (more than ``LARGE`` modules) it opens
on the shallowest, and the module graphs of the ``DRILL_DOWN`` most interesting packages (findings, cycles,
coupling; never tests, migrations or generated code) are drawn but kept out of the page until asked for.
Every drawing is handed to ``draw_many`` at once, so the caller can run Graphviz in parallel.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from fitness.model import Analysis
from fitness.model.algorithms import cyclic_components
from fitness.model.views import ImportView, PackageView, package_of
from fitness.report import dot
from fitness.report.graph_view import GraphData, graph_data
from fitness.report.html_dsm import package_depth
from fitness.report.html_services import compact_services, service_graph

# dot text -> SVG text, or None when Graphviz is not installed (the page then shows adjacency lists)
Draw = Callable[[str], "str | None"]
# every dot text of a page at once -> their SVGs in the same order (so the caller may draw in parallel)
DrawMany = Callable[[list[str]], "list[str | None]"]

MAX_NODES = 80  # per drawn graph
MAX_EDGES = 400  # per drawn graph: the weakest edges go first
EDGES_PER_NODE = 2.5  # and at most this many per node: a denser drawing is a hairball nobody reads
DRILL_DOWN = 6  # module graphs of the most interesting packages, when the whole module graph is too big
COMPACT_SERVICES = 30  # services: above this the service graph opens without topics and private stores
LARGE = 150  # modules: above this the page opens on the aggregated views and module detail waits
MAX_DEPTHS = 3  # drawings of the package graph, one per depth

_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
# never worth a module graph of their own: tests, migrations, generated and vendored code
_DULL = re.compile(
    r"(^|\.)(tests?|testing|testsuite|test_\w+|\w+_tests?|conftest|migrations|alembic|generated|"
    r"_generated|\w+_pb2(_grpc)?|vendor|_vendor|vendored)(\.|$)"
)


@dataclass
class View:
    """One drawing of a picture: the graph, its SVG (None without Graphviz) and what was cut."""

    label: str
    data: GraphData
    within: str = ""  # names are relative to this package
    note: str = ""
    svg: str | None = None


@dataclass
class Picture:
    """One graph in the page, drawn one or more ways (``views``; ``shown`` first), or listed as text."""

    ident: str
    title: str
    caption: str
    views: list[View]
    shown: int = 0
    detail: bool = False  # module detail of a large system: in the page only when asked for

    @property
    def view(self) -> View:
        return self.views[self.shown]

    @property
    def svg(self) -> str | None:
        return self.view.svg

    @property
    def note(self) -> str:
        return (
            ""
            if self.svg is not None
            else "Graphviz's dot program was not found: the graph is listed as text."
        )

    @property
    def adjacency(self) -> list[tuple[str, list[str]]]:
        succ: dict[str, set[str]] = {node: set() for node in self.view.data.nodes}
        for source, target, _ in self.view.data.edges:
            succ.setdefault(source, set()).add(target)
        return sorted((node, sorted(targets)) for node, targets in succ.items())

    @property
    def highlighted(self) -> list[str]:
        return sorted(self.view.data.cyclic)

    def script_data(self) -> dict[str, Any]:
        """What the page's script reads: per view, nodes ``[name, kind, role, hot]`` and edges
        ``[source index, target index, kind, weight]``, in the order of the SVG ids."""
        return {"shown": self.shown, "views": [_view_data(view) for view in self.views]}


def pictures(analysis: Analysis, draw: Draw | None, draw_many: DrawMany | None = None) -> list[Picture]:
    """Every graph the page shows, in order: services, packages, modules (whole or per package)."""
    result: list[Picture] = []
    if analysis.summary.services:
        full = service_graph(analysis)
        services = sum(
            1 for n in full.nodes if full.kinds.get(n) == "service" and full.roles.get(n) != "infra"
        )
        views = [View("services, topics and datastores", full)]
        if services > COMPACT_SERVICES:
            views.insert(0, View("services only", compact_services(full)))
        result.append(
            Picture(
                "graph-services",
                "Service graph",
                "Calls solid, messages dashed (from publisher to subscriber when topics are left out), "
                "database connections dotted; shared datastores and call cycles in red. Infrastructure "
                "(and the message broker) is hidden until you show it.",
                views,
            )
        )
    view = ImportView.from_graph(analysis.graph)
    if view.modules:
        result.extend(_import_pictures(analysis, view))
    _draw(result, draw, draw_many)
    return result


def interesting(analysis: Analysis, view: ImportView, depth: int) -> list[tuple[str, str]]:
    """The packages (at ``depth``) worth a module graph, most interesting first, each with why: findings
    that touch it, modules on import cycles, imports across its boundary. Tests, migrations, generated
    and vendored code never qualify, nor a package of one module.

    >>> from fitness.model import ArchGraph
    >>> g = ArchGraph()
    >>> for m in ("a", "a.x", "a.x.m", "a.x.n", "a.tests", "a.tests.t", "a.tests.u", "a.y", "a.y.m"):
    ...     _ = g.add_node(NodeKind.MODULE, m)
    >>> _ = g.add_edge("module:a.x.m", "module:a.y.m", EdgeKind.IMPORTS)
    >>> interesting(Analysis("a", g), ImportView.from_graph(g), 2)
    [('a.x', '1 import across its boundary')]
    """
    sizes = Counter(package_of(m, depth) for m in view.modules if m.count(".") + 1 > depth)
    candidates = {p for p, size in sizes.items() if size > 1 and not _DULL.search(p)}
    cyclic = Counter(
        package_of(m, depth) for component in cyclic_components(view.modules, view.succ) for m in component
    )
    coupling: Counter[str] = Counter()
    for importer in view.modules:
        for imported in view.succ.get(importer, ()):
            a, b = package_of(importer, depth), package_of(imported, depth)
            if a != b:
                coupling[a] += 1
                coupling[b] += 1
    touched: Counter[str] = Counter()
    for finding in analysis.findings:
        names = {*finding.subjects, *(n for c in finding.chains for k in c for n in (k.importer, k.imported))}
        touched.update({package_of(n, depth) for n in names} & candidates)
    ranked = sorted(candidates, key=lambda p: (-touched[p], -cyclic[p], -coupling[p], p))
    chosen = [p for p in ranked if touched[p] or cyclic[p] or coupling[p]][:DRILL_DOWN]
    return [(p, _why(touched[p], cyclic[p], coupling[p])) for p in chosen]


def against_layering(data: GraphData) -> set[tuple[str, str]]:
    """The edges of ``data`` that run against a layering of its nodes: few (a greedy minimum feedback set,
    Eades-Lin-Smyth, heavier edges kept forward), and without them no cycle is left. Painting these red
    instead of every edge on a cycle shows a person which dependencies make the tangle.

    >>> against_layering(GraphData("p", ["a", "b", "c"], [("a", "b", 5), ("b", "a", 1), ("b", "c", 1)], set()))
    {('b', 'a')}
    """
    succ: dict[str, dict[str, int]] = {n: {} for n in data.nodes}
    pred: dict[str, dict[str, int]] = {n: {} for n in data.nodes}
    for a, b, weight in data.edges:
        if a != b:
            succ[a][b] = pred[b][a] = weight
    remaining = set(data.nodes)
    front: list[str] = []
    back: list[str] = []
    while remaining:
        sinks = sorted(n for n in remaining if not any(t in remaining for t in succ[n]))
        sources = sorted(n for n in remaining if n not in sinks and not any(t in remaining for t in pred[n]))
        if not sinks and not sources:
            sources = [
                min(
                    remaining,
                    key=lambda n: (
                        sum(w for t, w in pred[n].items() if t in remaining)
                        - sum(w for t, w in succ[n].items() if t in remaining),
                        n,
                    ),
                )
            ]
        back = sinks[::-1] + back
        front.extend(sources)
        remaining.difference_update(sinks, sources)
    position = {n: i for i, n in enumerate(front + back)}
    return {(a, b) for a, b, _ in data.edges if position[a] > position[b]}


def svg_inline(svg: str) -> str:
    """Graphviz's SVG without the XML prolog, doctype and comments, to sit inside HTML."""
    return _PROLOG.sub("", svg).strip()


def _import_pictures(analysis: Analysis, view: ImportView) -> list[Picture]:
    depth = package_depth(analysis, view)
    large = len(view.modules) > LARGE
    views: list[View] = []
    deepest = max(m.count(".") + 1 for m in view.modules)
    fits = []
    for level in range(depth, deepest + 1):
        data, note = _bounded(view.modules, view.succ, level, "", deepen=False)
        views.append(View(f"depth {level}", data, "", note))
        if len({package_of(m, level) for m in view.modules}) > MAX_NODES or len(views) == MAX_DEPTHS:
            break
        fits.append(len(views) - 1)
    shown = 0 if large or not fits else fits[-1]
    result = [
        Picture(
            "graph-packages",
            "Package graph",
            "Packages and the imports between them (thicker lines: more module imports; hover a line for its "
            "count); packages on a cycle in red. Choose a depth to collapse or expand packages.",
            views,
            shown,
        )
    ]
    if len(view.modules) <= MAX_NODES:
        data = graph_data(analysis, "modules")
        result.append(
            Picture(
                "graph-modules",
                "Module graph",
                "Every module import; modules on a cycle in red.",
                [View("modules", replace(data, kinds=dict.fromkeys(data.nodes, "module")))],
            )
        )
        return result
    for index, (package, why) in enumerate(interesting(analysis, view, depth)):
        inside = [m for m in view.modules if m == package or m.startswith(package + ".")]
        kept = [m for m in inside if m == package or not _DULL.search(m[len(package) :])]
        data, note = _bounded(kept, view.succ, package.count(".") + 2, package)
        left = len(inside) - len(kept)
        caption = f"{len(inside)} modules ({why}); names relative to {package}, cycles in red."
        if left:
            caption += f" {left} test, migration or generated modules left out."
        result.append(
            Picture(
                f"graph-in{index}-{_slug(package)}",
                f"Inside {package}",
                caption,
                [View("modules", data, package, note)],
                detail=large,
            )
        )
    return result


def _draw(result: list[Picture], draw: Draw | None, draw_many: DrawMany | None) -> None:
    for picture in result:
        for view in picture.views:
            view.data = replace(view.data, backward=against_layering(view.data))
    jobs = [
        (view, dot.render(view.data, f"{picture.ident}-v{index}"))
        for picture in result
        for index, view in enumerate(picture.views)
    ]
    texts = [text for _, text in jobs]
    if draw_many is not None:
        svgs = draw_many(texts)
    elif draw is not None:
        svgs = [draw(text) for text in texts]
    else:
        svgs = [None] * len(texts)
    for (view, _), svg in zip(jobs, svgs, strict=True):
        view.svg = None if svg is None else svg_inline(svg)


def _view_data(view: View) -> dict[str, Any]:
    data = view.data
    index = {node: i for i, node in enumerate(data.nodes)}
    return {
        "label": view.label,
        "within": view.within,
        "note": view.note,
        "nodes": [
            [node, data.kinds.get(node, "module"), data.roles.get(node, ""), int(node in data.cyclic)]
            for node in data.nodes
        ],
        "edges": [
            [index[a], index[b], data.edge_kinds.get((a, b), "imports"), weight]
            for a, b, weight in data.edges
        ],
    }


def _why(findings: int, cyclic: int, coupling: int) -> str:
    parts = []
    if findings:
        parts.append(f"{findings} finding{'s' if findings > 1 else ''}")
    if cyclic:
        parts.append(f"{cyclic} module{'s' if cyclic > 1 else ''} on import cycles")
    if coupling:
        parts.append(f"{coupling} import{'s' if coupling > 1 else ''} across its boundary")
    return ", ".join(parts)


def _bounded(
    modules: Iterable[str], succ: Mapping[str, Iterable[str]], depth: int, within: str, deepen: bool = True
) -> tuple[GraphData, str]:
    """The import graph of ``modules`` collapsed to ``depth`` (with ``deepen``, deeper while it fits
    MAX_NODES); when even ``depth`` has too many nodes, the most connected MAX_NODES are kept. Returns the
    graph and a note on cuts."""
    members = sorted(modules)
    inside = set(members)
    local = {m: [t for t in succ.get(m, ()) if t in inside] for m in members}
    deepest = max(m.count(".") + 1 for m in members)
    while deepen and depth < deepest and len({package_of(m, depth + 1) for m in members}) <= MAX_NODES:
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
            f"Showing the {MAX_NODES} most connected of {len(nodes)} packages under {within or 'the root'}."
        )
        nodes = kept
    keep = set(nodes)
    edges = sorted(
        ((a, b, len(pairs)) for (a, b), pairs in collapsed.members.items() if a in keep and b in keep),
        key=lambda edge: (-edge[2], edge[0], edge[1]),
    )
    most = min(MAX_EDGES, max(30, int(EDGES_PER_NODE * len(nodes))))
    if len(edges) > most:
        note += f" The {most} heaviest of {len(edges)} dependencies are drawn."
        edges = edges[:most]
    edges.sort()
    node_succ = {n: {b for a, b, _ in edges if a == n} for n in nodes}
    cyclic = {n for component in cyclic_components(nodes, node_succ) for n in component}
    if within:  # drawn inside one package: its name in front of every node only adds width
        short = {n: n[len(within) + 1 :] or n for n in nodes}
        nodes = sorted(short.values())
        edges = sorted((short[a], short[b], w) for a, b, w in edges)
        cyclic = {short[n] for n in cyclic}
    kinds = dict.fromkeys(nodes, "package")
    return GraphData("packages", nodes, edges, cyclic, kinds), note.strip()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name)

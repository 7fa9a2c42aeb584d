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
from dataclasses import replace

from fitness.model import Analysis
from fitness.model.algorithms import cyclic_components
from fitness.model.views import ImportView, PackageView, package_of
from fitness.report import dot
from fitness.report.graph_view import GraphData, graph_data
from fitness.report.html_dsm import package_depth
from fitness.report.html_picture import Picture, View
from fitness.report.html_services import service_picture

# dot text -> SVG text, or None when Graphviz is not installed (the page then shows adjacency lists)
Draw = Callable[[str], "str | None"]
# every dot text of a page at once -> their SVGs in the same order (so the caller may draw in parallel)
DrawMany = Callable[[list[str]], "list[str | None]"]

MAX_NODES = 80  # per drawn graph
MAX_EDGES = 400  # per drawn graph: the weakest edges go first
EDGES_PER_NODE = 2.5  # and at most this many per node: a denser drawing is a hairball nobody reads
DRILL_DOWN = 6  # module graphs of the most interesting packages, when the whole module graph is too big
LARGE = 150  # modules: above this the page opens on the aggregated views and module detail waits
MAX_DEPTHS = 3  # drawings of the package graph, one per depth

_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
# never worth a module graph of their own: tests, migrations, generated and vendored code
_DULL = re.compile(
    r"(^|\.)(tests?|testing|testsuite|test_\w+|\w+_tests?|conftest|migrations|alembic|generated|"
    r"_generated|\w+_pb2(_grpc)?|vendor|_vendor|vendored)(\.|$)"
)


def pictures(
    analysis: Analysis,
    draw: Draw | None,
    draw_many: DrawMany | None = None,
    imports: ImportView | None = None,
) -> list[Picture]:
    """Every graph the page shows, in order (services, packages, modules: whole or per package), drawn."""
    result = planned(analysis, imports)
    attach(result, draw_all(dot_texts(result), draw, draw_many))
    return result


def planned(analysis: Analysis, imports: ImportView | None = None) -> list[Picture]:
    """Every graph the page shows, not drawn yet: ``dot_texts`` gives what to draw and ``attach`` puts
    the drawings in, so the caller can lay the graphs out while it prepares the rest of the page."""
    result: list[Picture] = []
    if analysis.summary.services:
        result.append(service_picture(analysis))
    view = imports if imports is not None else ImportView.from_graph(analysis.graph)
    if view.modules:
        result.extend(_import_pictures(analysis, view))
    for picture in result:
        for drawing in picture.views:
            drawing.data = replace(drawing.data, backward=against_layering(drawing.data))
    return result


def dot_texts(result: list[Picture]) -> list[str]:
    """The DOT text of every view of every picture, in page order."""
    return [
        dot.render(view.data, f"{picture.ident}-v{index}", view.clusters, view.captions, view.spread)
        for picture in result
        for index, view in enumerate(picture.views)
    ]


def draw_all(texts: list[str], draw: Draw | None, draw_many: DrawMany | None) -> list[str | None]:
    """The SVG of each text (``draw_many`` when given: all at once), None for each without Graphviz."""
    if draw_many is not None:
        return draw_many(texts)
    if draw is not None:
        return [draw(text) for text in texts]
    return [None] * len(texts)


def attach(result: list[Picture], svgs: list[str | None]) -> None:
    """Put the drawings (in the order of ``dot_texts``) into the pictures' views."""
    views = [view for picture in result for view in picture.views]
    for view, svg in zip(views, svgs, strict=True):
        view.svg = None if svg is None else svg_inline(svg)


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
    owner = {m: package_of(m, depth) for m in view.modules}
    sizes = Counter(owner[m] for m in view.modules if m.count(".") + 1 > depth)
    candidates = {p for p, size in sizes.items() if size > 1 and not _DULL.search(p)}
    cyclic = Counter(owner[m] for component in cyclic_components(view.modules, view.succ) for m in component)
    coupling: Counter[str] = Counter()
    for importer in view.modules:
        for imported in view.succ.get(importer, ()):
            a, b = owner[importer], owner[imported]
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
    node_succ: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b, _ in edges:
        node_succ[a].add(b)
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

"""A graph of the HTML report as the page holds it: one picture drawn one or more ways (views), each view
with its SVG and the data the page's script reads to pan, zoom, search, focus, filter, and expand or
collapse domains."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fitness.report.graph_view import GraphData


@dataclass
class View:
    """One drawing of a picture: the graph, its SVG (None without Graphviz) and what was cut."""

    label: str
    data: GraphData
    within: str = ""  # names are relative to this package
    note: str = ""
    svg: str | None = None
    clusters: dict[str, str] = field(default_factory=dict)  # node -> the box it is drawn in (its domain)
    members: dict[str, list[str]] = field(default_factory=dict)  # a collapsed domain's node -> its nodes
    notes: dict[tuple[str, str], str] = field(default_factory=dict)  # a bundled edge -> what it holds
    captions: dict[str, str] = field(default_factory=dict)  # node -> its second line
    spread: bool = False  # laid out by forces, not in layers (see dot.render)


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
        ``[source index, target index, kind, weight]`` (and what a bundled edge holds), in the order of the
        SVG ids; the boxes ``[name, [node indexes]]`` and the members of collapsed domain nodes; and which
        view a domain expands into and collapses back to."""
        data: dict[str, Any] = {"shown": self.shown, "views": [_view_data(view) for view in self.views]}
        collapsed = [k for k, view in enumerate(self.views) if view.members]
        boxed = [k for k, view in enumerate(self.views) if view.clusters]
        if collapsed and boxed:  # a domain node expands into its box there, a box collapses back
            data["collapsed"], data["expanded"] = collapsed[0], boxed[0]
        return data


def _view_data(view: View) -> dict[str, Any]:
    data = view.data
    index = {node: i for i, node in enumerate(data.nodes)}
    result: dict[str, Any] = {
        "label": view.label,
        "within": view.within,
        "note": view.note,
        "nodes": [
            [node, data.kinds.get(node, "module"), data.roles.get(node, ""), int(node in data.cyclic)]
            for node in data.nodes
        ],
        "edges": [
            [index[a], index[b], data.edge_kinds.get((a, b), "imports"), weight]
            + ([view.notes[a, b]] if (a, b) in view.notes else [])
            for a, b, weight in data.edges
        ],
    }
    if view.clusters:
        boxes = sorted(set(view.clusters.values()))
        result["boxes"] = [
            [box, [i for i, node in enumerate(data.nodes) if view.clusters.get(node) == box]] for box in boxes
        ]
    if view.members:
        result["members"] = [[index[node], names] for node, names in sorted(view.members.items())]
    return result

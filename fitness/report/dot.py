"""Graphviz DOT text of a graph level; highlighted nodes (cycles, shared) are drawn red.

With ``ident`` (the HTML report) every node and edge gets a stable SVG id (``<ident>-n<index>``,
``<ident>-e<index>``, indexes into the sorted nodes and edges) and classes for its kind and role
(``nk-service role-infra``, ``ek-calls``), which the page's script filters on; edge weights become line
widths instead of labels (a labelled edge costs ``dot`` ten times the layout time of a plain one).
Names never go into ids or classes, so nothing from the analysed system reaches an attribute unescaped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from fitness.report.graph_view import GraphData

SHAPES = {"datastore": "cylinder", "topic": "cds", "table": "tab", "service": "box3d", "domain": "folder"}


BUSY = 150  # edges: above this the HTML drawing trades a few crossings for a layout three times faster
_LIMITS = "  mclimit=0.1; nslimit=0.5; nslimit1=0.5;"


def render(
    data: GraphData,
    ident: str = "",
    clusters: Mapping[str, str] | None = None,
    captions: Mapping[str, str] | None = None,
    spread: bool = False,
) -> str:
    """The DOT text of ``data``. ``clusters`` (node -> box name) draws each box's nodes inside a labelled
    box (a ``cluster_<index>`` subgraph, id ``<ident>-c<index>`` in box-name order); ``captions`` gives a
    node a second, smaller line (a collapsed domain: how many services it holds). ``spread`` lays the
    graph out by forces (Graphviz's neato) instead of in layers: a dense graph of a few dozen nodes, where
    nearly every node talks to every other, then fits a screen instead of running to 2,000 points wide."""
    lines = [
        "digraph fitness {",
        '  layout=neato; overlap=false; splines=true; sep="+8";' if spread else "  rankdir=LR;",
        *(
            [  # the engine named: one dot process draws a page's graphs, and keeps the last one named
                *([] if spread else ["  layout=dot;"]),
                "  bgcolor=transparent;",
                _LIMITS if len(data.edges) > BUSY else "  mclimit=0.5;",
            ]
            if ident
            else []
        ),
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica"];',
        '  edge [color="#7a869a", fontname="Helvetica", fontsize=10];',
    ]
    boxes = sorted(set((clusters or {}).values()))
    inside: dict[str, list[str]] = {box: [] for box in boxes}
    for index, node in enumerate(data.nodes):
        line = _node(data, node, index, ident, (captions or {}).get(node, ""))
        box = (clusters or {}).get(node)
        if box is None:
            lines.append(line)
        else:
            inside[box].append("  " + line)
    for index, box in enumerate(boxes):
        box_id = f'  id="{ident}-c{index}"; class="box";' if ident else ""
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={quote(box)};{box_id}")
        lines.append(
            '    style="rounded,filled"; fillcolor="#f3f6fb"; color="#b6c2d2"; fontname="Helvetica";'
        )
        lines.extend(inside[box])
        lines.append("  }")
    for index, (source, target, weight) in enumerate(data.edges):
        lines.append(_edge(data, source, target, weight, index, ident))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node(data: GraphData, node: str, index: int, ident: str, caption: str) -> str:
    label = quote(node)
    if caption:  # an HTML-like label: both lines escaped as XML text
        label = f'<{_xml(node)}<BR/><FONT POINT-SIZE="10" COLOR="#5c6b80">{_xml(caption)}</FONT>>'
    attrs = [f"label={label}"]
    if ident:
        attrs.append(f'id="{ident}-n{index}", class="{_node_class(data, node)}"')
    shape = SHAPES.get(data.kinds.get(node, ""))
    if shape:
        attrs.append(f"shape={shape}")
    if node in data.cyclic:
        attrs.append('fillcolor="#ffe3e3", color="#c92a2a"')
    return f"  {quote(node)} [{', '.join(attrs)}];"


def _edge(data: GraphData, source: str, target: str, weight: int, index: int, ident: str) -> str:
    attrs = []
    if ident:
        kind = _token(data.edge_kinds.get((source, target), ""))
        attrs.append(f'id="{ident}-e{index}", class="ek-{kind or "imports"}"')
    if (source, target) in data.backward:
        attrs.append('color="#c92a2a", constraint=false')
    elif source in data.cyclic and target in data.cyclic and not (ident and data.backward):
        attrs.append('color="#c92a2a"')
    style = data.styles.get((source, target))
    if style and style != "solid":
        attrs.append(f"style={style}")
    if ident and weight > 1:
        attrs.append(f"penwidth={min(4.0, 1 + math.log2(weight) / 2):.2f}")
    # the page draws weights as widths; an explicit label (a bundle's count) is drawn all the same
    label = data.labels.get((source, target)) or ("" if ident else str(weight) if weight > 1 else "")
    if label:
        attrs.append(f"label={quote(label)}")
    suffix = f" [{', '.join(attrs)}]" if attrs else ""
    return f"  {quote(source)} -> {quote(target)}{suffix};"


def quote(text: str) -> str:
    """A DOT string literal; backslashes and quotes escaped so names cannot break out of it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _xml(text: str) -> str:
    """Text inside a DOT HTML-like label: XML-escaped, so a name cannot open a tag of its own."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _node_class(data: GraphData, node: str) -> str:
    kind = _token(data.kinds.get(node, "")) or "module"
    role = _token(data.roles.get(node, ""))
    return f"nk-{kind}" + (f" role-{role}" if role else "") + (" hot" if node in data.cyclic else "")


def _token(text: str) -> str:
    """A class name part: letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")

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

from fitness.report.graph_view import GraphData

SHAPES = {"datastore": "cylinder", "topic": "cds", "table": "tab", "service": "box3d"}


BUSY = 150  # edges: above this the HTML drawing trades a few crossings for a layout three times faster
_LIMITS = "  mclimit=0.1; nslimit=0.5; nslimit1=0.5;"


def render(data: GraphData, ident: str = "") -> str:
    lines = [
        "digraph fitness {",
        "  rankdir=LR;",
        *(
            ["  bgcolor=transparent;", _LIMITS if len(data.edges) > BUSY else "  mclimit=0.5;"]
            if ident
            else []
        ),
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica"];',
        '  edge [color="#7a869a", fontname="Helvetica", fontsize=10];',
    ]
    for index, node in enumerate(data.nodes):
        attrs = [f"label={quote(node)}"]
        if ident:
            attrs.append(f'id="{ident}-n{index}", class="{_node_class(data, node)}"')
        shape = SHAPES.get(data.kinds.get(node, ""))
        if shape:
            attrs.append(f"shape={shape}")
        if node in data.cyclic:
            attrs.append('fillcolor="#ffe3e3", color="#c92a2a"')
        lines.append(f"  {quote(node)} [{', '.join(attrs)}];")
    for index, (source, target, weight) in enumerate(data.edges):
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
        label = data.labels.get((source, target)) or (str(weight) if weight > 1 else "")
        if ident and weight > 1:
            attrs.append(f"penwidth={min(4.0, 1 + math.log2(weight) / 2):.2f}")
        if label and not ident:
            attrs.append(f"label={quote(label)}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {quote(source)} -> {quote(target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def quote(text: str) -> str:
    """A DOT string literal; backslashes and quotes escaped so names cannot break out of it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _node_class(data: GraphData, node: str) -> str:
    kind = _token(data.kinds.get(node, "")) or "module"
    role = _token(data.roles.get(node, ""))
    return f"nk-{kind}" + (f" role-{role}" if role else "") + (" hot" if node in data.cyclic else "")


def _token(text: str) -> str:
    """A class name part: letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")

"""Graphviz DOT text of a graph level; highlighted nodes (cycles, shared) are drawn red."""

from __future__ import annotations

from fitness.report.graph_view import GraphData

SHAPES = {"datastore": "cylinder", "topic": "cds", "table": "tab", "service": "box3d"}


def render(data: GraphData) -> str:
    lines = [
        "digraph fitness {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica"];',
        '  edge [color="#7a869a", fontname="Helvetica", fontsize=10];',
    ]
    for node in data.nodes:
        attrs = [f"label={quote(node)}"]
        shape = SHAPES.get(data.kinds.get(node, ""))
        if shape:
            attrs.append(f"shape={shape}")
        if node in data.cyclic:
            attrs.append('fillcolor="#ffe3e3", color="#c92a2a"')
        lines.append(f"  {quote(node)} [{', '.join(attrs)}];")
    for source, target, weight in data.edges:
        attrs = []
        if source in data.cyclic and target in data.cyclic:
            attrs.append('color="#c92a2a"')
        style = data.styles.get((source, target))
        if style and style != "solid":
            attrs.append(f"style={style}")
        label = data.labels.get((source, target)) or (str(weight) if weight > 1 else "")
        if label:
            attrs.append(f"label={quote(label)}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {quote(source)} -> {quote(target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def quote(text: str) -> str:
    """A DOT string literal; backslashes and quotes escaped so names cannot break out of it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'

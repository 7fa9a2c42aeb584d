"""Graphviz DOT text of the module or package graph; nodes on cycles are drawn red."""

from __future__ import annotations

from fitness.report.graph_view import GraphData


def render(data: GraphData) -> str:
    lines = [
        "digraph fitness {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica"];',
        '  edge [color="#7a869a"];',
    ]
    for node in data.nodes:
        extra = ', fillcolor="#ffe3e3", color="#c92a2a"' if node in data.cyclic else ""
        lines.append(f"  {quote(node)} [label={quote(node)}{extra}];")
    for source, target, weight in data.edges:
        attrs = []
        if source in data.cyclic and target in data.cyclic:
            attrs.append('color="#c92a2a"')
        if weight > 1:
            attrs.append(f"label={quote(str(weight))}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {quote(source)} -> {quote(target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def quote(text: str) -> str:
    """A DOT string literal; backslashes and quotes escaped so names cannot break out of it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'

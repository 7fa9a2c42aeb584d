"""Mermaid flowchart of a graph level (renders in GitHub and GitLab markdown)."""

from __future__ import annotations

import re

from fitness.report.graph_view import GraphData

SHAPES = {"datastore": ('[("', '")]'), "topic": ('>"', '"]'), "table": ('[/"', '"/]')}


def render(data: GraphData) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(data.nodes)}
    lines = ["flowchart LR"]
    for node in data.nodes:
        left, right = SHAPES.get(data.kinds.get(node, ""), ('["', '"]'))
        lines.append(f"  {ids[node]}{left}{_label(node)}{right}")
    for source, target, weight in data.edges:
        dashed = data.styles.get((source, target)) in ("dashed", "dotted")
        label = data.labels.get((source, target)) or (str(weight) if weight > 1 else "")
        arrow = "-.->" if dashed else "-->"
        lines.append(f"  {ids[source]} {arrow}{f'|{_label(label)}|' if label else ''} {ids[target]}")
    if data.cyclic:
        lines.append("  classDef cycle fill:#ffe3e3,stroke:#c92a2a,color:#000")
        lines.append("  class " + ",".join(ids[node] for node in sorted(data.cyclic)) + " cycle")
    return "\n".join(lines) + "\n"


def _label(text: str) -> str:
    return re.sub(r'["<>|]', lambda m: f"#{ord(m.group(0))};", text)

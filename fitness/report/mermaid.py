"""Mermaid flowchart of the module or package graph (renders in GitHub and GitLab markdown)."""

from __future__ import annotations

import re

from fitness.report.graph_view import GraphData


def render(data: GraphData) -> str:
    ids = {node: f"n{index}" for index, node in enumerate(data.nodes)}
    lines = ["flowchart LR"]
    for node in data.nodes:
        lines.append(f'  {ids[node]}["{_label(node)}"]')
    for source, target, weight in data.edges:
        arrow = f"-->|{weight}|" if weight > 1 else "-->"
        lines.append(f"  {ids[source]} {arrow} {ids[target]}")
    if data.cyclic:
        lines.append("  classDef cycle fill:#ffe3e3,stroke:#c92a2a,color:#000")
        lines.append("  class " + ",".join(ids[node] for node in sorted(data.cyclic)) + " cycle")
    return "\n".join(lines) + "\n"


def _label(text: str) -> str:
    return re.sub(r'["<>]', lambda m: f"#{ord(m.group(0))};", text)

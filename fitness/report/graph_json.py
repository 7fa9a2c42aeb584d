"""The module or package graph as JSON (nodes, edges with weights, cycle membership)."""

from __future__ import annotations

import json

from fitness.report.graph_view import GraphData


def render(data: GraphData) -> str:
    document = {
        "level": data.level,
        "nodes": [{"id": node, "on_cycle": node in data.cyclic} for node in data.nodes],
        "edges": [{"source": s, "target": t, "imports": w} for s, t, w in data.edges],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"

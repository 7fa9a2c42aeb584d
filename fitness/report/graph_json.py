"""A graph level as JSON (nodes with kind and highlight, edges with weight, style and label)."""

from __future__ import annotations

import json

from fitness.report.graph_view import GraphData


def render(data: GraphData) -> str:
    document = {
        "level": data.level,
        "nodes": [
            {
                "id": node,
                "kind": data.kinds.get(node, data.level.rstrip("s")),
                "on_cycle": node in data.cyclic,
            }
            for node in data.nodes
        ],
        "edges": [
            {
                "source": s,
                "target": t,
                "imports": w,
                "style": data.styles.get((s, t), "solid"),
                "label": data.labels.get((s, t), ""),
            }
            for s, t, w in data.edges
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"

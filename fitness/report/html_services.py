"""The service graph of the HTML report: every service, datastore and topic with its role and each edge
with its kind (calls, events, data), infrastructure included for the page to hide and show; and, for a
large system, the compact drawing of services only."""

from __future__ import annotations

from dataclasses import replace

from fitness.model import Analysis
from fitness.model.graph import EdgeKind, NodeKind
from fitness.report.graph_view import GraphData, graph_data

_STYLE_KIND = {"solid": "calls", "dashed": "events", "dotted": "data"}


def service_graph(analysis: Analysis) -> GraphData:
    """The service graph with roles and edge kinds, infrastructure included (the page hides it at first):
    a datastore or topic only infrastructure uses is infrastructure too."""
    base = graph_data(analysis, "services")
    graph = analysis.graph
    kinds = dict(base.kinds)
    styles = dict(base.styles)
    roles = {name: "service" for name, kind in kinds.items() if kind == "service"}
    infra = {n.name for n in graph.nodes(NodeKind.SERVICE) if n.attrs.get("role") == "infra"}
    edges = set(base.edges)
    links = (
        (EdgeKind.CALLS, "solid", "service"),
        (EdgeKind.CONNECTS, "dotted", "datastore"),
        (EdgeKind.PUBLISHES, "dashed", "topic"),
        (EdgeKind.SUBSCRIBES, "dashed", "topic"),
    )
    for kind, style, target_kind in links:
        for edge in graph.iter_edges(kind):
            source, target = _name(edge.source), _name(edge.target)
            if source not in infra and not (kind is EdgeKind.CALLS and target in infra):
                continue
            kinds.setdefault(source, "service")
            kinds.setdefault(target, target_kind)
            pair = (target, source) if kind is EdgeKind.SUBSCRIBES else (source, target)
            edges.add((*pair, 1))
            styles[pair] = style
    used = {n for a, b, _ in edges for n in (a, b) if a not in infra and b not in infra}
    store_roles = {n.name: str(n.attrs.get("role", "")) for n in graph.nodes(NodeKind.DATASTORE)}
    for name, node_kind in kinds.items():
        if name in infra or (name not in roles and (name not in used or store_roles.get(name) == "infra")):
            roles[name] = "infra"
        elif node_kind == "datastore":  # a broker is plumbing: the topics show what flows through it
            role = store_roles.get(name) or "database"
            roles.setdefault(name, "infra" if role == "broker" else role)
    edge_kinds = {pair: _STYLE_KIND.get(style, "calls") for pair, style in styles.items()}
    return replace(
        base,
        nodes=sorted(kinds),
        edges=sorted(edges),
        kinds=kinds,
        styles=styles,
        roles=roles,
        edge_kinds=edge_kinds,
    )


def compact_services(full: GraphData) -> GraphData:
    """The service graph of a large system: services only, a message flow drawn from publisher to
    subscriber instead of through its topic, and only the datastores more than one service uses."""
    kinds = {n: k for n, k in full.kinds.items() if k == "service"}
    users: dict[str, set[str]] = {}
    publishers: dict[str, set[str]] = {}
    subscribers: dict[str, set[str]] = {}
    for a, b, _ in full.edges:
        kind = full.edge_kinds.get((a, b))
        if kind == "data" and full.kinds.get(b) == "datastore":
            users.setdefault(b, set()).add(a)
        elif kind == "events" and full.kinds.get(b) == "topic":
            publishers.setdefault(b, set()).add(a)
        elif kind == "events" and full.kinds.get(a) == "topic":
            subscribers.setdefault(a, set()).add(b)
    edge_kinds = {
        (a, b): kind
        for (a, b), kind in full.edge_kinds.items()
        if kind == "calls" and a in kinds and b in kinds
    }
    for topic, sources in publishers.items():
        for source in sources:
            for target in subscribers.get(topic, ()):
                if source != target:
                    edge_kinds.setdefault((source, target), "events")
    for store, who in users.items():
        if len(who - {n for n in who if full.roles.get(n) == "infra"}) > 1:
            kinds[store] = "datastore"
            edge_kinds.update({(service, store): "data" for service in who})
    styles = {
        pair: {"calls": "solid", "events": "dashed", "data": "dotted"}[kind]
        for pair, kind in edge_kinds.items()
    }
    return GraphData(
        "services",
        sorted(kinds),
        sorted((a, b, 1) for a, b in edge_kinds),
        {n for n in full.cyclic if n in kinds},
        kinds,
        styles,
        roles={n: r for n, r in full.roles.items() if n in kinds},
        edge_kinds=edge_kinds,
    )


def _name(identifier: str) -> str:
    return identifier.partition(":")[2]

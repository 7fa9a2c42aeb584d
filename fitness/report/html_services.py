"""The service graph of the HTML report: every service, datastore and topic with its role and each edge
with its kind (calls, events, data), infrastructure included for the page to hide and show, each domain
in a box; for a large system, the compact drawing of services only; and, where domains are found, the
domains collapsed into one node each with the edges between them bundled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from fitness.model import Analysis
from fitness.model.graph import EdgeKind, NodeKind
from fitness.report.graph_view import GraphData, graph_data
from fitness.report.html_picture import Picture, View
from fitness.report.service_domains import domains

COMPACT_SERVICES = 30  # services: above this the service graph opens on domains, or on services only
DENSE = 2  # edges per node: a collapsed domain graph denser than this is laid out by forces
COLLAPSE_GAIN = 0.75  # domains: a collapsed view is offered when it has at most this share of the nodes

_STYLE_KIND = {"solid": "calls", "dashed": "events", "dotted": "data"}
_STYLE = {"calls": "solid", "events": "dashed", "data": "dotted"}


def service_picture(analysis: Analysis) -> Picture:
    """The service graph: every service, datastore and topic (infrastructure hidden until asked for), each
    domain's services in a box of their own (``service_domains``). A large system opens on its domains
    collapsed into one node each, the edges between two bundled into one with their count; expanding a
    domain opens the services view on its box."""
    full = service_graph(analysis)
    compact = compact_services(full)
    services = sum(
        1 for n in compact.nodes if compact.kinds.get(n) == "service" and compact.roles.get(n) != "infra"
    )
    large = services > COMPACT_SERVICES
    boxes = domains(analysis, full)
    names = domain_names(full, boxes)
    clusters = {node: names[domain] for node, domain in boxes.items()}
    views = [View("services, topics and datastores", full, clusters=clusters)]
    if large:
        views.insert(0, View("services only", compact, clusters=_within(compact, clusters)))
    collapsed = collapse_domains(compact, _within(compact, boxes), names)
    if boxes and len(collapsed.data.nodes) <= COLLAPSE_GAIN * len(compact.nodes):
        views.insert(
            0 if large else len(views),
            View(
                "domains (collapsed)",
                collapsed.data,
                members=collapsed.members,
                notes=collapsed.notes,
                captions=collapsed.captions,
                spread=len(collapsed.data.edges) > DENSE * len(collapsed.data.nodes),
            ),
        )
    caption = (
        "Calls solid, messages dashed (from publisher to subscriber when topics are left out), "
        "database connections dotted; shared datastores and call cycles in red. Infrastructure "
        "(and the message broker) is hidden until you show it."
    )
    if boxes:
        caption += (
            " Services of one domain (declared, or by deployment group, folder or name prefix) share a box;"
            " click a box to focus on it."
        )
    if any(view.members for view in views):
        caption += (
            " Collapsed, a domain is one node (click it to expand it) and the number on a line counts the"
            " edges it bundles."
        )
    return Picture("graph-services", "Service graph", caption, views)


def _within(data: GraphData, mapping: dict[str, str]) -> dict[str, str]:
    return {node: value for node, value in mapping.items() if node in data.kinds}


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
    styles = {pair: _STYLE[kind] for pair, kind in edge_kinds.items()}
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


@dataclass(frozen=True)
class Collapsed:
    """A graph with each domain drawn as one node: ``members`` says what each domain node stands for,
    ``notes`` what each edge bundles ("3 calls, 1 data"), ``captions`` the second line of a node."""

    data: GraphData
    members: dict[str, list[str]]
    notes: dict[tuple[str, str], str]
    captions: dict[str, str]


def domain_names(data: GraphData, domain_of: Mapping[str, str]) -> dict[str, str]:
    """Domain -> the name of its node and box: the domain itself, unless a node outside every domain
    already has that name."""
    outside = {n for n in data.nodes if n not in domain_of}
    return {d: d if d not in outside else f"{d} (domain)" for d in sorted(set(domain_of.values()))}


def collapse_domains(data: GraphData, domain_of: Mapping[str, str], names: Mapping[str, str]) -> Collapsed:
    """``data`` with the members of each domain merged into one node and the edges between two nodes
    bundled into one, weighted and labelled with how many it stands for (drawn in the kind most of
    them are); edges inside a domain disappear into its node."""
    ends = {n for a, b, _ in data.edges for n in (a, b)}  # (a name two kinds share can be an end only)
    node_of = {n: names[domain_of[n]] if n in domain_of else n for n in sorted(ends.union(data.nodes))}
    bundles: dict[tuple[str, str], Counter[str]] = {}
    for a, b, _ in data.edges:
        pair = (node_of[a], node_of[b])
        if pair[0] != pair[1]:
            bundles.setdefault(pair, Counter())[data.edge_kinds.get((a, b), "calls")] += 1
    members: dict[str, list[str]] = {}
    for node in data.nodes:
        if node in domain_of:
            members.setdefault(node_of[node], []).append(node)
    kinds = {node_of[n]: "domain" if n in domain_of else data.kinds.get(n, "service") for n in node_of}
    roles = {node_of[n]: "service" if n in domain_of else data.roles.get(n, "") for n in node_of}
    edge_kinds = {pair: _main_kind(kinds_seen) for pair, kinds_seen in bundles.items()}
    weights = {pair: sum(kinds_seen.values()) for pair, kinds_seen in bundles.items()}
    collapsed = GraphData(
        data.level,
        sorted(set(node_of.values())),
        sorted((a, b, weights[a, b]) for a, b in bundles),
        {node_of[n] for n in data.cyclic if n in node_of},
        kinds,
        {pair: _STYLE.get(kind, "solid") for pair, kind in edge_kinds.items()},
        {pair: str(weight) for pair, weight in weights.items() if weight > 1},
        roles,
        edge_kinds,
    )
    return Collapsed(
        collapsed,
        members,
        {pair: _note(kinds_seen) for pair, kinds_seen in bundles.items()},
        {node: _count(who, data) for node, who in members.items()},
    )


def _main_kind(kinds: Counter[str]) -> str:
    """The kind most of a bundle's edges are; on a tie the more binding one (calls, data, events)."""
    order = {"calls": 0, "data": 1, "events": 2}
    return min(kinds, key=lambda kind: (-kinds[kind], order.get(kind, 3), kind))


def _note(kinds: Counter[str]) -> str:
    nouns = {
        "calls": ("call", "calls"),
        "data": ("data link", "data links"),
        "events": ("event flow", "event flows"),
    }
    parts = []
    for kind in sorted(kinds, key=lambda k: (-kinds[k], k)):
        one, many = nouns.get(kind, (kind, kind))
        parts.append(f"{kinds[kind]} {one if kinds[kind] == 1 else many}")
    return ", ".join(parts)


def _count(members: list[str], data: GraphData) -> str:
    """What a collapsed domain holds, short enough not to widen its node: ``4 services, 1 store``."""
    kinds = Counter(_SHORT.get(data.kinds.get(m, "service"), data.kinds.get(m, "service")) for m in members)
    return ", ".join(
        f"{kinds[kind]} {kind}{'s' if kinds[kind] != 1 else ''}"
        for kind in sorted(kinds, key=lambda k: (k != "service", k))
    )


_SHORT = {"datastore": "store"}

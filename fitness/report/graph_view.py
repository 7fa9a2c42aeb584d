"""The graph a ``fitness graph`` reporter draws: nodes, weighted edges, and what to highlight.

Levels: ``modules`` and ``packages`` (imports; nodes on cycles highlighted), ``services`` (services,
datastores and topics: calls solid, messages dashed, connections dotted; sync cycles highlighted),
``tables`` (services and the tables they write or read; shared tables highlighted) and ``events``
(service -> service through the topics one publishes and the other consumes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fitness.model import Analysis, FitnessError
from fitness.model.algorithms import cyclic_components
from fitness.model.graph import EdgeKind, NodeKind
from fitness.model.service_view import ServiceView
from fitness.model.views import ImportView, PackageView

LEVELS = ("modules", "packages", "services", "tables", "events")


@dataclass(frozen=True)
class GraphData:
    level: str
    nodes: list[str]
    edges: list[tuple[str, str, int]]  # (source, target, weight: imports behind it, or 1)
    cyclic: set[str]  # highlighted nodes (on a cycle, or shared)
    kinds: dict[str, str] = field(default_factory=dict)  # node -> module|service|datastore|topic|table
    styles: dict[tuple[str, str], str] = field(default_factory=dict)  # edge -> solid|dashed|dotted
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # edge -> text
    roles: dict[str, str] = field(default_factory=dict)  # node -> service|infra|... (infra hidden in HTML)
    edge_kinds: dict[tuple[str, str], str] = field(default_factory=dict)  # edge -> calls|events|data|imports
    # edges that close a cycle against the layering: the HTML drawing paints these (not the whole cycle)
    # red and keeps them from shaping the layout
    backward: set[tuple[str, str]] = field(default_factory=set)


def graph_data(analysis: Analysis, level: str, depth: int | None = None) -> GraphData:
    if level not in LEVELS:
        raise FitnessError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    if level in ("services", "tables", "events"):
        view = ServiceView.from_graph(analysis.graph)
        if not view.services:
            raise FitnessError(f"no services found, so there is no {level} graph (see README: services)")
        return {"services": _services, "tables": _tables, "events": _events}[level](view)
    imports = ImportView.from_graph(analysis.graph)
    if level == "modules":
        nodes = sorted(imports.modules)
        succ = imports.succ
        edges = sorted((a, b, 1) for a in nodes for b in succ[a])
    else:
        chosen = depth or analysis.summary.package_depth
        packages = PackageView.collapse(imports, chosen)
        nodes = sorted(packages.nodes)
        succ = packages.succ
        edges = sorted((a, b, len(pairs)) for (a, b), pairs in packages.members.items())
    cyclic = {node for component in cyclic_components(nodes, succ) for node in component}
    return GraphData(level, nodes, edges, cyclic)


def _services(view: ServiceView) -> GraphData:
    kinds = {s: "service" for s in view.services}
    edges: list[tuple[str, str, int]] = []
    styles: dict[tuple[str, str], str] = {}
    for source in view.services:
        for target in view.calls.get(source, ()):
            edges.append((source, target, 1))
            styles[source, target] = "solid"
        for store, _ in view.connects.get(source, ()):
            kinds[store] = "datastore"
            edges.append((source, store, 1))
            styles[source, store] = "dotted"
        for topic in view.publishes.get(source, ()):
            kinds[topic] = "topic"
            edges.append((source, topic, 1))
            styles[source, topic] = "dashed"
        for topic in view.subscribes.get(source, ()):
            kinds[topic] = "topic"
            edges.append((topic, source, 1))
            styles[topic, source] = "dashed"
    cyclic = {s for component in cyclic_components(view.services, view.calls) for s in component}
    shared = {
        store
        for store, users in _users(view).items()
        if len(users) > 1 and view.store_roles.get(store, "database") == "database"
    }  # a broker or cache used by many is normal; a database used by many is the smell
    return GraphData("services", sorted(kinds), sorted(set(edges)), cyclic | shared, kinds, styles)


def _users(view: ServiceView) -> dict[str, set[str]]:
    users: dict[str, set[str]] = {}
    for service, targets in view.connects.items():
        for store, _ in targets:
            users.setdefault(store, set()).add(service)
    return users


def _tables(view: ServiceView) -> GraphData:
    kinds = {s: "service" for s in view.services}
    edges, styles, labels = [], {}, {}
    shared = set()
    for table in view.tables():
        kinds[table] = "table"
        writers = view.writers.get(table, set())
        readers = view.readers.get(table, set()) - writers
        if len(writers | readers) > 1:
            shared.add(table)
        for service in sorted(writers):
            edges.append((service, table, 1))
            styles[service, table], labels[service, table] = "solid", "writes"
        for service in sorted(readers):
            edges.append((service, table, 1))
            styles[service, table], labels[service, table] = "dashed", "reads"
    return GraphData("tables", sorted(kinds), sorted(edges), shared, kinds, styles, labels)


def _events(view: ServiceView) -> GraphData:
    flow = view.events()
    labels = {}
    for source, targets in flow.items():
        for target in targets:
            topics = sorted(view.publishes.get(source, set()) & view.subscribes.get(target, set()))
            labels[source, target] = ", ".join(topics)
    edges = sorted((a, b, 1) for a, targets in flow.items() for b in targets)
    cyclic = {s for component in cyclic_components(view.services, flow) for s in component}
    styles = {(a, b): "dashed" for a, b, _ in edges}
    return GraphData(
        "events", list(view.services), edges, cyclic, dict.fromkeys(view.services, "service"), styles, labels
    )


__all__ = ["LEVELS", "EdgeKind", "GraphData", "NodeKind", "graph_data"]

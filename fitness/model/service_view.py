"""The service-level views of the ArchGraph: who calls, publishes, subscribes, reads, writes, connects.

Derived from the graph (never stored twice), used by the service smells and the service rules alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from fitness.model.algorithms import cyclic_components, strongly_connected_components
from fitness.model.call_chains import ChainSearch, longest_chains
from fitness.model.evidence import Evidence
from fitness.model.graph import ArchGraph, EdgeKind, NodeKind, node_id

Pair = tuple[str, str]


@dataclass
class ServiceView:
    graph: ArchGraph
    services: list[str]
    calls: dict[str, set[str]] = field(default_factory=dict)
    publishes: dict[str, set[str]] = field(default_factory=dict)
    subscribes: dict[str, set[str]] = field(default_factory=dict)
    readers: dict[str, set[str]] = field(default_factory=dict)  # table -> services
    writers: dict[str, set[str]] = field(default_factory=dict)  # table -> services
    owners: dict[str, str] = field(default_factory=dict)  # table -> declared owner
    connects: dict[str, set[Pair]] = field(default_factory=dict)  # service -> {(datastore, database)}
    imports: dict[str, set[str]] = field(default_factory=dict)  # service -> services it imports
    module_owner: dict[str, str] = field(default_factory=dict)  # module -> service
    store_roles: dict[str, str] = field(default_factory=dict)  # datastore -> database|broker|cache|...
    _tables_used: dict[str, set[str]] | None = field(default=None, repr=False)
    _chains: ChainSearch | None = field(default=None, repr=False)
    _cross: dict[Pair, tuple[Evidence, ...]] | None = field(default=None, repr=False)

    @classmethod
    def from_graph(cls, graph: ArchGraph) -> ServiceView:
        services = judged_services(graph)
        known = {node_id(NodeKind.SERVICE, name) for name in services}
        view = cls(graph, services)
        for name in services:
            sid = node_id(NodeKind.SERVICE, name)
            view.calls[name] = {_name(t) for t in graph.successors(sid, EdgeKind.CALLS) if t in known}
            view.publishes[name] = {_name(t) for t in graph.successors(sid, EdgeKind.PUBLISHES)}
            view.subscribes[name] = {_name(t) for t in graph.successors(sid, EdgeKind.SUBSCRIBES)}
            for table in graph.successors(sid, EdgeKind.READS):
                view.readers.setdefault(_name(table), set()).add(name)
            for table in graph.successors(sid, EdgeKind.WRITES):
                view.writers.setdefault(_name(table), set()).add(name)
            view.connects[name] = {
                (_name(store), str(_edge_attr(graph, sid, store, EdgeKind.CONNECTS, "database")))
                for store in graph.successors(sid, EdgeKind.CONNECTS)
            }
            for module in graph.successors(sid, EdgeKind.CONTAINS):
                view.module_owner[_name(module)] = name
        # (lookup maps: built in the graph's order, no sort of every node of the graph for them)
        for table_node in graph.iter_nodes(NodeKind.TABLE):
            owner = table_node.attrs.get("owner")
            if owner:
                view.owners[table_node.name] = str(owner)
        view.store_roles = {
            n.name: str(n.attrs.get("role", "database")) for n in graph.iter_nodes(NodeKind.DATASTORE)
        }
        view.imports = {name: set() for name in services}
        for (importer, imported), _ in view.cross_imports().items():
            view.imports[view.module_owner[importer]].add(view.module_owner[imported])
        return view

    def call_chains(self) -> ChainSearch:
        """The longest synchronous call chains (``fitness.model.call_chains``), searched once per view."""
        if self._chains is None:
            self._chains = longest_chains(self.calls)
        return self._chains

    def tables_used(self) -> dict[str, set[str]]:
        """service -> the tables it reads or writes (built once per view)."""
        if self._tables_used is None:
            used: dict[str, set[str]] = {}
            for table, who in (*self.readers.items(), *self.writers.items()):
                for service in who:
                    used.setdefault(service, set()).add(table)
            self._tables_used = used
        return self._tables_used

    def tables(self) -> list[str]:
        return sorted(set(self.readers) | set(self.writers) | set(self.owners))

    def owner_of(self, table: str) -> str | None:
        """Declared owner, else the sole writer (write authority defines ownership), else None."""
        if table in self.owners:
            return self.owners[table]
        writers = self.writers.get(table, set())
        return next(iter(writers)) if len(writers) == 1 else None

    def events(self) -> dict[str, set[str]]:
        """Service A -> B when B subscribes to a topic A publishes (choreography flow)."""
        flow: dict[str, set[str]] = {name: set() for name in self.services}
        readers: dict[str, list[str]] = {}  # topic -> its subscribers, in service order: linear, not n^2
        for target in self.services:
            for topic in self.subscribes.get(target, ()):
                readers.setdefault(topic, []).append(target)
        for source in self.services:
            for topic in self.publishes.get(source, ()):
                flow[source].update(target for target in readers.get(topic, ()) if target != source)
        return flow

    def cross_imports(self) -> dict[Pair, tuple[Evidence, ...]]:
        """Module imports that cross from one service into another, with their evidence: read from every
        import once per view (the view, its smells, rules and granularity all ask), a copy each time."""
        if self._cross is None:
            self._cross = self._find_cross_imports()
        return dict(self._cross)

    def _find_cross_imports(self) -> dict[Pair, tuple[Evidence, ...]]:
        result: dict[Pair, tuple[Evidence, ...]] = {}
        owner = self.module_owner
        for edge in self.graph.iter_edges(EdgeKind.IMPORTS):  # every import: names cut inline (_name)
            importer = edge.source.partition(":")[2]
            a = owner.get(importer)
            if not a:
                continue
            imported = edge.target.partition(":")[2]
            b = owner.get(imported)
            if b and a != b:
                result[importer, imported] = edge.evidence
        return dict(sorted(result.items()))

    def evidence(self, source: str, target: str, kind: EdgeKind) -> tuple[Evidence, ...]:
        """Evidence of a service-level edge; ``target`` is a name of the right kind for ``kind``."""
        edge = self.graph.edge(node_id(NodeKind.SERVICE, source), _target_id(kind, target), kind)
        return edge.evidence if edge else ()

    def connect_evidence(self, services: Iterable[str], store: str) -> list[Evidence]:
        """Where each of ``services`` was seen connecting to datastore ``store``."""
        return [e for service in services for e in self.evidence(service, store, EdgeKind.CONNECTS)]

    def access_evidence(self, service: str, table: str) -> tuple[Evidence, ...]:
        found: list[Evidence] = []
        for kind in (EdgeKind.WRITES, EdgeKind.READS):
            found.extend(self.evidence(service, table, kind))
        return tuple(sorted(set(found)))

    def annotation(self, service: str, key: str) -> object:
        return self.graph.node(node_id(NodeKind.SERVICE, service)).attrs.get("annotations", {}).get(key)


def judged_services(graph: ArchGraph) -> list[str]:
    """The services smells and rules judge, sorted: ``ServiceView.from_graph(graph).services`` without
    building the view (a check for "any service?" need not read every import). Infrastructure
    (registries, tracing, load generators, jobs) is drawn, never judged."""
    return sorted(
        node.name
        for node in graph.iter_nodes(NodeKind.SERVICE)
        if node.attrs.get("role", "service") != "infra"
    )


def _target_id(kind: EdgeKind, name: str) -> str:
    target_kind = {
        EdgeKind.CALLS: NodeKind.SERVICE,
        EdgeKind.PUBLISHES: NodeKind.TOPIC,
        EdgeKind.SUBSCRIBES: NodeKind.TOPIC,
        EdgeKind.READS: NodeKind.TABLE,
        EdgeKind.WRITES: NodeKind.TABLE,
        EdgeKind.CONNECTS: NodeKind.DATASTORE,
        EdgeKind.CONTAINS: NodeKind.MODULE,
    }[kind]
    return node_id(target_kind, name)


def _name(identifier: str) -> str:
    return identifier.partition(":")[2]


def _edge_attr(graph: ArchGraph, source: str, target: str, kind: EdgeKind, key: str) -> object:
    edge = graph.edge(source, target, kind)
    return edge.attrs.get(key, "") if edge else ""


# Weights of the distributed-monolith signals (documented in the README and an ADR).
MONOLITH_WEIGHTS = {
    "shared tables": 0.3,
    "shared database": 0.2,
    "shared code": 0.2,
    "sync cycle": 0.2,
    "long sync chain": 0.1,
    "co-change": 0.2,
}


def shared_databases(view: ServiceView) -> dict[tuple[str, str], list[str]]:
    """(datastore, database) -> services connected to it, for two or more services that do not keep
    to schemas of their own (see :func:`schema_separated`)."""
    return {key: names for key, names in _database_users(view).items() if not schema_separated(view, names)}


def separate_schemas(view: ServiceView) -> dict[tuple[str, str], list[str]]:
    """(datastore, database) -> services sharing it, each in schemas no other of them touches."""
    return {key: names for key, names in _database_users(view).items() if schema_separated(view, names)}


def schema_separated(view: ServiceView, services: list[str]) -> bool:
    """True when every service names only schema-qualified tables (``catalog.products``) and no schema
    is used by two of them: one database, separate schemas, a weaker coupling than shared tables."""
    owners: dict[str, str] = {}
    used = view.tables_used()
    for service in services:
        tables = used.get(service, set())
        if not tables or any("." not in table for table in tables):
            return False
        for schema in {table.split(".", 1)[0] for table in tables}:
            if owners.setdefault(schema, service) != service:
                return False
    return True


def _database_users(view: ServiceView) -> dict[tuple[str, str], list[str]]:
    users: dict[tuple[str, str], set[str]] = {}
    for service, targets in view.connects.items():
        for target in targets:
            if view.store_roles.get(target[0], "database") == "database":
                users.setdefault(target, set()).add(service)
    return {key: sorted(names) for key, names in sorted(users.items()) if len(names) > 1}


def ownership(view: ServiceView, table: str) -> str:
    """``sole``, ``joint``, ``common`` or ``none`` (Hard Parts), from who writes and who reads."""
    writers = view.writers.get(table, set())
    readers = view.readers.get(table, set()) - writers
    if len(writers) > 1:
        return "joint"
    if len(writers) == 1:
        return "common" if readers else "sole"
    return "none"


def monolith_groups(view: ServiceView) -> list[tuple[list[str], dict[str, list[str]]]]:
    """Groups of services coupled by the signals, each with ``signal -> [evidence summaries]``."""
    links: dict[str, set[str]] = {s: set() for s in view.services}
    signals: dict[frozenset[str], dict[str, list[str]]] = {}

    def couple(names: Iterable[str], signal: str, why: str) -> None:
        group = sorted(set(names))
        for a, b in itertools.pairwise(group):  # a path joins the group as well as a clique, linearly
            links[a].add(b)
            links[b].add(a)
        signals.setdefault(frozenset(group), {}).setdefault(signal, []).append(why)

    for table in view.tables():
        writers = view.writers.get(table, set())
        if len(writers) > 1:
            couple(writers, "shared tables", f"{table} written by {', '.join(sorted(writers))}")
    for (store, database), services in shared_databases(view).items():
        couple(services, "shared database", f"{database or store} used by {', '.join(services)}")
    for a, targets in view.imports.items():
        for b in targets:
            couple((a, b), "shared code", f"{a} imports {b}")
    for component in cyclic_components(view.services, view.calls):
        couple(component, "sync cycle", " <-> ".join(component))
    for chain in view.call_chains().chains:
        if len(chain) > 3:
            couple(chain, "long sync chain", " -> ".join(chain))
    for edge in view.graph.iter_edges(EdgeKind.CO_CHANGES):
        a, b = edge.source.partition(":")[2], edge.target.partition(":")[2]
        if a in links and b in links:
            couple((a, b), "co-change", f"{a} and {b} change together ({edge.attrs.get('degree', '?')}%)")
    components = [c for c in strongly_connected_components(view.services, links) if len(c) > 1]
    component_of = {member: index for index, component in enumerate(components) for member in component}
    fired: list[dict[str, list[str]]] = [{} for _ in components]
    for members, found in signals.items():  # a coupled group lies inside one component: its first member's
        index = component_of.get(min(members)) if members else None
        if index is not None:
            for signal, reasons in found.items():
                fired[index].setdefault(signal, []).extend(reasons)
    return [
        (component, {k: sorted(set(v)) for k, v in sorted(fired[index].items())})
        for index, component in enumerate(components)
    ]


def monolith_score(fired: dict[str, list[str]]) -> float:
    return round(min(1.0, sum(MONOLITH_WEIGHTS[signal] for signal in fired)), 2)

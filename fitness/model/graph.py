"""ArchGraph: the one typed graph every analysis, rule and reporter reads.

Node ids are namespaced strings (``module:shop.orders.api``, ``service:orders``, ``table:orders``) so that
one graph can hold modules, services, datastores, tables and topics without name clashes. Edges are keyed
by (source, target, kind); seeing the same edge twice merges its evidence instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any, NamedTuple

from fitness.model.evidence import Evidence

_NO_ATTRS: Mapping[str, Any] = MappingProxyType({})


class NodeKind(str, Enum):
    __hash__ = str.__hash__  # C-level hash: Enum's own is a Python call, hot in graph dict keys

    MODULE = "module"
    EXTERNAL = "external"
    SERVICE = "service"
    DATASTORE = "datastore"
    TABLE = "table"
    TOPIC = "topic"


class EdgeKind(str, Enum):
    __hash__ = str.__hash__

    IMPORTS = "imports"
    CALLS = "calls"
    PUBLISHES = "publishes"
    SUBSCRIBES = "subscribes"
    READS = "reads"
    WRITES = "writes"
    CONNECTS = "connects"
    CO_CHANGES = "co_changes"
    CONTAINS = "contains"


def node_id(kind: NodeKind, name: str) -> str:
    """``node_id(NodeKind.MODULE, "shop.api") == "module:shop.api"``."""
    return kind + ":" + name  # str concatenation skips Enum's slow ``.value`` descriptor


@dataclass(frozen=True)
class Node:
    id: str
    kind: NodeKind
    name: str
    attrs: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "name": self.name,
            "attrs": {key: self.attrs[key] for key in sorted(self.attrs)},
            "evidence": [item.to_json() for item in self.evidence],
        }


class Edge(NamedTuple):
    """A typed edge with its evidence. A NamedTuple for speed: a large codebase has 40,000 of them."""

    source: str
    target: str
    kind: EdgeKind
    evidence: tuple[Evidence, ...] = ()
    attrs: Mapping[str, Any] = _NO_ATTRS

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind.value,
            "attrs": {key: self.attrs[key] for key in sorted(self.attrs)},
            "evidence": [item.to_json() for item in self.evidence],
        }


Refine = Callable[[tuple[Evidence, ...]], tuple[Evidence, ...]]
"""Rewrites one edge's evidence (same items, in the same order, each possibly refined)."""


class ArchGraph:
    """A typed multigraph (one edge per source, target and kind) with evidence on everything."""

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._edges: dict[tuple[str, str, EdgeKind], Edge] = {}
        self._out: dict[EdgeKind, dict[str, set[str]]] = {}
        self._in: dict[EdgeKind, dict[str, set[str]]] = {}
        self._later: dict[str, tuple[EdgeKind, Refine]] = {}  # source -> evidence refined when first read

    # -- building -----------------------------------------------------------------------------
    def add_node(
        self,
        kind: NodeKind,
        name: str,
        attrs: Mapping[str, Any] | None = None,
        evidence: Iterable[Evidence] = (),
    ) -> str:
        """Add (or enrich) a node and return its id; attributes of a later call win."""
        identifier = node_id(kind, name)
        old = self._nodes.get(identifier)
        merged_attrs = {**(old.attrs if old else {}), **(attrs or {})}
        merged_evidence = _merge(old.evidence if old else (), evidence)
        self._nodes[identifier] = Node(identifier, kind, name, merged_attrs, merged_evidence)
        return identifier

    def add_edge(
        self,
        source: str,
        target: str,
        kind: EdgeKind,
        evidence: Iterable[Evidence] = (),
        attrs: Mapping[str, Any] | None = None,
    ) -> None:
        """Add an edge between two existing nodes; repeated edges merge their evidence."""
        for end in (source, target):
            if end not in self._nodes:
                raise KeyError(f"unknown node {end!r}")
        key = (source, target, kind)
        if source in self._later:
            self._settle(source)
        old = self._edges.get(key)
        if old is None:
            self._edges[key] = Edge(source, target, kind, tuple(sorted(set(evidence))), attrs or _NO_ATTRS)
            self._out.setdefault(kind, {}).setdefault(source, set()).add(target)
            self._in.setdefault(kind, {}).setdefault(target, set()).add(source)
        else:
            self._edges[key] = old._replace(
                evidence=_merge(old.evidence, evidence), attrs={**old.attrs, **(attrs or {})}
            )

    def add_edges(self, kind: EdgeKind, grouped: Mapping[tuple[str, str], Iterable[Evidence]]) -> None:
        """Many ``add_edge`` calls in one: what collectors use for tens of thousands of imports."""
        nodes, edges = self._nodes, self._edges
        make = tuple.__new__  # Edge is a NamedTuple: build it in C, skipping its Python __new__
        out = self._out.setdefault(kind, {})
        into = self._in.setdefault(kind, {})
        for (source, target), evidence in grouped.items():
            key = (source, target, kind)
            if key in edges or source not in nodes or target not in nodes:
                self.add_edge(source, target, kind, evidence)  # merges, or raises for unknown nodes
                continue
            seen = tuple(evidence)
            if len(seen) > 1:
                seen = tuple(sorted(set(seen)))
            edges[key] = make(Edge, (source, target, kind, seen, _NO_ATTRS))
            if source in out:
                out[source].add(target)
            else:
                out[source] = {target}
            if target in into:
                into[target].add(source)
            else:
                into[target] = {source}

    # -- queries ------------------------------------------------------------------------------
    def __contains__(self, identifier: object) -> bool:
        return identifier in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def node(self, identifier: str) -> Node:
        return self._nodes[identifier]

    def nodes(self, kind: NodeKind | None = None) -> list[Node]:
        """Nodes sorted by id (deterministic output everywhere downstream)."""
        if kind is None:
            return [self._nodes[key] for key in sorted(self._nodes)]
        return [self._nodes[key] for key in sorted(k for k, n in self._nodes.items() if n.kind is kind)]

    def iter_nodes(self, kind: NodeKind) -> Iterator[Node]:
        """Unsorted nodes of one kind, for hot loops that sort afterwards (or never need to)."""
        return (node for node in self._nodes.values() if node.kind is kind)

    def refine_later(self, source: str, kind: EdgeKind, refine: Refine) -> None:
        """Let ``refine`` rewrite the evidence of ``source``'s ``kind`` edges when anything first reads it
        (an edge, a list of edges, JSON, a snapshot), not before. For what is costly to find and seldom
        read: whether an import runs lazily takes a second read of the importing module, and a plain
        check reads the evidence of the few imports in its findings' chains, not of all 40,000."""
        self._later[source] = (kind, refine)

    def _settle(self, source: str) -> None:
        kind, refine = self._later.pop(source)
        for target in self._out.get(kind, {}).get(source, ()):
            key = (source, target, kind)
            edge = self._edges[key]
            self._edges[key] = edge._replace(evidence=refine(edge.evidence))

    def _settle_all(self) -> None:
        for source in sorted(self._later):
            self._settle(source)

    def edges(self, kind: EdgeKind | None = None) -> list[Edge]:
        if self._later:
            self._settle_all()
        keys = sorted(key for key in self._edges if kind is None or key[2] is kind)
        return [self._edges[key] for key in keys]

    def iter_edges(self, kind: EdgeKind) -> Iterator[Edge]:
        """Unsorted edges of one kind, for hot loops that sort afterwards (or never need to)."""
        if self._later:
            self._settle_all()
        return (edge for key, edge in self._edges.items() if key[2] is kind)

    def edge(self, source: str, target: str, kind: EdgeKind) -> Edge | None:
        if source in self._later:
            self._settle(source)
        return self._edges.get((source, target, kind))

    def successors(self, identifier: str, kind: EdgeKind) -> set[str]:
        return self._out.get(kind, {}).get(identifier, set())

    def predecessors(self, identifier: str, kind: EdgeKind) -> set[str]:
        return self._in.get(kind, {}).get(identifier, set())

    def adjacency(self, kind: EdgeKind) -> dict[str, set[str]]:
        """The raw successor map of one edge kind (read-only by convention: do not mutate)."""
        return self._out.get(kind, {})

    def snapshot(self) -> tuple[dict[str, Node], dict[tuple[str, str, EdgeKind], Edge]]:
        """The nodes and edges as they are now: nodes and edges are immutable and replaced when they
        change, so comparing these objects by identity later tells what a step added or changed."""
        if self._later:
            self._settle_all()
        return dict(self._nodes), dict(self._edges)

    # -- serialisation ------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [node.to_json() for node in self.nodes()],
            "edges": [edge.to_json() for edge in self.edges()],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArchGraph:
        graph = cls()
        for raw in data.get("nodes", []):
            graph.add_node(
                NodeKind(raw["kind"]),
                str(raw["name"]),
                dict(raw.get("attrs", {})),
                [Evidence.from_json(item) for item in raw.get("evidence", [])],
            )
        for raw in data.get("edges", []):
            graph.add_edge(
                str(raw["source"]),
                str(raw["target"]),
                EdgeKind(raw["kind"]),
                [Evidence.from_json(item) for item in raw.get("evidence", [])],
                dict(raw.get("attrs", {})),
            )
        return graph


def _merge(old: tuple[Evidence, ...], new: Iterable[Evidence]) -> tuple[Evidence, ...]:
    added = tuple(new)
    if not added:
        return old
    return tuple(sorted(set(old).union(added)))

"""Who consumes a contract, from the service graph: the callers of the service that owns it, or the
subscribers of the topic its events go to.

- The owner is the service whose folder holds the contract file (the longest folder wins; a service
  deployed from the repository root owns what no other service does).
- OpenAPI: services that call the owner (calls that are not gRPC).
- Protobuf: services whose gRPC calls name one of the file's services (the stub in their code,
  ``CartServiceStub``), and services that call the owner over gRPC.
- Avro and JSON Schema: subscribers of the topic named like the schema (file name, record ``name`` or
  ``title``: ``order-placed.avsc``, ``OrderPlaced`` and topic ``orders.placed`` match); without such a
  topic, subscribers of every topic the owner publishes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fitness.model import ArchGraph, EdgeKind, NodeKind
from fitness.model.contracts import ContractDoc, ContractPair, ProtoFile
from fitness.model.graph import Edge

_NOISE = frozenset({"event", "events", "schema", "value", "key", "avro", "json", "message", "msg", "topic"})
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+\d*|\d+")


@dataclass(frozen=True, order=True)
class Consumer:
    service: str
    via: str  # "calls orders over http", "subscribes to order-placed"
    at: str = ""  # where the call or subscription is seen: "billing/app.py:12"

    def __str__(self) -> str:
        return f"{self.service} ({self.via}{f', {self.at}' if self.at else ''})"

    def to_json(self) -> dict[str, str]:
        return {"service": self.service, "via": self.via, "at": self.at}


@dataclass(frozen=True)
class Consumers:
    owner: str | None
    found: tuple[Consumer, ...]

    def note(self) -> str:
        if self.found:
            return "consumers: " + ", ".join(str(c) for c in self.found)
        if self.owner is not None:
            return f"no known consumers of {self.owner}"
        return "consumers unknown"


def consumers_of(pair: ContractPair, graph: ArchGraph) -> Consumers:
    owner = owner_of(pair.path, graph)
    found: dict[str, Consumer] = {}
    if pair.kind == "openapi" and owner is not None:
        for edge in _calls_to(graph, owner):
            if edge.attrs.get("protocol") != "grpc":
                found.setdefault(edge.source, _caller(edge, owner))
    elif pair.kind == "protobuf":
        names = _proto_services(pair)
        for edge in sorted(graph.edges(EdgeKind.CALLS), key=_ends):
            if edge.attrs.get("protocol") == "grpc" and _mentions(edge, names):
                found.setdefault(edge.source, _caller(edge, _name(edge.target)))
                owner = owner or _name(edge.target)
        if owner is not None:
            for edge in _calls_to(graph, owner):
                if edge.attrs.get("protocol") in ("grpc", "unknown"):
                    found.setdefault(edge.source, _caller(edge, owner))
    elif pair.kind in ("avro", "json-schema"):
        for consumer in _subscribers(pair, graph, owner):
            found.setdefault(f"service:{consumer.service}", consumer)
    found.pop(f"service:{owner}", None)
    return Consumers(owner, tuple(sorted(found.values())))


def owner_of(path: str, graph: ArchGraph) -> str | None:
    """The service whose folder holds ``path`` (the longest folder; ``.`` last)."""
    best: tuple[int, str] | None = None
    for node in graph.nodes(NodeKind.SERVICE):
        if node.attrs.get("role") == "infra":
            continue
        for folder in node.attrs.get("folders") or ():
            folder = str(folder).strip("/")
            if folder in ("", "."):
                size = 0
            elif path.startswith(folder + "/"):
                size = len(folder) + 1
            else:
                continue
            if best is None or (size, node.name) > best:
                best = (size, node.name)
    return best[1] if best else None


def _calls_to(graph: ArchGraph, owner: str) -> list[Edge]:
    target = f"service:{owner}"
    return sorted((edge for edge in graph.edges(EdgeKind.CALLS) if edge.target == target), key=_ends)


def _caller(edge: Edge, owner: str) -> Consumer:
    protocol = str(edge.attrs.get("protocol") or "unknown")
    return Consumer(_name(edge.source), f"calls {owner} over {protocol}", _at(edge))


def _at(edge: Edge) -> str:
    """Where the edge is seen, code first (a call's resolution chain starts in the caller's code)."""
    chain = edge.attrs.get("chain")
    if isinstance(chain, (list, tuple)) and chain:
        return str(chain[0])
    if not edge.evidence:
        return ""
    first = edge.evidence[0]
    return f"{first.path}:{first.line}" if first.line else first.path


def _ends(edge: Edge) -> tuple[str, str]:
    return (edge.source, edge.target)


def _name(node_id: str) -> str:
    return node_id.split(":", 1)[1]


def _proto_services(pair: ContractPair) -> set[str]:
    names: set[str] = set()
    for side in (pair.base, pair.head):
        if isinstance(side, ProtoFile):
            names.update(service.name for service in side.services)
    return names


def _mentions(edge: Edge, names: set[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name)}", item.text) for item in edge.evidence for name in names)


def _subscribers(pair: ContractPair, graph: ArchGraph, owner: str | None) -> list[Consumer]:
    keys = _schema_keys(pair)
    topics = [node for node in graph.nodes(NodeKind.TOPIC) if _key(node.name) in keys]
    via = "subscribes to {}"
    if not topics and owner is not None:
        published = {
            edge.target for edge in graph.edges(EdgeKind.PUBLISHES) if edge.source == f"service:{owner}"
        }
        topics = [node for node in graph.nodes(NodeKind.TOPIC) if node.id in published]
        via = f"subscribes to {{}}, which {owner} publishes"
    found = []
    for topic in sorted(topics, key=lambda node: node.id):
        for edge in sorted(graph.edges(EdgeKind.SUBSCRIBES), key=_ends):
            if edge.target == topic.id:
                found.append(Consumer(_name(edge.source), via.format(topic.name), _at(edge)))
    return found


def _schema_keys(pair: ContractPair) -> set[str]:
    """The names a topic for this schema may have: the file name, the record name, the title."""
    stem = pair.path.rsplit("/", 1)[-1].split(".", 1)[0]
    keys = {_key(stem)}
    for side in (pair.base, pair.head):
        if isinstance(side, ContractDoc) and isinstance(side.data, dict):
            for field in ("name", "title"):
                value = side.data.get(field)
                if isinstance(value, str):
                    keys.add(_key(value.rsplit(".", 1)[-1]))
    keys.discard("")
    return keys


def _key(name: str) -> str:
    """``orders.placed``, ``OrderPlaced``, ``order-placed-v1`` and ``OrderPlacedEvent`` -> ``orderplaced``."""
    words = [word.lower() for word in _WORD.findall(name)]
    kept = [w for w in words if w not in _NOISE and not re.fullmatch(r"v?\d+", w)]
    return "".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in kept)

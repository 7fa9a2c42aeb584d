"""Contracts (OpenAPI, protobuf, Avro, JSON Schema) as two revisions of one file, and what changed.

Collectors read the files (``fitness.collect.contracts``); the comparison (``fitness.analyze.contracts``)
works on these values only. A JSON or YAML contract is its data plus the line of every key path
(``("paths", "/orders", "get")`` -> 12); a ``.proto`` file is parsed into the small tree below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fitness.model.key_paths import KeyPath as KeyPath  # re-exported: collectors import it from here
from fitness.model.key_paths import nearest_line

KINDS = ("openapi", "protobuf", "avro", "json-schema")


@dataclass(frozen=True)
class ContractDoc:
    """A JSON or YAML contract: ``data`` as ``yaml.safe_load``/``json.loads`` made it, ``lines`` by key
    path (a missing path falls back to its nearest ancestor, see ``line``)."""

    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict, compare=False)

    def line(self, key_path: KeyPath) -> int:
        return nearest_line(self.lines, key_path)


@dataclass(frozen=True)
class ProtoField:
    """A message field or an enum value (``type`` empty); ``label`` is repeated, optional, required or
    empty; map fields have ``type`` ``map<K,V>``; ``oneof`` names the oneof it belongs to."""

    name: str
    number: int
    line: int
    type: str = ""
    label: str = ""
    oneof: str = ""


@dataclass(frozen=True)
class ProtoReserved:
    """``reserved 2, 9 to 11;`` and ``reserved "foo";``: numbers as inclusive ranges, and names."""

    ranges: tuple[tuple[int, int], ...] = ()
    names: frozenset[str] = frozenset()

    def has_number(self, number: int) -> bool:
        return any(low <= number <= high for low, high in self.ranges)


@dataclass(frozen=True)
class ProtoType:
    """A message or an enum, by full name (``orders.v1.Order.Line``)."""

    name: str
    kind: str  # "message" | "enum"
    line: int
    fields: tuple[ProtoField, ...] = ()
    reserved: ProtoReserved = ProtoReserved()


@dataclass(frozen=True)
class ProtoRpc:
    name: str
    request: str
    response: str
    line: int
    client_streaming: bool = False
    server_streaming: bool = False


@dataclass(frozen=True)
class ProtoService:
    name: str
    line: int
    rpcs: tuple[ProtoRpc, ...] = ()


@dataclass(frozen=True)
class ProtoFile:
    path: str
    package: str = ""
    package_line: int = 0
    syntax: str = "proto2"
    types: tuple[ProtoType, ...] = ()
    services: tuple[ProtoService, ...] = ()


Contract = ContractDoc | ProtoFile


@dataclass(frozen=True)
class ContractPair:
    """One contract file in the base revision and now; ``base`` None: new file, ``head`` None: deleted."""

    path: str
    kind: str  # one of KINDS
    base: Contract | None
    head: Contract | None


@dataclass(frozen=True)
class ContractChange:
    """One difference between the revisions. ``line`` is in the new revision, or in the base revision when
    ``in_base`` (something removed); ``element`` names what changed (``GET /orders/{id}``,
    ``orders.v1.Order.email``), ``kind`` the change (``removed-field``)."""

    kind: str
    element: str
    message: str
    line: int
    breaking: bool
    fix: str = ""
    in_base: bool = False


@dataclass(frozen=True)
class ContractRun:
    """What ``fitness contracts`` compared, for its reports: the base revision as the user reads it
    (``HEAD~1``, ``merge base of main and HEAD``) and its commit, the contract files that changed, and
    how many were the same on both sides."""

    base: str
    commit: str
    compared: tuple[str, ...] = ()
    unchanged: int = 0
    warnings: tuple[str, ...] = ()

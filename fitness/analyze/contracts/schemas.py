"""Compare two JSON-Schema-like schemas (JSON Schema documents, and the schemas inside OpenAPI): removed
properties, new required properties, type changes, added optional properties; nested objects and array
items too, each named by its path (``customer.address.zip``, ``lines[].sku``).

Whether a change breaks depends on the direction data flows, so the caller passes a ``Policy``: a removed
property breaks a response (clients read it) but not a request (the server ignores what it no longer
reads); a new required property breaks a request (old clients do not send it) but not a response.

``$ref`` to the same file (``#/components/schemas/Order``, ``#/$defs/Line``) is followed, at most
``MAX_REFS`` in a row; a reference to another file is opaque. ``allOf`` members are merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fitness.model.contracts import ContractChange, ContractDoc, KeyPath

MAX_REFS = 16
MAX_DEPTH = 24


@dataclass(frozen=True)
class Policy:
    """``noun`` as messages say it (``field``, ``property``), ``slug`` in change kinds
    (``removed-response-field``)."""

    noun: str
    slug: str
    removed_breaks: bool
    new_required_breaks: bool
    removed_fix: str = ""
    required_fix: str = ""


@dataclass(frozen=True)
class Located:
    """A schema node and the key path where it is written (after following ``$ref``)."""

    node: Any
    path: KeyPath


TYPE_FIX = (
    "add a field with the new type and deprecate the old one (or publish a new version); never change a "
    "field's type in place"
)


def resolve(doc: ContractDoc, located: Located) -> Located:
    """Follow same-file ``$ref`` pointers (``#/a/b``); anything else comes back as it is."""
    for _ in range(MAX_REFS):
        node = located.node
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return located
        target: Any = doc.data
        path: list[str | int] = []
        for raw in ref[2:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
                path.append(part)
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
                path.append(int(part))
            else:
                return located
        located = Located(target, tuple(path))
    return located


def compare(
    base: ContractDoc, old: Located, head: ContractDoc, new: Located, context: str, policy: Policy
) -> list[ContractChange]:
    """The changes from ``old`` to ``new``, each element named ``context`` + the field's path
    (``GET /orders/{id} response 200: lines[].sku``)."""
    changes: list[ContractChange] = []
    _compare(base, old, head, new, "", _Walk(context, policy, changes), 0, set())
    return changes


@dataclass(frozen=True)
class _Walk:
    context: str
    policy: Policy
    out: list[ContractChange]

    def element(self, where: str) -> str:
        return f"{self.context}{where or 'body'}"

    def says(self, where: str, what: str) -> str:
        """``GET /orders response 200: field customer.email removed``."""
        subject = f"{self.policy.noun} {where}" if where else "body"
        return f"{self.context}{subject}{what}"

    def add(
        self, kind: str, where: str, what: str, line: int, breaking: bool, fix: str, in_base: bool = False
    ) -> None:
        self.out.append(
            ContractChange(
                kind.format(self.policy.slug), self.element(where), what, line, breaking, fix, in_base
            )
        )


def _compare(
    base: ContractDoc,
    old: Located,
    head: ContractDoc,
    new: Located,
    where: str,
    walk: _Walk,
    depth: int,
    seen: set[tuple[KeyPath, KeyPath]],
) -> None:
    old, new = resolve(base, old), resolve(head, new)
    if depth > MAX_DEPTH or (old.path, new.path) in seen:
        return
    seen = {*seen, (old.path, new.path)}
    before, after = _Shape.of(base, old), _Shape.of(head, new)
    if before.type and after.type and before.type != after.type:
        what = walk.says(where, f": type changed from {before.type} to {after.type}")
        walk.add("{}-type-changed", where, what, head.line((*new.path, "type")), True, TYPE_FIX)
        return
    _properties(base, before, head, after, where, walk, depth, seen)
    if before.items is not None and after.items is not None:
        _compare(base, before.items, head, after.items, f"{where}[]", walk, depth + 1, seen)


def _properties(
    base: ContractDoc,
    before: _Shape,
    head: ContractDoc,
    after: _Shape,
    where: str,
    walk: _Walk,
    depth: int,
    seen: set[tuple[KeyPath, KeyPath]],
) -> None:
    policy = walk.policy
    for name in sorted(set(before.properties) - set(after.properties)):
        field = _join(where, name)
        line = base.line(before.properties[name].path)
        fix = policy.removed_fix if policy.removed_breaks else ""
        what = walk.says(field, " removed")
        walk.add("removed-{}", field, what, line, policy.removed_breaks, fix, in_base=True)
    for name in sorted(after.properties):
        field = _join(where, name)
        line = head.line(after.properties[name].path)
        breaks, fix = policy.new_required_breaks, policy.required_fix if policy.new_required_breaks else ""
        if name not in before.properties:
            if name in after.required:
                walk.add("new-required-{}", field, walk.says(field, " added, required"), line, breaks, fix)
            else:
                walk.add("added-{}", field, walk.says(field, " added, optional"), line, False, "")
            continue
        if name in after.required and name not in before.required:
            walk.add("new-required-{}", field, walk.says(field, " became required"), line, breaks, fix)
        _compare(base, before.properties[name], head, after.properties[name], field, walk, depth + 1, seen)


@dataclass(frozen=True)
class _Shape:
    type: str
    properties: dict[str, Located]
    required: frozenset[str]
    items: Located | None

    @classmethod
    def of(cls, doc: ContractDoc, located: Located) -> _Shape:
        node = located.node if isinstance(located.node, dict) else {}
        properties: dict[str, Located] = {}
        required: set[str] = set()
        parts = [located]
        for index, member in enumerate(node.get("allOf") or []):
            parts.append(resolve(doc, Located(member, (*located.path, "allOf", index))))
        kind = _type(node)
        for part in parts:
            part_node = part.node if isinstance(part.node, dict) else {}
            for name, value in sorted((part_node.get("properties") or {}).items()):
                properties.setdefault(str(name), Located(value, (*part.path, "properties", name)))
            required.update(str(name) for name in part_node.get("required") or () if isinstance(name, str))
            kind = kind or _type(part_node)
        items = node.get("items")
        item = Located(items, (*located.path, "items")) if isinstance(items, dict) else None
        if not kind and properties:
            kind = "object"
        return cls(kind, properties, frozenset(required), item)


def _type(node: dict[str, Any]) -> str:
    """``string``, ``integer|null`` (a list of types), or "" when not said."""
    kind = node.get("type")
    if isinstance(kind, list):
        return "|".join(sorted(str(item) for item in kind))
    return str(kind) if isinstance(kind, str) else ""


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name

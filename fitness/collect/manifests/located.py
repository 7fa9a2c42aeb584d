"""YAML data that remembers where each value was written, across files.

A kustomize overlay patches a base object with values from other files (a patch, a generator's env file,
the kustomization itself). The object read afterwards must still point at the line that wrote each value,
so that ``API_ADDR=orders:8080`` patched in by ``overlays/prod/env.yaml`` has that file's line as evidence,
not the base's. :func:`locate` copies a document's data into :class:`LDict`/:class:`LList`, which record
for every key or item the document and key path it came from; :func:`origin` looks a key path up.
"""

from __future__ import annotations

from typing import Any

from fitness.collect.manifests.yaml_lines import KeyPath, YamlDoc

Where = tuple[YamlDoc, KeyPath]
"""A document and the key path of a value in it."""

MAX_NODES = 200_000
"""Mappings and sequences one copy may hold: an alias bomb is cut short, not expanded."""


class LDict(dict[Any, Any]):
    """A mapping whose every key knows where its value was written."""

    def __init__(self) -> None:
        super().__init__()
        self.origin: dict[Any, Where] = {}

    def put(self, key: Any, value: Any, where: Where) -> None:
        self[key] = value
        self.origin[key] = where

    def drop(self, key: Any) -> None:
        self.pop(key, None)
        self.origin.pop(key, None)


class LList(list[Any]):
    """A sequence whose every item knows where it was written."""

    def __init__(self) -> None:
        super().__init__()
        self.origin: list[Where] = []

    def add(self, value: Any, where: Where, at: int | None = None) -> None:
        position = len(self) if at is None else at
        self.insert(position, value)
        self.origin.insert(position, where)

    def put(self, at: int, value: Any, where: Where) -> None:
        self[at] = value
        self.origin[at] = where

    def drop(self, at: int) -> None:
        del self[at]
        del self.origin[at]


def locate(value: Any, doc: YamlDoc, path: KeyPath) -> Any:
    """A copy of ``value`` (found at ``path`` in ``doc``) whose mappings and sequences record origins.

    Shared (aliased) nodes are copied once, so the copy is as large as the document, never larger."""
    return _Copier(doc).copy(value, path)


class _Copier:
    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.done: dict[int, Any] = {}
        self.nodes = 0

    def copy(self, value: Any, path: KeyPath) -> Any:
        if not isinstance(value, (dict, list)):
            return value
        if id(value) in self.done:
            return self.done[id(value)]
        self.nodes += 1
        if self.nodes > MAX_NODES:
            return LDict() if isinstance(value, dict) else LList()
        if isinstance(value, dict):
            mapping = LDict()
            self.done[id(value)] = mapping
            for key, item in value.items():
                mapping.put(key, self.copy(item, (*path, key)), (self.doc, (*path, key)))
            return mapping
        sequence = LList()
        self.done[id(value)] = sequence
        for index, item in enumerate(value):
            sequence.add(self.copy(item, (*path, index)), (self.doc, (*path, index)))
        return sequence


def origin(data: Any, keys: KeyPath) -> Where | None:
    """Where the value at ``keys`` (or its deepest written ancestor) came from; None for plain data."""
    found: Where | None = None
    node = data
    for key in keys:
        if isinstance(node, LDict) and key in node:
            found = node.origin.get(key, found)
            node = node[key]
        elif isinstance(node, LList) and isinstance(key, int) and 0 <= key < len(node):
            found = node.origin[key]
            node = node[key]
        else:
            break
    return found

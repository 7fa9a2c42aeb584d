"""Avro event schemas: can consumers on the old schema and the new one still read each other's records?

Avro resolves a writer's schema against a reader's field by field, so compatibility in both directions
needs defaults. Breaking: a field removed that had no default (readers on the old schema need it), a
field added without a default (readers on the new schema cannot read old records), a type changed
other than by Avro's promotions (int -> long, float, double; long -> float, double; float -> double;
string <-> bytes), a union that lost a branch, an enum that lost a symbol (without an enum default), a
record renamed without an alias, a fixed of another size. Compatible (info): fields added or removed
with a default, promotions, new union branches and enum symbols.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fitness.analyze.contracts.schemas import Located
from fitness.model.contracts import ContractChange, ContractDoc, KeyPath

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
PROMOTIONS = {
    "int": {"long", "float", "double"},
    "long": {"float", "double"},
    "float": {"double"},
    "string": {"bytes"},
    "bytes": {"string"},
}
MAX_DEPTH = 24
DEFAULT_FIX = (
    'give the field a default ("default": null with a ["null", ...] union, or a value) so both sides can read'
)
TYPE_FIX = "add a new field with the new type (and a default), and deprecate the old one"


def compare_avro(base: ContractDoc, head: ContractDoc) -> list[ContractChange]:
    walk = _Walk(_Side(base, _named(base)), _Side(head, _named(head)))
    walk.type(Located(base.data, ()), Located(head.data, ()), "", 0)
    return walk.out


@dataclass(frozen=True)
class _Side:
    doc: ContractDoc
    names: dict[str, Located]

    def resolve(self, located: Located) -> Located:
        node = located.node
        if isinstance(node, str) and node not in PRIMITIVES:
            return self.names.get(node) or next(
                (value for name, value in self.names.items() if name.rsplit(".", 1)[-1] == node), located
            )
        if isinstance(node, dict) and isinstance(node.get("type"), str) and node["type"] in PRIMITIVES:
            return Located(node["type"], (*located.path, "type"))  # {"type": "string", "logicalType": ...}
        return located


@dataclass
class _Walk:
    base: _Side
    head: _Side
    out: list[ContractChange] = field(default_factory=list)

    def add(
        self,
        kind: str,
        element: str,
        what: str,
        line: int,
        breaking: bool,
        fix: str = "",
        in_base: bool = False,
    ) -> None:
        self.out.append(ContractChange(kind, element or "record", what, line, breaking, fix, in_base))

    def type(self, old: Located, new: Located, where: str, depth: int) -> None:
        old, new = self.base.resolve(old), self.head.resolve(new)
        if depth > MAX_DEPTH:
            return
        before, after = _kind(old.node), _kind(new.node)
        line = self.head.doc.line(new.path)
        if before == "union" or after == "union":
            self._union(old, new, where, line, depth)
        elif before != after:
            self._changed(before, after, where, line)
        elif before == "record":
            self._record(old, new, where, depth)
        elif before == "enum":
            self._enum(old, new, where, line)
        elif before in ("array", "map"):
            key = "items" if before == "array" else "values"
            self.type(
                Located(old.node.get(key), (*old.path, key)),
                Located(new.node.get(key), (*new.path, key)),
                f"{where}[]",
                depth + 1,
            )
        elif before == "fixed" and old.node.get("size") != new.node.get("size"):
            what = f"{where or 'record'}: fixed size changed from {old.node.get('size')} to {new.node.get('size')}"
            self.add("field-type-changed", where, what, line, True, TYPE_FIX)

    def _changed(self, before: str, after: str, where: str, line: int) -> None:
        what = f"{where or 'record'}: type changed from {before} to {after}"
        if after in PROMOTIONS.get(before, ()):
            self.add("type-promoted", where, what + " (an Avro promotion)", line, False)
        else:
            self.add("field-type-changed", where, what, line, True, TYPE_FIX)

    def _union(self, old: Located, new: Located, where: str, line: int, depth: int) -> None:
        before = _branches(self.base, old)
        after = _branches(self.head, new)
        lost = sorted(before.keys() - after.keys())
        if lost:
            what = f"{where or 'record'}: union lost {', '.join(lost)}"
            self.add(
                "narrowed-union", where, what, line, True, "keep every branch of the union; add branches only"
            )
        elif after.keys() - before.keys():
            what = f"{where or 'record'}: union gained {', '.join(sorted(after.keys() - before.keys()))}"
            self.add("widened-union", where, what, line, False)
        for name in sorted(before.keys() & after.keys()):
            if name not in PRIMITIVES:  # records, enums, arrays, maps, fixed: compare inside
                self.type(before[name], after[name], where, depth + 1)

    def _record(self, old: Located, new: Located, where: str, depth: int) -> None:
        old_name, new_name = _fullname(old.node), _fullname(new.node)
        aliases = {str(a) for a in new.node.get("aliases") or ()}
        if old_name != new_name and old_name not in aliases and old_name.rsplit(".", 1)[-1] not in aliases:
            what = f"record {old_name} renamed to {new_name} without an alias"
            fix = f'add "aliases": ["{old_name}"] to the record, or keep its name'
            self.add("renamed-record", where or new_name, what, self.head.doc.line(new.path), True, fix)
        before = _fields(old)
        after = _fields(new)
        renamed = {
            alias: name for name, located in after.items() for alias in located.node.get("aliases") or ()
        }
        for name, located in sorted(before.items()):
            if name in after or name in renamed:
                target = after.get(name) or after[renamed[name]]
                self.type(_typed(located), _typed(target), _join(where, name), depth + 1)
                continue
            line = self.base.doc.line((*located.path, "name"))
            if "default" in located.node:
                self.add(
                    "removed-field",
                    _join(where, name),
                    f"field {_join(where, name)} removed (it had a default)",
                    line,
                    False,
                    "",
                    True,
                )
            else:
                what = f"field {_join(where, name)} removed, and it had no default: readers on the old schema need it"
                self.add(
                    "removed-field-without-default", _join(where, name), what, line, True, DEFAULT_FIX, True
                )
        for name, located in sorted(after.items()):
            if name in before or any(alias in before for alias in located.node.get("aliases") or ()):
                continue
            line = self.head.doc.line((*located.path, "name"))
            if "default" in located.node:
                self.add(
                    "added-field",
                    _join(where, name),
                    f"field {_join(where, name)} added with a default",
                    line,
                    False,
                )
            else:
                what = f"field {_join(where, name)} added without a default: records written before cannot be read"
                self.add("added-field-without-default", _join(where, name), what, line, True, DEFAULT_FIX)

    def _enum(self, old: Located, new: Located, where: str, line: int) -> None:
        before = [str(s) for s in old.node.get("symbols") or ()]
        after = {str(s) for s in new.node.get("symbols") or ()}
        lost = [s for s in before if s not in after]
        if lost and "default" not in new.node:
            what = f"{where or _fullname(new.node)}: enum symbols removed: {', '.join(lost)}"
            fix = 'keep the symbols, or give the enum a "default" symbol readers fall back to'
            self.add("removed-enum-symbol", where, what, line, True, fix)
        gained = sorted(after - set(before))
        if gained:
            what = f"{where or _fullname(new.node)}: enum symbols added: {', '.join(gained)}"
            self.add("added-enum-symbol", where, what, line, False)


def _kind(node: Any) -> str:
    if isinstance(node, list):
        return "union"
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        return str(node.get("type", ""))
    return ""


def _fullname(node: dict[str, Any]) -> str:
    name = str(node.get("name", ""))
    namespace = node.get("namespace")
    return f"{namespace}.{name}" if namespace and "." not in name else name


def _named(doc: ContractDoc) -> dict[str, Located]:
    """Every named type (record, enum, fixed) the document defines, by full name."""
    found: dict[str, Located] = {}

    def visit(node: Any, path: KeyPath, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(node, list):
            for index, item in enumerate(node):
                visit(item, (*path, index), depth + 1)
        elif isinstance(node, dict):
            if node.get("type") in ("record", "enum", "fixed", "error") and node.get("name"):
                found.setdefault(_fullname(node), Located(node, path))
            for key in ("fields", "items", "values", "type"):
                if key in node and not isinstance(node[key], str):
                    visit(node[key], (*path, key), depth + 1)

    visit(doc.data, (), 0)
    return found


def _fields(record: Located) -> dict[str, Located]:
    listed = record.node.get("fields")
    found: dict[str, Located] = {}
    for index, item in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            found[item["name"]] = Located(item, (*record.path, "fields", index))
    return found


def _typed(field_located: Located) -> Located:
    return Located(field_located.node.get("type"), (*field_located.path, "type"))


def _branches(side: _Side, located: Located) -> dict[str, Located]:
    """A union's branches by name (``null``, ``string``, a record's full name); a non-union is one branch."""
    items = located.node if isinstance(located.node, list) else None
    members = (
        [Located(item, (*located.path, index)) for index, item in enumerate(items)]
        if items is not None
        else [located]
    )
    found: dict[str, Located] = {}
    for member in members:
        resolved = side.resolve(member)
        node = resolved.node
        kind = _kind(node)
        name = _fullname(node) if isinstance(node, dict) and node.get("name") else kind
        found.setdefault(name, resolved)
    return found


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name

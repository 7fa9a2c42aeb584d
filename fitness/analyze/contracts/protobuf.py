"""Protobuf: what old binaries, old generated code and stored messages no longer understand.

Breaking: a renamed package; a removed message, enum, service or rpc; a field (or enum value) removed
without reserving its number; a field whose number changed; a number reused by a field of another name
and type (or one that was reserved); a field renamed on the same number (the wire keeps working, JSON and
generated code break); a changed field type or label (``repeated``); a changed rpc request, response or
streaming. Compatible (info): new messages, fields, enum values, services and rpcs; a field removed with
its number reserved.
"""

from __future__ import annotations

from fitness.model.contracts import ContractChange, ProtoField, ProtoFile, ProtoRpc, ProtoService, ProtoType

RESERVE_FIX = (
    'put the number (and the name) in `reserved` so nobody reuses it: reserved {number}; reserved "{name}";'
)
NUMBER_FIX = "field numbers are the wire format: give the field back its number {number}; add new fields with new numbers"
TYPE_FIX = "add a new field with a new number and the new type, and reserve the old one"
API_FIX = (
    "keep the old {what} (deprecated) until no client uses it, or publish a new package version (orders.v2)"
)


def compare_proto(base: ProtoFile, head: ProtoFile) -> list[ContractChange]:
    changes: list[ContractChange] = []
    if base.package != head.package:
        changes.append(
            ContractChange(
                "renamed-package",
                head.package or "(no package)",
                f"package renamed from {base.package or '(none)'} to {head.package or '(none)'}: every "
                "fully qualified message and service name changes",
                head.package_line or 1,
                True,
                "keep the package name; publish breaking changes as a new versioned package (orders.v2) "
                "next to the old one",
            )
        )
    old_types = {_local(base, t.name): t for t in base.types}
    new_types = {_local(head, t.name): t for t in head.types}
    for name in sorted(old_types.keys() - new_types.keys()):
        kind = old_types[name].kind
        what = f"{kind} {old_types[name].name} removed"
        fix = API_FIX.format(what=kind)
        changes.append(
            ContractChange(
                f"removed-{kind}", old_types[name].name, what, old_types[name].line, True, fix, True
            )
        )
    for name in sorted(new_types.keys() - old_types.keys()):
        new = new_types[name]
        changes.append(
            ContractChange(f"added-{new.kind}", new.name, f"{new.kind} {new.name} added", new.line, False)
        )
    for name in sorted(old_types.keys() & new_types.keys()):
        old, new = old_types[name], new_types[name]
        if old.kind == new.kind:
            changes.extend(_fields(base, old, head, new))
    changes.extend(_services(base, head))
    return changes


def _local(proto: ProtoFile, name: str) -> str:
    """A type's name without the file's package, so a renamed package is reported once, not per type."""
    prefix = f"{proto.package}."
    return name[len(prefix) :] if proto.package and name.startswith(prefix) else name


def _fields(base: ProtoFile, old: ProtoType, head: ProtoFile, new: ProtoType) -> list[ContractChange]:
    changes: list[ContractChange] = []
    noun = "field" if new.kind == "message" else "value"
    by_number = {f.number: f for f in new.fields}
    by_name = {f.name: f for f in new.fields}
    old_numbers = {f.number for f in old.fields}
    for before in sorted(old.fields, key=lambda f: f.number):
        label = f"{noun} {before.name} = {before.number} of {new.name}"
        after = by_number.get(before.number)
        moved = by_name.get(before.name)
        if moved is not None and moved.number != before.number:
            what = f"{label}: number changed to {moved.number}"
            changes.append(
                ContractChange(
                    "changed-field-number",
                    f"{new.name}.{before.name}",
                    what,
                    moved.line,
                    True,
                    NUMBER_FIX.format(number=before.number),
                )
            )
        if after is None:
            if moved is None:
                changes.append(_removed(before, label, new, noun))
            continue
        element = f"{new.name}.{after.name}"
        if after.name != before.name:
            if moved is not None or _type(base, before) != _type(head, after):
                what = f"{label}: number reused by {noun} {after.name} ({after.type or 'value'})"
                fix = RESERVE_FIX.format(number=before.number, name=before.name)
                changes.append(ContractChange("reused-field-number", element, what, after.line, True, fix))
            else:
                what = f"{label} renamed to {after.name}: binary clients still work, JSON and generated code break"
                fix = f"keep the name {before.name}, or add the new name as a new field and deprecate the old one"
                changes.append(ContractChange("renamed-field", element, what, after.line, True, fix))
            continue
        if new.kind == "message" and (_type(base, before), before.label) != (_type(head, after), after.label):
            old_kind = f"{before.label} {before.type}".strip()
            new_kind = f"{after.label} {after.type}".strip()
            what = f"{label}: type changed from {old_kind} to {new_kind}"
            changes.append(ContractChange("field-type-changed", element, what, after.line, True, TYPE_FIX))
    for after in sorted(new.fields, key=lambda f: f.number):
        if after.number in old_numbers or (after.name in {f.name for f in old.fields}):
            continue
        element = f"{new.name}.{after.name}"
        if old.reserved.has_number(after.number) or after.name in old.reserved.names:
            what = f"{noun} {after.name} = {after.number} of {new.name} reuses a reserved number or name"
            fix = "reserved numbers and names are never used again: pick a new number and name"
            changes.append(ContractChange("reused-reserved-number", element, what, after.line, True, fix))
        elif after.label == "required":
            what = f"new required {noun} {after.name} = {after.number} of {new.name}"
            fix = "make the field optional: old senders do not set it"
            changes.append(ContractChange("new-required-field", element, what, after.line, True, fix))
        else:
            what = f"{noun} {after.name} = {after.number} added to {new.name}"
            changes.append(ContractChange(f"added-{noun}", element, what, after.line, False))
    return changes


def _removed(before: ProtoField, label: str, new: ProtoType, noun: str) -> ContractChange:
    element = f"{new.name}.{before.name}"
    if new.reserved.has_number(before.number):
        return ContractChange(
            f"removed-{noun}", element, f"{label} removed, number reserved", before.line, False, "", True
        )
    what = f"{label} removed without reserving its number"
    fix = RESERVE_FIX.format(number=before.number, name=before.name)
    return ContractChange(f"removed-{noun}-not-reserved", element, what, before.line, True, fix, True)


def _type(proto: ProtoFile, field: ProtoField) -> str:
    """The field's type with a leading dot and the file's own package left out (``.orders.v1.Line`` and
    ``Line`` are one type)."""
    return _local(proto, field.type.lstrip("."))


def _services(base: ProtoFile, head: ProtoFile) -> list[ContractChange]:
    changes: list[ContractChange] = []
    old = {s.name: s for s in base.services}
    new = {s.name: s for s in head.services}
    for name in sorted(old.keys() - new.keys()):
        what = f"service {name} removed"
        changes.append(
            ContractChange(
                "removed-service", name, what, old[name].line, True, API_FIX.format(what="service"), True
            )
        )
    for name in sorted(new.keys() - old.keys()):
        changes.append(ContractChange("added-service", name, f"service {name} added", new[name].line, False))
    for name in sorted(old.keys() & new.keys()):
        changes.extend(_rpcs(base, old[name], head, new[name]))
    return changes


def _rpcs(base: ProtoFile, old: ProtoService, head: ProtoFile, new: ProtoService) -> list[ContractChange]:
    changes: list[ContractChange] = []
    before = {r.name: r for r in old.rpcs}
    after = {r.name: r for r in new.rpcs}
    for name in sorted(before.keys() - after.keys()):
        element = f"{new.name}.{name}"
        what = f"rpc {element} removed"
        changes.append(
            ContractChange(
                "removed-rpc", element, what, before[name].line, True, API_FIX.format(what="rpc"), True
            )
        )
    for name in sorted(after.keys() - before.keys()):
        element = f"{new.name}.{name}"
        changes.append(ContractChange("added-rpc", element, f"rpc {element} added", after[name].line, False))
    for name in sorted(before.keys() & after.keys()):
        was, now = _signature(base, before[name]), _signature(head, after[name])
        if was != now:
            element = f"{new.name}.{name}"
            what = f"rpc {element} changed from {was} to {now}"
            fix = "add a new rpc with the new signature and deprecate the old one"
            changes.append(ContractChange("changed-rpc", element, what, after[name].line, True, fix))
    return changes


def _signature(proto: ProtoFile, rpc: ProtoRpc) -> str:
    request = ("stream " if rpc.client_streaming else "") + _local(proto, rpc.request.lstrip("."))
    response = ("stream " if rpc.server_streaming else "") + _local(proto, rpc.response.lstrip("."))
    return f"({request}) returns ({response})"

"""OpenAPI 3 and Swagger 2: what a client of the old revision notices in the new one.

Breaking: a removed path (``/orders/{id}`` and ``/orders/{orderId}`` are the same path), a removed
operation (``DELETE /orders/{id}``), a removed success response (``200``), a field removed from a success
response body, a new required request-body field (or an optional one made required), a new required
parameter, a body became required, and a changed type of a request or response field or a parameter.
Compatible (info): new paths, operations, optional fields and parameters; fields removed from a request.
"""

from __future__ import annotations

import re
from typing import Any

from fitness.analyze.contracts.schemas import TYPE_FIX, Located, Policy, compare, resolve
from fitness.model.contracts import ContractChange, ContractDoc, KeyPath

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REQUEST = Policy(
    "field",
    "request-field",
    removed_breaks=False,
    new_required_breaks=True,
    required_fix="make the new field optional (with a default on the server), or publish the change as a new "
    "API version",
)
RESPONSE = Policy(
    "field",
    "response-field",
    removed_breaks=True,
    new_required_breaks=False,
    removed_fix="keep returning the field (deprecate it) until no client reads it, or publish the change as a "
    "new API version",
)
VERSION_FIX = (
    "keep the old {} next to the new one (deprecated) until no client uses it, or publish a new API version"
)
_TEMPLATE = re.compile(r"\{[^}]*\}")


def compare_openapi(base: ContractDoc, head: ContractDoc) -> list[ContractChange]:
    old, new = _paths(base), _paths(head)
    changes: list[ContractChange] = []
    for shape in sorted(old.keys() - new.keys()):
        path = old[shape]
        line = base.line(("paths", path))
        fix = VERSION_FIX.format("path")
        changes.append(ContractChange("removed-path", path, f"path {path} removed", line, True, fix, True))
    for shape in sorted(new.keys() - old.keys()):
        path = new[shape]
        changes.append(
            ContractChange("added-path", path, f"path {path} added", head.line(("paths", path)), False)
        )
    for shape in sorted(old.keys() & new.keys()):
        changes.extend(_operations(base, old[shape], head, new[shape]))
    return changes


def _paths(doc: ContractDoc) -> dict[str, str]:
    """``{"/orders/{}": "/orders/{id}"}``: paths by their shape (template names left out)."""
    paths = doc.data.get("paths") if isinstance(doc.data, dict) else None
    if not isinstance(paths, dict):
        return {}
    return {_TEMPLATE.sub("{}", str(path)): str(path) for path in sorted(paths, key=str)}


def _operations(base: ContractDoc, old_path: str, head: ContractDoc, new_path: str) -> list[ContractChange]:
    before, after = _item(base, old_path), _item(head, new_path)
    changes: list[ContractChange] = []
    for method in METHODS:
        name = f"{method.upper()} {new_path}"
        if method in before and method not in after:
            line = base.line(("paths", old_path, method))
            fix = VERSION_FIX.format("operation")
            changes.append(
                ContractChange("removed-operation", name, f"operation {name} removed", line, True, fix, True)
            )
        elif method in after and method not in before:
            line = head.line(("paths", new_path, method))
            changes.append(ContractChange("added-operation", name, f"operation {name} added", line, False))
        elif method in before:
            old_op = _Operation(base, ("paths", old_path, method))
            new_op = _Operation(head, ("paths", new_path, method))
            changes.extend(_parameters(old_op, new_op, name))
            changes.extend(_request(old_op, new_op, name))
            changes.extend(_responses(old_op, new_op, name))
    return changes


def _item(doc: ContractDoc, path: str) -> dict[str, Any]:
    item = doc.data["paths"].get(path)
    return item if isinstance(item, dict) else {}


class _Operation:
    """One operation of one revision, with the path item's parameters merged under its own."""

    def __init__(self, doc: ContractDoc, path: KeyPath) -> None:
        self.doc = doc
        self.path = path
        node = doc.data["paths"][path[1]][path[2]]
        self.node: dict[str, Any] = node if isinstance(node, dict) else {}
        self.parameters: dict[tuple[str, str], Located] = {}
        for owner in (path[:2], path):
            listed = _get(doc.data, owner).get("parameters")
            for index, raw in enumerate(listed if isinstance(listed, list) else []):
                located = resolve(doc, Located(raw, (*owner, "parameters", index)))
                if isinstance(located.node, dict):
                    key = (str(located.node.get("in", "")), str(located.node.get("name", "")))
                    self.parameters[key] = located

    def body(self) -> tuple[Located | None, bool]:
        """The request body's schema (OpenAPI 3 ``requestBody``, Swagger 2 ``in: body``) and whether the
        body is required."""
        for key, located in self.parameters.items():
            if key[0] == "body":
                schema = located.node.get("schema")
                return Located(schema, (*located.path, "schema")), bool(located.node.get("required"))
        raw = self.node.get("requestBody")
        if raw is None:
            return None, False
        body = resolve(self.doc, Located(raw, (*self.path, "requestBody")))
        if not isinstance(body.node, dict):
            return None, False
        return _content_schema(body), bool(body.node.get("required"))

    def responses(self) -> dict[str, Located]:
        raw = self.node.get("responses")
        found: dict[str, Located] = {}
        for code, value in sorted((raw if isinstance(raw, dict) else {}).items(), key=lambda kv: str(kv[0])):
            found[str(code)] = resolve(self.doc, Located(value, (*self.path, "responses", code)))
        return found


def _parameters(old: _Operation, new: _Operation, name: str) -> list[ContractChange]:
    changes: list[ContractChange] = []
    for key, located in sorted(new.parameters.items()):
        if key[0] in ("body", "path"):
            continue  # the body is compared as a schema; path parameters come with the path
        label = f"{key[0]} parameter {key[1]!r} of {name}"
        line = new.doc.line(located.path)
        required = bool(located.node.get("required"))
        before = old.parameters.get(key)
        if before is None:
            if required:
                fix = "make the parameter optional with a default, or publish a new API version"
                changes.append(
                    ContractChange("new-required-parameter", name, f"new required {label}", line, True, fix)
                )
            else:
                changes.append(
                    ContractChange("added-parameter", name, f"optional {label} added", line, False)
                )
            continue
        if required and not before.node.get("required"):
            fix = "keep the parameter optional, or publish a new API version"
            changes.append(
                ContractChange("new-required-parameter", name, f"{label} became required", line, True, fix)
            )
        old_type, new_type = _parameter_type(old.doc, before), _parameter_type(new.doc, located)
        if old_type and new_type and old_type != new_type:
            what = f"{label}: type changed from {old_type} to {new_type}"
            changes.append(ContractChange("parameter-type-changed", name, what, line, True, TYPE_FIX))
    return changes


def _parameter_type(doc: ContractDoc, located: Located) -> str:
    node = located.node
    schema = node.get("schema")
    if isinstance(schema, dict):  # OpenAPI 3
        node = resolve(doc, Located(schema, ())).node
    kind = node.get("type") if isinstance(node, dict) else None
    return str(kind) if isinstance(kind, str) else ""


def _request(old: _Operation, new: _Operation, name: str) -> list[ContractChange]:
    (old_schema, _old_required), (new_schema, new_required) = old.body(), new.body()
    if new_schema is not None and old_schema is None:
        if not new_required:
            return []
        line = new.doc.line(new_schema.path)
        fix = "make the body optional, or publish a new API version"
        return [
            ContractChange(
                "new-required-request-body", name, f"{name}: new required request body", line, True, fix
            )
        ]
    if old_schema is None or new_schema is None:
        return []
    return compare(old.doc, old_schema, new.doc, new_schema, f"{name} request: ", REQUEST)


def _responses(old: _Operation, new: _Operation, name: str) -> list[ContractChange]:
    changes: list[ContractChange] = []
    before, after = old.responses(), new.responses()
    for code, located in before.items():
        if not code.startswith("2"):
            continue
        if code not in after:
            line = old.doc.line(located.path)
            fix = VERSION_FIX.format("response")
            what = f"{name}: response {code} removed"
            changes.append(ContractChange("removed-response", name, what, line, True, fix, True))
            continue
        old_schema, new_schema = _content_schema(located), _content_schema(after[code])
        if old_schema is not None and new_schema is not None:
            changes.extend(
                compare(old.doc, old_schema, new.doc, new_schema, f"{name} response {code}: ", RESPONSE)
            )
    return changes


def _content_schema(located: Located) -> Located | None:
    """The schema of a response or request body: ``schema`` (Swagger 2), or ``content`` by media type,
    ``application/json`` first, else the first media type in sorted order."""
    node = located.node if isinstance(located.node, dict) else {}
    if isinstance(node.get("schema"), dict):
        return Located(node["schema"], (*located.path, "schema"))
    content = node.get("content")
    if not isinstance(content, dict) or not content:
        return None
    media = "application/json" if "application/json" in content else sorted(content, key=str)[0]
    value = content[media]
    if not isinstance(value, dict) or not isinstance(value.get("schema"), dict):
        return None
    return Located(value["schema"], (*located.path, "content", media, "schema"))


def _get(data: Any, path: KeyPath) -> dict[str, Any]:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}

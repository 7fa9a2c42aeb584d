"""JSON Schema fragments for the rule types: each type's own keys, from its Option declarations.

The config layer wraps these into the schema of the whole fitness.yaml; the pipeline joins the two
(``fitness schema``). Generated from the same declarations that validate a config, so the schema cannot
drift from what ``fitness check`` accepts.
"""

from __future__ import annotations

from typing import Any

from fitness.rules.base import Option, RuleType
from fitness.rules.registry import ENTRY_POINT_GROUP, rule_types, trusted_path

_STRINGS: dict[str, Any] = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
}
KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "str_list": _STRINGS,
    "modules": _STRINGS,
    "any": {},
}


def rule_type_schemas(include_plugins: bool = True) -> dict[str, dict[str, Any]]:
    """Rule type name -> ``{"description", "properties", "required"}`` for its own keys.

    Built-in types, and with ``include_plugins`` the types published under the ``fitness.rules`` entry
    point group that load without error.
    """
    types: dict[str, type[RuleType[object]]] = dict(rule_types())
    if include_plugins:
        types.update({name: kind for name, kind in _plugins().items() if name not in types})
    return {name: _type_schema(kind) for name, kind in sorted(types.items())}


def option_schema(option: Option) -> dict[str, Any]:
    schema = dict(KIND_SCHEMAS.get(option.kind, {}))
    description = option.help or option.name
    if option.kind == "modules":
        description += " (module names; * is one segment, ** any number)"
    schema["description"] = description
    if option.default is not None:
        schema["default"] = option.default
    return schema


def _type_schema(kind: type[RuleType[object]]) -> dict[str, Any]:
    return {
        "description": f"{kind.code}: {kind.summary}" if kind.code else kind.summary,
        "properties": {option.name: option_schema(option) for option in kind.options},
        "required": [option.name for option in kind.options if option.required],
    }


def _plugins() -> dict[str, type[RuleType[object]]]:
    from importlib import metadata

    found: dict[str, type[RuleType[object]]] = {}
    with trusted_path():  # installed plugins only, never one sitting in the working directory
        for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                candidate = entry.load()
            except Exception:  # a broken plugin must not break the schema of everything else
                continue
            if isinstance(candidate, type) and issubclass(candidate, RuleType):
                found[entry.name] = candidate
    return found

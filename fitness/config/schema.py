"""The JSON Schema of fitness.yaml, for editors (autocomplete, hover help, red squiggles).

Built from the same constants the loader validates with (top-level keys, rule keys, smells, service
keys), plus the rule types' own keys, which the caller passes in (the config layer does not know the
rule registry; the pipeline joins both). Draft-07, which editors' YAML plugins all understand. Every
mapping has ``additionalProperties: false``, as the loader rejects unknown keys; a rule's own keys are
checked by an ``if type == X then ...`` branch per rule type, and a custom type written as a dotted path
(``mypkg.rules:NoOrmInViews``) accepts any keys.
"""

from __future__ import annotations

from typing import Any

from fitness.config.loader import RULE_KEYS, SERVICE_KEYS, SEVERITIES, TOP_KEYS
from fitness.model.decisions import ADR_FORMATS, ADR_STATUSES
from fitness.model.granularity import (
    DEFAULT_MARGIN,
    DEFAULT_MERGE_THRESHOLD,
    DEFAULT_SPLIT_THRESHOLD,
    DEFAULT_WEIGHTS,
)
from fitness.model.history import HistorySettings
from fitness.model.thresholds import DEFAULT_SMELLS, SMELL_KNOBS

CUSTOM_TYPE = r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$"

_STRINGS: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}

TOP_SCHEMAS: dict[str, dict[str, Any]] = {
    "version": {"description": "Config format version; this fitness reads 1.", "const": 1},
    "root": {
        **_STRINGS,
        "description": "Source root(s); default: src/ if it holds packages, else the folder.",
    },
    "packages": {**_STRINGS, "description": "Root packages to analyse; default: discovered."},
    "exclude": {**_STRINGS, "description": "Modules left out of the graph (* and ** allowed)."},
    "baseline": {
        "type": "string",
        "description": "Known violations (a baseline file, relative to this config): only new ones fail.",
    },
    "include_external": {
        "type": "boolean",
        "description": "Record third-party imports as external:<name> nodes.",
    },
    "exclude_type_checking_imports": {
        "type": "boolean",
        "description": "Leave out imports under `if TYPE_CHECKING:`.",
    },
    "sql_dialect": {
        "type": "string",
        "description": "SQL dialect for parsing SQL (sqlglot's names, e.g. postgres).",
    },
    "adr": {
        "type": "object",
        "description": "Architecture decision records (fitness adr): folder, format, default status.",
        "additionalProperties": False,
        "properties": {
            "dir": {
                "type": "string",
                "description": "ADR folder, relative to the project; default docs/adr.",
            },
            "format": {"enum": list(ADR_FORMATS), "description": "Format of new records; default nygard."},
            "default_status": {
                "enum": [v for s in ADR_STATUSES if s != "Superseded" for v in (s, s.lower())],
                "description": "Status of new records; default Proposed.",
            },
        },
    },
}

SERVICE_SCHEMAS: dict[str, dict[str, Any]] = {
    "paths": {**_STRINGS, "description": "Folders (relative to the project) holding the service's code."},
    "packages": {**_STRINGS, "description": "Python packages that belong to the service."},
    "datastores": {**_STRINGS, "description": "Datastores the service connects to."},
    "owns": {**_STRINGS, "description": "Tables the service owns."},
    "aliases": {**_STRINGS, "description": "Other names the service goes by (hosts, compose names)."},
    "annotations": {"type": "object", "description": "Free-form facts about the service."},
}

COMMON_RULE_SCHEMAS: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "description": "Your name for the rule (default: its type); unique."},
    "type": {"type": "string", "description": "The rule type (fitness explain TYPE), or mypkg.module:Class."},
    "severity": {"enum": list(SEVERITIES), "default": "error", "description": "error, warning or info."},
    "because": {"type": "string", "description": "Why the rule exists; shown with every violation."},
    "adr": {"type": "integer", "description": "Number of the architecture decision this rule enforces."},
    "ignore": {
        "type": "array",
        "description": "Imports this rule does not see, each with a reason.",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["import", "reason"],
            "properties": {
                "import": {
                    "type": "string",
                    "pattern": r"^\s*\S.*->.*\S\s*$",
                    "description": "'importer -> imported', wildcards allowed: 'shop.domain.* -> shop.api.**'",
                },
                "reason": {"type": "string", "minLength": 1, "description": "Why the exception is allowed."},
            },
        },
    },
}


def config_schema(rule_types: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The whole schema; ``rule_types`` maps each type name to its ``description``, ``properties``
    (the type's own keys) and ``required`` (see ``fitness.rules.schema``)."""
    properties = {key: TOP_SCHEMAS.get(key, {}) for key in TOP_KEYS}
    properties["analysis"] = _analysis()
    properties["rules"] = {
        "type": "array",
        "description": "The fitness functions.",
        "items": _rule(rule_types),
    }
    properties["services"] = _services()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "fitness.yaml",
        "description": "Architecture rules and analysis settings for fitness (fitness check).",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def _analysis() -> dict[str, Any]:
    smells: dict[str, Any] = {}
    for name, (severity, threshold) in DEFAULT_SMELLS.items():
        knobs: dict[str, Any] = {
            "enabled": {"type": "boolean", "default": True},
            "severity": {"enum": list(SEVERITIES), "default": severity.value},
            "threshold": {"type": "number", **({"default": threshold} if threshold is not None else {})},
        }
        for key, default in SMELL_KNOBS.get(name, {}).items():
            kind = "boolean" if isinstance(default, bool) else "number"
            knobs[key] = {"type": kind, "default": default}
        smells[name] = {
            "description": f"The {name.replace('_', '-')} smell: false switches it off.",
            "type": ["boolean", "null", "object"],  # the keys below apply to the mapping form only
            "additionalProperties": False,
            "properties": knobs,
        }
    depth = {"type": "integer", "minimum": 1, "description": "Package depth for package metrics and cycles."}
    return {
        "type": "object",
        "description": "Analysis settings: package depth and the smells reported without any rule.",
        "additionalProperties": False,
        "properties": {"package_depth": depth, **smells},
    }


def _granularity() -> dict[str, Any]:
    def unit(description: str, default: float) -> dict[str, Any]:
        return {"type": "number", "minimum": 0, "maximum": 1, "default": default, "description": description}

    return {
        "type": "object",
        "description": "fitness score: weights of the granularity forces (0..1) and the verdict thresholds.",
        "additionalProperties": False,
        "properties": {
            "weights": {
                "type": "object",
                "description": "Weight per force; pressure = 1 - prod(1 - weight * score).",
                "additionalProperties": False,
                "properties": {
                    force: unit(f"Weight of the {force.replace('_', ' ')} force.", weight)
                    for force, weight in DEFAULT_WEIGHTS.items()
                },
            },
            "split_threshold": unit("Split pressure from which a service is split.", DEFAULT_SPLIT_THRESHOLD),
            "merge_threshold": unit(
                "Merge pressure from which services are merged.", DEFAULT_MERGE_THRESHOLD
            ),
            "margin": unit("How far one pressure must exceed the other for a verdict.", DEFAULT_MARGIN),
        },
    }


TOP_SCHEMAS["granularity"] = _granularity()


def _history() -> dict[str, Any]:
    default = HistorySettings()

    def count(description: str, value: int) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "default": value, "description": description}

    return {
        "type": "object",
        "description": "Git history (churn and co-change, code-maat's method): window, bounds, thresholds.",
        "additionalProperties": False,
        "properties": {
            "enabled": {"type": "boolean", "default": True, "description": "Read git history at all."},
            "since": {
                "type": "string",
                "default": default.since,
                "pattern": r"^\s*(all|\d+\s*(day|week|month|year)s?(\s+ago)?|\d{4}-\d{2}-\d{2})\s*$",
                "description": "Window: '12 months' (before the newest commit), '90 days', an ISO date or 'all'.",
            },
            "max_commits": count(
                "Most commits read (the newest); more marks history truncated.", default.max_commits
            ),
            "min_revisions": count(
                "Commits each of a pair needs before co-change is reported.", default.min_revisions
            ),
            "min_shared": count(
                "Shared commits a pair needs before co-change is reported.", default.min_shared
            ),
            "min_degree": {
                "type": "number",
                "minimum": 0,
                "maximum": 100,
                "default": default.min_degree,
                "description": "Lowest co-change degree reported (percent of the pair's average commits).",
            },
            "max_changeset_size": count(
                "Commits touching more files than this are ignored (bulk edits).", default.max_changeset_size
            ),
        },
    }


TOP_SCHEMAS["history"] = _history()


def _rule(rule_types: dict[str, dict[str, Any]]) -> dict[str, Any]:
    names = sorted(rule_types)
    type_schema = {
        **COMMON_RULE_SCHEMAS["type"],
        "anyOf": [{"enum": names}, {"type": "string", "pattern": CUSTOM_TYPE}],
    }
    branches = []
    for name in names:
        body = rule_types[name]
        branches.append(
            {
                "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                "then": {
                    "description": body.get("description", ""),
                    "properties": {
                        **COMMON_RULE_SCHEMAS,
                        "type": {"const": name},
                        **body.get("properties", {}),
                    },
                    "required": ["type", *body.get("required", [])],
                    "additionalProperties": False,
                },
            }
        )
    return {
        "type": "object",
        "description": "A rule: common keys (id, type, severity, because, adr, ignore) and the type's own keys.",
        "required": ["type"],
        "properties": {**{key: COMMON_RULE_SCHEMAS[key] for key in RULE_KEYS}, "type": type_schema},
        "allOf": branches,
    }


def _services() -> dict[str, Any]:
    body = {
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {key: SERVICE_SCHEMAS.get(key, {}) for key in SERVICE_KEYS},
    }
    return {
        "type": "object",
        "description": "Services by name, with where their code is and what they own.",
        "additionalProperties": body,
    }

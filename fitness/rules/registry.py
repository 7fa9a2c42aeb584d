"""The one map of rule types: built-ins, entry points (group ``fitness.rules``) and dotted paths.

A custom rule type is a RuleType subclass; name it in fitness.yaml as ``type: mypkg.rules:NoOrmInViews``
or publish it under the entry point group ``fitness.rules``.
"""

from __future__ import annotations

import difflib
import importlib

from fitness.model import FitnessError
from fitness.model.rulespec import RuleSpec
from fitness.rules.acyclic import Acyclic
from fitness.rules.allowed_only import AllowedOnly
from fitness.rules.base import RuleType
from fitness.rules.co_change import MaxCoChange
from fitness.rules.forbidden import Forbidden
from fitness.rules.granularity import MaxMergePressure, MaxSplitPressure
from fitness.rules.independence import Independence
from fitness.rules.layers import Layers
from fitness.rules.no_external import NoExternal
from fitness.rules.public_api import PublicApi
from fitness.rules.service_coupling import MaxDistributedMonolithScore, ServicesIndependent
from fitness.rules.service_data import NoSharedDatabase, NoSharedTables, TableOwnership
from fitness.rules.service_flow import MaxSyncChain, NoEventCycles, NoServiceCycles
from fitness.rules.thresholds import MaxCycleSize, MaxFanOut, MaxInstability

BUILTIN: dict[str, type[RuleType]] = {
    rule.name: rule
    for rule in (
        Layers,
        Forbidden,
        Independence,
        AllowedOnly,
        PublicApi,
        Acyclic,
        NoExternal,
        MaxFanOut,
        MaxInstability,
        MaxCycleSize,
        NoSharedDatabase,
        NoSharedTables,
        TableOwnership,
        ServicesIndependent,
        MaxSyncChain,
        NoServiceCycles,
        NoEventCycles,
        MaxDistributedMonolithScore,
        MaxSplitPressure,
        MaxMergePressure,
        MaxCoChange,
    )
}

ENTRY_POINT_GROUP = "fitness.rules"


def rule_types() -> dict[str, type[RuleType]]:
    """Built-in rule types, sorted by name."""
    return dict(sorted(BUILTIN.items()))


def resolve(spec: RuleSpec) -> type[RuleType]:
    """The rule type class for ``spec.type``, or a FitnessError with the closest known name."""
    if spec.type in BUILTIN:
        return BUILTIN[spec.type]
    if ":" in spec.type:
        return _load_dotted(spec)
    plugin = _entry_point(spec)
    if plugin is not None:
        return plugin
    close = difflib.get_close_matches(spec.type, list(BUILTIN), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(BUILTIN))})"
    raise FitnessError(f"rule {spec.id!r}: unknown rule type {spec.type!r}{hint}", spec.source, spec.line)


def by_code(code: str) -> type[RuleType] | None:
    for rule in BUILTIN.values():
        if rule.code == code.upper():
            return rule
    return None


def _load_dotted(spec: RuleSpec) -> type[RuleType]:
    module_name, _, attribute = spec.type.partition(":")
    try:
        candidate = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise FitnessError(
            f"rule {spec.id!r}: cannot load custom rule type {spec.type!r}: {error}", spec.source, spec.line
        ) from error
    return _checked(candidate, spec)


def _entry_point(spec: RuleSpec) -> type[RuleType] | None:
    from importlib import metadata  # slow to import; only needed for plugins

    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == spec.type:
            return _checked(entry.load(), spec)
    return None


def _checked(candidate: object, spec: RuleSpec) -> type[RuleType]:
    if not (isinstance(candidate, type) and issubclass(candidate, RuleType)):
        raise FitnessError(
            f"rule {spec.id!r}: {spec.type!r} is not a fitness.rules.base.RuleType subclass",
            spec.source,
            spec.line,
        )
    return candidate

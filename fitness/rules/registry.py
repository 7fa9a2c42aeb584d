"""The one map of rule types: built-ins, entry points (group ``fitness.rules``) and dotted paths.

A custom rule type is a RuleType subclass; publish it under the entry point group ``fitness.rules``, or name
it in fitness.yaml as ``type: mypkg.rules:NoOrmInViews``. A config is input (it may come with the code
being checked), so naming Python code in it must not run that code unasked: a dotted path is imported only
when the user allows it (``--allow-plugins``, ``Plugins.allow_paths``), and neither it nor an entry point is
ever looked up in the working directory or the analysed folder (``python -m fitness`` puts the working
directory first on ``sys.path``, and a project checked out for review may sit on ``PYTHONPATH``).
"""

from __future__ import annotations

import difflib
import importlib
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from fitness.model import FitnessError
from fitness.model.rulespec import RuleSpec
from fitness.rules.base import RuleType

# type name -> "module:Class". A check imports only the types its config names (importing all 22 cost
# about 25 ms of a 350 ms run); ``rule_types`` and ``by_code`` import them all.
BUILTIN_PATHS: dict[str, str] = {
    "acyclic": "fitness.rules.acyclic:Acyclic",
    "allowed-only": "fitness.rules.allowed_only:AllowedOnly",
    "forbidden": "fitness.rules.forbidden:Forbidden",
    "independence": "fitness.rules.independence:Independence",
    "layers": "fitness.rules.layers:Layers",
    "max-co-change": "fitness.rules.co_change:MaxCoChange",
    "max-cycle-size": "fitness.rules.thresholds:MaxCycleSize",
    "max-distributed-monolith-score": "fitness.rules.service_coupling:MaxDistributedMonolithScore",
    "max-fan-out": "fitness.rules.thresholds:MaxFanOut",
    "max-instability": "fitness.rules.thresholds:MaxInstability",
    "max-merge-pressure": "fitness.rules.granularity:MaxMergePressure",
    "max-split-pressure": "fitness.rules.granularity:MaxSplitPressure",
    "max-sync-chain": "fitness.rules.service_flow:MaxSyncChain",
    "no-event-cycles": "fitness.rules.service_flow:NoEventCycles",
    "no-external": "fitness.rules.no_external:NoExternal",
    "no-service-cycles": "fitness.rules.service_flow:NoServiceCycles",
    "no-shared-database": "fitness.rules.service_data:NoSharedDatabase",
    "no-shared-tables": "fitness.rules.service_data:NoSharedTables",
    "public-api": "fitness.rules.public_api:PublicApi",
    "remote-calls-protected": "fitness.rules.resilience:RemoteCallsProtected",
    "saga-steps-compensated": "fitness.rules.sagas:SagaStepsCompensated",
    "services-independent": "fitness.rules.service_coupling:ServicesIndependent",
    "table-ownership": "fitness.rules.service_data:TableOwnership",
}


def builtin(name: str) -> type[RuleType[object]] | None:
    """The built-in rule type called ``name`` (its module imported on first use), or None."""
    path = BUILTIN_PATHS.get(name)
    if path is None:
        return None
    module_name, _, attribute = path.partition(":")
    rule: type[RuleType[object]] = getattr(importlib.import_module(module_name), attribute)
    return rule


ENTRY_POINT_GROUP = "fitness.rules"
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


@dataclass(frozen=True)
class Plugins:
    """Where custom rule types may come from: installed entry points always; ``module:Class`` paths only
    with ``allow_paths`` (``--allow-plugins``). ``untrusted`` folders (the analysed root) are never searched,
    and neither is the working directory."""

    allow_paths: bool = False
    untrusted: tuple[str, ...] = ()


def rule_types() -> dict[str, type[RuleType[object]]]:
    """Built-in rule types, sorted by name (every one imported)."""
    found = {name: builtin(name) for name in sorted(BUILTIN_PATHS)}
    return {name: rule for name, rule in found.items() if rule is not None}


def resolve(spec: RuleSpec, plugins: Plugins | None = None) -> type[RuleType[object]]:
    """The rule type class for ``spec.type``, or a FitnessError with the closest known name."""
    plugins = plugins or Plugins()
    known = builtin(spec.type)
    if known is not None:
        return known
    if ":" in spec.type:
        return _load_dotted(spec, plugins)
    plugin = _entry_point(spec, plugins)
    if plugin is not None:
        return plugin
    close = difflib.get_close_matches(spec.type, list(BUILTIN_PATHS), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(BUILTIN_PATHS))})"
    raise FitnessError(f"rule {spec.id!r}: unknown rule type {spec.type!r}{hint}", spec.source, spec.line)


def by_code(code: str) -> type[RuleType[object]] | None:
    for rule in rule_types().values():
        if rule.code == code.upper():
            return rule
    return None


def _load_dotted(spec: RuleSpec, plugins: Plugins) -> type[RuleType[object]]:
    if not _DOTTED.match(spec.type):
        raise FitnessError(
            f"rule {spec.id!r}: {spec.type!r} is neither a rule type nor a 'package.module:Class' path",
            spec.source,
            spec.line,
        )
    if not plugins.allow_paths:
        raise FitnessError(
            f"rule {spec.id!r}: custom rule type {spec.type!r} runs Python code named in the config; "
            "allow it with --allow-plugins (or install it as a 'fitness.rules' entry point)",
            spec.source,
            spec.line,
        )
    module_name, _, attribute = spec.type.partition(":")
    try:
        with trusted_path(plugins.untrusted):
            candidate: object = importlib.import_module(module_name)
        for part in attribute.split("."):
            candidate = getattr(candidate, part)
    except (ImportError, AttributeError, SyntaxError) as error:
        raise FitnessError(
            f"rule {spec.id!r}: cannot load custom rule type {spec.type!r}: {error}", spec.source, spec.line
        ) from error
    return _checked(candidate, spec)


def _entry_point(spec: RuleSpec, plugins: Plugins) -> type[RuleType[object]] | None:
    from importlib import metadata  # slow to import; only needed for plugins

    with trusted_path(plugins.untrusted):
        for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if entry.name == spec.type:
                try:
                    loaded = entry.load()
                except (ImportError, AttributeError, SyntaxError) as error:
                    raise FitnessError(
                        f"rule {spec.id!r}: cannot load plugin rule type {spec.type!r} "
                        f"({entry.value}): {error}",
                        spec.source,
                        spec.line,
                    ) from error
                return _checked(loaded, spec)
    return None


@contextmanager
def trusted_path(untrusted: tuple[str, ...] = ()) -> Iterator[None]:
    """``sys.path`` without the working directory (``''`` or its path, first under ``python -m``) and the
    ``untrusted`` folders while plugins are looked up and imported; restored afterwards."""
    banned = {os.path.realpath(folder) for folder in untrusted}
    with suppress(OSError):  # the working directory may have been removed
        banned.add(os.path.realpath(os.getcwd()))
    saved = list(sys.path)
    sys.path[:] = [entry for entry in saved if entry and os.path.realpath(entry) not in banned]
    try:
        yield
    finally:
        sys.path[:] = saved


def _checked(candidate: object, spec: RuleSpec) -> type[RuleType[object]]:
    if not (isinstance(candidate, type) and issubclass(candidate, RuleType)):
        raise FitnessError(
            f"rule {spec.id!r}: {spec.type!r} is not a fitness.rules.base.RuleType subclass",
            spec.source,
            spec.line,
        )
    return candidate

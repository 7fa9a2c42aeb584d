"""The starter fitness.yaml written by ``fitness init``, from what it found (``StarterPlan``).

Everything init decided is written down where the user can see and undo it: each exclusion on its own
line with what it leaves out, the package depth with the units behind it, and above each rule why it was
proposed and what it finds today (those findings are in the baseline, so ``fitness check`` passes at once
and fails on new violations). A layering that does not nearly hold is written commented out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from fitness.model.layout import Exclusion, ProposedRule, StarterPlan

SERVICE_RULES = """\
  # Services found: {services}
  # Datastores and brokers found: {datastores}
  - id: database-per-service
    type: no-shared-database
    because: a schema change must never need two teams
  - id: tables-have-one-writer
    type: no-shared-tables
    writers_only: true
  - id: short-sync-chains
    type: max-sync-chain
    max: 2
    because: availability multiplies along a chain of calls
  - id: no-call-cycles
    type: no-service-cycles
  - id: no-event-ping-pong
    type: no-event-cycles
  - id: not-a-distributed-monolith
    type: max-distributed-monolith-score
    max: 0.5
"""
KIND_WORDS = {
    "migrations": "migrations",
    "tests": "tests",
    "settings": "settings",
    "generated": "generated code",
}


def starter_yaml(plan: StarterPlan) -> str:
    """The text of the starter config for ``plan``."""
    head = {"version": 1, "root": list(plan.source_roots), "packages": list(plan.packages)}
    text = ["# fitness.yaml: architecture rules checked by `fitness check` (see README, config reference)."]
    if plan.found:
        text.append(f"# Found {plan.found}.")
    text.append(yaml.safe_dump(head, sort_keys=False).rstrip())
    text.extend(_exclude(plan.exclusions, plan.unlisted_tests))
    if plan.baseline:
        text.append(f"baseline: {plan.baseline}  # what the rules below find today: only new findings fail")
    text += ["", "analysis:", _depth(plan), "", "rules:"]
    for proposed in plan.rules:
        text.extend(_rule(proposed))
    if plan.services:
        text.append("")
        text.append(
            SERVICE_RULES.format(
                services=", ".join(plan.services), datastores=", ".join(plan.datastores) or "none"
            ).rstrip()
        )
    if plan.sketch is not None:
        text.append("")
        text.extend(_commented(plan.sketch))
    return "\n".join(text) + "\n"


def rule_count(plan: StarterPlan) -> int:
    """How many rules the starter config for ``plan`` holds (the commented-out layering not counted)."""
    return len(plan.rules) + (SERVICE_RULES.count("  - id:") if plan.services else 0)


def _exclude(found: Sequence[Exclusion], unlisted: int) -> list[str]:
    if not found and not unlisted:
        return []
    lines = ["exclude:  # not the application: delete a line to analyse those modules again"]
    width = max((len(_scalar(e.pattern)) for e in found), default=0)
    for exclusion in found:
        lines.append(f"  - {_scalar(exclusion.pattern).ljust(width)}  # {_what(exclusion)}")
    if unlisted:
        lines.append(f"  # and {unlisted} more test modules beside the code, still analysed: add them here")
    return lines


def _what(exclusion: Exclusion) -> str:
    kind = KIND_WORDS.get(exclusion.kind, exclusion.kind)
    if exclusion.modules == 1 and not exclusion.pattern.endswith("*"):
        return kind
    return f"{kind}: {_count(exclusion.modules, 'module')}"


def _depth(plan: StarterPlan) -> str:
    units = plan.units
    if units is None or not units.names:
        return "  package_depth: 2          # packages are compared one level below the root package"
    kind = {"apps": "Django apps", "packages": "root packages", "subpackages": "subpackages"}[units.kind]
    shown = ", ".join(units.names[:3]) + (", ..." if len(units.names) > 3 else "")
    return f"  package_depth: {units.depth}  # where the units live: {len(units.names)} {kind} ({shown})"


def _rule(proposed: ProposedRule) -> list[str]:
    lines = ["", f"  # {proposed.note}"]
    if proposed.findings:
        imports = f", {_count(proposed.imports, 'import')}" if proposed.imports else ""
        lines.append(f"  # today: {_count(proposed.findings, 'finding')}{imports}, all in the baseline")
    lines.extend("  " + line for line in _dump(proposed.rule))
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _commented(proposed: ProposedRule) -> list[str]:
    return [f"  # {proposed.note}:", *("  # " + line for line in _dump(proposed.rule))]


def _flow(rule: Mapping[str, Any]) -> dict[str, Any]:
    """Short lists on one line (``[a, b]``), long ones one item a line; layers always one a line."""
    shaped: dict[str, Any] = {}
    for key, value in rule.items():
        if isinstance(value, list) and key != "layers" and len(", ".join(map(str, value))) <= 80:
            shaped[key] = _Flow(value)
        else:
            shaped[key] = value
    return shaped


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar on one line, quoted when it has to be (``'**.tests.**'``)."""
    text = yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _dump(rule: Mapping[str, Any]) -> list[str]:
    text = yaml.dump([_flow(rule)], Dumper=_Dumper, sort_keys=False, width=110, default_flow_style=False)
    return text.rstrip().splitlines()


class _Flow(list[Any]):
    """A list written in flow style (``[a, b]``)."""


class _Dumper(yaml.SafeDumper):
    """The safe dumper, plus ``_Flow`` lists on one line."""


def _flow_representer(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(_Flow, _flow_representer)

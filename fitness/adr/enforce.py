"""Decisions linked to fitness functions: a rule in fitness.yaml with ``adr: 7`` enforces decision 7.

``fitness check`` warns (FIT003) when such a rule points to a decision that is missing, rejected,
deprecated or superseded (naming the successor), so rules do not outlive their reasons unnoticed.
``fitness adr show 7`` lists the rules that enforce decision 7 and whether they hold.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fitness.adr.folder import AdrFolder, load, locate
from fitness.adr.records import Record, number_of
from fitness.model import Finding, FitnessError, Location, Severity
from fitness.model.decisions import DEFAULT_ADR_DIR, AdrSettings
from fitness.model.rulespec import RuleSpec
from fitness.model.summary import DecisionSummary

CODE = "FIT003"
NOT_VIOLATIONS = ("FIT002", CODE)  # findings about a rule's configuration, not of the rule


def decision_findings(root: Path, settings: AdrSettings, specs: Sequence[RuleSpec]) -> list[Finding]:
    """FIT003 warnings for the rules whose ``adr:`` names a decision that no longer stands."""
    linked = [spec for spec in specs if spec.adr is not None]
    if not linked:
        return []
    folder, by_number = _records(root, settings)
    unreadable = {number_of(p.path.rsplit("/", 1)[-1]) for p in folder.unreadable}
    where = _relative(folder.path, root) + ("" if folder.path.is_dir() else " (no ADR folder)")
    findings = []
    for spec in linked:
        number = spec.adr
        if number is None or number in unreadable:
            continue
        problem = _problem(number, by_number, where)
        if problem is not None:
            findings.append(_finding(spec, number, *problem))
    return findings


def decision_summary(
    root: Path, settings: AdrSettings, specs: Sequence[RuleSpec]
) -> dict[int, DecisionSummary]:
    """Each ADR a rule names (``adr:``) with its title, status, file and the rules that enforce it, for
    ``Analysis.summary.decisions``, so that reporters (the HTML page) can list them; ``{}`` when no rule
    has ``adr:``."""
    rules: dict[int, list[str]] = {}
    for spec in specs:
        if spec.adr is not None:
            rules.setdefault(spec.adr, []).append(spec.id)
    if not rules:
        return {}
    _, by_number = _records(root, settings)
    decisions = {}
    for number, ids in sorted(rules.items()):
        record = by_number.get(number)
        decisions[number] = DecisionSummary(
            title=record.title if record else "",
            status=(record.status or "unknown") if record else "missing",
            path=_relative(record.path, root) if record else "",
            rules=tuple(sorted(ids)),
        )
    return decisions


@dataclass(frozen=True)
class RuleState:
    """A rule that enforces a decision, and its violations in the latest check."""

    spec: RuleSpec
    findings: tuple[Finding, ...]

    @property
    def holds(self) -> bool:
        return not self.findings


def enforcing(specs: Sequence[RuleSpec], number: int) -> list[RuleSpec]:
    return [spec for spec in specs if spec.adr == number]


def rule_states(specs: Sequence[RuleSpec], findings: Sequence[Finding]) -> list[RuleState]:
    return [
        RuleState(
            spec,
            tuple(
                sorted(
                    (f for f in findings if f.rule == spec.id and f.code not in NOT_VIOLATIONS),
                    key=Finding.sort_key,
                )
            ),
        )
        for spec in specs
    ]


def _records(root: Path, settings: AdrSettings) -> tuple[AdrFolder, dict[int, Record]]:
    """The folder (empty when missing or misnamed) and its records by number (the first of duplicates)."""
    try:
        folder = load(locate(root, settings), must_exist=False)
    except FitnessError:
        folder = AdrFolder(root / (settings.dir or DEFAULT_ADR_DIR))
    by_number: dict[int, Record] = {}
    for record in sorted(folder.records, key=lambda r: r.name):
        by_number.setdefault(record.number, record)
    return folder, by_number


def _relative(path: Path, root: Path) -> str:
    """Relative to the analysed root, like every location in an Analysis (same bytes from any folder)."""
    return Path(os.path.relpath(path, root)).as_posix()


def _problem(number: int, by_number: dict[int, Record], where: str) -> tuple[str, str] | None:
    record = by_number.get(number)
    if record is None:
        return (
            f"ADR {number}, which does not exist in {where}",
            "write the decision down (`fitness adr new`) or correct the rule's `adr:`",
        )
    name = f"ADR {number} ({record.title})"
    if record.status == "Rejected":
        return f"{name}, which was rejected", "retire the rule, or point it at the decision it enforces"
    if record.status == "Deprecated":
        return f"{name}, which is deprecated", "retire the rule, or point it at a current decision"
    if record.status == "Superseded":
        successor = _successor(record, by_number)
        if successor is None:
            return (
                f"{name}, which is superseded",
                "point the rule at the decision that replaced it, or retire it",
            )
        via = f" (via ADR {record.superseded_by[0]})" if successor.number != record.superseded_by[0] else ""
        return (
            f"{name}, which is superseded by ADR {successor.number} ({successor.title}){via}",
            f"point the rule at the successor (`adr: {successor.number}`) if it still applies, or retire it",
        )
    return None


def _successor(record: Record, by_number: dict[int, Record]) -> Record | None:
    """The newest record along the chain of successors (cycles in broken folders are cut)."""
    seen = {record.number}
    current: Record | None = None
    following = record.superseded_by
    while following and following[0] in by_number and following[0] not in seen:
        current = by_number[following[0]]
        seen.add(current.number)
        following = current.superseded_by if current.status == "Superseded" else []
    return current


def _finding(spec: RuleSpec, number: int, what: str, fix: str) -> Finding:
    return Finding(
        code=CODE,
        rule=spec.id,
        severity=Severity.WARNING,
        message=f"rule {spec.id!r} enforces {what}",
        subjects=(spec.id, f"adr:{number}"),
        locations=(Location(spec.source, spec.line),),
        fix=fix,
        because=spec.because,
        adr=number,
    )

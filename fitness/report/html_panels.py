"""One panel per service and per table in the HTML report: who calls it and what it calls, what it reads
and writes, its granularity forces and the findings that touch it, each fact with the file:line it was
seen at (paths relative to the analysed root, as text: the page links nowhere outside itself).

A click on a service node in the service graph opens that service's panel; the panels are also listed in
their own section, so the page reads without its script.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fitness.model.evidence import Evidence
from fitness.model.granularity import GranularityTable
from fitness.model.graph import EdgeKind
from fitness.model.service_view import ServiceView, ownership
from fitness.report.score import force_line

MAX_PLACES = 3  # file:line shown per fact; the rest are counted
MAX_FINDINGS = 20  # findings listed per panel; the rest are counted (all are in the Findings section)


@dataclass
class Fact:
    """One neighbour of the panel's subject and where the link was seen."""

    name: str
    places: list[str]
    more: int = 0
    detail: str = ""


@dataclass
class Panel:
    ident: str  # svc-<index> or tbl-<index>
    kind: str  # service or table
    name: str
    groups: list[tuple[str, list[Fact]]]
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, text): ownership, granularity
    findings: list[int] = field(default_factory=list)  # indexes into the page's findings
    more_findings: int = 0  # touching findings beyond MAX_FINDINGS, counted


def panels(
    view: ServiceView, findings: Sequence[dict[str, Any]], granularity: GranularityTable | None
) -> list[Panel]:
    """A panel per service of ``view`` then per table; ``findings`` are the page's finding rows (their
    ``services`` and ``subjects`` say what each touches)."""
    verdicts = {row.name: row for row in granularity.services} if granularity is not None else {}
    by_service: dict[str, list[int]] = {}  # the findings touching each service, and each subject, in order
    by_subject: dict[str, list[int]] = {}
    for number, finding in enumerate(findings):
        for name in set(finding["services"]):
            by_service.setdefault(name, []).append(number)
        for subject in set(finding["subjects"]):
            by_subject.setdefault(subject, []).append(number)
    result = [_service(view, index, name, by_service, verdicts) for index, name in enumerate(view.services)]
    result.extend(_table(view, index, table, by_subject) for index, table in enumerate(view.tables()))
    for panel in result:
        panel.more_findings = max(0, len(panel.findings) - MAX_FINDINGS)
        del panel.findings[MAX_FINDINGS:]
    return result


def _service(
    view: ServiceView, index: int, name: str, touching: dict[str, list[int]], verdicts: dict[str, Any]
) -> Panel:
    callers = sorted(s for s in view.services if name in view.calls.get(s, ()))
    tables = view.tables_used().get(name, set())
    groups = [
        ("called by", [_fact(t, view.evidence(t, name, EdgeKind.CALLS)) for t in callers]),
        (
            "calls",
            [_fact(t, view.evidence(name, t, EdgeKind.CALLS)) for t in sorted(view.calls.get(name, ()))],
        ),
        ("publishes", _facts(view, name, view.publishes.get(name, ()), EdgeKind.PUBLISHES)),
        ("subscribes to", _facts(view, name, view.subscribes.get(name, ()), EdgeKind.SUBSCRIBES)),
        (
            "writes",
            _facts(view, name, [t for t in tables if name in view.writers.get(t, ())], EdgeKind.WRITES),
        ),
        ("reads", _facts(view, name, [t for t in tables if name in view.readers.get(t, ())], EdgeKind.READS)),
        (
            "connects to",
            [
                _fact(store, view.evidence(name, store, EdgeKind.CONNECTS), f"database {db}" if db else "")
                for store, db in sorted(view.connects.get(name, ()))
            ],
        ),
        ("imports the code of", [Fact(s, []) for s in sorted(view.imports.get(name, ()))]),
    ]
    lines = []
    row = verdicts.get(name)
    if row is not None:
        lines.append(("granularity", f"{row.verdict}: {row.reason}"))
        forces = force_line(row.disintegrators)
        if forces:
            lines.append(("forces", forces))
    return Panel(
        f"svc-{index}", "service", name, [(k, v) for k, v in groups if v], lines, touching.get(name, [])[:]
    )


def _table(view: ServiceView, index: int, table: str, touching: dict[str, list[int]]) -> Panel:
    writers = sorted(view.writers.get(table, ()))
    readers = sorted(view.readers.get(table, ()))
    groups = [
        ("written by", [_fact(s, view.evidence(s, table, EdgeKind.WRITES)) for s in writers]),
        ("read by", [_fact(s, view.evidence(s, table, EdgeKind.READS)) for s in readers]),
    ]
    owner = view.owner_of(table)
    declared = " (declared)" if table in view.owners else ""
    lines = [("ownership", f"{ownership(view, table)}; owner {owner + declared if owner else 'none'}")]
    found = touching.get(f"table:{table}", [])[:]
    return Panel(f"tbl-{index}", "table", table, [(k, v) for k, v in groups if v], lines, found)


def _facts(view: ServiceView, name: str, targets: Iterable[str], kind: EdgeKind) -> list[Fact]:
    return [_fact(t, view.evidence(name, t, kind)) for t in sorted(targets)]


def _fact(name: str, evidence: Iterable[Evidence], detail: str = "") -> Fact:
    places = sorted({f"{e.path}:{e.line}" if e.line else e.path for e in evidence if e.path})
    return Fact(name, places[:MAX_PLACES], max(0, len(places) - MAX_PLACES), detail)

"""One problem, one finding: every finding about one shared table folded into one.

A table two services use can break several rules and smells at once (issue 17): a one-owner rule
(FIT122), services-independent (FIT123), the shared-table smell (FIT303), cross-service access (FIT304),
and a distributed monolith whose only signal is that table (FIT127). They all say the same thing, so the
report shows one finding: the strongest (a rule before a smell, then by severity), carrying the locations
of the others and their codes in ``data["also"]``, e.g.::

    FIT122 error [one-owner-per-table] table stock_reservations: owned by inventory but also written
        by orders (also: FIT123 deploy-alone, FIT303 shared-table, FIT304 cross-service-access)

The kept finding keeps its code, rule and subjects, so its fingerprint (and a baseline entry for it) is
unchanged; the folded findings are gone from the report and a baseline lists them as stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from fitness.model.findings import Finding, Severity

# Codes that fold into one finding per table, strongest first when severities tie.
TABLE_CODES = ("FIT122", "FIT121", "FIT123", "FIT303", "FIT304")
MONOLITH = "FIT127"
TABLE_SIGNAL = "shared tables"
_RANK = {code: rank for rank, code in enumerate(TABLE_CODES)}
_SEVERITY = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def merge_table_findings(findings: list[Finding]) -> list[Finding]:
    """The findings with every group about one table replaced by its strongest member (see above)."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        table = _table_of(finding)
        if table is not None:
            groups.setdefault(table, []).append(finding)
    alone: dict[str, list[Finding]] = {}  # table -> the monolith findings whose only signal it is
    for finding in findings:  # one pass, not one per table (quadratic at 5,000 services)
        table = _monolith_table(finding)
        if table is not None and table in groups:
            alone.setdefault(table, []).append(finding)
    folded: dict[int, Finding | None] = {}
    for table, group in groups.items():
        monoliths = alone.get(table, [])
        if len(group) + len(monoliths) < 2:
            continue
        keep = min(group, key=lambda f: (_SEVERITY[f.severity], _RANK[f.code]))
        others = [f for f in [*group, *monoliths] if f is not keep]
        folded[id(keep)] = _absorb(keep, others)
        folded.update((id(other), None) for other in others)
    merged = [folded.get(id(f), f) for f in findings]
    return [f for f in merged if f is not None]


def _table_of(finding: Finding) -> str | None:
    """The one table a table finding is about (``table:stock_items``), else None."""
    if finding.code not in _RANK:
        return None
    tables = [subject for subject in finding.subjects if subject.startswith("table:")]
    return tables[0] if len(tables) == 1 else None


def _monolith_table(finding: Finding) -> str | None:
    """For a distributed-monolith finding whose only signal is one shared table, that table
    (``table:stock_items``); else None."""
    if finding.code != MONOLITH:
        return None
    signals = finding.data.get("signals") or {}
    tables = signals.get(TABLE_SIGNAL) or []
    if set(signals) != {TABLE_SIGNAL} or len(tables) != 1:
        return None
    return "table:" + str(tables[0]).split(" ")[0]


def _absorb(keep: Finding, others: Iterable[Finding]) -> Finding:
    others = sorted(others, key=lambda f: (_RANK.get(f.code, len(_RANK)), f.code, f.message))
    also = [{"code": f.code, "rule": f.rule, "message": f.message} for f in others]
    codes = ", ".join(dict.fromkeys(f"{f.code} {f.rule}" for f in others))
    locations = tuple(dict.fromkeys([*keep.locations, *(loc for f in others for loc in f.locations)]))
    severity = min([keep, *others], key=lambda f: _SEVERITY[f.severity]).severity
    return dataclasses.replace(
        keep,
        message=f"{keep.message} (also: {codes})",
        severity=severity,
        locations=locations,
        data={**keep.data, "also": also},
    )

"""What ``fitness adr list`` and ``fitness adr show`` print: plain functions of records (and rule states)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fitness.adr.enforce import RuleState
from fitness.adr.folder import AdrFolder
from fitness.adr.records import Record
from fitness.model import FitnessError
from fitness.model.decisions import ADR_STATUSES, normalize_status


def listed(folder: AdrFolder, status: str | None = None) -> list[Record]:
    """Records by number, only those with ``status`` when given (any case: ``accepted``)."""
    records = sorted(folder.records, key=lambda r: (r.number, r.name))
    if status is None:
        return records
    wanted = normalize_status(status)
    if wanted not in ADR_STATUSES:
        raise FitnessError(f"unknown status {status!r}; choose one of {', '.join(ADR_STATUSES)}")
    return [record for record in records if record.status == wanted]


def list_text(records: Sequence[Record]) -> str:
    lines = []
    for record in records:
        note = ""
        if record.superseded_by:
            note = "  (superseded by " + ", ".join(f"{n:04d}" for n in record.superseded_by) + ")"
        status = record.status or "-"
        lines.append(f"{record.number:04d}  {status:<10}  {record.date or '-':<10}  {record.title}{note}")
    return "\n".join(lines) + ("\n" if lines else "")


def list_json(records: Sequence[Record]) -> str:
    return json.dumps([record_json(record) for record in records], indent=2, sort_keys=True) + "\n"


def record_json(record: Record) -> dict[str, Any]:
    return {
        "number": record.number,
        "title": record.title,
        "status": record.status,
        "date": record.date,
        "path": record.display,
        "format": record.format,
        "superseded_by": record.superseded_by,
        "supersedes": record.supersedes,
        "links": [{"kind": link.kind, "target": link.target, "href": link.href} for link in record.links],
    }


def show_text(record: Record, states: Sequence[RuleState] | None, error: str | None, body: bool) -> str:
    """The record's summary, the rules that enforce it and whether each holds (None: not checked)."""
    lines = [f"ADR {record.number}: {record.title}", f"file:   {record.display}"]
    lines.append(f"status: {record.status or '(none)'}" + (f" ({record.date})" if record.date else ""))
    lines.extend(f"        {link.kind} {link.label}" for link in record.links)
    if states is None:
        lines.append("rules:  none in fitness.yaml says `adr: " + f"{record.number}`; nothing enforces it")
    else:
        lines.append(f"rules:  {len(states)} enforce it" + (":" if states else ""))
        if error is not None:
            lines.append(f"        could not check them: {error}")
        for state in states:
            where = f"{state.spec.source}:{state.spec.line}" if state.spec.source else ""
            if error is not None:
                verdict = "unknown "
            elif state.holds:
                verdict = "holds   "
            else:
                verdict = "VIOLATED"
            count = (
                f", {len(state.findings)} finding{'s' * (len(state.findings) != 1)}" if state.findings else ""
            )
            lines.append(f"  {verdict} {state.spec.id} ({state.spec.type}, {where}){count}")
            for finding in state.findings[:5]:
                at = str(finding.locations[0]) if finding.locations else "-"
                lines.append(f"             {at}: {finding.message}")
            if len(state.findings) > 5:
                lines.append(f"             ... and {len(state.findings) - 5} more (fitness check)")
    text = "\n".join(lines) + "\n"
    return text + "\n" + record.text if body else text

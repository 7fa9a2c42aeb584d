"""The page for people: one self-contained HTML file (inline CSS, script and SVG; no network; opens from
file://), rendered from the Analysis alone with jinja2 (autoescape on: every name from the analysed system
is escaped).

Graphs come as SVG from ``draw`` (dot text -> SVG), which the caller passes in: the reporter stays a pure
function of the Analysis and never starts a process. Without ``draw`` (or when it returns None, Graphviz
missing) each graph becomes a note and an adjacency list. Same Analysis, same bytes: everything is sorted
and the only clock is ``generated``, which the caller fills in only when asked to.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from fitness.model import Analysis, Finding, Severity
from fitness.model.service_view import ServiceView, ownership
from fitness.report.coverage import service_coverage
from fitness.report.html_graphs import Draw, dsm, pictures
from fitness.report.options import ReportOptions
from fitness.report.rulebook import rulebook, verdict

MAX_METRIC_ROWS = 300  # module metrics beyond this: the most coupled modules are listed

_ENV = Environment(
    loader=PackageLoader("fitness.report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render(analysis: Analysis, options: ReportOptions, draw: Draw | None = None, generated: str = "") -> str:
    """The HTML page for ``analysis``; ``generated`` (a timestamp) is shown only when given."""
    _ENV.filters["json_script"] = json_script
    return _ENV.get_template("report.html.j2").render(
        page=context(analysis, options, draw), generated=generated
    )


def render_index(entries: list[dict[str, Any]], title: str = "fitness report gallery") -> str:
    """A page linking reports: each entry has ``name``, ``href``, ``verdict``, ``failed`` and ``counts``."""
    return _ENV.get_template("gallery.html.j2").render(
        entries=sorted(entries, key=lambda e: str(e["name"])), title=title
    )


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so no ``</script>`` or ``<!--``
    can end the script or open a comment."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def context(analysis: Analysis, options: ReportOptions, draw: Draw | None) -> dict[str, Any]:
    """Everything the template shows, as plain sorted data."""
    summary = analysis.summary
    counts = Counter(f.severity.value for f in analysis.findings)
    services = sorted(str(s) for s in summary.get("services") or [])
    view = ServiceView.from_graph(analysis.graph) if services else None
    coverage = service_coverage(summary)
    findings = [_finding(f, analysis, view, set(services)) for f in analysis.sorted_findings()]
    return {
        "title": analysis.root or "system",
        "failed": bool(analysis.failing(options.fail_on)),
        "verdict": verdict(analysis, options).partition(": ")[2],
        "fail_on": options.fail_on.value,
        "version": str(summary.get("fitness_version", "")),
        "counts": {s.value: counts.get(s.value, 0) for s in reversed(Severity)},
        "facts": _facts(analysis, services),
        "by_rule": _by_rule(analysis),
        "findings": findings,
        "filters": {
            "rule": sorted({f["rule"] for f in findings}),
            "severity": [s.value for s in reversed(Severity) if counts.get(s.value)],
            "service": sorted({s for f in findings for s in f["services"]}),
        },
        "coverage": coverage.line if coverage is not None else "",
        "unresolved": [asdict(item) for item in coverage.items] if coverage is not None else [],
        "warnings": sorted(analysis.warnings),
        "pictures": pictures(analysis, draw),
        "matrix": _matrix(view) if view is not None else None,
        "dsm": dsm(analysis),
        "metrics": _metrics(analysis),
        "decisions": _decisions(analysis),
        "granularity": granularity_rows(summary.get("granularity")),
    }


def _facts(analysis: Analysis, services: list[str]) -> list[tuple[str, str]]:
    summary = analysis.summary
    facts = [
        ("modules", str(summary.get("modules", 0))),
        ("imports", str(summary.get("imports", 0))),
        ("packages", ", ".join(str(p) for p in summary.get("packages") or []) or "-"),
        ("source roots", ", ".join(str(p) for p in summary.get("source_roots") or []) or "-"),
        ("rules", str(len(summary.get("rules") or []))),
        ("config", str(summary.get("config") or "none (discovered)")),
    ]
    if services:
        facts.append(("services", ", ".join(services)))
        facts.append(("datastores", ", ".join(str(d) for d in summary.get("datastores") or []) or "-"))
        facts.append(("SQL statements", str(summary.get("sql_statements", 0))))
    return facts


def _by_rule(analysis: Analysis) -> list[dict[str, Any]]:
    counts = Counter((f.code, f.rule) for f in analysis.findings)
    worst: dict[tuple[str, str], Severity] = {}
    for finding in analysis.findings:
        key = (finding.code, finding.rule)
        if key not in worst or finding.severity.rank > worst[key].rank:
            worst[key] = finding.severity
    return [
        {
            "code": info.code,
            "rule": info.rule,
            "kind": info.kind,
            "summary": info.summary,
            "severity": worst.get(info.key, info.severity).value,
            "count": counts.get(info.key, 0),
        }
        for info in rulebook(analysis)
    ]


def _finding(
    finding: Finding, analysis: Analysis, view: ServiceView | None, services: set[str]
) -> dict[str, Any]:
    names = {s for s in finding.subjects if s in services}
    if view is not None:
        modules = {
            *finding.subjects,
            *(n for c in finding.chains for k in c for n in (k.importer, k.imported)),
        }
        names.update(view.module_owner[m] for m in modules if m in view.module_owner)
    return {
        "code": finding.code,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "services": sorted(names),
        "locations": [str(location) for location in finding.locations],
        "chains": [
            [
                {
                    "importer": link.importer,
                    "imported": link.imported,
                    "where": f"{link.path}:{link.line}" if link.line else link.path,
                    "text": link.text,
                }
                for link in chain
            ]
            for chain in finding.chains
        ],
        "routes": finding.routes_note,
        "fix": finding.fix,
        "because": finding.because,
        "adr": finding.adr,
        "known": analysis.baseline_state.get(finding.fingerprint) == "unchanged",
    }


def _matrix(view: ServiceView) -> dict[str, Any] | None:
    tables = view.tables()
    if not tables:
        return None
    rows = []
    for table in tables:
        writers = view.writers.get(table, set())
        readers = view.readers.get(table, set())
        cells = []
        for service in view.services:
            mark = ("R" if service in readers else "") + ("W" if service in writers else "")
            cells.append("RW" if mark == "RW" else mark)
        users = writers | readers
        rows.append(
            {
                "table": table,
                "owner": view.owner_of(table) or "",
                "ownership": ownership(view, table),
                "shared": len(users) > 1,
                "cells": cells,
            }
        )
    return {"services": list(view.services), "rows": rows}


def _metrics(analysis: Analysis) -> list[dict[str, Any]]:
    """One table per level (packages, modules), columns the union of the metric names; the module table is
    cut to the MAX_METRIC_ROWS most coupled modules on big systems."""
    tables = []
    for level in ("packages", "modules"):
        rows = analysis.metrics.get(level) or {}
        if not rows:
            continue
        columns = sorted({name for values in rows.values() for name in values})
        subjects = sorted(rows)
        note = ""
        if len(subjects) > MAX_METRIC_ROWS:
            coupling = {s: sum(float(rows[s].get(k, 0)) for k in ("ca", "ce")) for s in subjects}
            subjects = sorted(sorted(subjects, key=lambda s: (-coupling[s], s))[:MAX_METRIC_ROWS])
            note = f"The {MAX_METRIC_ROWS} most coupled of {len(rows)} {level} (by ca + ce)."
        tables.append(
            {
                "level": level,
                "columns": columns,
                "rows": [[s, *(_number(rows[s].get(c)) for c in columns)] for s in subjects],
                "note": note,
            }
        )
    return tables


def _number(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3f}".rstrip("0")
    if isinstance(value, (int, float)):
        return str(int(value))
    return "" if value is None else str(value)


def _decisions(analysis: Analysis) -> list[dict[str, Any]]:
    decisions = analysis.summary.get("decisions") or {}
    broken = Counter(f.rule for f in analysis.findings)
    rows = []
    for number in sorted(decisions, key=lambda n: int(n) if str(n).isdigit() else 0):
        record = decisions[number]
        rows.append(
            {
                "number": str(number),
                "title": str(record.get("title", "")),
                "status": str(record.get("status", "")),
                "path": str(record.get("path", "")),
                "rules": [(str(r), broken.get(str(r), 0)) for r in record.get("rules", [])],
            }
        )
    return rows


def granularity_rows(data: Any) -> list[dict[str, str]]:
    """Granularity verdicts, whatever their exact shape: a list of records or ``{service: record}``; each
    record's ``verdict``, ``reason`` and ``forces`` shown as text."""
    if not data:
        return []
    items: list[tuple[str, Any]]
    if isinstance(data, dict):
        inner = data.get("services") if isinstance(data.get("services"), (list, dict)) else data
        return granularity_rows(inner) if inner is not data else _granularity_items(data)
    items = [(str(r.get("service", "")) if isinstance(r, dict) else "", r) for r in data]
    return sorted((_granularity_row(name, record) for name, record in items), key=lambda r: r["service"])


def _granularity_items(data: dict[str, Any]) -> list[dict[str, str]]:
    return sorted((_granularity_row(str(k), v) for k, v in data.items()), key=lambda r: r["service"])


def _granularity_row(name: str, record: Any) -> dict[str, str]:
    if not isinstance(record, dict):
        return {"service": name, "verdict": _text(record), "reason": "", "forces": ""}
    return {
        "service": str(record.get("service", name)),
        "verdict": _text(record.get("verdict", record.get("recommendation", ""))),
        "reason": _text(record.get("reason", record.get("because", ""))),
        "forces": _text(record.get("forces", "")),
    }


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    return "" if value is None else str(value)

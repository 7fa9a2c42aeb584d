"""The page for people: one self-contained HTML file (inline CSS, script and SVG; no network; opens from
file://), rendered from the Analysis alone with jinja2 (autoescape on: every name from the analysed system
is escaped).

Graphs come as SVG from ``draw`` (dot text -> SVG), which the caller passes in: the reporter stays a pure
function of the Analysis and never starts a process. Without ``draw`` (or when it returns None, Graphviz
missing) each graph becomes a note and an adjacency list. Same Analysis, same bytes: everything is sorted
and the only clock is ``generated``, which the caller fills in only when asked to.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from fitness.model import Analysis, Finding, Severity
from fitness.model.granularity import GranularityTable
from fitness.model.service_view import ServiceView, ownership
from fitness.model.views import ImportView
from fitness.report.coverage import service_coverage
from fitness.report.html_dsm import dsm
from fitness.report.html_graphs import Draw, DrawMany, attach, dot_texts, draw_all, planned
from fitness.report.html_panels import panels
from fitness.report.html_picture import Picture
from fitness.report.options import ReportOptions
from fitness.report.rulebook import rulebook, verdict
from fitness.report.score import force_line
from fitness.report.template_cache import compiled_templates
from fitness.report.trend import trend_charts_svg

if TYPE_CHECKING:
    from jinja2 import Environment, Template

MAX_METRIC_ROWS = 300  # module metrics beyond this: the most coupled modules are listed
MAX_MATRIX_SERVICES = 40  # services x tables beyond this: the shared tables and the services using them
MAX_MATRIX_TABLES = 200


def render(
    analysis: Analysis,
    options: ReportOptions,
    draw: Draw | None = None,
    generated: str = "",
    draw_many: DrawMany | None = None,
    keep_compiled: bool = False,
) -> str:
    """The HTML page for ``analysis``; ``generated`` (a timestamp) is shown only when given. ``draw_many``
    (every graph of the page at once, e.g. in parallel) is used instead of ``draw`` when given;
    ``keep_compiled``: the template compiled once and kept between runs (``template_cache``).

    Graphviz lays the graphs out (in another thread, which mostly waits for ``dot``) while this one
    builds the rest of the page and compiles the template: on a big project the layout is most of the
    report's own time, and the two overlap instead of adding up."""
    imports = ImportView.from_graph(analysis.graph)
    drawn = planned(analysis, imports)
    with ThreadPoolExecutor(max_workers=1) as pool:
        svgs = pool.submit(draw_all, dot_texts(drawn), draw, draw_many)
        template = _environment(keep_compiled).get_template("report.html.j2")
        page = context(analysis, options, drawn, imports)
        attach(drawn, svgs.result())
    return template.render(page=page, generated=generated)


@functools.cache
def _environment(keep_compiled: bool = False) -> Environment:
    """The templates' environment, made (and jinja2 imported) on first use: importing and compiling take
    longer than most of the page's own work, and ``render`` does them while Graphviz draws."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("fitness.report", "templates"),
        bytecode_cache=compiled_templates() if keep_compiled else None,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["json_script"] = json_script
    environment.globals["asset"] = asset
    return environment


def _template(name: str) -> Template:
    return _environment().get_template(name)


@functools.cache
def asset(name: str) -> Markup:
    """A file of templates/ as it is (the page's CSS and script: no template syntax to parse)."""
    return Markup((resources.files("fitness.report") / "templates" / name).read_text(encoding="utf-8"))


def render_index(entries: list[dict[str, Any]], title: str = "fitness report gallery") -> str:
    """A page linking reports: each entry has ``name``, ``href``, ``verdict``, ``failed`` and ``counts``."""
    return _template("gallery.html.j2").render(
        entries=sorted(entries, key=lambda e: str(e["name"])), title=title
    )


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so no ``</script>`` or ``<!--``
    can end the script or open a comment."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def context(
    analysis: Analysis, options: ReportOptions, drawn: list[Picture], imports: ImportView
) -> dict[str, Any]:
    """Everything the template shows, as plain sorted data (``drawn``: the pictures, drawings to come)."""
    summary = analysis.summary
    counts = Counter(f.severity.value for f in analysis.findings)
    services = sorted(summary.services)
    view = ServiceView.from_graph(analysis.graph) if services else None
    coverage = service_coverage(summary)
    findings = [_finding(f, analysis, view, set(services)) for f in analysis.sorted_findings()]
    return {
        "title": analysis.root or "system",
        "failed": bool(analysis.failing(options.fail_on)),
        "verdict": verdict(analysis, options).partition(": ")[2],
        "fail_on": options.fail_on.value,
        "version": summary.fitness_version,
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
        "pictures": drawn,
        "panels": panels(view, findings, summary.granularity) if view is not None else [],
        "script": _script_data(drawn, findings, view),
        "matrix": _matrix(view) if view is not None else None,
        "dsm": dsm(analysis, imports),
        "metrics": _metrics(analysis),
        "decisions": _decisions(analysis),
        "granularity": granularity_rows(summary.granularity),
        "trend": [(title, Markup(svg)) for title, svg in trend_charts_svg(options.trend)],
        "trend_span": f"{options.trend[0].day} to {options.trend[-1].day}" if options.trend else "",
    }


def _script_data(
    drawn: list[Picture], findings: list[dict[str, Any]], view: ServiceView | None
) -> dict[str, Any]:
    """What the page's script reads (in the one JSON island): each graph's nodes and edges, what each
    finding points at (subjects and chain links, in order, for the graph to highlight) and which panel a
    service node opens."""
    return {
        "graphs": {picture.ident: picture.script_data() for picture in drawn},
        "findings": [
            {
                "nodes": [*f["subjects"], *(n for link in _links(f) for n in link)],
                "pairs": [*zip(f["subjects"], f["subjects"][1:], strict=False), *_links(f)],
            }
            for f in findings
        ],
        "panels": {name: f"svc-{i}" for i, name in enumerate(view.services)} if view is not None else {},
    }


def _links(finding: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k["importer"], k["imported"]) for chain in finding["chains"] for k in chain]


def _facts(analysis: Analysis, services: list[str]) -> list[tuple[str, str]]:
    summary = analysis.summary
    facts = [
        ("modules", str(summary.modules)),
        ("imports", str(summary.imports)),
        ("packages", ", ".join(summary.packages) or "-"),
        ("source roots", ", ".join(summary.source_roots) or "-"),
        ("rules", str(len(summary.rules))),
        ("config", summary.config or "none (discovered)"),
    ]
    if services and summary.service_scan is not None:
        facts.append(("services", ", ".join(services)))
        facts.append(("datastores", ", ".join(summary.service_scan.datastores) or "-"))
        facts.append(("SQL statements", str(summary.service_scan.sql_statements)))
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
        "subjects": list(finding.subjects),
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
    """Who reads and writes each table. A large system (over MAX_MATRIX_SERVICES services or
    MAX_MATRIX_TABLES tables) keeps the part worth a matrix: the tables more than one service uses, and
    the services that use them most (a full matrix of 1,000 services is 100 MB of mostly empty cells);
    every table keeps its panel."""
    tables = view.tables()
    if not tables:
        return None
    users = {t: view.writers.get(t, set()) | view.readers.get(t, set()) for t in tables}
    services = list(view.services)
    note = ""
    if len(services) > MAX_MATRIX_SERVICES or len(tables) > MAX_MATRIX_TABLES:
        shared = [t for t in tables if len(users[t]) > 1]
        if not shared:
            return None
        uses = Counter(s for t in shared for s in users[t])
        kept = set(sorted(uses, key=lambda s: (-uses[s], s))[:MAX_MATRIX_SERVICES])
        shown = [t for t in shared if users[t] & kept][:MAX_MATRIX_TABLES]
        services = [s for s in services if s in kept]
        note = (
            f"{len(shown)} of {len(tables)} tables (those used by more than one service) and "
            f"{len(services)} of {len(view.services)} services (those using them most); every table has "
            "its panel under Services and tables."
        )
        tables = shown
    rows = []
    for table in tables:
        writers = view.writers.get(table, set())
        readers = view.readers.get(table, set())
        cells = []
        for service in services:
            mark = ("R" if service in readers else "") + ("W" if service in writers else "")
            cells.append("RW" if mark == "RW" else mark)
        rows.append(
            {
                "table": table,
                "owner": view.owner_of(table) or "",
                "ownership": ownership(view, table),
                "shared": len(users[table]) > 1,
                "cells": cells,
            }
        )
    return {"services": services, "rows": rows, "note": note}


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
    decisions = analysis.summary.decisions
    broken = Counter(f.rule for f in analysis.findings)
    return [
        {
            "number": str(number),
            "title": decisions[number].title,
            "status": decisions[number].status,
            "path": decisions[number].path,
            "rules": [(rule, broken.get(rule, 0)) for rule in decisions[number].rules],
        }
        for number in sorted(decisions)
    ]


def granularity_rows(table: GranularityTable | None) -> list[dict[str, str]]:
    """One row per service (or package): its verdict, the reason and the forces that push it apart."""
    if table is None:
        return []
    rows = [
        {
            "service": row.name,
            "verdict": row.verdict,
            "reason": row.reason,
            "forces": force_line(row.disintegrators),
        }
        for row in table.services
    ]
    return sorted(rows, key=lambda row: row["service"])

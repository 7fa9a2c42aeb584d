"""``fitness trend`` output: a text table, CSV, JSON, and SVG line charts for the HTML report.

Every format lists the points oldest first with the same columns (:data:`fitness.model.trend.SERIES`);
a point that could not be analysed keeps its error and is a gap in the charts.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape
from typing import Any

from fitness.model.trend import SERIES, TrendPoint

TREND_SCHEMA = 1


def trend_json(points: Sequence[TrendPoint]) -> str:
    document = {"schema_version": TREND_SCHEMA, "points": [point.to_dict() for point in points]}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def read_trend(data: Any, source: str) -> list[TrendPoint]:
    """Points from a parsed ``trend --format json`` document; ValueError names what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("points"), list):
        raise ValueError(f"{source}: not a fitness trend document (no 'points' list)")
    try:
        return [TrendPoint.from_dict(item) for item in data["points"]]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{source}: malformed trend point ({type(error).__name__}: {error})") from error


def trend_csv(points: Sequence[TrendPoint]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "sha", *(key for key, _ in SERIES), "error", "subject"])
    for point in points:
        writer.writerow(
            [point.day, point.sha, *(getattr(point, key) for key, _ in SERIES), point.error, point.subject]
        )
    return out.getvalue()


def trend_text(points: Sequence[TrendPoint]) -> str:
    """An aligned table, then the first-to-last change of each series."""
    headers = ["date", "commit", "modules", "imports", "prop.%", "cycles", "findings", "svc", "shared", "dm"]
    rows = [
        [
            *(p.day, p.sha[:8], str(p.modules), str(p.imports), f"{p.propagation_cost:.1f}", str(p.cycles)),
            *(str(p.findings), str(p.services), str(p.shared_tables), f"{p.monolith_score:.2f}"),
        ]
        for p in points
        if not p.error
    ]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [line(headers)]
    measured_rows = iter(rows)
    for point in points:
        if point.error:
            lines.append(
                f"{point.day.ljust(widths[0])}  {point.sha[:8].ljust(widths[1])}  not analysed: {point.error}"
            )
        else:
            lines.append(line(next(measured_rows)))
    measured = [p for p in points if not p.error]
    if len(measured) >= 2:
        first, last = measured[0], measured[-1]
        changes = [
            f"{title} {_number(first.value(key))} -> {_number(last.value(key))}"
            for key, title in SERIES
            if first.value(key) != last.value(key)
        ]
        lines += ["", f"{first.day} -> {last.day}: " + ("; ".join(changes) if changes else "no change")]
    skipped = len(points) - len(measured)
    lines.append(f"{len(points)} samples, {len(measured)} analysed" + (f", {skipped} not" if skipped else ""))
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return f"{value:g}"


WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 300, 120, 44, 10, 22, 22


def trend_charts_svg(points: Sequence[TrendPoint]) -> list[tuple[str, str]]:
    """``(title, svg)`` per series that has at least one analysed point: a line over the samples, a dot
    per sample with a tooltip (date, commit, value). Every text is escaped."""
    measured = [(index, p) for index, p in enumerate(points) if not p.error]
    if not measured:
        return []
    charts = []
    for key, title in SERIES:
        values = [p.value(key) for _, p in measured]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        steps = max(len(points) - 1, 1)

        def x(index: int, steps: int = steps) -> float:
            return PAD_LEFT + (WIDTH - PAD_LEFT - PAD_RIGHT) * index / steps

        def y(value: float, low: float = low, span: float = span) -> float:
            return PAD_TOP + (HEIGHT - PAD_TOP - PAD_BOTTOM) * (1 - (value - low) / span)

        path = " ".join(
            f"{'M' if n == 0 or measured[n - 1][0] != index - 1 else 'L'}{x(index):.1f},{y(p.value(key)):.1f}"
            for n, (index, p) in enumerate(measured)
        )
        dots = "".join(
            f'<circle cx="{x(index):.1f}" cy="{y(p.value(key)):.1f}" r="3">'
            f"<title>{escape(p.day)} {escape(p.sha[:8])}: {escape(_number(p.value(key)))}"
            f" — {escape(p.subject[:80])}</title></circle>"
            for index, p in measured
        )
        svg = (
            f'<svg class="trend" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
            f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            f'<text x="{PAD_LEFT}" y="14" class="t">{escape(title)}</text>'
            f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH - PAD_RIGHT}" y2="{HEIGHT - PAD_BOTTOM}"'
            ' stroke="#999"/>'
            f'<text x="{PAD_LEFT - 4}" y="{PAD_TOP + 4}" text-anchor="end">{escape(_number(high))}</text>'
            f'<text x="{PAD_LEFT - 4}" y="{HEIGHT - PAD_BOTTOM}" text-anchor="end">{escape(_number(low))}</text>'
            f'<text x="{PAD_LEFT}" y="{HEIGHT - 6}">{escape(points[0].day)}</text>'
            f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 6}" text-anchor="end">{escape(points[-1].day)}</text>'
            f'<path d="{path}" fill="none" stroke="#2b6cb0" stroke-width="2"/>{dots}</svg>'
        )
        charts.append((title, svg))
    return charts

"""``fitness score``: the granularity table (split / keep / merge, with the forces), from
``analysis.summary.granularity`` (``fitness.model.granularity.GranularityTable``). Text, Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping

from fitness.model import Analysis
from fitness.model.granularity import FORCES, ForceScore, GranularityTable

SCORE_FORMATS = ("text", "json", "markdown")


SUMMARY_ROWS = 4  # split and merge candidates each in the short summary


def render(analysis: Analysis, fmt: str = "text", full: bool = True) -> str:
    """The table in ``fmt``; text without ``full`` is the short ranked summary (``summary``)."""
    table = analysis.summary.granularity
    if fmt == "json":
        data = table.to_json() if table is not None else {}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(table)
    return _text(table) if full else summary(table)


def summary(table: GranularityTable | None) -> str:
    """At most about ten lines: the strongest split and merge candidates with their forces, e.g.::

    4 services scored: 1 split, 2 keep, 1 merge (--full for the table and the evidence)
    split  orders    0.81  scope 1.00; volatility 0.75
    merge  payments  0.72  with billing: data 1.00; transactions 0.50
    """
    if table is None:
        return "no granularity table (nothing to score)\n"
    rows = table.services
    noun = "services" if table.level == "services" else "packages"
    counts = ", ".join(f"{sum(r.verdict == v for r in rows)} {v}" for v in ("split", "keep", "merge"))
    lines = [f"{len(rows)} {noun} scored: {counts} (--full for the table and the evidence)"]
    splits = sorted((r for r in rows if r.verdict == "split"), key=lambda r: (-r.split_pressure, r.name))
    merges = sorted((r for r in rows if r.verdict == "merge"), key=lambda r: (-r.merge_pressure, r.name))
    width = max([len(r.name) for r in [*splits, *merges]] + [7])
    for row in splits[:SUMMARY_ROWS]:
        lines.append(
            f"split  {row.name:<{width}}  {row.split_pressure:.2f}  {force_line(row.disintegrators)}"
        )
    for row in merges[:SUMMARY_ROWS]:
        partners = ", ".join(row.merge_with)
        forces = next((force_line(p.integrators) for p in table.pairs if row.name in p.services), "")
        lines.append(f"merge  {row.name:<{width}}  {row.merge_pressure:.2f}  with {partners}: {forces}")
    if not splits and not merges:
        lines.append("no split or merge candidate: every one is kept")
    if not table.history_available:
        lines.append(
            f"note: git history unavailable ({table.history_reason}): volatility and co-change not measured"
        )
    return "\n".join(lines) + "\n"


def force_line(forces: Mapping[str, ForceScore]) -> str:
    """The measured forces above 0, strongest first: ``scope 1.00; volatility 0.75``."""
    return "; ".join(_force_text(name, force) for name, force in _forces(forces) if force.score is not None)


def _forces(forces: Mapping[str, ForceScore]) -> list[tuple[str, ForceScore]]:
    """Measured forces with a score above 0, strongest first, then the unavailable ones."""
    measured = [(n, f) for n, f in forces.items() if f.score]
    measured.sort(key=lambda item: (-(item[1].score or 0.0), item[0]))
    return measured + [(n, f) for n, f in sorted(forces.items()) if f.score is None]


def _force_text(name: str, force: ForceScore) -> str:
    label = name.replace("_", " ")
    if force.score is None:
        return f"{label}: unavailable ({force.note})"
    return f"{label} {force.score:.2f}"


def _text(table: GranularityTable | None) -> str:
    if table is None:
        return "no granularity table (nothing to score)\n"
    rows = table.services
    width = max([len(r.name) for r in rows] + [7])
    lines = [f"{'service' if table.level == 'services' else 'package':<{width}}  verdict  split  merge"]
    for row in rows:
        lines.append(
            f"{row.name:<{width}}  {row.verdict:<7}  {row.split_pressure:.2f}   {row.merge_pressure:.2f}"
        )
    lines.append("")
    for row in rows:
        lines.append(f"{row.name}: {row.reason}")
        for name, force in _forces(row.disintegrators):
            lines.append(f"    {_force_text(name, force)}")
            lines.extend(f"      - {item}" for item in force.evidence[:5])
        for part in row.parts if row.verdict == "split" else ():
            lines.append(f"    part {part.name}: {', '.join(part.modules)}")
    if table.pairs:
        lines.extend(["", "pairs (merge pressure):"])
        for pair in table.pairs:
            lines.append(f"  {' + '.join(pair.services)}  {pair.merge_pressure:.2f}")
            for name, force in _forces(pair.integrators):
                lines.append(f"    {_force_text(name, force)}")
                lines.extend(f"      - {item}" for item in force.evidence[:5])
    if not table.history_available:
        lines.extend(
            [
                "",
                f"note: git history unavailable ({table.history_reason}): volatility and co-change not measured",
            ]
        )
    settings = table.settings
    lines.extend(
        [
            "",
            f"pressure = 1 - prod(1 - weight * score); split at {settings.split_threshold}, merge at "
            f"{settings.merge_threshold}, margin {settings.margin} (weights: "
            + ", ".join(f"{force} {settings.weight(force):g}" for force in FORCES)
            + ")",
        ]
    )
    return "\n".join(lines) + "\n"


def _markdown(table: GranularityTable | None) -> str:
    if table is None:
        return "## fitness score\n\nNothing to score.\n"
    lines = [
        "## fitness score: split, keep or merge",
        "",
        "| service | verdict | split | merge | reason |",
        "|---|---|---:|---:|---|",
    ]
    for row in table.services:
        reason = row.reason.replace("|", "\\|")
        lines.append(
            f"| {row.name} | **{row.verdict}** | {row.split_pressure:.2f} | {row.merge_pressure:.2f} | {reason} |"
        )
    if table.pairs:
        lines.extend(["", "| pair | merge pressure | forces |", "|---|---:|---|"])
        for pair in table.pairs:
            forces = "; ".join(_force_text(n, f) for n, f in _forces(pair.integrators))
            lines.append(f"| {' + '.join(pair.services)} | {pair.merge_pressure:.2f} | {forces} |")
    if not table.history_available:
        lines.extend(
            [
                "",
                f"_Git history unavailable ({table.history_reason}): volatility and co-change not measured._",
            ]
        )
    return "\n".join(lines) + "\n"

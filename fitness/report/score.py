"""``fitness score``: the granularity table (split / keep / merge, with the forces), from
``analysis.summary.granularity`` (``fitness.model.granularity.GranularityTable``). Text, Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping

from fitness.model import Analysis
from fitness.model.granularity import FORCES, ForceScore, GranularityTable

SCORE_FORMATS = ("text", "json", "markdown")


def render(analysis: Analysis, fmt: str = "text") -> str:
    table = analysis.summary.granularity
    if fmt == "json":
        data = table.to_json() if table is not None else {}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(table)
    return _text(table)


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

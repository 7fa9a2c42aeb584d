"""``fitness score``: the granularity table (split / keep / merge, with the forces), from
``analysis.summary["granularity"]`` (shape: ``fitness.analyze.granularity``). Text, Markdown or JSON."""

from __future__ import annotations

import json
from typing import Any

from fitness.model import Analysis

SCORE_FORMATS = ("text", "json", "markdown")


def render(analysis: Analysis, fmt: str = "text") -> str:
    table: dict[str, Any] = analysis.summary.get("granularity") or {}
    if fmt == "json":
        return json.dumps(table, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(table)
    return _text(table)


def _forces(forces: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Measured forces with a score above 0, strongest first, then the unavailable ones."""
    measured = [(n, f) for n, f in forces.items() if f.get("score")]
    measured.sort(key=lambda item: (-item[1]["score"], item[0]))
    return measured + [(n, f) for n, f in sorted(forces.items()) if f.get("score") is None]


def _force_text(name: str, force: dict[str, Any]) -> str:
    label = name.replace("_", " ")
    if force.get("score") is None:
        return f"{label}: unavailable ({force.get('note', '')})"
    return f"{label} {force['score']:.2f}"


def _text(table: dict[str, Any]) -> str:
    if not table:
        return "no granularity table (nothing to score)\n"
    rows = table.get("services", [])
    width = max([len(r["name"]) for r in rows] + [7])
    lines = [
        f"{'service' if table.get('level') == 'services' else 'package':<{width}}  verdict  split  merge"
    ]
    for row in rows:
        lines.append(
            f"{row['name']:<{width}}  {row['verdict']:<7}  {row['split_pressure']:.2f}   {row['merge_pressure']:.2f}"
        )
    lines.append("")
    for row in rows:
        lines.append(f"{row['name']}: {row['reason']}")
        for name, force in _forces(row.get("disintegrators", {})):
            lines.append(f"    {_force_text(name, force)}")
            lines.extend(f"      - {item}" for item in force.get("evidence", [])[:5])
        for part in row.get("parts", []) if row["verdict"] == "split" else []:
            lines.append(f"    part {part['name']}: {', '.join(part['modules'])}")
    pairs = table.get("pairs", [])
    if pairs:
        lines.extend(["", "pairs (merge pressure):"])
        for pair in pairs:
            lines.append(f"  {' + '.join(pair['services'])}  {pair['merge_pressure']:.2f}")
            for name, force in _forces(pair.get("integrators", {})):
                lines.append(f"    {_force_text(name, force)}")
                lines.extend(f"      - {item}" for item in force.get("evidence", [])[:5])
    history = table.get("history", {})
    if not history.get("available"):
        lines.extend(
            [
                "",
                f"note: git history unavailable ({history.get('reason', '')}): volatility and co-change not measured",
            ]
        )
    settings = table.get("settings", {})
    lines.extend(
        [
            "",
            f"pressure = 1 - prod(1 - weight * score); split at {settings.get('split_threshold')}, merge at "
            f"{settings.get('merge_threshold')}, margin {settings.get('margin')} (weights: "
            + ", ".join(f"{k} {v:g}" for k, v in settings.get("weights", {}).items())
            + ")",
        ]
    )
    return "\n".join(lines) + "\n"


def _markdown(table: dict[str, Any]) -> str:
    if not table:
        return "## fitness score\n\nNothing to score.\n"
    lines = [
        "## fitness score: split, keep or merge",
        "",
        "| service | verdict | split | merge | reason |",
        "|---|---|---:|---:|---|",
    ]
    for row in table.get("services", []):
        reason = row["reason"].replace("|", "\\|")
        lines.append(
            f"| {row['name']} | **{row['verdict']}** | {row['split_pressure']:.2f} | "
            f"{row['merge_pressure']:.2f} | {reason} |"
        )
    pairs = table.get("pairs", [])
    if pairs:
        lines.extend(["", "| pair | merge pressure | forces |", "|---|---:|---|"])
        for pair in pairs:
            forces = "; ".join(_force_text(n, f) for n, f in _forces(pair.get("integrators", {})))
            lines.append(f"| {' + '.join(pair['services'])} | {pair['merge_pressure']:.2f} | {forces} |")
    history = table.get("history", {})
    if not history.get("available"):
        lines.extend(
            [
                "",
                f"_Git history unavailable ({history.get('reason', '')}): volatility and co-change not measured._",
            ]
        )
    return "\n".join(lines) + "\n"

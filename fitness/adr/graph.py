"""The records and their links (supersedes, amends ...) as a Graphviz DOT graph, or SVG through ``dot``.

A link and its reverse (``Amends`` / ``Amended by``, ``Supersedes`` / ``Superseded by``) are one
edge, drawn from the record that states the active form; a reverse link ("... by") with no active
partner is drawn as it is written.
"""

from __future__ import annotations

import shutil
import subprocess

from fitness.adr.folder import AdrFolder
from fitness.model import FitnessError

_COLORS = {
    "Accepted": "#2b8a3e",
    "Proposed": "#e67700",
    "Rejected": "#c92a2a",
    "Deprecated": "#868e96",
    "Superseded": "#868e96",
}


def to_dot(folder: AdrFolder) -> str:
    records = sorted(folder.records, key=lambda r: (r.number, r.name))
    numbers = {record.number for record in records}
    lines = [
        "digraph adr {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for record in records:
        label = _quote(f"{record.number:04d}\\n{_wrap(record.title)}\\n[{record.status or 'no status'}]")
        style = (
            ', style="rounded,dashed"' if record.status in ("Superseded", "Deprecated", "Rejected") else ""
        )
        color = _COLORS.get(record.status, "#000000")
        lines.append(f'  "{record.number}" [label={label}, color="{color}", href="{record.name}"{style}];')
    active: set[tuple[int, int, str]] = set()
    passive: set[tuple[int, int, str]] = set()
    for record in records:
        for link in record.links:
            if link.target is None or link.target not in numbers or link.target == record.number:
                continue
            if link.superseded_by:
                active.add((link.target, record.number, "supersedes"))
            elif link.supersedes:
                active.add((record.number, link.target, "supersedes"))
            elif link.kind.lower().endswith(" by"):
                passive.add((record.number, link.target, link.kind.lower()))
            else:
                active.add((record.number, link.target, link.kind.lower()))
        for successor in record.superseded_by:
            if successor in numbers:
                active.add((successor, record.number, "supersedes"))
    pairs = {(source, target) for source, target, _ in active}
    edges = active | {edge for edge in passive if (edge[1], edge[0]) not in pairs}
    for source, target, kind in sorted(edges):
        style = "" if kind == "supersedes" else ", style=dashed"
        lines.append(f'  "{source}" -> "{target}" [label={_quote(kind)}{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(dot_text: str) -> str:
    """SVG from Graphviz's ``dot`` program; a clear error when it is not installed."""
    program = shutil.which("dot")
    if program is None:
        raise FitnessError(
            "Graphviz's 'dot' program is not installed (apt install graphviz, brew install graphviz); "
            "use --format dot"
        )
    try:
        result = subprocess.run(
            [program, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FitnessError(f"Graphviz's dot failed: {error}") from error
    if result.returncode != 0:
        raise FitnessError(f"Graphviz's dot failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def _wrap(title: str, width: int = 28) -> str:
    words, lines, current = title.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return "\\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'

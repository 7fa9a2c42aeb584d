"""Pure text changes to one record: its status, and typed links to other records.

Each function takes a Record and returns the record's new text; nothing here touches the disk. Changes
are the smallest edit that adr-tools would make, so a diff of the file shows exactly what changed.

Nygard: the status is the first line under ``## Status``; links are lines below it, one blank line
apart (so Markdown renders one paragraph per line, and adr-viewer reads the status paragraph alone).
A superseded record's status line becomes ``Superseded by [5. Title](0005-title.md)``, as adr-tools
does. MADR: the status is ``status:`` in the front matter (lower case, as the MADR template writes it);
links go into ``## More Information``.
"""

from __future__ import annotations

import re

from fitness.adr.records import Record, link_in, parse, section_range
from fitness.model import FitnessError


def link_line(kind: str, target: Record) -> str:
    """``Supersedes [3. Use grimp](0003-use-grimp.md)``."""
    label = target.label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"{kind} [{label}]({target.name})"


def set_status(record: Record, status: str, today: str) -> str:
    """The text with its status set to ``status`` (Accepted, Rejected ...)."""
    if record.status == "Superseded":
        after = ", ".join(str(n) for n in record.superseded_by) or "another record"
        raise FitnessError(f"ADR {record.number} is superseded by {after}; its status stays Superseded")
    if record.format == "madr":
        return _set_front_matter(record, {"status": status.lower(), "date": today})
    lines = record.text.splitlines()
    span = _status_span(record, lines)
    if record.status_line and not link_in(lines[record.status_line - 1].strip()):
        lines[record.status_line - 1] = status
    else:
        lines[span[0] : span[0]] = ["", status]
    return _joined(lines)


def add_link(record: Record, line: str) -> str:
    """The text with the link line added (unchanged when the same link is already there)."""
    if any(_same_link(line, existing) for existing in record.text.splitlines()):
        return record.text
    lines = record.text.splitlines()
    if record.format == "madr":
        span = section_range(lines, record.headings, "More Information")
        if span is None:
            return _joined([*_trimmed(lines), "", "## More Information", "", line])
    else:
        span = _status_span(record, lines)
    return _joined(_append_to_section(lines, span, line))


def mark_superseded(record: Record, successor: Record, today: str) -> str:
    """The text of ``record`` once ``successor`` replaces it (the back-link included)."""
    line = link_line("Superseded by", successor)
    if record.format == "madr":
        text = _set_front_matter(
            record, {"status": f"superseded by ADR-{successor.number:04d}", "date": today}
        )
        return add_link(parse(text, record.path, record.display, record.number), line)
    lines = record.text.splitlines()
    if record.status_line and not link_in(lines[record.status_line - 1].strip()):
        lines[record.status_line - 1] = line
        return _joined(lines)
    return add_link(record, line)


# -- helpers ---------------------------------------------------------------------------------------


def _status_span(record: Record, lines: list[str]) -> tuple[int, int]:
    span = section_range(lines, record.headings, "Status")
    if span is None:
        raise FitnessError("has no '## Status' section; add one before changing the status", record.display)
    return span


def _append_to_section(lines: list[str], span: tuple[int, int], line: str) -> list[str]:
    start, end = span
    last = end
    while last > start and not lines[last - 1].strip():
        last -= 1
    tail = lines[end:]
    return [*lines[:last], "", line, *([""] if tail else []), *tail]


def _set_front_matter(record: Record, values: dict[str, str]) -> str:
    lines = record.text.splitlines()
    if record.front_matter is None:
        head = ["---", *(f"{key}: {_yaml_text(value)}" for key, value in values.items()), "---", ""]
        return _joined(head + lines)
    end = record.front_matter_end - 1  # index of the closing ---
    for key, value in values.items():
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        index = next((i for i in range(1, end) if pattern.match(lines[i])), None)
        if index is None:
            lines.insert(end, f"{key}: {_yaml_text(value)}")
            end += 1
        else:
            lines[index] = f"{key}: {_yaml_text(value)}"
    return _joined(lines)


def _yaml_text(value: str) -> str:
    return (
        value
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]*", value)
        else '"' + value.replace('"', '\\"') + '"'
    )


def _same_link(new: str, existing: str) -> bool:
    a, b = link_in(new), link_in(existing.strip())
    return a is not None and b is not None and a[0].lower() == b[0].lower() and a[2] == b[2]


def _trimmed(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _joined(lines: list[str]) -> str:
    return "\n".join(_trimmed(lines)) + "\n"

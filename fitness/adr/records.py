"""Read one ADR file into a Record: title, number, status, date, sections and links, each with its line.

Two shapes are read (and told apart by their first line):

- Nygard / adr-tools: ``# 3. Use grimp``, ``Date: 2026-11-23``, ``## Status`` whose first line is the
  status and whose other lines are links (``Supersedes [2. Old](0002-old.md)``; the ``Superceded by``
  spelling adr-tools writes is read too).
- MADR 4: YAML front matter between ``---`` lines (``status``, ``date``, ``decision-makers`` ...), then
  ``# Title``; links to other records are lines of the same form in ``## More Information``.

Parsing never fails: what is wrong is recorded as a Problem, so that ``lint`` can report everything
and the other commands can refuse only what they must.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fitness.model import Severity
from fitness.model.decisions import ADR_STATUSES, normalize_status

FILE_NAME = re.compile(r"^(\d+)-(.+)\.md$")
GOOD_FILE_NAME = re.compile(r"^\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
SUPERSEDES = ("supersedes", "supercedes")
SUPERSEDED_BY = ("superseded by", "superceded by")
NYGARD_SECTIONS = ("Status", "Context", "Decision", "Consequences")
MADR_SECTIONS = ("Context and Problem Statement", "Considered Options", "Decision Outcome")
MADR_KEYS = ("status", "date", "decision-makers", "consulted", "informed")

_LINK_LINE = re.compile(
    r"^\s*(?:[-*]\s+)?(?P<kind>[A-Za-z][A-Za-z -]*?)\s+"
    r"\[(?P<label>(?:\\.|[^\]\\])*)\]\((?P<href>[^)\s]+)\)\s*$"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TITLE_NUMBER = re.compile(r"^(\d+)\.\s+(.*)$")
_DATE_LINE = re.compile(r"^Date:\s*(.*?)\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MARKDOWN_LINK = re.compile(r"\[(?:\\.|[^\]\\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True)
class Problem:
    """Something wrong in an ADR folder, at ``path:line`` (line 0: the whole file)."""

    path: str
    line: int
    code: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.code} {self.severity.value}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Link:
    """``kind [label](href)``: a typed link to another record (``target`` is its number, if any)."""

    kind: str
    label: str
    href: str
    target: int | None
    line: int

    @property
    def supersedes(self) -> bool:
        return self.kind.lower() in SUPERSEDES

    @property
    def superseded_by(self) -> bool:
        return self.kind.lower() in SUPERSEDED_BY


@dataclass(frozen=True)
class Heading:
    level: int
    name: str
    line: int


@dataclass(frozen=True)
class Record:
    """One ADR as read from disk. Lines are 1-based; 0 means "not there"."""

    number: int
    path: Path
    display: str
    text: str
    format: str  # "nygard" or "madr"
    title: str = ""
    title_number: int | None = None
    title_line: int = 0
    status_text: str = ""
    status_line: int = 0
    date: str = ""
    date_line: int = 0
    headings: tuple[Heading, ...] = ()
    links: tuple[Link, ...] = ()
    front_matter: dict[str, Any] | None = None
    front_matter_end: int = 0  # line of the closing ``---``
    successor: int | None = None  # from a MADR status "superseded by ADR-0005"
    problems: tuple[Problem, ...] = ()
    markdown_links: tuple[tuple[str, int], ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def status(self) -> str:
        """Accepted, Proposed ... (normalized); ``""`` when the record states none."""
        return normalize_status(self.status_text) if self.status_text else ""

    @property
    def known_status(self) -> bool:
        return self.status in ADR_STATUSES

    @property
    def superseded_by(self) -> list[int]:
        """Numbers of the records that supersede this one (links, or a MADR status)."""
        found = [link.target for link in self.links if link.superseded_by and link.target is not None]
        if self.successor is not None and self.successor not in found:
            found.append(self.successor)
        return found

    @property
    def supersedes(self) -> list[int]:
        return [link.target for link in self.links if link.supersedes and link.target is not None]

    @property
    def label(self) -> str:
        """``3. Use grimp``: the text of a link to this record (adr-tools style)."""
        return f"{self.number}. {self.title}"

    def section(self, name: str) -> Heading | None:
        wanted = name.lower()
        return next((h for h in self.headings if h.level == 2 and h.name.lower() == wanted), None)


def number_of(file_name: str) -> int | None:
    """``0007-use-x.md`` -> 7; None for names that are not ADR files."""
    match = FILE_NAME.match(file_name)
    return int(match.group(1)) if match else None


def parse(text: str, path: Path, display: str, number: int) -> Record:
    """The Record in ``text`` (read from ``path``, shown to people as ``display``)."""
    problems: list[Problem] = []
    lines = text.splitlines()
    front, body_start = _front_matter(lines, display, problems)
    is_madr = front is not None or any(
        line.strip().lower() == "## context and problem statement" for line in lines
    )
    headings, outside = _structure(lines, body_start)
    fields: dict[str, Any] = {"headings": tuple(headings), "markdown_links": _links_in(lines, outside)}
    title = next((h for h in headings if h.level == 1), None)
    if title is not None:
        match = _TITLE_NUMBER.match(title.name)
        fields["title_line"] = title.line
        fields["title"] = match.group(2).strip() if match else title.name
        fields["title_number"] = int(match.group(1)) if match else None
    if is_madr:
        _madr_fields(front or {}, lines, headings, display, problems, fields)
        fields["front_matter_end"] = body_start if front is not None else 0
    else:
        _nygard_fields(lines, headings, fields)
    return Record(
        number=number,
        path=path,
        display=display,
        text=text,
        format="madr" if is_madr else "nygard",
        front_matter=front,
        problems=tuple(problems),
        **fields,
    )


def section_range(lines: list[str], headings: tuple[Heading, ...], name: str) -> tuple[int, int] | None:
    """0-based ``(first line after the heading, end)`` of the level-2 section ``name``."""
    wanted = name.lower()
    for index, heading in enumerate(headings):
        if heading.level == 2 and heading.name.lower() == wanted:
            end = next((h.line - 1 for h in headings[index + 1 :] if h.level <= 2), len(lines))
            return heading.line, end
    return None


def link_in(line: str) -> tuple[str, str, str] | None:
    """``(kind, label, href)`` when ``line`` is a whole-line typed link."""
    match = _LINK_LINE.match(line)
    return (match.group("kind"), match.group("label"), match.group("href")) if match else None


def valid_date(value: str) -> bool:
    if not _ISO_DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# -- helpers ---------------------------------------------------------------------------------------


def _front_matter(
    lines: list[str], display: str, problems: list[Problem]
) -> tuple[dict[str, Any] | None, int]:
    """The YAML front matter (or None) and the 0-based index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return None, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        problems.append(_problem(display, 1, "ADR009", "front matter opened with '---' is never closed"))
        return {}, 1
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        problems.append(_problem(display, line, "ADR009", f"malformed front matter: {error.problem}"))
        return {}, end + 1
    except yaml.YAMLError as error:  # pragma: no cover - every YAML error PyYAML raises is marked
        problems.append(_problem(display, 1, "ADR009", f"malformed front matter: {error}"))
        return {}, end + 1
    except (ValueError, OverflowError, RecursionError) as error:  # `date: 2024-02-30`, deep nesting
        reason = str(error).split(":")[0] or type(error).__name__
        problems.append(_problem(display, 2, "ADR009", f"malformed front matter: {reason}"))
        return {}, end + 1
    if data is None:
        return {}, end + 1
    if not isinstance(data, dict):
        problems.append(_problem(display, 2, "ADR009", "front matter must be a mapping of key: value"))
        return {}, end + 1
    return {str(key): value for key, value in data.items()}, end + 1


def _structure(lines: list[str], start: int) -> tuple[list[Heading], list[int]]:
    """Headings and the indexes of lines outside fenced code blocks (from ``start``)."""
    headings: list[Heading] = []
    outside: list[int] = []
    fence = ""
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        outside.append(index)
        match = _HEADING.match(lines[index])
        if match and not lines[index].startswith(" "):
            headings.append(Heading(len(match.group(1)), match.group(2).strip(), index + 1))
    return headings, outside


def _links_in(lines: list[str], outside: list[int]) -> tuple[tuple[str, int], ...]:
    found = []
    for index in outside:
        for match in _MARKDOWN_LINK.finditer(re.sub(r"`[^`]*`", "", lines[index])):
            found.append((match.group(1), index + 1))
    return tuple(found)


def _nygard_fields(lines: list[str], headings: list[Heading], fields: dict[str, Any]) -> None:
    first_section = next((h.line for h in headings if h.level == 2), len(lines) + 1)
    for index in range(0, first_section - 1):
        match = _DATE_LINE.match(lines[index].strip())
        if match:
            fields["date"], fields["date_line"] = match.group(1), index + 1
            break
    span = section_range(lines, tuple(headings), "Status")
    if span is None:
        return
    links = []
    for index in range(*span):
        line = lines[index].strip()
        if not line or line.startswith("<!--"):
            continue
        if "status_line" not in fields:
            fields["status_text"], fields["status_line"] = line, index + 1
        parsed = link_in(line)
        if parsed:
            links.append(Link(parsed[0], parsed[1], parsed[2], number_of(_base(parsed[2])), index + 1))
    fields["links"] = tuple(links)


def _madr_fields(
    front: dict[str, Any],
    lines: list[str],
    headings: list[Heading],
    display: str,
    problems: list[Problem],
    fields: dict[str, Any],
) -> None:
    status = front.get("status")
    status_line = _key_line(lines, "status")
    if status is not None:
        if isinstance(status, str):
            fields["status_text"], fields["status_line"] = status.strip(), status_line
            successor = (
                re.search(r"(?:ADR[- ]?)?(\d+)", status) if status.lower().startswith("supers") else None
            )
            fields["successor"] = int(successor.group(1)) if successor else None
        else:
            problems.append(_problem(display, status_line, "ADR009", "front matter 'status' must be text"))
    date = front.get("date")
    if date is not None:
        fields["date_line"] = _key_line(lines, "date")
        fields["date"] = date.isoformat() if isinstance(date, datetime.date) else str(date)
    for key in ("decision-makers", "consulted", "informed"):
        value = front.get(key)
        if value is not None and not isinstance(value, (str, list)):
            problems.append(
                _problem(
                    display, _key_line(lines, key), "ADR009", f"front matter {key!r}: expected text or a list"
                )
            )
    span = section_range(lines, tuple(headings), "More Information")
    links = []
    if span is not None:
        for index in range(*span):
            parsed = link_in(lines[index].strip())
            if parsed and number_of(_base(parsed[2])) is not None:
                links.append(Link(parsed[0], parsed[1], parsed[2], number_of(_base(parsed[2])), index + 1))
    fields["links"] = tuple(links)


def _key_line(lines: list[str], key: str) -> int:
    """Line of ``key:`` in the front matter (1 when not found)."""
    for index, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            break
        if line.startswith(f"{key}:"):
            return index
    return 1


def _base(href: str) -> str:
    return href.split("#", 1)[0].rsplit("/", 1)[-1]


def _problem(display: str, line: int, code: str, message: str) -> Problem:
    return Problem(display, line, code, Severity.ERROR, message)

"""What the ``fitness adr`` commands do to the folder: init, new, status, supersede, link.

Each action checks everything it needs (targets exist, numbers unique, title usable) before it writes
anything, and returns the paths it wrote so the caller can say so. Each holds the folder's lock
(``folder.locked``) and reads the folder again under it, so concurrent runs never take one number twice
and never lose each other's index lines.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fitness.adr import edit, templates
from fitness.adr.folder import (
    AdrFolder,
    check_title,
    create_file,
    display,
    file_name,
    load,
    locked,
    reloaded,
    replace_file,
)
from fitness.adr.records import SUPERSEDED_BY, SUPERSEDES, Record, parse, valid_date
from fitness.model import FitnessError
from fitness.model.decisions import ADR_FORMATS, ADR_STATUSES, AdrSettings, normalize_status

SETTABLE = ("proposed", "accepted", "rejected", "deprecated")
_KIND = re.compile(r"^[A-Za-z][A-Za-z -]*[A-Za-z]$")


@dataclass(frozen=True)
class LinkRequest:
    """``--link 5:Amends:Amended by``: this record ``kind`` 5; 5 gets ``reverse`` this record."""

    target: int
    kind: str
    reverse: str

    @classmethod
    def parse(cls, text: str) -> LinkRequest:
        parts = text.split(":")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            raise FitnessError(
                f"--link must look like 'N:Kind:Reverse kind' (e.g. '5:Amends:Amended by'), got {text!r}"
            )
        return cls(int(parts[0]), check_kind(parts[1]), check_kind(parts[2]))


@dataclass
class Written:
    created: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"created {display(p)}" for p in self.created] + [
            f"updated {display(p)}" for p in self.changed
        ]


def today() -> str:
    return datetime.date.today().isoformat()


def check_kind(kind: str) -> str:
    clean = " ".join(kind.split())
    if not _KIND.match(clean):
        raise FitnessError(f"a link kind is words (letters, spaces, dashes), e.g. 'Amends', got {kind!r}")
    return clean


def choose_format(requested: str | None, settings: AdrSettings, folder: AdrFolder) -> str:
    """``--format``, else fitness.yaml's adr.format, else the newest record's, else nygard."""
    fmt = requested or settings.format or folder.newest_format() or "nygard"
    if fmt not in ADR_FORMATS:
        raise FitnessError(f"unknown ADR format {fmt!r}; choose one of {', '.join(ADR_FORMATS)}")
    return fmt


def init(path: Path, fmt: str, date: str | None = None, follow_symlinks: bool = False) -> Written:
    """Create the folder with its first record (record architecture decisions) and an index."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FitnessError(f"cannot create: {error.strerror}", display(path)) from error
    with locked(path):
        return _init(path, fmt, date, follow_symlinks)


def _init(path: Path, fmt: str, date: str | None, follow_symlinks: bool) -> Written:
    from fitness.adr.index import write_index

    folder = load(path, must_exist=False, follow_symlinks=follow_symlinks)
    if folder.records or folder.unreadable:
        raise FitnessError(
            f"already holds {len(folder.numbers())} ADRs; nothing to initialise", folder.display
        )
    values = {
        "context": "We need to record the architectural decisions made on this project, with their reasons, "
        "where the next engineer will find them: next to the code.",
        "decision": "We will use Architecture Decision Records, as described by Michael Nygard in "
        "[Documenting Architecture Decisions](https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions): "
        "one short Markdown file per decision, numbered, never edited after acceptance except to link a successor.",
        "consequences": "New decisions are written with `fitness adr new`, linked to the fitness functions that "
        "enforce them (`adr: N` on a rule in fitness.yaml), and checked in CI with `fitness adr lint`.",
        "drivers": [
            "the next engineer must find each decision and its reasons",
            "decisions are reviewed like code",
        ],
        "options": [
            {
                "title": "Architecture Decision Records in the repository",
                "description": "One short Markdown file per decision, next to the code it explains.",
                "good": ["versioned and reviewed with the code", "rules in fitness.yaml can point to them"],
                "bad": ["someone has to write them"],
            },
            {
                "title": "A wiki page",
                "description": "Decisions on a shared page outside the repository.",
                "good": ["easy to edit"],
                "bad": ["drifts away from the code; nobody reviews the changes"],
            },
            {
                "title": "No record",
                "description": "Decisions live in people's heads and in commit messages.",
                "good": ["no effort now"],
                "bad": ["the reasons are lost; decisions are argued again, or silently reverted"],
            },
        ],
        "chosen": "Architecture Decision Records in the repository",
        "because": "they keep each decision and its reasons next to the code, in plain text",
    }
    written = new(folder, "Record architecture decisions", fmt, "Accepted", date=date, values=values)
    index = write_index(load(path, follow_symlinks=follow_symlinks))
    if index is not None:
        written.created.append(index)
    return written


def new(
    folder: AdrFolder,
    title: str,
    fmt: str,
    status: str,
    supersedes: list[int] | None = None,
    links: list[LinkRequest] | None = None,
    date: str | None = None,
    values: dict[str, Any] | Callable[[int], dict[str, Any]] | None = None,
) -> Written:
    """Write the next record; link it to (and supersede) the records named. Never overwrites.

    The number is taken under the folder's lock from the records on disk then; ``values`` may be a
    function of that number (a draft quotes its own number)."""
    with locked(folder.path):
        return _new(reloaded(folder), title, fmt, status, supersedes, links, date, values)


def _new(
    folder: AdrFolder,
    title: str,
    fmt: str,
    status: str,
    supersedes: list[int] | None,
    links: list[LinkRequest] | None,
    date: str | None,
    values: dict[str, Any] | Callable[[int], dict[str, Any]] | None,
) -> Written:
    clean = check_title(title)
    if date is not None and not valid_date(date):
        raise FitnessError(f"--date must be YYYY-MM-DD, got {date!r}")
    targets = [*(supersedes or []), *(link.target for link in links or [])]
    folder.require_usable(targets)
    targets_found = {number: folder.get(number) for number in targets}
    for number in supersedes or []:
        _check_can_supersede(targets_found[number], None)
    number = folder.next_number()
    path = folder.path / file_name(number, clean)
    status = normalize_status(status)
    if status not in ADR_STATUSES or status == "Superseded":
        allowed = ", ".join(s for s in ADR_STATUSES if s != "Superseded")
        raise FitnessError(f"a new record's status is one of {allowed}, not {status!r}")
    extra = values(number) if callable(values) else values or {}
    text = templates.render(
        fmt,
        {"number": number, "title": clean, "date": date or today(), "status": status, **extra},
        folder.path,
    )
    record = parse(text, path, display(path), number)
    if not record.title:
        raise FitnessError(
            "the template wrote no '# ' title line; fix the template", display(folder.path / "templates")
        )
    for target in supersedes or []:
        record = _reparsed(record, edit.add_link(record, edit.link_line("Supersedes", targets_found[target])))
    for link in links or []:
        record = _reparsed(
            record, edit.add_link(record, edit.link_line(link.kind, targets_found[link.target]))
        )
    follow = folder.follow_symlinks
    create_file(path, record.text)
    written = Written(created=[path])
    for target in supersedes or []:
        replace_file(
            targets_found[target].path, edit.mark_superseded(targets_found[target], record, today()), follow
        )
        written.changed.append(targets_found[target].path)
    for link in links or []:
        target_record = _fresh(targets_found[link.target])
        replace_file(
            target_record.path, edit.add_link(target_record, edit.link_line(link.reverse, record)), follow
        )
        written.changed.append(target_record.path)
    return _with_index(folder, written)


def set_status(folder: AdrFolder, number: int, status: str) -> tuple[Record, str]:
    """Set record ``number``'s status; returns the record (before) and the new status."""
    if status.lower() not in SETTABLE:
        hint = " (use `fitness adr supersede OLD NEW`)" if status.lower().startswith("supers") else ""
        raise FitnessError(f"status must be one of {', '.join(SETTABLE)}, not {status!r}{hint}")
    with locked(folder.path):
        folder = reloaded(folder)
        record = folder.get(number)
        new_status = normalize_status(status)
        replace_file(record.path, edit.set_status(record, new_status, today()), folder.follow_symlinks)
        _with_index(folder, Written())
    return record, new_status


def supersede(folder: AdrFolder, old: int, new_number: int) -> Written:
    """Record ``old`` as superseded by ``new_number``: both files change."""
    if old == new_number:
        raise FitnessError(f"ADR {old} cannot supersede itself")
    with locked(folder.path):
        folder = reloaded(folder)
        follow = folder.follow_symlinks
        folder.require_usable([old, new_number])
        old_record, new_record = folder.get(old), folder.get(new_number)
        _check_can_supersede(old_record, new_number)
        replace_file(
            new_record.path, edit.add_link(new_record, edit.link_line("Supersedes", old_record)), follow
        )
        replace_file(old_record.path, edit.mark_superseded(old_record, _fresh(new_record), today()), follow)
        return _with_index(folder, Written(changed=[new_record.path, old_record.path]))


def link(folder: AdrFolder, source: int, kind: str, target: int, reverse: str) -> Written:
    """adr-tools' ``adr link 12 Amends 10 "Amended by"``: both files get a link."""
    kind, reverse = check_kind(kind), check_kind(reverse)
    if kind.lower() in SUPERSEDES:
        return supersede(folder, target, source)
    if kind.lower() in SUPERSEDED_BY:
        return supersede(folder, source, target)
    if source == target:
        raise FitnessError(f"ADR {source} cannot link to itself")
    with locked(folder.path):
        folder = reloaded(folder)
        follow = folder.follow_symlinks
        folder.require_usable([source, target])
        source_record, target_record = folder.get(source), folder.get(target)
        replace_file(
            source_record.path, edit.add_link(source_record, edit.link_line(kind, target_record)), follow
        )
        target_record = _fresh(target_record)
        replace_file(
            target_record.path,
            edit.add_link(target_record, edit.link_line(reverse, _fresh(source_record))),
            follow,
        )
        return _with_index(folder, Written(changed=[source_record.path, target_record.path]))


def _with_index(folder: AdrFolder, written: Written) -> Written:
    """Keep an existing index (README.md with adr-log markers) up to date after a change."""
    from fitness.adr.index import README, START, write_index

    path = folder.path
    readme = path / README
    try:
        has_index = readme.is_file() and START in readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return written
    if has_index:
        try:
            changed = write_index(load(path, follow_symlinks=folder.follow_symlinks))
        except FitnessError:  # best effort: `fitness adr lint` reports why the folder cannot be indexed
            return written
        if changed is not None:
            written.changed.append(readme)
    return written


def _check_can_supersede(record: Record, successor: int | None) -> None:
    others = [n for n in record.superseded_by if n != successor]
    if others:
        raise FitnessError(f"ADR {record.number} is already superseded by ADR {others[0]}")


def _reparsed(record: Record, text: str) -> Record:
    return parse(text, record.path, record.display, record.number)


def _fresh(record: Record) -> Record:
    """The record as it is on disk now (another step of the same action may have changed it)."""
    return _reparsed(record, record.path.read_text(encoding="utf-8"))

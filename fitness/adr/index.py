"""The table of contents in the ADR folder's README.md, between adr-log's markers.

The markers are the ones MADR's adr-log uses (``<!-- adrlog -->`` ... ``<!-- adrlogstop -->``), so either
tool can keep the list. Only the text between them is ever replaced, and writing it twice gives the
same bytes (``fitness adr index --check`` and ``fitness adr lint`` tell when it is out of date).
"""

from __future__ import annotations

from pathlib import Path

from fitness.adr.folder import AdrFolder, create_file, locked, reloaded, replace_file
from fitness.adr.records import Record
from fitness.model import FitnessError

START = "<!-- adrlog -->"
STOP = "<!-- adrlogstop -->"
README = "README.md"

_INTRO = """\
# Architecture decision records

The decisions that shaped this project, one file each, in the order they were made. Write a new one
with `fitness adr new "Title"`; `fitness adr lint` checks this folder in CI. A rule in fitness.yaml with
`adr: N` enforces decision N (`fitness adr show N` says whether it holds today).
"""


def table(folder: AdrFolder) -> str:
    """The Markdown table of every record, by number."""
    records = sorted(folder.records, key=lambda r: (r.number, r.name))
    by_number = {record.number: record for record in records}
    rows = ["| ADR | Decision | Status | Date |", "|---|---|---|---|"]
    for record in records:
        rows.append(
            f"| [{record.number:04d}]({record.name}) | {_cell(record.title)} | "
            f"{_status(record, by_number)} | {_cell(record.date)} |"
        )
    return "\n".join(rows)


def wanted_text(folder: AdrFolder) -> tuple[Path, str | None, str]:
    """The README's path, its current text (None if missing) and the text it should have."""
    path = folder.path / README
    current: str | None = None
    if path.exists():
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise FitnessError(f"cannot read: {error}", folder.display + "/" + README) from error
    block = f"{START}\n\n{table(folder)}\n\n{STOP}"
    if current is None:
        return path, None, f"{_INTRO}\n{block}\n"
    start, stop = current.find(START), current.find(STOP)
    if start == -1 or stop == -1 or stop < start:
        return path, current, current.rstrip("\n") + f"\n\n## Index\n\n{block}\n"
    return path, current, current[:start] + block + current[stop + len(STOP) :]


def write_index(folder: AdrFolder) -> Path | None:
    """Write the index; the README's path when it changed, None when it was already up to date.

    Under the folder's lock, from the records on disk then: two runs never leave an index missing one's
    record."""
    with locked(folder.path):
        folder = reloaded(folder)
        folder.require_usable()
        path, current, wanted = wanted_text(folder)
        if current == wanted:
            return None
        if current is None:
            create_file(path, wanted)
        else:
            replace_file(path, wanted, folder.follow_symlinks)
        return path


def _status(record: Record, by_number: dict[int, Record]) -> str:
    if record.status == "Superseded" and record.superseded_by:
        links = [
            f"[{n:04d}]({by_number[n].name})" if n in by_number else f"{n:04d}" for n in record.superseded_by
        ]
        return "Superseded by " + ", ".join(links)
    return _cell(record.status or "(none)")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

"""The ADR folder on disk: where it is, what it holds, and writing files safely.

Where: an ``.adr-dir`` file in the project folder (the adr-tools convention: one line, the folder's
path), else ``adr.dir`` in fitness.yaml, else ``docs/adr`` (or adr-tools' default ``doc/adr`` when only
that one exists). An ``.adr-dir`` or ``adr.dir`` leading outside the repository (the enclosing git work
tree, else the project folder) is refused: ``fitness adr`` never writes there. New files are created
exclusively (never overwriting); changed files are written to a temporary file and renamed, so an
interrupted write never leaves half a record, and only to regular files (``fitness.outputs``; a symlinked
record is refused unless ``follow_symlinks``). Every command that numbers or writes records holds a lock
on the folder (``locked``), so concurrent ``fitness adr new`` runs get distinct numbers and one index.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fitness.adr.records import Problem, Record, number_of, parse
from fitness.model import FitnessError, Severity
from fitness.model.decisions import DEFAULT_ADR_DIR, AdrSettings
from fitness.outputs import inside, write_text

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: a lock file instead
    fcntl = None  # type: ignore[assignment]

MAX_NUMBER = 9999
SLUG_LIMIT = 50
INDEX_NAMES = ("readme.md", "index.md")


def locate(project: Path, settings: AdrSettings | None = None, explicit: Path | None = None) -> Path:
    """The ADR folder of ``project`` (it need not exist yet)."""
    if explicit is not None:
        return explicit
    marker = project / ".adr-dir"
    if marker.is_file():
        try:
            named = marker.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise FitnessError(f"cannot read: {error}", display(marker)) from error
        if not named:
            raise FitnessError("empty; it should hold the ADR folder's path, e.g. docs/adr", display(marker))
        return _in_repository(project, named, display(marker), 1)
    if settings is not None and settings.dir:
        return _in_repository(project, settings.dir, "adr.dir", None)
    default = project / DEFAULT_ADR_DIR
    if not default.exists() and (project / "doc" / "adr").is_dir():
        return project / "doc" / "adr"
    return default


def repository(project: Path) -> Path:
    """The git work tree holding ``project`` (the nearest folder with ``.git``), else ``project``."""
    start = project.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _in_repository(project: Path, named: str, where: str, line: int | None) -> Path:
    """``project / named``, refused when it leads outside the repository (``..``, an absolute path, a
    symlink): ADR commands write there, and a checked-out file must not send them elsewhere."""
    path = project / named
    root = repository(project)
    if not inside(path, root):
        raise FitnessError(
            f"the ADR folder {named!r} is outside the repository ({root.as_posix()}); it must be below it "
            "(or pass --dir explicitly)",
            where,
            line,
        )
    return path


def display(path: Path) -> str:
    """``path`` relative to the working directory when below it, else absolute (POSIX separators)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return path.as_posix()
    return Path(path).resolve().as_posix() if relative.startswith("..") else Path(relative).as_posix()


@dataclass
class AdrFolder:
    """Every record in one folder, plus what could not be read and what does not look like an ADR."""

    path: Path
    records: list[Record] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)
    strays: list[Path] = field(default_factory=list)
    follow_symlinks: bool = False  # write through a symlinked record or index (--follow-symlinks)

    @property
    def display(self) -> str:
        return display(self.path)

    def numbers(self) -> list[int]:
        """Every number in use (unreadable files count), sorted, repeats kept."""
        from_names = [number_of(p.path.rsplit("/", 1)[-1]) for p in self.unreadable]
        return sorted([r.number for r in self.records] + [n for n in from_names if n is not None])

    def next_number(self) -> int:
        highest = max(self.numbers(), default=0)
        if highest >= MAX_NUMBER:
            raise FitnessError(
                f"ADR number {MAX_NUMBER} is taken: four-digit numbering is exhausted "
                "(archive old records into a sub-folder, or start a new folder)",
                self.display,
            )
        return highest + 1

    def get(self, number: int) -> Record:
        """The record numbered ``number``; a clear error when it is missing, duplicated or unreadable."""
        self.require_usable([number])
        found = [record for record in self.records if record.number == number]
        if not found:
            known = ", ".join(str(r.number) for r in sorted(self.records, key=lambda r: r.number)) or "none"
            raise FitnessError(f"no ADR {number} (numbers in use: {known})", self.display)
        return found[0]

    def require_usable(self, numbers: Iterable[int] | None = None) -> None:
        """Refuse to work on records that are unreadable, have broken front matter or share a number."""
        wanted = None if numbers is None else set(numbers)
        fatal: list[str] = []
        for problem in self.unreadable:
            if wanted is None or number_of(problem.path.rsplit("/", 1)[-1]) in wanted:
                fatal.append(f"{problem.path}: {problem.message}")
        by_number: dict[int, list[Record]] = {}
        for record in self.records:
            by_number.setdefault(record.number, []).append(record)
        for number, records in sorted(by_number.items()):
            if wanted is not None and number not in wanted:
                continue
            if len(records) > 1:
                names = " and ".join(r.name for r in records)
                fatal.append(f"{self.display}: two ADRs have number {number}: {names}; renumber one")
            fatal.extend(
                f"{p.path}:{p.line}: {p.message}" for r in records for p in r.problems if p.code == "ADR009"
            )
        if fatal:
            more = (
                f" (and {len(fatal) - 1} more problems; `fitness adr lint` lists them)"
                if len(fatal) > 1
                else ""
            )
            raise FitnessError(fatal[0] + more)

    def newest_format(self) -> str | None:
        ordered = sorted(self.records, key=lambda r: r.number)
        return ordered[-1].format if ordered else None


def load(path: Path, must_exist: bool = True, follow_symlinks: bool = False) -> AdrFolder:
    """Read every ``NNNN-*.md`` file in ``path`` (README.md, index.md and templates are not records)."""
    folder = AdrFolder(path, follow_symlinks=follow_symlinks)
    if not path.is_dir():
        if must_exist:
            what = "is not a folder" if path.exists() else "no ADR folder here"
            raise FitnessError(
                f"{what}; create it with `fitness adr init` (or `fitness adr init DIR`, "
                "or set adr.dir in fitness.yaml, or write the folder's path into .adr-dir)",
                display(path),
            )
        return folder
    for entry in sorted(path.iterdir()):
        lowered = entry.name.lower()
        if (
            not entry.is_file()
            or not lowered.endswith(".md")
            or lowered in INDEX_NAMES
            or "template" in lowered
        ):
            continue
        number = number_of(entry.name)
        if number is None:
            folder.strays.append(entry)
            continue
        try:
            text = entry.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            folder.unreadable.append(_unreadable(entry, f"cannot read: not UTF-8 text ({error.reason})"))
            continue
        except OSError as error:
            folder.unreadable.append(_unreadable(entry, f"cannot read: {error.strerror}"))
            continue
        folder.records.append(parse(text, entry, display(entry), number))
    return folder


def slugify(title: str) -> str:
    """A safe file-name part: lowercase ASCII letters, digits and single dashes, at most 50 characters.

    ``"Use PostgreSQL (not MySQL) for ../orders!"`` -> ``"use-postgresql-not-mysql-for-orders"``. It can
    never hold a path separator or ``..``. A title with letters but none in ASCII gets ``decision``.
    """
    clean = check_title(title)
    ascii_text = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_LIMIT:
        cut = slug[: SLUG_LIMIT + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:SLUG_LIMIT]
    return slug.strip("-") or "decision"


def check_title(title: str) -> str:
    """The title with whitespace collapsed; FitnessError when it is empty or only punctuation."""
    if any(ord(char) < 32 for char in title.replace("\t", " ")):
        raise FitnessError("the title must be one line of text")
    clean = " ".join(title.split())
    if not any(char.isalnum() for char in clean):
        raise FitnessError(f"the title needs at least one letter or digit, got {title!r}")
    return clean


def file_name(number: int, title: str) -> str:
    return f"{number:04d}-{slugify(title)}.md"


def create_file(path: Path, text: str) -> None:
    """Write a new file; never overwrite one that exists."""
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError as error:
        raise FitnessError("already exists; not overwritten", display(path)) from error
    except OSError as error:
        raise FitnessError(f"cannot write: {error.strerror}", display(path)) from error


def replace_file(path: Path, text: str, follow_symlinks: bool = False) -> None:
    """Rewrite a file atomically (temporary file, then rename), keeping its permissions; only a regular
    file (a symlink only with ``follow_symlinks``)."""
    try:
        write_text(path, text, follow_symlinks)
    except FitnessError as error:
        raise FitnessError(error.message, display(path)) from error


def reloaded(folder: AdrFolder) -> AdrFolder:
    """``folder`` read again (under ``locked``: what other processes wrote meanwhile counts)."""
    return load(folder.path, must_exist=False, follow_symlinks=folder.follow_symlinks)


_held = threading.local()
LOCK_SECONDS = 60.0


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the ADR folder ``path`` (``flock`` on the folder itself, so no lock file
    is left behind; re-entrant within one thread). Concurrent ``fitness adr new`` runs take turns: each
    reads the numbers in use and creates its record and index while no other run can."""
    key = os.path.realpath(path)
    depth: dict[str, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with _lock(key):
        depth[key] = 1
        try:
            yield
        finally:
            depth.pop(key, None)


@contextlib.contextmanager
def _lock(folder: str) -> Iterator[None]:
    if fcntl is not None:
        try:
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError as error:
            raise FitnessError(f"cannot lock: {error.strerror or error}", display(Path(folder))) from error
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # releases the lock
        return
    marker = os.path.join(folder, ".adr-lock")  # pragma: no cover - Windows
    deadline = time.monotonic() + LOCK_SECONDS  # pragma: no cover
    while True:  # pragma: no cover
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            break
        except FileExistsError as error:
            if time.monotonic() > deadline:
                raise FitnessError("locked by another run (remove .adr-lock if none runs)", folder) from error
            time.sleep(0.05)
    try:  # pragma: no cover
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(marker)


def _unreadable(path: Path, message: str) -> Problem:
    return Problem(display(path), 0, "ADR011", Severity.ERROR, message)

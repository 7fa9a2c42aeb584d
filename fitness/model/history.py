"""Version-control history as pure data: the window, the filters, churn and co-change (code-maat's method).

No I/O here: ``fitness.collect.git.history`` reads ``git log`` and hands the change sets to these functions,
so the arithmetic is testable without git.

Co-change (temporal coupling) of two entities (packages, services) = the commits that touched both divided
by the average number of commits of the two, in percent. A pair is reported only when each entity has at
least ``min_revisions`` commits, they share at least ``min_shared`` and the degree is at least ``min_degree``
(code-maat's defaults: 5, 5, 30%). Commits touching more than ``max_changeset_size`` files are ignored
(bulk reformatting, mass renames), and so are merges, bots and lock-file-only commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from fitness.model import json_values

DEFAULT_SINCE = "12 months"
DEFAULT_MAX_COMMITS = 50_000
DEFAULT_MIN_REVISIONS = 5
DEFAULT_MIN_SHARED = 5
DEFAULT_MIN_DEGREE = 30.0
DEFAULT_MAX_CHANGESET = 30
EVIDENCE_COMMITS = 5

BOT_NAMES = ("dependabot", "renovate", "github-actions", "pre-commit-ci")
LOCKFILES = frozenset(
    {
        "poetry.lock",
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "Cargo.lock",
        "go.sum",
        "uv.lock",
        "Pipfile.lock",
        "composer.lock",
        "Gemfile.lock",
    }
)

_SPAN = re.compile(r"^\s*(\d+)\s*(day|week|month|year)s?(\s+ago)?\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_SPAN = {"day": 1000 * 365, "week": 1000 * 52, "month": 1000 * 12, "year": 1000}
"""The longest span, 1,000 years in each unit (a window reaching back before year 1 means no limit)."""


@dataclass(frozen=True)
class Window:
    """``12 months`` (back from the newest commit, so that the result does not depend on today), an ISO
    date (``2024-01-31``), or ``all``."""

    text: str
    amount: int = 0
    unit: str = ""  # day, week, month, year; "" for a date or all
    start: date | None = None  # for an ISO date

    def cutoff(self, newest: date) -> date | None:
        """The first day inside the window, given the date of the newest commit (None: no limit)."""
        if self.start is not None:
            return self.start
        if not self.unit:
            return None
        if self.unit in ("day", "week"):
            ordinal = newest.toordinal() - self.amount * (7 if self.unit == "week" else 1)
            return date.fromordinal(ordinal) if ordinal >= 1 else None  # before year 1: no limit
        months = self.amount * (12 if self.unit == "year" else 1)
        year, month = divmod(newest.year * 12 + newest.month - 1 - months, 12)
        if year < 1:
            return None
        month += 1
        day = newest.day
        while day > 28:
            try:
                return date(year, month, day)
            except ValueError:
                day -= 1
        return date(year, month, day)


def parse_since(text: str) -> Window:
    """Parse ``--since`` / ``history.since``; raise ValueError with what is accepted."""
    value = str(text).strip()
    if value.lower() == "all":
        return Window("all")
    match = _SPAN.match(value)
    if match and match.group(1).strip("0"):
        digits, unit = match.group(1).lstrip("0"), match.group(2).lower()
        if len(digits) > 9 or int(digits) > _MAX_SPAN[unit]:  # int() of 5,000 digits raises
            longest = f"{_MAX_SPAN[unit]:,} {unit}s" + (" (1,000 years)" if unit != "year" else "")
            raise ValueError(f"since: at most {longest}, got {value[:40]!r}")
        amount = int(digits)
        return Window(f"{amount} {unit}{'s' if amount != 1 else ''}", amount, unit)
    if _DATE.match(value):
        try:
            return Window(value, start=date.fromisoformat(value))
        except ValueError:
            pass
    raise ValueError(
        f"since: expected a span like '12 months', '6 weeks', '90 days', '2 years', an ISO date "
        f"(2024-01-31) or 'all', got {text!r}"
    )


@dataclass(frozen=True)
class HistorySettings:
    """The ``history:`` section of fitness.yaml, with code-maat's defaults."""

    enabled: bool = True
    since: str = DEFAULT_SINCE
    max_commits: int = DEFAULT_MAX_COMMITS
    min_revisions: int = DEFAULT_MIN_REVISIONS
    min_shared: int = DEFAULT_MIN_SHARED
    min_degree: float = DEFAULT_MIN_DEGREE
    max_changeset_size: int = DEFAULT_MAX_CHANGESET


@dataclass(frozen=True)
class HistorySummary:
    """What the git collector read (``Analysis.summary.history``): whether history was available and why
    not, the commits kept, those ``skipped`` by reason (merges, bots ...), the window (``since`` the cutoff
    date, ``window`` as configured) and the co-change pairs found per level."""

    available: bool = False
    reason: str = ""
    commits: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)
    since: str = ""
    window: str = ""
    shallow: bool = False
    truncated: bool = False
    co_changes: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "available": self.available,
            "reason": self.reason,
            "commits": self.commits,
            "skipped": dict(self.skipped),
            "since": self.since,
            "window": self.window,
            "shallow": self.shallow,
            "truncated": self.truncated,
            "co_changes": dict(self.co_changes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> HistorySummary:
        return cls(
            available=json_values.flag(data.get("available")),
            reason=json_values.text(data.get("reason")),
            commits=json_values.integer(data.get("commits")),
            skipped=json_values.counts(data.get("skipped")),
            since=json_values.text(data.get("since")),
            window=json_values.text(data.get("window")),
            shallow=json_values.flag(data.get("shallow")),
            truncated=json_values.flag(data.get("truncated")),
            co_changes=json_values.counts(data.get("co_changes")),
        )


@dataclass(frozen=True)
class Commit:
    """One commit as read from git: ``files`` holds (path, lines added + deleted), paths relative to the
    analysed root, already renamed to their newest name."""

    sha: str
    author: str
    email: str
    day: str  # YYYY-MM-DD (author date)
    subject: str
    files: tuple[tuple[str, int], ...]
    parents: int = 1

    @property
    def label(self) -> str:
        return f"{self.sha[:10]} {self.subject}"


def is_bot(author: str, email: str) -> bool:
    who = f"{author} {email}".lower()
    return "[bot]" in who or any(name in who for name in BOT_NAMES)


def is_lockfile_only(paths: Iterable[str]) -> bool:
    names = [path.rpartition("/")[2] for path in paths]
    return bool(names) and all(name in LOCKFILES for name in names)


def skip_reason(commit: Commit, max_changeset_size: int) -> str | None:
    """Why a commit is left out of churn and co-change (a key of the summary's ``skipped``), or None."""
    if commit.parents > 1:
        return "merges"
    if is_bot(commit.author, commit.email):
        return "bots"
    if not commit.files:
        return "empty"
    if is_lockfile_only(path for path, _ in commit.files):
        return "lockfile_only"
    if len(commit.files) > max_changeset_size:
        return "large"
    return None


@dataclass
class Churn:
    commits: int = 0
    lines: int = 0
    authors: set[str] = field(default_factory=set)
    last_change: str = ""

    def to_attrs(self) -> dict[str, object]:
        return {
            "commits": self.commits,
            "lines": self.lines,
            "authors": len(self.authors),
            "last_change": self.last_change,
        }


def churn(commits: Iterable[Commit], entities_of: Mapping[str, Sequence[str]]) -> dict[str, Churn]:
    """Churn per entity: ``entities_of`` maps a file path to the entities it belongs to (a module and its
    packages, a service). A commit counts once per entity however many of its files it touched."""
    result: dict[str, Churn] = {}
    for commit in commits:
        lines: dict[str, int] = {}
        for path, changed in commit.files:
            for entity in entities_of.get(path, ()):
                lines[entity] = lines.get(entity, 0) + changed
        for entity, count in lines.items():
            row = result.get(entity)
            if row is None:
                row = result[entity] = Churn()
            row.commits += 1
            row.lines += count
            row.authors.add(commit.author)
            if commit.day > row.last_change:
                row.last_change = commit.day
    return result


@dataclass(frozen=True)
class CoChange:
    """Two entities (``a`` < ``b``) that change together."""

    a: str
    b: str
    shared: int
    revisions_a: int
    revisions_b: int
    degree: float  # percent, rounded to 1 decimal
    commits: tuple[str, ...]  # labels of up to EVIDENCE_COMMITS shared commits, newest first


def degree(shared: int, revisions_a: int, revisions_b: int) -> float:
    """code-maat: shared revisions / average revisions of the two x 100."""
    average = (revisions_a + revisions_b) / 2
    return 100.0 * shared / average if average else 0.0


def co_changes(
    change_sets: Iterable[tuple[str, Iterable[str]]],
    min_revisions: int = DEFAULT_MIN_REVISIONS,
    min_shared: int = DEFAULT_MIN_SHARED,
    min_degree: float = DEFAULT_MIN_DEGREE,
) -> list[CoChange]:
    """Pairs over the thresholds from ``(commit label, entities it touched)``, newest commit first."""
    revisions: dict[str, int] = {}
    shared: dict[tuple[str, str], int] = {}
    evidence: dict[tuple[str, str], list[str]] = {}
    for label, touched in change_sets:
        entities = sorted(set(touched))
        for entity in entities:
            revisions[entity] = revisions.get(entity, 0) + 1
        for index, a in enumerate(entities):
            for b in entities[index + 1 :]:
                key = (a, b)
                count = shared.get(key, 0)
                shared[key] = count + 1
                if count < EVIDENCE_COMMITS:
                    evidence.setdefault(key, []).append(label)
    found = []
    for (a, b), count in sorted(shared.items()):
        ra, rb = revisions[a], revisions[b]
        if ra < min_revisions or rb < min_revisions or count < min_shared:
            continue
        value = degree(count, ra, rb)
        if value < min_degree:
            continue
        found.append(CoChange(a, b, count, ra, rb, round(value, 1), tuple(evidence[a, b])))
    return found


HISTORY_KEYS = (
    "enabled",
    "since",
    "max_commits",
    "min_revisions",
    "min_shared",
    "min_degree",
    "max_changeset_size",
)

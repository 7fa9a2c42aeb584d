"""Commits sampled over a window of history, and the tree of one commit exported to a folder.

``fitness trend`` analyses the system as it was at each sample. The tree is exported with ``git
archive`` into a temporary folder: the user's working tree, index and branches are never touched (no
checkout, no worktree), and a sample cannot see uncommitted files.

Samples are taken on the first-parent line of ``HEAD`` (the main line, not the inside of merged
branches): the newest commit of each period (day, week or month), oldest first, at most ``limit``.
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fitness.collect.git.command import git_output
from fitness.model import FitnessError
from fitness.model.history import Window

TIMEOUT = 300
PERIODS = ("day", "week", "month")


@dataclass(frozen=True)
class Sample:
    """One sampled commit: its full hash, commit date and subject line."""

    sha: str
    day: date
    subject: str


def sample_commits(root: Path, window: Window, every: str, limit: int = 120) -> list[Sample]:
    """The newest commit of each ``every`` period inside ``window`` (back from the newest commit),
    oldest first; at most the ``limit`` newest periods. Raises FitnessError when ``root`` has no
    readable history."""
    if every not in PERIODS:
        raise FitnessError(f"--every: expected one of {', '.join(PERIODS)}, got {every!r}")
    out = _git(root, "log", "--first-parent", "--no-color", "--format=%H%x09%cs%x09%s", "HEAD")
    commits = []
    for line in out.decode("utf-8", "replace").splitlines():
        sha, _, rest = line.partition("\t")
        day, _, subject = rest.partition("\t")
        try:
            commits.append(Sample(sha, date.fromisoformat(day), subject))
        except ValueError:
            continue
    if not commits:
        raise FitnessError("no commits to sample", str(root))
    cutoff = window.cutoff(commits[0].day)
    newest: dict[tuple[int, int], Sample] = {}  # period -> its newest commit (git log is newest first)
    for commit in commits:
        if cutoff is not None and commit.day < cutoff:
            break
        newest.setdefault(_period(commit.day, every), commit)
    chosen = [newest[key] for key in sorted(newest)]
    return chosen[-limit:]


def _period(day: date, every: str) -> tuple[int, int]:
    if every == "month":
        return day.year, day.month
    if every == "week":
        iso = day.isocalendar()
        return iso.year, iso.week
    return day.year, day.toordinal()


def export_tree(root: Path, sha: str, destination: Path) -> None:
    """Write the files of ``root`` (a repository or a folder inside one) as they were at ``sha`` into
    ``destination``. Only regular files and folders are written: links, devices and paths that would
    leave ``destination`` are dropped (tarfile's ``data`` filter)."""
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    data = _git(root, "archive", "--format=tar", f"{sha}:{prefix}" if prefix else sha)
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = [m for m in archive.getmembers() if m.isfile() or m.isdir()]
        archive.extractall(destination, members=members, filter="data")


def _git(root: Path, *args: str) -> bytes:
    return git_output(
        root, list(args), f"cannot read the history of {root}", "fitness trend", timeout=TIMEOUT
    )

"""Which files changed since a git revision, for ``fitness check --changed-since REV``.

"Changed since REV" means what a pull request would show: every file that differs between the merge base
of REV and HEAD and the working tree (committed, staged or not), plus untracked files that are not
ignored (a new module not yet added is a change too; in CI there are none). Deleted files are listed but
can hold no finding. Paths are relative to ``root`` with POSIX separators, and only files below ``root``
count, so analysing a subfolder of a repository works:

    changed_files(Path("services/orders"), "origin/main")  ->  {"src/orders/api.py", "fitness.yaml"}

Errors (not a git repository, an unknown revision, no merge base in a shallow clone, no git) become one
FitnessError line.
"""

from __future__ import annotations

from pathlib import Path

from fitness.collect.git.command import git_output
from fitness.model import FitnessError


def changed_files(root: Path, rev: str) -> set[str]:
    """Files below ``root`` changed since the merge base of ``rev`` and HEAD, relative to ``root``."""
    if not rev or rev.startswith("-"):
        raise FitnessError(f"--changed-since: {rev!r} is not a git revision")
    _git(
        root,
        "rev-parse",
        "--is-inside-work-tree",
        error=f"--changed-since: {root} is not in a git repository",
        detail=False,
    )
    _git(
        root,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{rev}^{{commit}}",
        error=f"--changed-since: unknown git revision {rev!r}",
    )
    base = _git(
        root,
        "merge-base",
        rev,
        "HEAD",
        error=f"--changed-since: {rev!r} and HEAD have no common history (a shallow clone? fetch more history)",
    ).strip()
    diff = _git(root, "diff", "--name-only", "--relative", "-z", base, "--", error="git diff failed")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", error="git ls-files failed")
    return {name for name in (diff + untracked).split("\0") if name}


def _git(root: Path, *args: str, error: str, detail: bool = True) -> str:
    return git_output(root, list(args), error, "--changed-since", detail=detail).decode(
        "utf-8", "surrogateescape"
    )

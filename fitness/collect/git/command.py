"""One way to run a read-only git command whose failure is the user's to act on.

``--changed-since``, ``fitness contracts`` and ``fitness trend`` each ask git a few short questions;
a missing git, a timeout or git's own complaint becomes one FitnessError line (git's last line of
stderr after ``error``), never a traceback. The long ``git log`` stream of the history collector has
its own reader (it must not hold the whole log in memory, and its failures are quiet).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from fitness.model import FitnessError

TIMEOUT = 60


def git_output(
    root: Path,
    args: list[str],
    error: str,
    needed_by: str,
    stdin: bytes | None = None,
    detail: bool = True,
    timeout: float = TIMEOUT,
) -> bytes:
    """The stdout of ``git -C root *args``; a FitnessError (``error``, then git's last line when
    ``detail``) when git fails, is missing (``needed_by`` names what needed it) or takes too long."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "-c", "core.quotepath=off", *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as missing:
        raise FitnessError(f"{needed_by} needs git, and git is not installed") from missing
    except subprocess.TimeoutExpired as slow:
        raise FitnessError(f"{error} (git took more than {timeout:g} s)") from slow
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FitnessError(f"{error}: {said[-1]}" if said and detail else error)
    return result.stdout

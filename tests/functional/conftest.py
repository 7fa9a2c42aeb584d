"""Run ``fitness`` as a user would: the console script's own command, on real folders.

``run_fitness`` runs the command in this process through click's runner (the ``fitness`` console
script is ``fitness.cli.app`` behind ``fitness.__main__.main``): same arguments, working directory,
environment and exit code; stdout and stderr captured at the file-descriptor level, so what a child
process (``dot``, ``git``) or an extension writes there is caught as a real process would catch it;
and a fresh interpreter's warning filters, not the suite's ``filterwarnings = error`` (a SyntaxWarning
of an analysed file must not become an error here when it is none for the user). What it saves is the
interpreter start and the imports of every call: ``fitness check examples/layered`` takes 0.3 s as a
process and 0.01 s here once the modules are loaded, and the suite makes about 400 calls. A call that
hangs ends the worker after ``TIMEOUT`` seconds (the test fails as crashed), as the process's timeout
would have failed it.

What needs a real process stays one: ``run_fitness_process`` (the installed console script), used by
the tests of the entry points, ``python -m fitness``, signals, memory, time limits, concurrent
processes, plugins, and of output that must be the same from one process to the next (the hash seed
differs between processes, not between calls here). Two kinds of call always run as a process: with
``--allow-plugins`` (the plugin's import would outlive the call here), and ``fitness trend`` (its pool
of worker processes is forked, and a fork of this process, which runs pytest-xdist's threads, can
deadlock). ``FITNESS_TEST_SUBPROCESS=1`` makes every call a process: ``make test-full``.
"""

from __future__ import annotations

import faulthandler
import os
import shutil
import subprocess
import sys
import traceback
import warnings
from functools import cache
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
ALWAYS_A_PROCESS = os.environ.get("FITNESS_TEST_SUBPROCESS", "") not in ("", "0")
TIMEOUT = 120  # seconds, for a call in this process as for a process


def fitness_bin() -> str:
    candidate = Path(sys.executable).with_name("fitness")
    return str(candidate) if candidate.exists() else "fitness"


def run_fitness(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``fitness ARGS`` in ``cwd`` (default: the repository), in this process (see the module doc)."""
    command = next((arg for arg in args if not arg.startswith("-")), None)
    if ALWAYS_A_PROCESS or "--allow-plugins" in args or command == "trend":
        return run_fitness_process(*args, cwd=cwd)
    return _run_in_process(list(args), cwd or REPO)


def run_fitness_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``fitness ARGS`` as a new process of the installed console script."""
    return subprocess.run(
        [fitness_bin(), *args], capture_output=True, text=True, cwd=cwd or REPO, timeout=TIMEOUT
    )


@cache
def _command() -> click.Command:
    with warnings.catch_warnings():  # typer re-exports a name click deprecates (see test_adr.py)
        warnings.simplefilter("ignore", DeprecationWarning)
        import typer

        from fitness.cli import app
    return typer.main.get_command(app)


def _run_in_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    before = os.getcwd()
    os.chdir(cwd)
    faulthandler.dump_traceback_later(TIMEOUT, exit=True, file=sys.__stderr__)  # a thread, no signal
    try:
        with warnings.catch_warnings():
            _fresh_interpreter_warning_filters()
            result = CliRunner(capture="fd").invoke(_command(), args, prog_name="fitness")
    finally:
        faulthandler.cancel_dump_traceback_later()
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # an exception the command let out: the interpreter would print it and exit 1
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(["fitness", *args], result.exit_code, result.stdout, stderr)


def _fresh_interpreter_warning_filters() -> None:
    """The filters ``python`` starts with (no -W, no PYTHONWARNINGS): shown once, or ignored."""
    warnings.resetwarnings()
    for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning, DeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")


@pytest.fixture
def example_copy(tmp_path: Path):
    """A private copy of an example, so tests may edit it and caches land in tmp."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target)
        return target

    return copy


def check_with_baseline(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``fitness check ROOT --baseline ROOT/b.json``, no cache (the baseline tests' one call)."""
    return run_fitness("check", str(root), "--no-cache", "--baseline", str(root / "b.json"), *args)


def update_baseline(root: Path) -> subprocess.CompletedProcess[str]:
    """``fitness check ROOT --update-baseline --baseline ROOT/b.json``, no cache."""
    return run_fitness(
        "check", str(root), "--no-cache", "--update-baseline", "--baseline", str(root / "b.json")
    )

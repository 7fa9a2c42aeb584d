"""A crash is never a verdict: exit 3 with one line (traceback with --debug), Ctrl-C exit 130, no output file.

The internal error is provoked for real: a plugin rule type whose check raises, run by the installed
console script in a subprocess, exactly as CI would run it.
"""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from fitness import pipeline
from fitness.exit_codes import ExitCode
from tests.conftest import WriteTree
from tests.functional.conftest import fitness_bin

PLUGIN = """
from fitness.rules.base import RuleType


class Broken(RuleType):
    name = "broken"
    code = "ACME666"
    summary = "A rule with a bug in it."

    def check(self, context):
        raise RuntimeError("cannot happen\\nsecond line")


class Deep(RuleType):
    name = "deep"
    code = "ACME667"
    summary = "A rule that recurses without end."

    def check(self, context):
        return self.check(context)
"""

PROJECT = {
    "app/__init__.py": "",
    "app/core.py": "from app import utils\n",
    "app/utils.py": "",
    "plugins/acme_broken.py": PLUGIN,
}

BROKEN = "packages: [app]\nrules:\n  - {id: buggy, type: 'acme_broken:Broken'}\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "plugins")}
    return subprocess.run(
        [fitness_bin(), *args], capture_output=True, text=True, env=env, cwd=root, timeout=120
    )


@pytest.fixture
def broken(write_tree: WriteTree) -> Path:
    root = write_tree({**PROJECT, "fitness.yaml": BROKEN})
    return root


def test_internal_error_is_exit_3_with_one_line_and_no_output(broken: Path) -> None:
    result = run(
        broken,
        "check",
        ".",
        "--no-cache",
        "--allow-plugins",
        "--format",
        "text",
        "--format",
        "json=out/fitness.json",
    )
    assert result.returncode == ExitCode.INTERNAL == 3
    assert result.stderr.splitlines() == [
        "fitness: internal error: RuntimeError: cannot happen second line "
        "(run with --debug for the traceback)"
    ]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (broken / "out").exists()  # not even the folder: nothing is written before the run ends


def test_debug_shows_the_traceback(broken: Path) -> None:
    result = run(broken, "--debug", "check", ".", "--no-cache", "--allow-plugins", "--output", "report.txt")
    assert result.returncode == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert 'acme_broken.py", line' in result.stderr
    assert (
        result.stderr.splitlines()[-1] == "fitness: internal error: RuntimeError: cannot happen second line"
    )
    assert not (broken / "report.txt").exists()
    assert not [p.name for p in broken.iterdir() if p.name.startswith(".report.txt")]  # no temporary file


def test_an_existing_output_file_is_left_as_it_was(broken: Path) -> None:
    (broken / "fitness.sarif").write_text("previous run\n")
    result = run(broken, "check", ".", "--no-cache", "--allow-plugins", "--format", "sarif=fitness.sarif")
    assert result.returncode == 3
    assert (broken / "fitness.sarif").read_text() == "previous run\n"


def test_recursion_error_is_an_internal_error_too(write_tree: WriteTree) -> None:
    config = "packages: [app]\nrules:\n  - {id: deep, type: 'acme_broken:Deep'}\n"
    root = write_tree({**PROJECT, "fitness.yaml": config})
    result = run(root, "check", ".", "--no-cache", "--allow-plugins", "--update-baseline")
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "fitness: internal error: RecursionError: maximum recursion depth exceeded "
        "(run with --debug for the traceback)"
    ]
    assert not (root / "fitness-baseline.json").exists()


def test_violations_and_usage_errors_keep_their_codes(write_tree: WriteTree) -> None:
    config = "packages: [app]\nrules:\n  - {id: no-utils, type: forbidden, source_modules: [app.core], forbidden_modules: [app.utils]}\n"
    root = write_tree({**PROJECT, "fitness.yaml": config})
    assert run(root, "check", ".", "--no-cache").returncode == ExitCode.VIOLATIONS
    (root / "fitness.yaml").write_text("packages: [app]\nrules: [{id: x, type: nope}]\n")
    assert run(root, "check", ".", "--no-cache").returncode == ExitCode.USAGE


def test_ctrl_c_is_exit_130_without_a_traceback(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(PROJECT)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with warnings.catch_warnings():  # typer re-exports a name click deprecates (see test_adr.py)
        warnings.simplefilter("ignore", DeprecationWarning)
        import typer

        from fitness.cli import app
    monkeypatch.setattr(pipeline, "run", interrupted)
    command = typer.main.get_command(app)
    result = CliRunner().invoke(command, ["check", str(root), "--output", str(root / "out.txt")])
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert result.output.strip() == "fitness: interrupted"
    assert "Traceback" not in result.output
    assert not (root / "out.txt").exists()

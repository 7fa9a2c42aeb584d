"""The console script as a user runs it: only the named command is built, and the process ends at once.

``fitness.cli.only`` hands typer the one command named on the command line; help, usage errors, root
options and exit codes must be what the whole app gives. ``fitness.__main__`` ends the process with
``os._exit`` once the command is done: everything it printed or wrote must still be there.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from tests.functional.conftest import REPO, run_fitness_process

with warnings.catch_warnings():  # typer re-exports a name click deprecates (see conftest._command)
    warnings.simplefilter("ignore", DeprecationWarning)
    from fitness.cli import app, only

SHOP = str(REPO / "examples" / "shop")


def test_only_keeps_the_named_command_and_the_root_options() -> None:
    reduced = only(app, ["--debug", "check", "examples/shop", "-f", "json"])
    assert [c.callback.__name__ for c in reduced.registered_commands if c.callback] == ["check"]
    assert reduced.registered_groups == []
    assert reduced.registered_callback is app.registered_callback
    assert [g.name for g in only(app, ["adr", "new", "x"]).registered_groups] == ["adr"]
    assert only(app, ["adr", "new", "x"]).registered_commands == []
    assert [c.name for c in only(app, ["path", "a", "b"]).registered_commands] == ["path"]


def test_only_falls_back_to_the_whole_app() -> None:
    assert only(app, []) is app
    assert only(app, ["--help"]) is app
    assert only(app, ["--version"]) is app
    assert only(app, ["chek"]) is app  # no such command: click lists them and suggests one
    assert only(app, ["--help", "check"]) is app  # the root's help, which lists every command
    assert only(app, ["check", "--help"]) is not app


def test_a_typo_still_gets_a_suggestion_and_exit_2() -> None:
    result = run_fitness_process("chek", SHOP)
    assert result.returncode == 2
    assert "No such command 'chek'" in result.stderr and "check" in result.stderr


def test_command_help_and_usage_errors_name_the_command() -> None:
    result = run_fitness_process("check", "--help")
    assert result.returncode == 0 and result.stdout.startswith("Usage: fitness check [OPTIONS] [PATH]")
    result = run_fitness_process("check", "--no-such-option")
    assert result.returncode == 2 and "Usage: fitness check" in result.stderr


def test_every_byte_printed_and_written_survives_the_quick_exit(tmp_path: Path) -> None:
    out = tmp_path / "out" / "findings.json"
    result = run_fitness_process("--debug", "check", SHOP, "-f", "text", "-f", f"json={out}")
    assert result.returncode == 1  # the shop example has violations
    assert result.stdout.rstrip().endswith(")") and "FAILED" in result.stdout
    document = json.loads(out.read_text())
    assert document["findings"], "the JSON file was written whole"
    big = run_fitness_process("check", SHOP, "-f", "json", "--graph", "full")
    assert big.returncode == 1 and json.loads(big.stdout)["findings"]

"""Hostile and careless input (issue 16): every command, every bad input, one line naming the file, exit 2.

A corpus of broken configs, analysed trees and saved analyses, run through each command that reads them.
Whatever the input, the only outcomes are a verdict (0 or 1) or one line naming the file with exit code 2;
never a traceback, never exit 1 for a crash, never 3 (an internal error) for something the user wrote.
The matrix runs in-process through click's runner (fast); the cases a process must show for real (a FIFO
that would hang, /dev/zero, the console script itself) run the installed ``fitness`` with a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fitness.exit_codes import ExitCode
from tests.functional.conftest import fitness_bin

PACKAGE = {"src/app/__init__.py": "", "src/app/core.py": "from app import util\n", "src/app/util.py": ""}

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)
"""Nine lines whose aliases expand to 9**9 (387 million) strings."""


class Fifo:
    """A named pipe in place of a file: reading it would wait forever."""


@dataclass(frozen=True)
class Link:
    """A symlink to ``target`` (absolute, or relative to the link's folder)."""

    target: str


Content = str | bytes | Fifo | Link


def build(root: Path, files: dict[str, Content]) -> Path:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Fifo):
            os.mkfifo(target)
        elif isinstance(content, Link):
            target.symlink_to(content.target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


# name -> (files besides the package, the file the message must name (with its line when it has one))
CONFIG_CASES: dict[str, tuple[dict[str, Content], str]] = {
    "int key": ({"fitness.yaml": "1: foo\n"}, "fitness.yaml:1: key 1 is not a name"),
    "bool key": ({"fitness.yaml": "version: 1\nyes: 2\n"}, "fitness.yaml:2: key yes is not a name"),
    "type ':'": ({"fitness.yaml": "rules: [{type: ':'}]\n"}, "fitness.yaml:1: rule ':'"),
    "type 'os:system'": ({"fitness.yaml": "rules:\n  - {type: 'os:system'}\n"}, "fitness.yaml:2:"),
    "invalid date": ({"fitness.yaml": "history: {since: 2024-02-30}\n"}, "fitness.yaml:1:"),
    "annotation not a list": (
        {"fitness.yaml": "services: {a: {annotations: {handles: 5}}}\n"},
        "fitness.yaml:1: services.a.annotations.handles",
    ),
    "latency not a number": (
        {"fitness.yaml": "services:\n  a:\n    annotations: {latency_ms: fast}\n"},
        "fitness.yaml:3:",
    ),
    "alias to itself": ({"fitness.yaml": "a: &a [*a]\n"}, "fitness.yaml:1: an alias refers to"),
    "alias bomb": ({"fitness.yaml": BOMB}, "fitness.yaml:"),
    "deep flow nesting": ({"fitness.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n"}, "fitness.yaml:1:"),
    "deep block nesting": (
        {"fitness.yaml": "a:\n" + "".join("  " * i + "-\n" for i in range(60))},
        "nested more than 50 levels",
    ),
    "2,000,000-character root": (
        {"fitness.yaml": "root: " + "x" * 2_000_000 + "\n"},
        "fitness.yaml: is larger",
    ),
    "200,000-character root": ({"fitness.yaml": "root: " + "x" * 200_000 + "\n"}, "fitness.yaml:1: root"),
    "NUL in a path": ({"fitness.yaml": 'root: "src\\0x"\n'}, "fitness.yaml:1: root"),
    "5,000-digit integer": ({"fitness.yaml": "version: " + "7" * 5000 + "\n"}, "fitness.yaml:1:"),
    "duplicate key": (
        {"fitness.yaml": "rules:\n  - {type: acyclic}\nrules:\n  - {type: acyclic}\n"},
        "fitness.yaml:3: duplicate key 'rules' (first at line 1)",
    ),
    "not UTF-8": ({"fitness.yaml": b"rules: \xff\xfe\n"}, "fitness.yaml: is not UTF-8"),
    "malformed YAML": ({"fitness.yaml": "rules: [\n"}, "fitness.yaml:2: malformed YAML"),
    "rules not a list": ({"fitness.yaml": "rules: 5\n"}, "fitness.yaml:1: rules"),
    "rule not a mapping": ({"fitness.yaml": "rules: [acyclic]\n"}, "fitness.yaml:1:"),
    "since too long": (
        {"fitness.yaml": "history: {since: 99999999999 years}\n"},
        "fitness.yaml:1: history.since",
    ),
    "dangling symlink": ({"fitness.yaml": Link("gone.yaml")}, "fitness.yaml: config file is a symlink"),
    "symlink out of the tree": ({"fitness.yaml": Link("/etc/hostname")}, "outside the analysed folder"),
    "config is a folder": ({"fitness.yaml/x": ""}, "fitness.yaml: is a directory"),
    "pyproject tool.fitness = 1": ({"pyproject.toml": "[tool]\nfitness = 1\n"}, "pyproject.toml:2:"),
    "pyproject dotted, bad rule": (
        {"pyproject.toml": '[tool]\nfitness = {rules = [{type = "nope"}]}\n'},
        "pyproject.toml:2: rule 'nope'",
    ),
    "pyproject malformed": (
        {"pyproject.toml": "[tool.fitness\nrules = 1\n"},
        "pyproject.toml:1: malformed TOML",
    ),
    "pyproject deep": (
        {"pyproject.toml": "[tool.fitness]\nx = " + "[" * 400 + "]" * 400 + "\n"},
        "pyproject.toml",
    ),
}

RULE_TYPE_CASES = ("type ':'", "type 'os:system'", "pyproject dotted, bad rule")

Command = Callable[[Path], list[str]]
COMMANDS: dict[str, Command] = {
    "check": lambda root: ["check", str(root), "--no-cache"],
    "graph": lambda root: ["graph", str(root), "--no-cache"],
    "path": lambda root: ["path", "app.core", "app.util", str(root), "--no-cache"],
    "score": lambda root: ["score", str(root), "--no-cache"],
    "report": lambda root: ["report", str(root), "--no-cache", "-o", str(root / "out" / "report.html")],
    "adr list": lambda root: ["adr", "list", "--project", str(root)],
}


def run_cli(args: list[str]) -> Result:
    with warnings.catch_warnings():  # typer re-exports a name click deprecates (see test_adr.py)
        warnings.simplefilter("ignore", DeprecationWarning)
        import typer

        from fitness.cli import app
    result = CliRunner().invoke(typer.main.get_command(app), args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def invoke(args: list[str]) -> tuple[int, str]:
    result = run_cli(args)
    return result.exit_code, result.output


def assert_one_line_error(code: int, output: str, fragment: str) -> None:
    assert "Traceback" not in output
    assert code == ExitCode.USAGE, output[-2000:]
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert errors, output[-2000:]
    assert any(fragment in line for line in errors), output[-2000:]
    assert all(len(line) < 600 for line in output.splitlines()), "one short line per problem"


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_a_bad_config_is_one_line_naming_the_file_and_exit_2(tmp_path: Path, case: str, command: str) -> None:
    files, fragment = CONFIG_CASES[case]
    root = build(tmp_path / "project", {**PACKAGE, **files})
    if command == "adr list" and case in RULE_TYPE_CASES:
        pytest.skip("adr list reads the config, not the rule types (resolved when rules run)")
    code, output = invoke(COMMANDS[command](root))
    assert_one_line_error(code, output, fragment)
    assert not (root / "out").exists()


def test_the_alias_bomb_fails_fast_in_little_memory(tmp_path: Path) -> None:
    root = build(tmp_path, {**PACKAGE, "fitness.yaml": BOMB})
    measured = subprocess.run(
        ["/usr/bin/time", "-f", "%M", fitness_bin(), "check", str(root), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert measured.returncode == ExitCode.USAGE, measured.stderr
    peak_kb = int(measured.stderr.strip().splitlines()[-1])
    assert peak_kb < 200_000, f"{peak_kb} kB"
    assert "aliases expand to more than" in measured.stderr


SPECIAL_CONFIGS: dict[str, tuple[dict[str, Content], list[str], str]] = {
    "FIFO named fitness.yaml": ({"fitness.yaml": Fifo()}, [], "fitness.yaml: is a FIFO (named pipe)"),
    "fitness.yaml linked to /dev/zero": (
        {"fitness.yaml": Link("/dev/zero")},
        [],
        "is a symlink to /dev/zero",
    ),
    "--config /dev/zero": ({}, ["--config", "/dev/zero"], "/dev/zero: is a character device"),
    "FIFO named pyproject.toml": ({"pyproject.toml": Fifo()}, [], "pyproject.toml: is a FIFO"),
}


@pytest.mark.parametrize("case", sorted(SPECIAL_CONFIGS))
def test_a_special_file_as_config_is_refused_without_reading_it(tmp_path: Path, case: str) -> None:
    files, args, fragment = SPECIAL_CONFIGS[case]
    if "/dev/zero" in case and not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    root = build(tmp_path, {**PACKAGE, **files})
    result = subprocess.run(
        [fitness_bin(), "check", str(root), "--no-cache", *args], capture_output=True, text=True, timeout=60
    )
    assert_one_line_error(result.returncode, result.stderr, fragment)


# analysed trees a careless checkout (or a hostile one) holds: each file is skipped with a warning naming it
TREE_CASES: dict[str, tuple[dict[str, Content], str]] = {
    "symlink loop": ({"src/app/loop.py": Link("loop.py")}, "src/app/loop.py: cannot be read"),
    "FIFO among the modules": ({"src/app/pipe.py": Fifo()}, "src/app/pipe.py: is a FIFO"),
    "module linked out of the tree": (
        {"src/app/host.py": Link("/etc/hostname")},
        "src/app/host.py: is a symlink to /etc/hostname, outside",
    ),
    "folder linked to /": ({"src/app/everything": Link("/")}, ""),
    "FIFO compose file": ({"docker-compose.yml": Fifo()}, "docker-compose.yml: skipped, a FIFO"),
    "compose linked to /dev/zero": ({"compose.yaml": Link("/dev/zero")}, "compose.yaml: skipped"),
    "alias bomb in a Kubernetes manifest": (
        {"k8s/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n" + BOMB},
        "k8s/app.yaml:",
    ),
    "alias bomb in a compose file": ({"compose.yaml": "services: {}\n" + BOMB}, "compose.yaml:"),
    "duplicate keys in compose": (
        {"compose.yaml": "services:\n  a: {image: x}\nservices:\n  b: {image: y}\n"},
        "",
    ),
    "FIFO Dockerfile": (
        {"compose.yaml": "services:\n  a: {build: ./a}\n", "a/Dockerfile": Fifo(), "a/main.py": ""},
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(TREE_CASES))
def test_unreadable_files_in_the_analysed_tree_are_skipped_with_a_warning(tmp_path: Path, case: str) -> None:
    files, fragment = TREE_CASES[case]
    root = build(tmp_path, {**PACKAGE, **files})
    result = subprocess.run(
        [fitness_bin(), "check", str(root), "--no-cache"], capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == ExitCode.OK, result.stderr
    if fragment:
        assert f"warning: {fragment}" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--since", "99999999999 years"], "--since: at most 1,000 years"),
        (["--since", "1" * 5000 + " days"], "--since: at most"),
        (["--since", "2024-02-30"], "--since: expected"),
        (["--format", "nope"], "unknown format 'nope'"),
        (["--config", "missing.yaml"], "missing.yaml: config file not found"),
    ],
)
def test_bad_options_are_exit_2(tmp_path: Path, args: list[str], fragment: str) -> None:
    root = build(tmp_path, PACKAGE)
    code, output = invoke(["check", str(root), "--no-cache", *args])
    assert_one_line_error(code, output, fragment)


def _saved_analysis(tmp_path: Path) -> dict[str, object]:
    root = build(tmp_path / "saved", PACKAGE)
    result = run_cli(["check", str(root), "--no-cache", "--graph", "full", "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _edit(path: str, value: object) -> Callable[[dict[str, object]], None]:
    def apply(data: dict[str, object]) -> None:
        *parents, last = path.split(".")
        target: object = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]  # type: ignore[index]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value  # type: ignore[index]

    return apply


EDITS: dict[str, Callable[[dict[str, object]], None]] = {
    "unknown node kind": _edit("graph.nodes.0.kind", "bogus"),
    "edge to an unknown node": _edit("graph.edges.0.source", "module:nope"),
    "findings not a list": _edit("findings", 5),
    "metrics of strings": _edit("metrics", {"packages": {"app": {"instability": "high"}}}),
    "metrics not nested": _edit("metrics", {"packages": 3}),
    "graph a list": _edit("graph", []),
    "nodes of numbers": _edit("graph.nodes", [1, 2]),
    "node attrs a list": _edit("graph.nodes.0.attrs", [1]),
    "evidence line a string": _edit("graph.edges.0.evidence.0.line", "x"),
    "unknown graph detail": _edit("graph.detail", "huge"),
    "schema version a string": _edit("schema_version", "2"),
    "newer schema": _edit("schema_version", 99),
    "warnings of numbers": _edit("warnings", [1]),
    "summary a list": _edit("summary", []),
    "summary modules a string": _edit("summary.modules", "many"),
    "summary packages a number": _edit("summary.packages", 7),
    "summary history a string": _edit("summary.history", "long"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_report_from_an_edited_analysis_is_exit_2_naming_the_file(tmp_path: Path, edit: str) -> None:
    data = _saved_analysis(tmp_path)
    EDITS[edit](data)
    saved = tmp_path / "edited.json"
    saved.write_text(json.dumps(data))
    code, output = invoke(["report", "--from", str(saved), "-o", str(tmp_path / "out.html")])
    assert "Traceback" not in output
    if code == ExitCode.OK:  # a harmless edit renders
        assert (tmp_path / "out.html").is_file()
        return
    assert_one_line_error(code, output, "edited.json")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "edited.json:1: not valid JSON"),
        ("[1, 2]", "edited.json: not a fitness analysis"),
        ("[" * 100_000 + "]" * 100_000, "edited.json"),
        (Fifo(), "edited.json: cannot read: a FIFO"),
        (b"\xff\xfe{}", "edited.json: cannot read: not UTF-8"),
    ],
)
def test_report_from_a_file_that_is_no_analysis(tmp_path: Path, content: Content, fragment: str) -> None:
    build(tmp_path, {"edited.json": content})
    result = subprocess.run(
        [fitness_bin(), "report", "--from", str(tmp_path / "edited.json"), "-o", str(tmp_path / "o.html")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_one_line_error(result.returncode, result.stderr, fragment)


ADR_CASES: dict[str, Content] = {
    "invalid date in front matter": "---\nstatus: Accepted\ndate: 2024-02-30\n---\n# 1. A\n",
    "binary record": b"\x00\xff\xfe",
    "front matter alias bomb": "---\n" + BOMB + "---\n# 1. A\n",
    "FIFO record": Fifo(),
}


@pytest.mark.parametrize("command", ["list", "lint", "index", "show 1 --dir"])
@pytest.mark.parametrize("case", sorted(ADR_CASES))
def test_adr_commands_on_broken_records_never_crash(tmp_path: Path, case: str, command: str) -> None:
    root = build(tmp_path, {"docs/adr/0001-a.md": ADR_CASES[case]})
    code, output = invoke(["adr", *command.split(), str(root / "docs" / "adr")])
    assert "Traceback" not in output
    assert code in (ExitCode.OK, ExitCode.VIOLATIONS, ExitCode.USAGE), output
    if code == ExitCode.USAGE:
        assert "docs/adr" in output


def test_init_on_bad_targets_is_exit_2(tmp_path: Path) -> None:
    build(tmp_path, {"file": "x", "pkg/fitness.yaml": Fifo(), "pkg/app/__init__.py": ""})
    for target in (tmp_path / "missing", tmp_path / "file", tmp_path / "pkg"):
        result = subprocess.run(
            [fitness_bin(), "init", str(target)], capture_output=True, text=True, timeout=60
        )
        assert "Traceback" not in result.stderr
        assert result.returncode == ExitCode.USAGE, result.stderr
        assert target.name in result.stderr


def test_ctrl_c_outside_a_command_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console script starts in fitness.__main__: a Ctrl-C before click runs (while the command
    modules load) is no traceback either."""
    with warnings.catch_warnings():  # typer re-exports a name click deprecates (see test_adr.py)
        warnings.simplefilter("ignore", DeprecationWarning)
        import fitness.__main__ as entry
        import fitness.cli

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fitness.cli, "main", interrupted)
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "fitness: interrupted\n"


def test_a_rust_panic_in_the_scanner_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """grimp's scanner is Rust: a panic arrives as pyo3's PanicException, a BaseException, not Exception."""
    from fitness import pipeline

    class PanicException(BaseException):
        pass

    def panics(*args: object, **kwargs: object) -> None:
        raise PanicException("called `Result::unwrap()` on an `Err` value")

    monkeypatch.setattr(pipeline, "run", panics)
    code, output = invoke(["check", str(build(tmp_path, PACKAGE))])
    assert code == ExitCode.INTERNAL
    assert "internal error: PanicException" in output and "Traceback" not in output

"""Bad input: one clear line naming file and line, exit code 2, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness

PACKAGE = {"src/app/__init__.py": "", "src/app/core.py": "from app import util\n", "src/app/util.py": ""}


def check(root: Path, *extra: str):
    return run_fitness("check", str(root), "--no-cache", *extra)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("rules: [\n", "fitness.yaml:2: malformed YAML"),
        (
            "rules:\n  - {id: x, type: layerz, layers: [a]}\n",
            "fitness.yaml:2: rule 'x': unknown rule type 'layerz'; did you mean 'layers'?",
        ),
        ("pakages: [app]\n", "fitness.yaml:1: unknown key 'pakages'; did you mean 'packages'?"),
        (
            "rules:\n  - id: f\n    type: forbidden\n    source_modules: app.core\n    forbidden_modules: 3\n",
            "fitness.yaml:5: rule 'f': forbidden_modules: expected a list of module names",
        ),
        (
            "rules:\n  - id: f\n    type: forbidden\n    source_modules: [app.nope]\n    forbidden_modules: [app.util]\n",
            "fitness.yaml:4: rule 'f': source_modules: no module 'app.nope'",
        ),
        ("packages: [nothere]\n", "root package 'nothere' not found"),
    ],
)
def test_config_errors_exit_2_with_file_and_line(write_tree: WriteTree, config: str, expected: str) -> None:
    root = write_tree({**PACKAGE, "fitness.yaml": config})
    result = check(root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_syntax_error_in_analysed_code_is_a_warning_not_a_crash(write_tree: WriteTree) -> None:
    root = write_tree({**PACKAGE, "src/app/broken.py": "def f(:\n"})
    result = check(root)
    assert result.returncode == 0, result.stderr
    assert "warning: src/app/broken.py:1: syntax error, file skipped" in result.stderr


def test_empty_folder(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.returncode == 2
    assert "no Python packages found" in result.stderr


def test_config_path_is_a_directory(write_tree: WriteTree) -> None:
    root = write_tree(PACKAGE)
    (root / "conf").mkdir()
    result = check(root, "--config", str(root / "conf"))
    assert result.returncode == 2
    assert "is a directory" in result.stderr


def test_debug_shows_the_traceback(write_tree: WriteTree) -> None:
    root = write_tree({**PACKAGE, "fitness.yaml": "rules: [\n"})
    result = run_fitness("--debug", "check", str(root), "--no-cache")
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_unknown_format_lists_the_known_ones(write_tree: WriteTree) -> None:
    root = write_tree(PACKAGE)
    result = check(root, "--format", "xml")
    assert result.returncode == 2
    assert (
        "unknown format 'xml'; choose one of codequality, github, json, junit, markdown, sarif, text"
        in result.stderr
    )


def test_init_never_overwrites(write_tree: WriteTree) -> None:
    root = write_tree({**PACKAGE, "fitness.yaml": "# mine\n"})
    result = run_fitness("init", str(root))
    assert result.returncode == 2
    assert (root / "fitness.yaml").read_text() == "# mine\n"

"""No code execution by default (issue 16): a config naming Python code never runs it unasked.

A rule ``type: "mod:Class"`` is imported only with ``--allow-plugins``; even then neither it nor an entry
point is looked up in the working directory (first on ``sys.path`` under ``python -m fitness``) or in the
analysed folder (on ``PYTHONPATH`` when a project is checked out for review). Each planted module would
write a marker file when imported: the marker must never appear.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.exit_codes import ExitCode
from tests.conftest import WriteTree
from tests.functional.conftest import fitness_bin
from tests.functional.test_hostile_input import invoke

REPO = Path(__file__).resolve().parents[2]
PROJECT = {"app/__init__.py": "", "app/core.py": "from app import util\n", "app/util.py": ""}


def planted(marker: Path) -> str:
    """A module that leaves ``marker`` behind when imported, and offers a rule type to be asked for."""
    return (
        f"open({str(marker)!r}, 'w').write('imported')\n"
        "from fitness.rules.base import RuleType\n\n\n"
        "class Rule(RuleType):\n    name = 'planted'\n    code = 'EVIL001'\n    summary = 'x'\n\n"
        "    def check(self, context):\n        return []\n"
    )


@pytest.fixture
def layout(write_tree: WriteTree) -> tuple[Path, Path, Path]:
    """``work/`` (the working directory) and ``project/`` (analysed), each with a planted module."""
    root = write_tree({})
    marker = root / "MARKER"
    write_tree(
        {
            **{f"project/{name}": text for name, text in PROJECT.items()},
            "project/in_tree.py": planted(marker),
            "work/in_cwd.py": planted(marker),
            # an entry point published from the working directory is not "installed" either
            "work/evil-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n",
            "work/evil-1.0.dist-info/entry_points.txt": "[fitness.rules]\nplanted = in_cwd:Rule\n",
        }
    )
    return root / "work", root / "project", marker


def run(
    cwd: Path, project: Path, *args: str, module: bool = False, path: str = ""
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "fitness"] if module else [fitness_bin()]
    env = (
        {**os.environ, "PYTHONPATH": path}
        if path
        else {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    )
    return subprocess.run(
        [*command, "check", str(project), "--no-cache", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("rule_type", ["in_cwd:Rule", "in_tree:Rule"])
def test_a_dotted_rule_type_needs_allow_plugins(layout: tuple[Path, Path, Path], rule_type: str) -> None:
    cwd, project, marker = layout
    (project / "fitness.yaml").write_text(f"packages: [app]\nrules:\n  - {{id: r, type: '{rule_type}'}}\n")
    result = run(cwd, project, module=True, path=f"{cwd}{os.pathsep}{project}")
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert (
        f"fitness.yaml:3: rule 'r': custom rule type '{rule_type}' runs Python code named in the config; "
        "allow it with --allow-plugins" in result.stderr
    )
    assert not marker.exists()


@pytest.mark.parametrize("module", [True, False], ids=["python -m fitness", "console script"])
@pytest.mark.parametrize("rule_type", ["in_cwd:Rule", "in_tree:Rule", "planted"])
def test_with_allow_plugins_nothing_is_imported_from_the_cwd_or_the_analysed_tree(
    layout: tuple[Path, Path, Path], rule_type: str, module: bool
) -> None:
    cwd, project, marker = layout
    (project / "fitness.yaml").write_text(f"packages: [app]\nrules:\n  - {{id: r, type: '{rule_type}'}}\n")
    result = run(cwd, project, "--allow-plugins", module=module, path=f"{cwd}{os.pathsep}{project}")
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "fitness.yaml:3: rule 'r'" in result.stderr
    assert not marker.exists(), result.stderr


def test_with_allow_plugins_a_module_elsewhere_on_the_path_loads(layout: tuple[Path, Path, Path]) -> None:
    cwd, project, marker = layout
    plugins = cwd.parent / "plugins"
    plugins.mkdir()
    (plugins / "acme.py").write_text(planted(marker))
    (project / "fitness.yaml").write_text("packages: [app]\nrules:\n  - {id: r, type: 'acme:Rule'}\n")
    result = run(cwd, project, "--allow-plugins", path=str(plugins))
    assert result.returncode == ExitCode.OK, result.stderr
    assert marker.exists()  # the user asked for it: the plugin ran


@pytest.mark.parametrize("rule_type", [":", "a b:C", "mod:", ":Class", "mod:Class:x", "1mod:C"])
def test_a_malformed_dotted_path_is_exit_2(layout: tuple[Path, Path, Path], rule_type: str) -> None:
    _, project, _ = layout
    (project / "fitness.yaml").write_text(f"packages: [app]\nrules:\n  - {{id: r, type: '{rule_type}'}}\n")
    code, output = invoke(
        ["check", str(project), "--no-cache", "--allow-plugins"]
    )  # in-process: nothing to run
    assert code == ExitCode.USAGE, output
    assert "fitness.yaml:3: rule 'r'" in output
    assert "is neither a rule type nor a 'package.module:Class' path" in output
    assert "Traceback" not in output


def test_the_readme_plugin_command_runs_as_written(write_tree: WriteTree) -> None:
    """README, "Custom rule types": its plugin, named by dotted path, run by its command line."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("### Custom rule types", 1)[1]
    plugin = section.split("```python\n", 1)[1].split("```", 1)[0]
    command = section.split("```sh\n", 1)[1].split("```", 1)[0].split("#", 1)[0].split()
    variable, executable, *args = command
    name, _, folder = variable.partition("=")
    assert (name, executable) == ("PYTHONPATH", "fitness") and "--allow-plugins" in args
    root = write_tree(
        {
            **PROJECT,
            "app/utils.py": "",
            f"{folder}/acme_rules.py": plugin,
            "fitness.yaml": "packages: [app]\nrules:\n  - {id: tidy, type: 'acme_rules:NoUtils'}\n",
        }
    )
    env = {**os.environ, "PYTHONPATH": folder}
    result = subprocess.run(
        [fitness_bin(), *args], capture_output=True, text=True, cwd=root, env=env, timeout=120
    )
    assert result.returncode == ExitCode.VIOLATIONS, result.stderr
    assert "ACME001 error [tidy] app.utils is a catch-all module" in result.stdout
    without = [arg for arg in args if arg != "--allow-plugins"]
    refused = subprocess.run(
        [fitness_bin(), *without], capture_output=True, text=True, cwd=root, env=env, timeout=120
    )
    assert refused.returncode == ExitCode.USAGE
    assert "allow it with --allow-plugins" in refused.stderr

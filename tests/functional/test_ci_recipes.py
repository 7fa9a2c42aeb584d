"""The CI recipes are tested: action.yml's check step, every YAML block of docs/ci.md, and the pre-commit
hooks (with pre-commit itself, in a fresh git repository)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.functional.conftest import EXAMPLES, REPO, fitness_bin
from tests.git_helpers import GIT_ENV, commit_all, git, init_repo

EXPECTED = {"layered": 1, "layered-fixed": 0}
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
BLOCKS = [
    yaml.safe_load(block)
    for block in re.findall(r"```yaml\n(.*?)```", (REPO / "docs/ci.md").read_text(encoding="utf-8"), re.S)
]


@pytest.fixture
def project(tmp_path: Path):
    """A copy of an example in a git repository, with ``origin/main`` at its commit and one file changed
    since (so ``--changed-since origin/main`` has something to report on the broken example)."""

    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target)
        init_repo(target)
        commit_all(target, "base")
        git(target, "update-ref", "refs/remotes/origin/main", "HEAD")
        book = target / "src/bookshelf/domain/book.py"
        book.write_text(book.read_text() + "# changed in the pull request\n")
        return target

    return make


def ci_env(tmp_path: Path) -> dict[str, str]:
    """What GitHub Actions and GitLab CI set that the recipes read."""
    files = tmp_path / "ci-files"
    files.mkdir(exist_ok=True)
    for name in ("summary.md", "output", "path"):
        (files / name).touch()
    return {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{Path(fitness_bin()).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(files / "summary.md"),
        "GITHUB_OUTPUT": str(files / "output"),
        "GITHUB_PATH": str(files / "path"),
        "RUNNER_TEMP": str(files),
        "GITHUB_BASE_REF": "main",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
    }


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """As GitHub runs a ``shell: bash`` step."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def fitness_lines(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip().startswith("fitness ")]


# -- action.yml --------------------------------------------------------------------------------------


def run_action(inputs: dict[str, Any], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The action's check step with ``inputs`` (defaults from action.yml), as the runner would run it."""
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    values.update({name: str(value) for name, value in inputs.items()})
    assert set(values) == set(ACTION["inputs"]), f"unknown inputs {set(values) - set(ACTION['inputs'])}"
    step = next(step for step in ACTION["runs"]["steps"] if step.get("id") == "check")
    step_env = {
        key: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(value))
        for key, value in step["env"].items()
    }
    return bash(step["run"], cwd, {**env, **step_env})


def test_action_is_a_composite_that_installs_from_its_own_path() -> None:
    assert ACTION["runs"]["using"] == "composite"
    install = ACTION["runs"]["steps"][0]["run"]
    assert '-m pip install --quiet "$GITHUB_ACTION_PATH"' in install
    assert set(ACTION["inputs"]) >= {"path", "config", "baseline", "fail-on", "sarif-file"}
    for step in ACTION["runs"]["steps"]:  # inputs reach scripts through env only (no script injection)
        assert "${{" not in step["run"]


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_action_check_step(project, tmp_path: Path, example: str) -> None:
    root = project(example)
    env = ci_env(tmp_path)
    result = run_action({"sarif-file": "out/fitness.sarif"}, root, env)
    assert result.returncode == EXPECTED[example], result.stderr
    assert f"exit-code={EXPECTED[example]}" in Path(env["GITHUB_OUTPUT"]).read_text()
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("## fitness: ")
    sarif = json.loads((root / "out/fitness.sarif").read_text())
    errors = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    assert bool(errors) == bool(EXPECTED[example])
    assert ("::error file=src/bookshelf/domain/book.py,line=5" in result.stdout) == bool(EXPECTED[example])


def test_action_inputs_reach_the_command(project, tmp_path: Path) -> None:
    root = project("layered")
    env = ci_env(tmp_path)
    baseline = subprocess.run(
        [fitness_bin(), "check", ".", "--update-baseline", "--baseline", "known.json"], cwd=root, check=False
    )
    assert baseline.returncode == 0
    assert run_action({"baseline": "known.json"}, root, env).returncode == 0
    assert run_action({"changed-since": "origin/main"}, root, env).returncode == 1
    assert run_action({"fail-on": "bogus"}, root, env).returncode == 2
    assert run_action({"config": "missing.yaml"}, root, env).returncode == 2


# -- docs/ci.md --------------------------------------------------------------------------------------


def recipe_commands(block: dict[str, Any]) -> list[tuple[str, Any]]:
    """``("action", inputs)`` for uses of this action, ``("sh", command line)`` for fitness commands."""
    commands: list[tuple[str, Any]] = []
    if "jobs" in block:  # GitHub Actions workflow
        for job in block["jobs"].values():
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("<owner>/fitness@"):
                    commands.append(("action", step.get("with", {})))
                commands.extend(("sh", line) for line in fitness_lines(step.get("run", "")))
    elif "repos" in block:  # pre-commit
        for repo in block["repos"]:
            for hook in repo["hooks"]:
                spec = hook if repo["repo"] == "local" else {**HOOKS[hook["id"]], **hook}
                if hook["id"] == "fitness-check":
                    commands.append(("sh", " ".join([spec["entry"], *spec.get("args", [])])))
    else:  # GitLab CI jobs
        for job in block.values():
            commands.extend(("sh", line) for line in fitness_lines("\n".join(job["script"])))
    return commands


def test_docs_have_the_recipes() -> None:
    kinds = [("github" if "jobs" in b else "pre-commit" if "repos" in b else "gitlab") for b in BLOCKS]
    assert kinds.count("github") == 2 and kinds.count("gitlab") == 2 and kinds.count("pre-commit") == 2
    assert all(recipe_commands(block) for block in BLOCKS)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_every_recipe_command_runs(project, tmp_path: Path, example: str, index: int) -> None:
    root = project(example)
    env = ci_env(tmp_path)
    for kind, command in recipe_commands(BLOCKS[index]):
        result = run_action(command, root, env) if kind == "action" else bash(command, root, env)
        assert result.returncode == EXPECTED[example], (command, result.stdout, result.stderr)
        assert "error:" not in result.stderr, result.stderr


# -- pre-commit --------------------------------------------------------------------------------------


def test_hooks_file() -> None:
    assert sorted(HOOKS) == ["fitness-adr-lint", "fitness-check"]
    assert HOOKS["fitness-check"]["entry"] == "fitness check"
    assert HOOKS["fitness-adr-lint"]["entry"] == "fitness adr lint"
    for hook in HOOKS.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False


def checkout_copy(target: Path) -> Path:
    """The working tree of this repository (what is tracked or new, not ignored) committed in a fresh
    repository: pre-commit installs hooks from a commit, and /work/main itself must not be committed to."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    init_repo(target)
    commit_all(target, "snapshot of the working tree")
    return target


@pytest.mark.slow
def test_pre_commit_try_repo_runs_the_fitness_check_hook(tmp_path: Path) -> None:
    """``pre-commit try-repo`` (as docs/ci.md says) pip-installs this repository into its own virtualenv
    (from PyPI's packages) and runs the hook in a fresh repository: it fails on the violation. Once it
    is fixed, pre-commit passes, and the hook changed no file: with the docs' ``repo: local`` recipe.

    One install, not two: try-repo makes its store, virtualenv included, in a temporary folder every
    time (it does not read ``PRE_COMMIT_HOME``), so a second try-repo would install everything again."""
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    source = checkout_copy(tmp_path / "fitness-src")
    project = init_repo(tmp_path / "project")
    files = {
        "app/__init__.py": "",
        "app/api/__init__.py": "",
        "app/api/views.py": "X = 1\n",
        "app/domain/__init__.py": "",
        "app/domain/model.py": "from app.api import views\n",
        "fitness.yaml": "version: 1\npackages: [app]\nrules:\n"
        "  - {id: pure, type: forbidden, source_modules: [app.domain], forbidden_modules: [app.api]}\n",
    }
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    commit_all(project, "a small package")
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(fitness_bin()).parent}{os.pathsep}{os.environ['PATH']}",  # for `language: system`
    }
    env.pop("VIRTUAL_ENV", None)

    def pre_commit_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600
        )

    failing = pre_commit_run("try-repo", str(source), "fitness-check", "--all-files")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "Installing environment for" in failing.stdout  # its own virtualenv, not this one
    assert "fitness check (architecture rules)" in failing.stdout
    assert "app/domain/model.py:1: FIT102 error [pure] app.domain imports forbidden app.api" in failing.stdout

    local = next(block for block in BLOCKS if "repos" in block and block["repos"][0]["repo"] == "local")
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(local))
    (project / "app/domain/model.py").write_text("X = 2\n")
    commit_all(project, "fix")
    passing = pre_commit_run("run", "--all-files")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert re.search(r"fitness check\.+Passed", passing.stdout)

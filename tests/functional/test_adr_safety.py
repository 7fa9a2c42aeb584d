"""``fitness adr`` never writes outside the repository, never through a symlink unless asked, and numbers
concurrent records without collisions (issue 16, item 7): the installed command on real folders."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.functional.conftest import fitness_bin, run_fitness
from tests.git_helpers import init_repo

DATE = "2025-02-03"


@pytest.mark.parametrize("named", ["../victim", "ABSOLUTE", "docs/../../victim"])
def test_an_adr_dir_outside_the_repository_is_refused(tmp_path: Path, named: str) -> None:
    project, victim = tmp_path / "repo", tmp_path / "victim"
    project.mkdir()
    victim.mkdir()
    (project / ".adr-dir").write_text((str(victim) if named == "ABSOLUTE" else named) + "\n")

    for args in (["adr", "new", "Use", "PostgreSQL"], ["adr", "index"], ["adr", "init"]):
        done = run_fitness(*args, cwd=project)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert re.fullmatch(
            r"error: \.adr-dir:1: the ADR folder .* is outside the repository .*\n", done.stderr
        )
    assert list(victim.iterdir()) == []


def test_an_adr_dir_inside_the_repository_still_works(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository is the git work tree: a subproject may use its docs
    project = tmp_path / "services" / "orders"
    project.mkdir(parents=True)
    (project / ".adr-dir").write_text("../../docs/decisions\n")
    (tmp_path / "docs" / "decisions").mkdir(parents=True)

    done = run_fitness("adr", "new", "Use", "PostgreSQL", "--date", DATE, cwd=project)

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "docs/decisions/0001-use-postgresql.md").is_file()


def test_concurrent_adr_new_take_distinct_numbers_and_one_index(tmp_path: Path) -> None:
    """20 processes at once in a git repository (``bench/adr_concurrency.py`` runs 100: ``make bench-adr``):
    every number once, every record holding its own decision (none lost or overwritten), one index."""
    root = init_repo(tmp_path / "repo")
    assert run_fitness("adr", "init", "--date", DATE, cwd=root).returncode == 0
    runs = [
        subprocess.Popen(
            [fitness_bin(), "adr", "new", f"Decision {i}", "--date", DATE],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(20)
    ]
    results = [(run.communicate(timeout=120), run.returncode) for run in runs]

    assert all(code == 0 for _, code in results), [err for (_, err), _ in results]
    written = [Path(out.strip()) for (out, _), _ in results]
    assert sorted(int(path.name[:4]) for path in written) == list(range(2, 22))  # 0001: `adr init`
    for i, path in enumerate(written):
        assert re.search(rf"^# {int(path.name[:4])}\. Decision {i}$", (root / path).read_text(), re.M)
    assert len(list((root / "docs/adr").glob("[0-9]*.md"))) == 21
    index = (root / "docs/adr/README.md").read_text()
    for path in written:
        assert f"]({path.name})" in index
    lint = run_fitness("adr", "lint", cwd=root)
    assert lint.returncode == 0, lint.stdout


def test_a_symlinked_record_is_changed_only_with_follow_symlinks(tmp_path: Path) -> None:
    assert run_fitness("adr", "init", "--date", DATE, cwd=tmp_path).returncode == 0
    folder = tmp_path / "docs/adr"
    record = folder / "0001-record-architecture-decisions.md"
    shared = tmp_path / "shared-record.md"
    record.rename(shared)
    record.symlink_to(shared)

    refused = run_fitness("adr", "status", "1", "deprecated", cwd=tmp_path)
    assert refused.returncode == 2
    assert "0001-record-architecture-decisions.md: is a symbolic link" in refused.stderr
    assert "Accepted" in shared.read_text()

    followed = run_fitness("adr", "status", "1", "deprecated", "--follow-symlinks", cwd=tmp_path)
    assert followed.returncode == 0, followed.stderr
    assert record.is_symlink()
    assert "Deprecated" in shared.read_text()


def test_adr_graph_output_refuses_a_fifo(tmp_path: Path) -> None:
    import os

    assert run_fitness("adr", "init", "--date", DATE, cwd=tmp_path).returncode == 0
    os.mkfifo(tmp_path / "graph.dot")
    done = run_fitness("adr", "graph", "-o", "graph.dot", cwd=tmp_path)
    assert done.returncode == 2
    assert "graph.dot: is a FIFO (named pipe), not a regular file" in done.stderr

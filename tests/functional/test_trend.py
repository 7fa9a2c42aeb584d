"""``fitness trend``: sampled commits of a real git repository, analysed without touching the checkout."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.functional.conftest import run_fitness
from tests.git_helpers import commit_files, git, init_repo

PACKAGES = {"app/__init__.py": "", "app/core/__init__.py": "", "app/web/__init__.py": ""}


def history(tmp_path: Path) -> Path:
    """Four months of a small package: a cycle appears in March, is removed in April (two commits in
    April: only the newer one is sampled)."""
    repo = init_repo(tmp_path / "repo")
    commit_files(repo, {**PACKAGES, "app/core/a.py": "X = 1\n"}, "start", "2026-01-10")
    commit_files(repo, {"app/web/v.py": "from app.core import a\n"}, "web uses core", "2026-02-03")
    commit_files(repo, {"app/core/b.py": "from app.web import v\n"}, "core uses web: a cycle", "2026-03-05")
    commit_files(repo, {"app/core/b.py": None}, "cycle removed", "2026-04-01")
    commit_files(repo, {"app/core/c.py": "Y = 2\n"}, "another module", "2026-04-20")
    return repo


def test_monthly_samples_show_the_cycle_come_and_go(tmp_path: Path) -> None:
    repo = history(tmp_path)
    (repo / "app" / "core" / "uncommitted.py").write_text("from app.web import v\n")  # not in any sample
    head = git(repo, "rev-parse", "HEAD").strip()
    status = git(repo, "status", "--porcelain")

    result = run_fitness("trend", ".", "--since", "all", "--format", "json", cwd=repo)

    assert result.returncode == 0, result.stderr
    points = json.loads(result.stdout)["points"]
    assert [p["date"] for p in points] == ["2026-01-10", "2026-02-03", "2026-03-05", "2026-04-20"]
    assert [p["subject"] for p in points][-1] == "another module"
    assert [p["cycles"] for p in points] == [0, 0, 1, 0]
    assert [p["imports"] for p in points] == [0, 1, 2, 1]
    assert [p["modules"] for p in points] == [4, 5, 6, 6]
    assert points[2]["by_code"] == {"FIT202": 1}
    # the checkout is exactly as it was: same HEAD, same status, no worktree added
    assert git(repo, "rev-parse", "HEAD").strip() == head
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "worktree", "list").count("\n") == 1


def test_window_text_and_csv(tmp_path: Path) -> None:
    repo = history(tmp_path)

    text = run_fitness("trend", ".", "--since", "2 months", cwd=repo)
    table = run_fitness("trend", ".", "--since", "all", "--every", "week", "-f", "csv", cwd=repo)

    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split()[:4] == ["date", "commit", "modules", "imports"]
    assert [line.split()[0] for line in lines[1:3]] == ["2026-03-05", "2026-04-20"]  # back from the newest
    assert "cycles 1 -> 0" in text.stdout and "2 samples, 2 analysed" in text.stdout
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [row["date"] for row in rows] == [
        "2026-01-10",
        "2026-02-03",
        "2026-03-05",
        "2026-04-01",
        "2026-04-20",
    ]


def test_a_sample_the_config_does_not_fit_keeps_its_error(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    commit_files(repo, {"old/__init__.py": "", "old/a.py": ""}, "before the rename", "2026-01-10")
    commit_files(
        repo,
        {"old/__init__.py": None, "old/a.py": None, "app/__init__.py": "", "app/a.py": ""},
        "renamed",
        "2026-02-10",
    )
    (repo / "fitness.yaml").write_text("version: 1\npackages: [app]\n")  # today's config, not committed

    result = run_fitness("trend", ".", "--since", "all", cwd=repo)

    assert result.returncode == 0, result.stderr
    assert "not analysed: " in result.stdout and "root package 'app' not found" in result.stdout
    assert "2 samples, 1 analysed, 1 not" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--every", "year"], "--every: expected one of day, week, month"),
        (["--since", "soon"], "--since"),
        (["--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    repo = history(tmp_path)
    result = run_fitness("trend", ".", *args, cwd=repo)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_not_a_repository_exits_2(tmp_path: Path) -> None:
    result = run_fitness("trend", str(tmp_path))
    assert result.returncode == 2
    assert "cannot read the history" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_report_draws_a_saved_trend(tmp_path: Path) -> None:
    repo = history(tmp_path)
    saved = tmp_path / "trend.json"
    assert (
        run_fitness("trend", ".", "--since", "all", "-f", "json", "-o", str(saved), cwd=repo).returncode == 0
    )
    (tmp_path / "bad.json").write_text('{"points": [{"sha": "1"}]}')

    result = run_fitness("report", ".", "--trend", str(saved), "-o", str(tmp_path / "r.html"), cwd=repo)
    bad = run_fitness(
        "report", ".", "--trend", str(tmp_path / "bad.json"), "-o", str(tmp_path / "b.html"), cwd=repo
    )

    assert result.returncode == 0, result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="trend"' in page and page.count('<svg class="trend"') == 8
    assert "2026-03-05" in page and "core uses web: a cycle" in page
    assert bad.returncode == 2 and "malformed trend point" in bad.stderr
    assert not (tmp_path / "b.html").exists()

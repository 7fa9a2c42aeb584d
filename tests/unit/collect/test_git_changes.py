"""Files changed since a revision: merge-base semantics, working tree and untracked files, subfolders."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.collect.git.changes import changed_files
from fitness.model import FitnessError
from tests.git_helpers import commit_all, git, init_repo


def write(path: Path, text: str = "x = 1\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    for name in ("a.py", "b.py", "c.py", "sub/pkg/x.py", "sub/pkg/y.py", "other/z.py"):
        write(root / name)
    write(root / ".gitignore", "*.log\n")
    commit_all(root, "base")
    git(root, "tag", "base")
    return root


def test_committed_staged_unstaged_and_untracked_count_ignored_do_not(repo: Path) -> None:
    write(repo / "a.py", "x = 2\n")
    commit_all(repo, "change a")
    write(repo / "b.py", "x = 3\n")
    git(repo, "add", "b.py")
    write(repo / "c.py", "x = 4\n")
    write(repo / "new.py")
    write(repo / "debug.log")
    assert changed_files(repo, "base") == {"a.py", "b.py", "c.py", "new.py"}
    assert changed_files(repo, "HEAD") == {"b.py", "c.py", "new.py"}


def test_paths_are_relative_to_an_analysed_subfolder(repo: Path) -> None:
    write(repo / "sub/pkg/x.py", "x = 9\n")
    write(repo / "other/z.py", "x = 9\n")
    write(repo / "sub/pkg/new file.py")
    assert changed_files(repo / "sub", "base") == {"pkg/x.py", "pkg/new file.py"}
    assert changed_files(repo, "base") == {"sub/pkg/x.py", "sub/pkg/new file.py", "other/z.py"}


def test_changes_on_the_target_branch_after_the_merge_base_do_not_count(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "-b", "feature")
    write(repo / "a.py", "feature = 1\n")
    commit_all(repo, "feature work")
    git(repo, "checkout", "--quiet", "main")
    write(repo / "b.py", "main = 1\n")
    commit_all(repo, "main moved on")
    git(repo, "checkout", "--quiet", "feature")
    assert changed_files(repo, "main") == {"a.py"}


def test_bad_revision_and_not_a_repository(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(FitnessError, match="unknown git revision 'nope'"):
        changed_files(repo, "nope")
    with pytest.raises(FitnessError, match="is not a git revision"):
        changed_files(repo, "--output=/tmp/x")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(FitnessError) as caught:
        changed_files(plain, "HEAD")
    assert str(caught.value) == f"--changed-since: {plain} is not in a git repository"

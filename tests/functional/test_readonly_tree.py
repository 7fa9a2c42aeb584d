"""Read-only trees (issue 16, item 5): a checkout fitness cannot write to is analysed like any other.

The import cache goes to ``.fitness_cache/`` in the analysed folder; when that cannot be created or written
it moves to the user's cache folder (``$XDG_CACHE_HOME/fitness/<hash of the folder>/``), else it is left
out, with one warning either way and the same exit code. A real read-only tree needs a user that
permissions apply to: as root (CI containers) the test runs fitness as ``nobody`` through ``setpriv``;
a file where the cache folder should be blocks it for everyone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fitness.exit_codes import ExitCode
from tests.functional.conftest import fitness_bin

FILES = {
    "src/app/__init__.py": "",
    "src/app/core.py": "from app import util\n",
    "src/app/util.py": "",
    "fitness.yaml": "rules:\n  - {id: no-util, type: forbidden, source_modules: [app.core], forbidden_modules: [app.util]}\n",
}
VIOLATION = "FIT102 error [no-util] app.core imports forbidden app.util"


def tree(root: Path) -> Path:
    for relative, text in FILES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def check(root: Path, cache_home: Path | str, *prefix: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "HOME": str(cache_home)}
    return subprocess.run(
        [*prefix, fitness_bin(), "check", str(root)], capture_output=True, text=True, env=env, timeout=120
    )


def warnings_of(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def test_a_file_in_place_of_the_cache_folder_moves_the_cache_to_the_user_cache(tmp_path: Path) -> None:
    root = tree(tmp_path / "project")
    (root / ".fitness_cache").write_text("not a folder")
    result = check(root, tmp_path / "user-cache")
    assert result.returncode == ExitCode.VIOLATIONS, result.stderr
    assert VIOLATION in result.stdout
    [warning] = warnings_of(result)
    assert warning.startswith("warning: .fitness_cache/grimp cannot be written; caching imports in ")
    # (the user cache folder also holds fitness's own files: the cache secret, kept drawings)
    [cached] = [f for f in (tmp_path / "user-cache" / "fitness").iterdir() if (f / "grimp").is_dir()]
    assert any((cached / "grimp").iterdir()), "the import cache was written there"
    again = check(root, tmp_path / "user-cache")  # the second run reads it back: same verdict
    assert again.returncode == ExitCode.VIOLATIONS and again.stdout == result.stdout


def test_no_writable_cache_anywhere_runs_without_one(tmp_path: Path) -> None:
    root = tree(tmp_path / "project")
    (root / ".fitness_cache").write_text("not a folder")
    (tmp_path / "blocked").write_text("not a folder either")
    result = check(root, tmp_path / "blocked")
    assert result.returncode == ExitCode.VIOLATIONS, result.stderr
    assert warnings_of(result) == [
        "warning: .fitness_cache/grimp cannot be written; running without an import cache"
    ]


@pytest.fixture
def read_only_tree() -> Iterator[tuple[Path, tuple[str, ...]]]:
    """A tree the user running fitness cannot write to, and the command prefix that makes it so."""
    base = Path(tempfile.mkdtemp(prefix="fitness-ro-"))
    try:
        root = tree(base / "project")
        if os.geteuid() == 0:  # root writes anywhere: run fitness as nobody instead
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv: cannot make a tree read-only")
            for path in [base, *base.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            prefix: tuple[str, ...] = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
        else:
            for path in [*root.rglob("*"), root]:
                path.chmod(0o555 if path.is_dir() else 0o444)
            prefix = ()
        yield root, prefix
    finally:
        for path in [base, *base.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)


def test_a_read_only_checkout_is_analysed_with_one_warning(
    read_only_tree: tuple[Path, tuple[str, ...]],
) -> None:
    root, prefix = read_only_tree
    user_cache = Path(tempfile.mkdtemp(prefix="fitness-cache-"))
    try:
        user_cache.chmod(0o777)
        result = check(root, user_cache, *prefix)
        assert "Traceback" not in result.stderr
        assert result.returncode == ExitCode.VIOLATIONS, result.stderr
        assert VIOLATION in result.stdout
        [warning] = warnings_of(result)
        assert warning.startswith("warning: .fitness_cache/grimp cannot be written; caching imports in ")
        assert not (root / ".fitness_cache").exists()
        nowhere = check(root, "/nonexistent/cache", *prefix)
        assert nowhere.returncode == ExitCode.VIOLATIONS, nowhere.stderr
        assert warnings_of(nowhere) == [
            "warning: .fitness_cache/grimp cannot be written; running without an import cache"
        ]
    finally:
        shutil.rmtree(user_cache, ignore_errors=True)

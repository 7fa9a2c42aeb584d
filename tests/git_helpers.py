"""Real git repositories in tmp_path, with scripted commits (no global git config needed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
        timeout=60,
    )
    return result.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "--quiet", "--initial-branch=main")
    return path


def commit_all(path: Path, message: str = "commit") -> None:
    git(path, "add", "--all")
    git(path, "commit", "--quiet", "--no-verify", "-m", message)


def commit_files(
    path: Path,
    files: dict[str, str | bytes | None],
    message: str,
    day: str,
    author: str | bytes = "Test",
    email: str = "test@example.invalid",
    allow_empty: bool = False,
) -> None:
    """One commit on ``day`` (YYYY-MM-DD, noon UTC) by ``author``: write (or delete, None) ``files``.

    ``author`` may be bytes (a name that is not UTF-8)."""
    for name, content in files.items():
        target = path / name
        if content is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    stamp = f"{day}T12:00:00+00:00"
    env = {
        **{key.encode(): value.encode() for key, value in os.environ.items()},
        **{key.encode(): value.encode() for key, value in GIT_ENV.items()},
        b"GIT_AUTHOR_NAME": author if isinstance(author, bytes) else author.encode(),
        b"GIT_AUTHOR_EMAIL": email.encode(),
        b"GIT_AUTHOR_DATE": stamp.encode(),
        b"GIT_COMMITTER_DATE": stamp.encode(),
    }
    subprocess.run(["git", "add", "--all"], cwd=path, env=env, check=True, capture_output=True, timeout=60)
    extra = ["--allow-empty"] if allow_empty else []
    subprocess.run(
        ["git", "commit", "--quiet", "--no-verify", *extra, "-m", message],
        cwd=path,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def shop_history(path: Path) -> Path:
    """A crafted history (tests/unit/collect/test_git_history.py spells out the expected numbers).

    orders and billing change together in commits 1-6; orders alone in 7 (with a binary file) and 8 (on a
    branch, merged with --no-ff); catalog in 9-12, with orders in 13; 14 renames catalog/old.py to new.py.
    Filtered: a bot commit, a lock-file-only commit, a 31-file commit, an empty commit, the merge.
    Commit 2 is by an author whose name is given in Latin-1 (git commit stores it as UTF-8).
    """
    init_repo(path)
    git(path, "config", "user.name", "Test")
    git(path, "config", "user.email", "test@example.invalid")
    lines = {"shop/orders/api.py": "", "shop/billing/api.py": "", "shop/catalog/old.py": ""}

    def grow(*names: str) -> dict[str, str | bytes | None]:
        for name in names:
            lines[name] += f"line {len(lines[name].splitlines()) + 1}\n"
        return {name: lines[name] for name in names}

    both = ("shop/orders/api.py", "shop/billing/api.py")
    scaffold: dict[str, str | bytes | None] = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/billing/__init__.py": "",
    }
    commit_files(path, {**scaffold, **grow(*both)}, "c1 orders and billing", "2024-01-01")
    commit_files(path, grow(*both), "c2 orders and billing", "2024-01-02", author=b"Jos\xe9 Garc\xeda")
    for n in range(3, 7):
        commit_files(path, grow(*both), f"c{n} orders and billing", f"2024-01-0{n}")
    commit_files(
        path,
        {**grow("shop/orders/api.py"), "shop/orders/logo.png": b"\x89PNG\x00\x01\x02\xff" * 8},
        "c7 orders with a logo",
        "2024-01-07",
    )
    git(path, "checkout", "--quiet", "-b", "feature")
    commit_files(path, grow("shop/orders/api.py"), "c8 orders on a branch", "2024-01-08")
    git(path, "checkout", "--quiet", "main")
    stamp = "2024-01-08T13:00:00+00:00"
    subprocess.run(
        ["git", "merge", "--quiet", "--no-ff", "-m", "merge feature", "feature"],
        cwd=path,
        env={**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        check=True,
        capture_output=True,
        timeout=60,
    )
    base = "".join(f"catalog item {i}: a line long enough for rename detection\n" for i in range(10))
    lines["shop/catalog/old.py"] = base
    commit_files(
        path, {"shop/catalog/__init__.py": "", "shop/catalog/old.py": base}, "c9 catalog", "2024-01-09"
    )
    for n in range(10, 13):
        commit_files(path, grow("shop/catalog/old.py"), f"c{n} catalog", f"2024-01-{n}")
    commit_files(
        path, grow("shop/catalog/old.py", "shop/orders/api.py"), "c13 catalog and orders", "2024-01-13"
    )
    commit_files(path, grow(*both), "bump", "2024-01-14", author="dependabot[bot]", email="bot@x.invalid")
    commit_files(path, {"poetry.lock": "lock\n"}, "lock", "2024-01-15")
    bulk: dict[str, str | bytes | None] = {f"shop/orders/gen/f{i:02}.txt": "x\n" for i in range(29)}
    commit_files(path, {**bulk, **grow(*both)}, "bulk", "2024-01-16")
    commit_files(path, {}, "nothing", "2024-01-17", allow_empty=True)
    git(path, "mv", "shop/catalog/old.py", "shop/catalog/new.py")
    commit_files(path, {}, "c14 rename catalog module", "2024-01-18")
    return path

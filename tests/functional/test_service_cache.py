"""The service side's cross-run cache: same output as a cold run, a miss on any change, never a planted
result (``fitness.collect.service_cache``)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.functional.conftest import fitness_bin

COMPOSE = """\
services:
  front:
    build: ./front
  orders:
    build: ./orders
  stock:
    build: ./stock
  db:
    image: postgres:16
"""
FRONT = 'import requests\n\n\ndef page():\n    return requests.get("http://orders:8000/orders", timeout=2)\n'


def system(root: Path) -> Path:
    files = {
        "docker-compose.yml": COMPOSE,
        "front/app.py": FRONT,
        "front/Dockerfile": "FROM python:3.12\n",
        "orders/app.py": (
            "import os\nimport psycopg\n\n\ndef rows():\n"
            '    return psycopg.connect(os.getenv("DB", "postgresql://db:5432/orders")).execute('
            '"SELECT * FROM orders")\n'
        ),
        "orders/Dockerfile": "FROM python:3.12\n",
        "stock/app.py": "def count():\n    return 1\n",
        "stock/Dockerfile": "FROM python:3.12\n",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def check(root: Path, xdg: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg)}
    return subprocess.run(
        [fitness_bin(), "check", str(root), "--format", "json", "--graph", "full", *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def calls(result: subprocess.CompletedProcess[str]) -> set[tuple[str, str]]:
    graph = json.loads(result.stdout)["graph"]
    return {(e["source"], e["target"]) for e in graph["edges"] if e["kind"] == "calls"}


def results(root: Path) -> list[Path]:
    return sorted((root / ".fitness_cache" / "services").glob("*.json"))


def test_a_cached_run_gives_the_same_bytes_as_a_cold_one(tmp_path: Path) -> None:
    """The first run of a system of services stores its result; the next reads it back."""
    root, xdg = system(tmp_path / "sys"), tmp_path / "xdg"

    cold = check(root, xdg, "--no-cache")
    assert results(root) == []  # --no-cache writes no result
    first = check(root, xdg)  # a miss: computes and stores
    (stored,) = results(root)
    written = stored.stat().st_mtime_ns
    second = check(root, xdg)  # a hit: read, not written again

    assert results(root) == [stored] and stored.stat().st_mtime_ns == written
    assert cold.returncode == first.returncode == second.returncode
    assert cold.stdout == first.stdout == second.stdout
    assert cold.stderr == first.stderr == second.stderr
    assert ("service:front", "service:orders") in calls(second)


def test_an_edited_file_is_a_miss_and_its_change_is_seen(tmp_path: Path) -> None:
    root, xdg = system(tmp_path / "sys"), tmp_path / "xdg"
    assert ("service:front", "service:orders") in calls(check(root, xdg))

    (root / "front" / "app.py").write_text(FRONT.replace("orders:8000/orders", "stock:8000/stock"))
    after = check(root, xdg)

    assert ("service:front", "service:stock") in calls(after)
    assert ("service:front", "service:orders") not in calls(after)
    assert after.stdout == check(root, xdg, "--no-cache").stdout
    assert len(results(root)) == 2  # both states kept (check and report of either reuse them)


def test_a_result_planted_in_the_tree_is_never_read(tmp_path: Path) -> None:
    """A cache committed to a repository under review must not hide what the code does: a result is
    named by a key made with the user's own secret, so a file from elsewhere never matches."""
    root = system(tmp_path / "sys")
    honest = check(root, tmp_path / "xdg-author")
    (planted,) = results(root)
    forged = json.loads(planted.read_text())
    forged["edges"] = [e for e in forged["edges"] if e["kind"] != "calls"]
    planted.write_text(json.dumps(forged))

    reviewer = check(root, tmp_path / "xdg-reviewer")  # another user: another secret

    assert calls(reviewer) == calls(honest) != set()


def test_an_unreadable_result_is_computed_again(tmp_path: Path) -> None:
    root, xdg = system(tmp_path / "sys"), tmp_path / "xdg"
    first = check(root, xdg)
    (stored,) = results(root)
    stored.write_text("{not json")

    again = check(root, xdg)

    assert again.returncode == first.returncode and again.stdout == first.stdout
    assert json.loads(stored.read_text())["format"] >= 1  # written again, whole


def test_a_tree_without_services_is_never_hashed_and_the_cache_is_never_committed(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    for relative, text in {
        "lib/__init__.py": "",
        "lib/a.py": "from lib import b\n",
        "lib/b.py": "",
        "mkdocs.yml": "site_name: lib\n",  # a YAML file: a sign of services the plan rules out
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)

    assert check(root, tmp_path / "xdg").returncode == 0
    assert not (root / ".fitness_cache" / "services").exists()
    assert (root / ".fitness_cache" / ".gitignore").read_text().splitlines()[-1] == "*"

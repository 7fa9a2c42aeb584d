"""Inputs that used to take the run down: a module that crashes the parsers, a large SQL dump, a service
path outside the repository (issue 16, items 3 and 9). The installed command on real trees in tmp_path;
no timings here (``bench/sql_cost.py`` measures the SQL dump)."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness

RULE = """\
version: 1
rules:
  - id: domain-is-pure
    type: forbidden
    source_modules: [app.domain]
    forbidden_modules: [app.web]
"""

DEEP = {
    "sum": "x = " + "+".join(["1"] * 50_000) + "\n",
    "attributes": "x = a" + ".b" * 50_000 + "\n",
    "calls": "x = f" + "()" * 50_000 + "\n",
    "subscripts": "x = f" + "[0]" * 50_000 + "\n",
    # across lines inside brackets, with strings holding closing brackets that must not end the statement
    "multi-line": "x = (\n" + "\n".join('    1 + ")" + "]" +' for _ in range(20_000)) + "\n    1)\n",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_a_module_that_crashes_the_parsers_is_skipped_and_the_run_goes_on(
    write_tree: WriteTree, kind: str
) -> None:
    root = write_tree(
        {
            "fitness.yaml": RULE,
            "src/app/__init__.py": "",
            "src/app/domain.py": "from app import web\n",
            "src/app/web.py": "",
            "src/app/generated.py": "import os\n" + DEEP[kind],
        }
    )

    done = run_fitness("check", str(root), "--no-cache")

    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])  # never -SIGSEGV
    assert done.returncode != -signal.SIGSEGV
    assert "FIT102" in done.stdout  # the rest of the code was analysed
    warnings = [line for line in done.stderr.splitlines() if "generated.py" in line]
    assert warnings == [
        "warning: src/app/generated.py:2: one statement nested over 10,000 levels deep "
        "(too deep to parse safely), file skipped"
    ]


def test_the_service_side_skips_it_too_with_one_warning(write_tree: WriteTree) -> None:
    files: dict[str, str | bytes] = {
        "docker-compose.yml": "services:\n  orders: {build: ./orders}\n  billing: {build: ./billing}\n"
    }
    for name in ("orders", "billing"):
        files[f"{name}/Dockerfile"] = "FROM python:3.12\n"
        files[f"{name}/{name}/__init__.py"] = ""
        files[f"{name}/{name}/app.py"] = (
            "import requests\n\n\ndef load(cursor):\n    cursor.execute('SELECT id FROM orders')\n"
            "    return requests.get('http://billing:8000/x', timeout=2)\n"
        )
    files["orders/orders/big.py"] = (
        "import requests\n\n\ndef f(cursor):\n    cursor.execute('SELECT 1 FROM t')\n\n\n" + DEEP["sum"]
    )
    root = write_tree(files)

    done = run_fitness("check", str(root), "--no-cache", "--format", "json", "--graph", "full")

    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert [line for line in done.stderr.splitlines() if "big.py" in line] == [
        "warning: orders/orders/big.py:8: one statement nested over 10,000 levels deep "
        "(too deep to parse safely), file skipped"
    ]
    graph = json.loads(done.stdout)["graph"]
    assert any(edge["kind"] == "calls" for edge in graph["edges"])  # the other files were read


def test_a_large_flat_module_is_read_as_usual(write_tree: WriteTree) -> None:
    data = (
        "TABLE = {\n" + "".join(f'    "key{i}": ("v{i}", {i} + 1, [{i}]),\n' for i in range(20_000)) + "}\n"
    )
    root = write_tree(
        {
            "src/app/__init__.py": "",
            "src/app/web.py": "",
            "src/app/data.py": "from app import web\n" + data,
        }
    )

    done = run_fitness("path", "app.data", "app.web", str(root), "--no-cache")

    assert done.returncode == 0, done.stderr
    assert "app.data -> app.web" in done.stdout
    assert "warning" not in done.stderr


def _sql_dump() -> str:
    bulk = ", ".join(f"({i}, 'row {i}')" for i in range(6_000))  # about 100 kB: over the statement cap
    lines = ["CREATE TABLE orders (id bigint primary key, note text);"]
    lines += [f"INSERT INTO orders (id, note) VALUES ({i}, 'it''s; not the end');" for i in range(6_000)]
    lines.append(f"INSERT INTO bulk_only (id, note) VALUES {bulk};")
    lines.append("SELECT " + " + ".join(f"c{i}" for i in range(12_000)) + " FROM too_big;")
    lines += ["/* a comment; with a semicolon */", "UPDATE orders SET note = $$a;b$$ WHERE id = 1;"]
    return "\n".join(lines) + "\n"


def test_a_large_sql_dump_is_read_statement_by_statement(write_tree: WriteTree) -> None:
    files: dict[str, str | bytes] = {
        "docker-compose.yml": (
            "services:\n"
            "  orders: {build: ./orders, environment: {DATABASE_URL: 'postgresql://db:5432/shop'}}\n"
            "  billing: {build: ./billing, environment: {DATABASE_URL: 'postgresql://db:5432/shop'}}\n"
            "  db: {image: 'postgres:16'}\n"
        ),
        "orders/db/dump.sql": _sql_dump(),
    }
    for name in ("orders", "billing"):
        files[f"{name}/Dockerfile"] = "FROM python:3.12\n"
        files[f"{name}/{name}/__init__.py"] = ""
    root = write_tree(files)

    done = run_fitness("check", str(root), "--no-cache", "--format", "json")

    assert done.returncode in (0, 1), done.stderr[-2000:]
    graph = json.loads(done.stdout)["graph"]
    edges = {(e["source"], e["target"], e["kind"]) for e in graph["edges"]}
    assert ("service:orders", "table:orders", "writes") in edges
    assert ("service:orders", "table:bulk_only", "writes") in edges  # read from the INSERT's head
    assert "table:too_big" not in {target for _, target, _ in edges}
    assert "orders/db/dump.sql:6003: unparsable SQL (statement larger than 64 kB, skipped)" in done.stderr


@pytest.mark.parametrize("path", ["/", "../outside", "/etc"])
def test_a_service_path_outside_the_repository_is_refused(write_tree: WriteTree, path: str) -> None:
    root = write_tree(
        {
            "src/app/__init__.py": "",
            "fitness.yaml": f"version: 1\nservices:\n  orders:\n    paths: [services/orders]\n  a:\n    paths: ['{path}']\n",
        }
    )

    done = run_fitness("check", str(root), "--no-cache")

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"error: {root / 'fitness.yaml'}:5: services.a.paths: '{path}' is outside the analysed folder "
        f"({Path(root).resolve().as_posix()}); a service's paths must be folders below it"
    ]


def test_the_service_path_error_names_pyproject_when_the_config_is_there(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "src/app/__init__.py": "",
            "pyproject.toml": "[project]\nname = 'x'\n\n[tool.fitness]\nversion = 1\n\n"
            "[tool.fitness.services.a]\npaths = ['/etc']\n",
        }
    )

    done = run_fitness("check", str(root), "--no-cache")

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {root / 'pyproject.toml'}:7: services.a.paths: '/etc' is outside the analysed folder "
        f"({Path(root).resolve().as_posix()}); a service's paths must be folders below it"
    ]

"""Hostile files in the analysed tree, through the installed command: each reader of untrusted files is
bounded in size or time (issue 16, item 3). A regular expression that is quadratic on ``${`` repeated over
a 1 MB line, a chart's backtracking regex, a contract nested thousands deep, a 3 GB module: each run ends
with its usual exit code and at most one line about the file, well inside the subprocess timeout (no
timing asserts: ``run_fitness_process`` fails the test after 120 s, where these used to take hours)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness_process  # a process: its timeout bounds the test
from tests.git_helpers import commit_all, init_repo

N = 250_000  # a 1 MB line of a two- or four-character pattern

COMPOSE = """\
services:
  orders:
    build: ./orders
    environment:
      BILLING_URL: {url}
  billing:
    build: ./billing
"""


def system(write_tree: WriteTree, url: str = "http://billing:8000") -> Path:
    """Two services, orders calling billing through BILLING_URL."""
    files = {
        "docker-compose.yml": COMPOSE.format(url=url),
        "orders/Dockerfile": "FROM python:3.12\n",
        "billing/Dockerfile": "FROM python:3.12\n",
        "orders/orders/__init__.py": "",
        "orders/orders/app.py": "import os\nimport requests\n\n\ndef f():\n"
        "    return requests.get(os.environ['BILLING_URL'] + '/x', timeout=2)\n",
        "billing/billing/__init__.py": "",
        "billing/billing/app.py": "def g():\n    return 1\n",
    }
    return write_tree(files)


def warnings_of(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr[-2000:]
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("orders/.env", "BILLING_URL=" + "${a:-" * N + "\n"),
        ("orders/src/main/java/A.java", '@FeignClient(name = "' + "${a:" * N + '") interface A {}\n'),
    ],
    ids=["env-file", "java"],
)
def test_a_file_the_detectors_would_take_hours_on_is_skipped_and_counted(
    write_tree: WriteTree, path: str, text: str
) -> None:
    root = system(write_tree)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)

    done = run_fitness_process("check", str(root), "--no-cache")

    assert done.returncode == 0, done.stderr[-2000:]
    assert warnings_of(done.stderr) == [
        f"warning: skipped 1 minified, vendored or generated file: 1 too slow to read (e.g. {path})"
    ]


def test_placeholders_in_compose_and_config_files_are_filled_in_linear_time(write_tree: WriteTree) -> None:
    root = system(write_tree, '"http://billing' + ":${" * N + '"')  # port placeholders
    compose = (root / "docker-compose.yml").read_text()
    extra = f'      DEFAULTS: "{"${a:-" * N}"\n      MANY: "{"$A" * N}"\n'
    (root / "docker-compose.yml").write_text(compose.replace("  billing:\n", extra + "  billing:\n"))
    write_tree(
        {
            "orders/src/main/resources/application.properties": "a=" + "${" * N + "\n",
            "orders/src/main/resources/application.yml": "a: '" + "${" * N + "'\n",
        }
    )

    done = run_fitness_process("check", str(root), "--no-cache")

    assert done.returncode == 0, done.stderr[-2000:]
    assert warnings_of(done.stderr) == []


def test_a_charts_backtracking_regex_is_stopped_and_not_understood(write_tree: WriteTree) -> None:
    root = system(write_tree)
    write_tree(
        {
            "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
            "chart/values.yaml": 's: "' + "a" * 30 + '!"\n',
            "chart/templates/d.yaml": 'x: {{ regexMatch "(a+)+$" .Values.s }}\n',
        }
    )

    done = run_fitness_process("check", str(root), "--no-cache")

    assert done.returncode == 0, done.stderr[-2000:]
    assert "warning: chart: 1 template expressions not understood (rendered as empty)" in warnings_of(
        done.stderr
    )


DEEP_JSON = '{"openapi": "3.0.0", "paths": {}, "x": ' + "[" * 200_000 + "]" * 200_000 + "}"


@pytest.mark.parametrize(
    ("path", "text", "code", "message"),
    [
        ("api/openapi.json", DEEP_JSON, 0, "warning: api/openapi.json: nested more than 200 levels deep"),
        (
            "api/x.avsc",
            "[" * 200_000 + "]" * 200_000,
            2,
            "error: api/x.avsc: nested more than 200 levels deep",
        ),
        (
            "api/x.proto",
            'syntax = "proto3";\n' + "message A { " * 100_000 + "}" * 100_000,
            2,
            "error: api/x.proto: cannot parse protobuf: messages nested too deep",
        ),
        ("api/x.proto", "a" * 1_000_000, 2, "error: api/x.proto:1: cannot parse protobuf: unexpected 'aaa"),
    ],
    ids=["openapi-json", "avro", "proto-nesting", "proto-one-word"],
)
def test_contracts_nested_too_deep_or_absurd_are_one_line(
    tmp_path: Path, path: str, text: str, code: int, message: str
) -> None:
    root = init_repo(tmp_path / "repo")
    (root / "README.md").write_text("x\n")
    commit_all(root, "base")
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)
    commit_all(root, "hostile")

    done = run_fitness_process("contracts", str(root), "--base", "HEAD~1")

    assert done.returncode == code, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line]
    assert lines and all(line.startswith(message) and len(line) < 300 for line in lines), lines


def test_a_3_gb_module_is_skipped_before_any_parser_reads_it(write_tree: WriteTree) -> None:
    root = write_tree({"src/app/__init__.py": "", "src/app/a.py": "from app import b\n", "src/app/b.py": ""})
    with open(root / "src/app/huge.py", "wb") as stream:  # sparse: no disk space taken
        stream.truncate(3 * 1024**3)

    done = run_fitness_process("check", str(root), "--no-cache")
    init = run_fitness_process("init", str(root))

    assert done.returncode == 0, done.stderr[-2000:]
    assert warnings_of(done.stderr) == [
        "warning: src/app/huge.py:1: larger than 64 MB (too large to parse safely), file skipped"
    ]
    assert init.returncode == 0, init.stderr[-2000:]
    assert os.path.getsize(root / "src/app/huge.py") == 3 * 1024**3

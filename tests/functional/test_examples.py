"""The bundled examples: exact findings on the broken one, a clean pass on its fixed twin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.conftest import run_fitness, run_fitness_process

Link = tuple[str, str, str, int]

EXPECTED_LAYERED: dict[tuple[str, str, tuple[str, ...]], Link] = {
    ("FIT101", "layers", ("bookshelf.domain", "bookshelf.services")): (
        "bookshelf.domain.loan",
        "bookshelf.services.catalog",
        "src/bookshelf/domain/loan.py",
        8,
    ),
    ("FIT101", "layers", ("bookshelf.services", "bookshelf.api")): (
        "bookshelf.services.lending",
        "bookshelf.api.schemas",
        "src/bookshelf/services/lending.py",
        4,
    ),
    ("FIT102", "adapters-stay-at-the-edge", ("bookshelf.adapters", "bookshelf.notifications")): (
        "bookshelf.adapters.email",
        "bookshelf.notifications.templates",
        "src/bookshelf/adapters/email.py",
        6,
    ),
    ("FIT102", "domain-is-pure", ("bookshelf.domain", "bookshelf.adapters")): (
        "bookshelf.domain.book",
        "bookshelf.adapters.db",
        "src/bookshelf/domain/book.py",
        5,
    ),
    (
        "FIT106",
        "no-package-cycles",
        (
            "bookshelf.adapters",
            "bookshelf.api",
            "bookshelf.domain",
            "bookshelf.notifications",
            "bookshelf.services",
        ),
    ): ("bookshelf.adapters.db", "bookshelf.domain.book", "src/bookshelf/adapters/db.py", 6),
    ("FIT201", "module-cycles", ("bookshelf.adapters.db", "bookshelf.domain.book")): (
        "bookshelf.adapters.db",
        "bookshelf.domain.book",
        "src/bookshelf/adapters/db.py",
        6,
    ),
}


def check_json(example: Path, *extra: str) -> tuple[int, dict]:
    result = run_fitness("check", str(example), "--no-cache", "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def above_info(document: dict) -> dict[tuple[str, str, tuple[str, ...]], Link]:
    found = {}
    for finding in document["findings"]:
        if finding["severity"] == "info":
            continue
        first = finding["chains"][0][0]
        key = (finding["code"], finding["rule"], tuple(finding["subjects"]))
        found[key] = (first["importer"], first["imported"], first["path"], first["line"])
    return found


def test_layered_example_reports_exactly_its_deliberate_violations(example_copy) -> None:
    code, document = check_json(example_copy("layered"))
    assert code == 1
    assert above_info(document) == EXPECTED_LAYERED
    assert document["passed"] is False


def test_fixed_twin_passes_with_no_warnings(example_copy) -> None:
    code, document = check_json(example_copy("layered-fixed"), "--fail-on", "warning")
    assert code == 0
    assert above_info(document) == {}


def test_text_output_shows_chain_with_file_line_and_the_fix(example_copy) -> None:
    result = run_fitness("check", str(example_copy("layered")), "--no-cache")
    assert result.returncode == 1
    assert (
        "src/bookshelf/domain/book.py:5: FIT102 error [domain-is-pure] "
        "bookshelf.domain imports forbidden bookshelf.adapters"
    ) in result.stdout
    assert (
        "bookshelf.domain.book -> bookshelf.adapters.db  (src/bookshelf/domain/book.py:5)  "
        "`from bookshelf.adapters.db import connect`"
    ) in result.stdout
    assert "    fix: cut the import" in result.stdout
    assert "because: the domain must be testable without a database or a mail server" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("FAILED: 5 errors, 1 warning")


def test_output_is_byte_identical_across_runs(example_copy) -> None:
    example = example_copy("layered")  # two processes: two hash seeds, two orders of every set
    first = run_fitness_process("check", str(example), "--format", "json")
    second = run_fitness_process("check", str(example), "--format", "json")  # warm cache
    assert first.stdout == second.stdout


@pytest.mark.parametrize("fail_on, expected", [("error", 1), ("warning", 1)])
def test_fail_on(example_copy, fail_on: str, expected: int) -> None:
    result = run_fitness("check", str(example_copy("layered")), "--no-cache", "--fail-on", fail_on)
    assert result.returncode == expected


def test_baseline_fails_only_on_new_findings_and_lists_stale(example_copy) -> None:
    example = example_copy("layered")
    baseline = example / "baseline.json"
    written = run_fitness(
        "check", str(example), "--no-cache", "--update-baseline", "--baseline", str(baseline)
    )
    assert written.returncode == 0
    assert run_fitness("check", str(example), "--no-cache", "--baseline", str(baseline)).returncode == 0
    assert baseline.read_text() == baseline.read_text()  # written once, sorted JSON
    # a new violation fails
    (example / "src/bookshelf/domain/member.py").write_text("from bookshelf.api import routes\n")
    result = run_fitness("check", str(example), "--no-cache", "--baseline", str(baseline))
    assert result.returncode == 1
    assert "(in baseline)" in result.stdout
    # fixing one known violation makes its entry stale, and never fails
    (example / "src/bookshelf/domain/member.py").write_text("X = 1\n")
    (example / "src/bookshelf/adapters/email.py").write_text("import smtplib\n")
    result = run_fitness("check", str(example), "--no-cache", "--baseline", str(baseline))
    assert result.returncode == 0, result.stdout
    assert "stale baseline entry (fixed, remove it): FIT102" in result.stdout


def test_corrupt_baseline_is_exit_2_with_line(example_copy) -> None:
    example = example_copy("layered")
    (example / "b.json").write_text('{"version": 1,\n "findings": [\n')
    result = run_fitness("check", str(example), "--no-cache", "--baseline", str(example / "b.json"))
    assert result.returncode == 2
    assert "b.json:3: corrupt baseline" in result.stderr


def test_ignore_with_reason_suppresses_and_unused_ignore_is_reported(example_copy) -> None:
    example = example_copy("layered")
    config = (example / "fitness.yaml").read_text()
    config = config.replace(
        "    because: the domain must be testable",
        "    ignore:\n"
        "      - {import: 'bookshelf.domain.book -> bookshelf.adapters.*', reason: 'moving, ticket 7'}\n"
        "      - {import: 'bookshelf.domain.* -> bookshelf.notifications.*', reason: never matched}\n"
        "      - {import: 'bookshelf.services.catalog -> bookshelf.adapters.db', reason: indirect}\n"
        "    because: the domain must be testable",
    )
    (example / "fitness.yaml").write_text(config)
    _, document = check_json(example)
    codes = {(f["code"], f["rule"], tuple(f["subjects"])) for f in document["findings"]}
    assert ("FIT102", "domain-is-pure", ("bookshelf.domain", "bookshelf.adapters")) not in codes
    unused = [f for f in document["findings"] if f["code"] == "FIT002"]
    assert [f["subjects"][1] for f in unused] == ["bookshelf.domain.* -> bookshelf.notifications.*"]
    assert unused[0]["locations"][0]["line"] == 22  # the second ignore entry

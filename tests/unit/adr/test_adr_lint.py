"""Every lint code fires on the folder that deserves it, and a clean folder is clean."""

from __future__ import annotations

import json

from fitness.adr.folder import load
from fitness.adr.index import write_index
from fitness.adr.lint import CODES, failed, lint, render
from tests.unit.adr.conftest import WriteAdrs, madr, nygard


def codes(folder) -> list[tuple[str, str, int, str]]:
    return [(p.code, p.path.rsplit("/", 1)[-1], p.line, p.severity.value) for p in lint(folder)]


def test_clean_folders_in_both_formats(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {
            "0001-a.md": nygard(1, "A", "Superceded by [2. B](0002-b.md)"),
            "0002-b.md": nygard(2, "B", "Accepted", "Supercedes [1. A](0001-a.md)"),
            "0003-c.md": madr("C"),
        }
    )
    assert lint(folder) == []
    assert not failed([])
    assert render([], folder, "text").endswith("passed: 0 errors, 0 warnings in 3 ADRs (docs/adr)\n")


def test_naming_duplicates_and_gaps(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {
            "0001-a.md": nygard(1, "A"),
            "0002-b.md": nygard(2, "B"),
            "0002-other.md": nygard(2, "Other"),
            "0005-Bad_Name.md": nygard(5, "Bad"),
            "0006-wrong.md": nygard(7, "Wrong"),
            "0008-no-number.md": nygard(8, "x").replace("# 8. x", "# No number"),
            "notes.md": "# notes",
        }
    )
    found = codes(folder)
    assert ("ADR002", "0002-b.md", 1, "error") in found and ("ADR002", "0002-other.md", 1, "error") in found
    assert ("ADR003", "adr", 0, "warning") in found
    assert ("ADR001", "0005-Bad_Name.md", 0, "error") in found
    assert ("ADR001", "0006-wrong.md", 1, "error") in found
    assert ("ADR001", "0008-no-number.md", 1, "warning") in found
    assert ("ADR001", "notes.md", 0, "warning") in found
    gap = next(p for p in lint(folder) if p.code == "ADR003")
    assert gap.message == "numbers missing: 3, 4, 7"


def test_sections_status_dates_and_titles(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {
            "0001-a.md": nygard(1, "A").replace("## Context\n", "## Background\n"),
            "0002-b.md": nygard(2, "B", "Acepted"),
            "0003-c.md": nygard(3, "C", date="2024-13-40"),
            "0004-d.md": nygard(4, "D").replace("Date: 2024-01-02\n\n", ""),
            "0005-e.md": nygard(5, "E", ""),
            "0006-f.md": madr("F").replace("Chosen option", "We chose"),
            "0007-g.md": "no title here\n",
            "0008-h.md": nygard(8, "H", "Superseded"),
        }
    )
    found = codes(folder)
    assert ("ADR004", "0001-a.md", 1, "error") in found
    bad_status = next(p for p in lint(folder) if p.code == "ADR007" and "0002" in p.path)
    assert (bad_status.line, bad_status.message) == (7, "unknown status 'Acepted'; did you mean 'Accepted'?")
    assert ("ADR008", "0003-c.md", 3, "error") in found
    assert ("ADR008", "0004-d.md", 1, "warning") in found
    assert ("ADR007", "0005-e.md", 5, "error") in found
    assert ("ADR012", "0006-f.md", 19, "warning") in found
    assert ("ADR010", "0007-g.md", 1, "error") in found
    assert ("ADR006", "0008-h.md", 7, "error") in found


def test_links_and_supersede_back_links(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {
            "0001-a.md": nygard(1, "A", "Superseded by [2. B](0002-b.md)"),
            "0002-b.md": nygard(2, "B").replace(
                "The context.", "See [the notes](../notes.md) and [web](https://x.org)."
            ),
            "0003-c.md": nygard(
                3, "C", "Accepted", "Supersedes [2. B](0002-b.md)\n\nAmends [9. Z](0009-z.md)"
            ),
        }
    )
    messages = {(p.code, p.path.rsplit("/", 1)[-1], p.line): p.message for p in lint(folder)}
    assert (
        messages[("ADR006", "0001-a.md", 7)]
        == "superseded by ADR 2, but 0002-b.md has no 'Supersedes' link back to it"
    )
    assert (
        messages[("ADR006", "0003-c.md", 9)]
        == "supersedes ADR 2, but 0002-b.md is not marked 'Superseded by' it"
    )
    assert messages[("ADR005", "0003-c.md", 11)] == "Amends ADR 9, which does not exist"
    assert messages[("ADR005", "0002-b.md", 11)] == "broken link: ../notes.md does not exist"
    assert messages[("ADR005", "0003-c.md", 11)]


def test_invalid_front_matter_unreadable_files_and_stale_index(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A")})
    write_index(folder)
    (folder.path / "0002-b.md").write_text(madr("B").replace("status: accepted", "status: [oops"))
    (folder.path / "0003-c.md").write_bytes(b"\xff")
    found = codes(load(folder.path))
    assert ("ADR009", "0002-b.md", 3, "error") in found  # where YAML noticed: the line after '[oops'
    assert not any(code == "ADR007" for code, *_ in found)
    assert ("ADR011", "0003-c.md", 0, "error") in found
    assert ("ADR013", "README.md", 0, "warning") in found


def test_renderers_text_json_github(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A", "Acepted"), "0003-c.md": nygard(3, "C")})
    problems = lint(folder)
    assert failed(problems) and failed(problems, strict=True)
    text = render(problems, folder, "text").splitlines()
    assert text[0] == "docs/adr: ADR003 warning: numbers missing: 2"
    assert text[1].startswith("docs/adr/0001-a.md:7: ADR007 error: unknown status 'Acepted'")
    assert text[-1] == "FAILED: 1 error, 1 warning in 2 ADRs (docs/adr)"
    document = json.loads(render(problems, folder, "json"))
    assert (document["errors"], document["warnings"], document["records"]) == (1, 1, 2)
    assert document["problems"][1] == {
        "code": "ADR007",
        "line": 7,
        "message": "unknown status 'Acepted'; did you mean 'Accepted'?",
        "path": "docs/adr/0001-a.md",
        "severity": "error",
    }
    github = render(problems, folder, "github").splitlines()
    assert github == [
        "::warning file=docs/adr,title=ADR003::numbers missing: 2",
        "::error file=docs/adr/0001-a.md,line=7,title=ADR007::unknown status 'Acepted'; did you mean 'Accepted'?",
    ]


def test_every_code_is_documented() -> None:
    assert sorted(CODES) == [f"ADR{n:03d}" for n in range(1, 14)]

"""Reading one record: Nygard (adr-tools) and MADR 4, with every line number a message will need."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.adr.records import parse
from fitness.model.decisions import normalize_status
from tests.unit.adr.conftest import madr, nygard


def read(text: str, name: str = "0003-use-grimp.md", number: int = 3):
    return parse(text, Path("/x") / name, f"docs/adr/{name}", number)


def test_nygard_title_status_date_and_links() -> None:
    record = read(
        nygard(
            3,
            "Use grimp",
            "Accepted",
            "Supersedes [2. Use \\[ast\\]](0002-use-ast.md)\n\nAmends [1. X](0001-x.md)",
        )
    )
    assert (record.format, record.title, record.title_number, record.title_line) == (
        "nygard",
        "Use grimp",
        3,
        1,
    )
    assert (record.status, record.status_line, record.date, record.date_line) == (
        "Accepted",
        7,
        "2024-01-02",
        3,
    )
    assert [(link.kind, link.target, link.label, link.line) for link in record.links] == [
        ("Supersedes", 2, "2. Use \\[ast\\]", 9),
        ("Amends", 1, "1. X", 11),
    ]
    assert record.supersedes == [2] and record.superseded_by == []
    assert record.label == "3. Use grimp"


@pytest.mark.parametrize("spelling", ["Superseded by", "Superceded by"])
def test_adr_tools_superseded_status_line_in_both_spellings(spelling: str) -> None:
    record = read(nygard(2, "Old", f"{spelling} [3. New](0003-new.md)"), "0002-old.md", 2)
    assert record.status == "Superseded"
    assert record.superseded_by == [3]


def test_headings_inside_code_fences_are_not_sections() -> None:
    text = nygard(1, "T").replace("The decision.", "```yaml\n# not a title\n## Status\n```")
    record = read(text, "0001-t.md", 1)
    assert [h.name for h in record.headings if h.level == 2] == [
        "Status",
        "Context",
        "Decision",
        "Consequences",
    ]
    assert record.title == "T"


def test_madr_front_matter_status_date_and_links() -> None:
    text = madr("Use MADR", "superseded by [ADR-0007](0007-x.md)", more="Superseded by [7. X](0007-x.md)")
    record = read(text, "0004-use-madr.md", 4)
    assert (record.format, record.title, record.title_number) == ("madr", "Use MADR", None)
    assert (record.status, record.status_line, record.date, record.date_line) == (
        "Superseded",
        2,
        "2024-01-02",
        3,
    )
    assert record.superseded_by == [7]
    assert record.front_matter is not None and record.front_matter["decision-makers"] == "Ada, Linus"
    assert record.problems == ()


def test_madr_without_front_matter_is_still_madr() -> None:
    record = read("# Title\n\n## Context and Problem Statement\n\nx\n", "0001-title.md", 1)
    assert record.format == "madr" and record.status == "" and record.title == "Title"


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("---\ndate: 2024-01-01\nstatus: [unclosed\n---\n", 3, "malformed front matter"),
        ("---\n- a list\n---\n", 2, "front matter must be a mapping"),
        ("---\nstatus: accepted\n", 1, "never closed"),
        ("---\nstatus: 3\n---\n", 2, "'status' must be text"),
        ("---\ninformed: {a: 1}\n---\n", 2, "'informed': expected text or a list"),
    ],
)
def test_invalid_front_matter_is_a_problem_with_its_line(front: str, line: int, message: str) -> None:
    record = read(front + "# T\n", "0001-t.md", 1)
    assert [(p.code, p.line) for p in record.problems] == [("ADR009", line)]
    assert message in record.problems[0].message
    assert str(record.problems[0]).startswith(f"docs/adr/0001-t.md:{line}: ADR009 error:")


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("accepted", "Accepted"),
        ("Accepted.", "Accepted"),
        ("superseded by ADR-0005", "Superseded"),
        ("Superceded by [2. X](0002-x.md)", "Superseded"),
        ("acepted", "Acepted"),
    ],
)
def test_normalize_status(word: str, status: str) -> None:
    assert normalize_status(word) == status

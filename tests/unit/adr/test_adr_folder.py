"""Where the folder is, what it holds, numbering, safe names, and never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fitness.adr.folder import check_title, create_file, file_name, load, locate, slugify
from fitness.model import FitnessError
from fitness.model.decisions import AdrSettings
from tests.unit.adr.conftest import WriteAdrs, nygard


def test_locate_prefers_adr_dir_then_config_then_docs_adr_then_doc_adr(tmp_path: Path) -> None:
    assert locate(tmp_path) == tmp_path / "docs" / "adr"
    (tmp_path / "doc" / "adr").mkdir(parents=True)
    assert locate(tmp_path) == tmp_path / "doc" / "adr"  # adr-tools' default, when it is the one there
    assert locate(tmp_path, AdrSettings(dir="decisions")) == tmp_path / "decisions"
    (tmp_path / ".adr-dir").write_text("architecture/decisions\n")
    assert locate(tmp_path, AdrSettings(dir="decisions")) == tmp_path / "architecture" / "decisions"
    assert locate(tmp_path, None, Path("elsewhere")) == Path("elsewhere")
    (tmp_path / ".adr-dir").write_text("\n")
    with pytest.raises(FitnessError, match="empty"):
        locate(tmp_path)


def test_missing_folder_says_how_to_init(tmp_path: Path) -> None:
    with pytest.raises(FitnessError) as error:
        load(tmp_path / "docs" / "adr")
    assert "no ADR folder here; create it with `fitness adr init`" in str(error.value)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Use PostgreSQL (not MySQL) for orders!", "use-postgresql-not-mysql-for-orders"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c..d", "a-b-c-d"),
        ("Überprüfung der Façade", "uberprufung-der-facade"),
        ("日本語", "decision"),
        ("x" * 80, "x" * 50),
        ("word " * 30, "-".join(["word"] * 10)),
    ],
)
def test_slug_is_safe_ascii_and_bounded(title: str, slug: str) -> None:
    result = slugify(title)
    assert result == slug
    assert "/" not in result and ".." not in result and len(result) <= 50


@pytest.mark.parametrize("title", ["", "   ", "!!!", "-- ?", "two\nlines"])
def test_empty_punctuation_or_multiline_titles_are_refused(title: str) -> None:
    with pytest.raises(FitnessError, match="title"):
        check_title(title)


def test_numbers_next_and_9999(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A"), "0007-b.md": nygard(7, "B")})
    assert folder.next_number() == 8
    assert file_name(8, "Use X") == "0008-use-x.md"
    full = write_adrs({"9999-last.md": nygard(9999, "Last")})
    with pytest.raises(FitnessError, match="9999 is taken"):
        full.next_number()


def test_duplicate_numbers_refused_for_the_records_involved(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {"0001-a.md": nygard(1, "A"), "0002-b.md": nygard(2, "B"), "0002-c.md": nygard(2, "C")}
    )
    assert folder.get(1).title == "A"
    with pytest.raises(FitnessError, match=r"two ADRs have number 2: 0002-b\.md and 0002-c\.md"):
        folder.get(2)
    with pytest.raises(FitnessError, match="no ADR 5 \\(numbers in use: 1, 2, 2\\)"):
        folder.get(5)


def test_readme_templates_and_strays_are_not_records(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {"README.md": "# x", "adr-template.md": "# t", "notes.md": "# n", "0001-a.md": nygard(1, "A")}
    )
    assert [r.name for r in folder.records] == ["0001-a.md"]
    assert [p.name for p in folder.strays] == ["notes.md"]


def test_unreadable_files_are_reported_not_crashed_on(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A")})
    (folder.path / "0002-b.md").write_bytes(b"# 2. B\n\xff\xfe")
    folder = load(folder.path)
    assert [(p.code, "not UTF-8" in p.message) for p in folder.unreadable] == [("ADR011", True)]
    assert folder.next_number() == 3  # its number is still taken
    with pytest.raises(FitnessError, match=r"0002-b\.md: cannot read: not UTF-8"):
        folder.get(2)
    if os.geteuid() != 0:  # root reads everything
        (folder.path / "0003-c.md").write_text("x")
        (folder.path / "0003-c.md").chmod(0)
        assert any("cannot read" in p.message for p in load(folder.path).unreadable)


def test_create_file_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "0001-a.md"
    create_file(target, "first\n")
    with pytest.raises(FitnessError, match="already exists; not overwritten"):
        create_file(target, "second\n")
    assert target.read_text() == "first\n"

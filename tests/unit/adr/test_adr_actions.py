"""new, status, supersede and link, in both formats: both files change, nothing is half-done."""

from __future__ import annotations

import pytest

from fitness.adr import actions
from fitness.adr.folder import load
from fitness.model import FitnessError
from tests.unit.adr.conftest import WriteAdrs, madr, nygard

DATE = "2024-05-06"


def test_new_nygard_is_the_adr_tools_shape(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A")})
    written = actions.new(folder, "  Use  grimp ", "nygard", "Proposed", date=DATE)
    assert [p.name for p in written.created] == ["0002-use-grimp.md"]
    text = written.created[0].read_text()
    assert text.startswith("# 2. Use grimp\n\nDate: 2024-05-06\n\n## Status\n\nProposed\n\n## Context\n")
    record = load(folder.path).get(2)
    assert [h.name for h in record.headings if h.level == 2] == [
        "Status",
        "Context",
        "Decision",
        "Consequences",
    ]


def test_new_with_supersedes_and_link_changes_both_files(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A"), "0002-b.md": nygard(2, "B")})
    link = actions.LinkRequest.parse("1:Amends:Amended by")
    written = actions.new(folder, "C", "nygard", "Accepted", supersedes=[2], links=[link], date=DATE)
    assert sorted(p.name for p in written.changed) == ["0001-a.md", "0002-b.md"]
    after = load(folder.path)
    new, old, first = after.get(3), after.get(2), after.get(1)
    assert new.supersedes == [2] and [link.kind for link in new.links] == ["Supersedes", "Amends"]
    assert old.status == "Superseded" and old.superseded_by == [3]
    assert "Superseded by [3. C](0003-c.md)" in old.text.splitlines()
    assert "Amended by [3. C](0003-c.md)" in first.text.splitlines()
    assert first.status == "Accepted"


def test_new_refuses_missing_targets_and_writes_nothing(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A")})
    with pytest.raises(FitnessError, match="no ADR 4"):
        actions.new(folder, "C", "nygard", "Proposed", supersedes=[4])
    with pytest.raises(FitnessError, match="N:Kind:Reverse"):
        actions.LinkRequest.parse("1:Amends")
    assert sorted(p.name for p in folder.path.iterdir()) == ["0001-a.md"]


def test_status_changes_the_first_status_line_only(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {"0001-a.md": nygard(1, "A", "Proposed", "Amends [2. B](0002-b.md)"), "0002-b.md": nygard(2, "B")}
    )
    record, status = actions.set_status(folder, 1, "ACCEPTED")
    assert (record.status, status) == ("Proposed", "Accepted")
    after = load(folder.path).get(1)
    assert after.status == "Accepted" and [link.kind for link in after.links] == ["Amends"]
    with pytest.raises(FitnessError, match="status must be one of proposed, accepted, rejected, deprecated"):
        actions.set_status(folder, 1, "superseded")


def test_supersede_is_idempotent_and_refuses_a_second_successor(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({f"000{n}-r{n}.md": nygard(n, f"R{n}") for n in (1, 2, 3)})
    (folder.path / "0001-r1.md").chmod(0o644)
    actions.supersede(folder, 1, 2)
    assert (folder.path / "0001-r1.md").stat().st_mode & 0o777 == 0o644  # rewritten, permissions kept
    once = {p.name: p.read_text() for p in folder.path.iterdir()}
    actions.supersede(load(folder.path), 1, 2)
    assert {p.name: p.read_text() for p in folder.path.iterdir()} == once
    with pytest.raises(FitnessError, match="already superseded by ADR 2"):
        actions.supersede(load(folder.path), 1, 3)
    with pytest.raises(FitnessError, match="cannot supersede itself"):
        actions.supersede(load(folder.path), 3, 3)
    with pytest.raises(FitnessError, match="its status stays Superseded"):
        actions.set_status(load(folder.path), 1, "accepted")


def test_link_both_ways_and_supersedes_kind_delegates(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A"), "0002-b.md": nygard(2, "B")})
    actions.link(folder, 2, "Clarifies", 1, "Clarified by")
    after = load(folder.path)
    assert [(link.kind, link.target) for link in after.get(2).links] == [("Clarifies", 1)]
    assert [(link.kind, link.target) for link in after.get(1).links] == [("Clarified by", 2)]
    actions.link(after, 2, "Supersedes", 1, "Superseded by")
    assert load(folder.path).get(1).status == "Superseded"
    with pytest.raises(FitnessError, match="a link kind is words"):
        actions.link(load(folder.path), 2, "](evil)", 1, "x")


def test_madr_new_status_and_supersede(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": madr("A")})
    actions.new(folder, "B", "madr", "Proposed", date=DATE)
    folder = load(folder.path)
    b = folder.get(2)
    assert b.format == "madr" and b.status == "Proposed" and b.date == DATE
    assert b.front_matter is not None and set(b.front_matter) == {
        "status",
        "date",
        "decision-makers",
        "consulted",
        "informed",
    }
    assert 'Chosen option: "{title of option 1}", because {justification}.' in b.text
    actions.set_status(folder, 2, "accepted")
    actions.supersede(load(folder.path), 1, 2)
    after = load(folder.path)
    assert after.get(1).status == "Superseded" and after.get(1).superseded_by == [2]
    assert "status: superseded by ADR-0002" in after.get(1).text
    assert after.get(2).status == "Accepted" and after.get(2).supersedes == [1]


def test_madr_minimal_has_front_matter_and_required_sections(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({})
    actions.new(folder, "Small", "madr-minimal", "Proposed", date=DATE)
    record = load(folder.path).get(1)
    assert record.text.startswith("---\nstatus: proposed\ndate: 2024-05-06\n")
    names = [h.name for h in record.headings if h.level == 2]
    assert names == ["Context and Problem Statement", "Considered Options", "Decision Outcome"]


def test_init_refuses_a_folder_with_records(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A")})
    with pytest.raises(FitnessError, match="already holds 1 ADRs"):
        actions.init(folder.path, "nygard")


def test_changes_keep_an_existing_index_current(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({})
    actions.init(folder.path, "nygard", DATE)
    actions.new(load(folder.path), "Second", "nygard", "Proposed", date=DATE)
    actions.set_status(load(folder.path), 2, "rejected")
    readme = (folder.path / "README.md").read_text()
    assert "| [0002](0002-second.md) | Second | Rejected | 2024-05-06 |" in readme

"""The index (idempotent, only between its markers), the graph, and custom templates."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fitness.adr import actions, templates
from fitness.adr.folder import load
from fitness.adr.graph import to_dot, to_svg
from fitness.adr.index import START, STOP, wanted_text, write_index
from fitness.model import FitnessError
from tests.unit.adr.conftest import WriteAdrs, madr, nygard


def test_index_is_created_then_idempotent(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {
            "0001-a.md": nygard(1, "A | pipes", "Superseded by [2. B](0002-b.md)"),
            "0002-b.md": nygard(2, "B", "Accepted", "Supersedes [1. A | pipes](0001-a.md)"),
        }
    )
    path = write_index(folder)
    assert path == folder.path / "README.md"
    text = path.read_text()
    assert text.startswith("# Architecture decision records\n")
    assert (
        "| [0001](0001-a.md) | A \\| pipes | Superseded by [0002](0002-b.md) | 2024-01-02 |\n"
        "| [0002](0002-b.md) | B | Accepted | 2024-01-02 |\n\n" + STOP
    ) in text
    assert write_index(load(folder.path)) is None
    assert path.read_text() == text


def test_index_replaces_only_between_markers_or_appends(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({"0001-a.md": nygard(1, "A")})
    readme = folder.path / "README.md"
    readme.write_text(f"# Ours\n\nIntro.\n\n{START}\nold\n{STOP}\n\nFooter.\n")
    write_index(folder)
    text = readme.read_text()
    assert text.startswith("# Ours\n\nIntro.\n\n<!-- adrlog -->\n\n| ADR |") and text.endswith(
        f"{STOP}\n\nFooter.\n"
    )
    readme.write_text("# Ours, no markers\n")
    write_index(folder)
    assert readme.read_text().startswith("# Ours, no markers\n\n## Index\n\n<!-- adrlog -->")
    assert wanted_text(load(folder.path))[1] == wanted_text(load(folder.path))[2]


def test_graph_dot_one_edge_per_link_pair(write_adrs: WriteAdrs) -> None:
    folder = write_adrs(
        {
            "0001-a.md": nygard(1, "A", "Superceded by [2. B](0002-b.md)\n\nAmended by [3. C](0003-c.md)"),
            "0002-b.md": nygard(2, "B", "Accepted", "Supercedes [1. A](0001-a.md)"),
            "0003-c.md": nygard(3, 'C "quoted"', "Proposed", "Amends [1. A](0001-a.md)"),
            "0004-d.md": madr("D", "rejected"),
        }
    )
    dot = to_dot(folder)
    assert dot.startswith("digraph adr {\n")
    edges = [line.strip() for line in dot.splitlines() if "->" in line]
    assert edges == [
        '"2" -> "1" [label="supersedes"];',
        '"3" -> "1" [label="amends", style=dashed];',
    ]
    assert 'label="0003\\nC \\"quoted\\"\\n[Proposed]"' in dot
    assert 'color="#c92a2a"' in dot  # rejected


def test_svg_needs_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FitnessError, match="Graphviz's 'dot' program is not installed"):
        to_svg("digraph {}")
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\ncat >/dev/null\necho '<svg/>'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    if os.name == "posix":
        assert to_svg("digraph {}") == "<svg/>\n"


def test_custom_jinja_template_and_adr_tools_template(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({})
    (folder.path / "templates").mkdir()
    (folder.path / "templates" / "nygard.md").write_text(
        "# {{ number }}. {{ title }}\n\nDate: {{ date }}\n\n## Status\n\n{{ status }}\n\n"
        "## Context\n\nTeam template {{ id }}.\n\n## Decision\n\n## Consequences\n"
    )
    actions.new(folder, "Ours", "nygard", "Proposed", date="2024-01-01")
    assert "Team template 0001." in (folder.path / "0001-ours.md").read_text()
    (folder.path / "templates" / "nygard.md").unlink()
    (folder.path / "templates" / "template.md").write_text(
        "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n## Context\n\nTITLE stays.\n"
    )
    actions.new(load(folder.path), "Theirs", "nygard", "Accepted", date="2024-01-02")
    assert (folder.path / "0002-theirs.md").read_text() == (
        "# 2. Theirs\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\n## Context\n\nTITLE stays.\n"
    )


def test_template_errors_name_the_file_and_line(write_adrs: WriteAdrs) -> None:
    folder = write_adrs({})
    (folder.path / "templates").mkdir()
    (folder.path / "templates" / "madr.md").write_text("# {{ title }}\n\n{% if %}\n")
    with pytest.raises(FitnessError) as error:
        actions.new(folder, "X", "madr", "Proposed")
    assert str(error.value).startswith("docs/adr/templates/madr.md:3: template error:")
    (folder.path / "templates" / "madr.md").write_text("# {{ titel }}\n")
    with pytest.raises(FitnessError, match="'titel' is undefined"):
        actions.new(folder, "X", "madr", "Proposed")
    assert not list(folder.path.glob("0*.md"))


def test_builtin_templates_render_without_optional_values() -> None:
    for fmt in templates.BUILTIN:
        text = templates.render(
            fmt, {"number": 1, "title": "T", "date": "2024-01-01", "status": "Proposed"}, Path("/nowhere")
        )
        assert "\n\n\n" not in text and text.endswith("\n") and not text.endswith("\n\n")

"""Interoperability: folders written by adr-tools and by the MADR templates are read correctly, and what
fitness writes is readable by their conventions (and by an adr-viewer-style parser).

The folders are made here, byte for byte in the shape those tools write: adr-tools' ``adr init``, ``adr new
-s 2``, ``adr new -l "3:Amends:Amended by"`` (with its ``Supercedes``/``Superceded by`` spelling), and
MADR 4's ``adr-template.md`` filled in (front matter, ``0000`` start, adr-log markers in the README).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

ADR_TOOLS = {
    "0001-record-architecture-decisions.md": """\
# 1. Record architecture decisions

Date: 2016-02-12

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as [described by Michael Nygard](http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions).

## Consequences

See Michael Nygard's article, linked above. For a lightweight ADR toolset, see Nat Pryce's [adr-tools](https://github.com/npryce/adr-tools).
""",
    "0002-use-mysql.md": """\
# 2. Use MySQL

Date: 2016-02-13

## Status

Superceded by [3. Use PostgreSQL](0003-use-postgresql.md)

## Context

Context here...

## Decision

Decision here...

## Consequences

Consequences here...
""",
    "0003-use-postgresql.md": """\
# 3. Use PostgreSQL

Date: 2016-02-14

## Status

Accepted

Supercedes [2. Use MySQL](0002-use-mysql.md)

Amended by [4. Use PostgreSQL 16](0004-use-postgresql-16.md)

## Context

Context here...

## Decision

Decision here...

## Consequences

Consequences here...
""",
    "0004-use-postgresql-16.md": """\
# 4. Use PostgreSQL 16

Date: 2016-02-15

## Status

Accepted

Amends [3. Use PostgreSQL](0003-use-postgresql.md)

## Context

Context here...

## Decision

Decision here...

## Consequences

Consequences here...
""",
}

MADR = {
    "README.md": "# Decisions\n\n<!-- adrlog -->\n\n* [ADR-0000](0000-use-madr.md) - Use MADR\n\n<!-- adrlogstop -->\n",
    "adr-template.md": '---\nstatus: "{proposed | accepted}"\n---\n# {short title}\n',
    "0000-use-madr.md": """\
---
status: accepted
date: 2022-10-31
decision-makers: Oliver, Olaf
---
# Use Markdown Architectural Decision Records

## Context and Problem Statement

We want to record architectural decisions made in this project. Which format should these records follow?

## Considered Options

* [MADR](https://adr.github.io/madr/) 4.0.0
* Michael Nygard's template

## Decision Outcome

Chosen option: "MADR 4.0.0", because it is lean and fits our development style.
""",
    "0001-use-rest.md": """\
---
status: "superseded by [ADR-0002](0002-use-graphql.md)"
date: 2023-01-10
decision-makers: [Ada]
consulted: Linus
informed: everyone
---
# Use REST for the public API

## Context and Problem Statement

How do clients talk to us?

## Considered Options

* REST
* GraphQL

## Decision Outcome

Chosen option: "REST", because everybody knows it.

### Consequences

* Good, because tooling exists
* Bad, because over-fetching

## More Information

Superseded by [2. Use GraphQL for the public API](0002-use-graphql.md)
""",
    "0002-use-graphql.md": """\
---
status: accepted
date: 2024-03-01
---
# Use GraphQL for the public API

## Context and Problem Statement

Clients over-fetch.

## Considered Options

* GraphQL

## Decision Outcome

Chosen option: "GraphQL", because clients choose their fields.

## More Information

Supersedes [1. Use REST for the public API](0001-use-rest.md)
""",
}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import typer

        from fitness.cli import app
    monkeypatch.chdir(tmp_path)
    command = typer.main.get_command(app)
    return lambda *args: CliRunner().invoke(command, list(args), prog_name="fitness")


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def adr_tools_title(path: Path) -> str:
    """adr-tools' ``_adr_title``: ``head -1 "$file" | cut -c 3-``."""
    return path.read_text(encoding="utf-8").splitlines()[0][2:]


def adr_tools_status(path: Path) -> str:
    """The first non-empty line under ``## Status`` (what adr-tools and most readers show)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("## Status") + 1
    return next(line for line in lines[start:] if line.strip())


def adr_viewer(path: Path) -> tuple[str, str]:
    """Like adr-viewer: the H1's text, and the first paragraph after the ``Status`` H2 (Markdown joins
    consecutive lines into one paragraph, so a link glued to the status line would change it)."""
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M)
    after = text.split("\n## Status\n", 1)[1].lstrip("\n")
    paragraph = after.split("\n\n", 1)[0]
    return (title.group(1) if title else "", " ".join(paragraph.split()))


def test_adr_tools_folder_is_read_and_lints_clean(cli, tmp_path: Path) -> None:
    write(tmp_path / "doc" / "adr", ADR_TOOLS)  # adr-tools' default folder, no .adr-dir
    listed = cli("adr", "list")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "0001  Accepted    2016-02-12  Record architecture decisions",
        "0002  Superseded  2016-02-13  Use MySQL  (superseded by 0003)",
        "0003  Accepted    2016-02-14  Use PostgreSQL",
        "0004  Accepted    2016-02-15  Use PostgreSQL 16",
    ]
    lint = cli("adr", "lint")
    assert (lint.exit_code, lint.stdout) == (0, "passed: 0 errors, 0 warnings in 4 ADRs (doc/adr)\n")
    shown = cli("adr", "show", "3").stdout
    assert "        Supercedes 2. Use MySQL\n        Amended by 4. Use PostgreSQL 16\n" in shown
    dot = cli("adr", "graph").stdout
    assert '"3" -> "2" [label="supersedes"];' in dot and '"4" -> "3" [label="amends", style=dashed];' in dot


def test_fitness_changes_to_an_adr_tools_folder_keep_its_conventions(cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "doc" / "adr", ADR_TOOLS)
    (tmp_path / ".adr-dir").write_text("doc/adr\n")
    new = cli("adr", "new", "Use", "CockroachDB", "-s", "3", "--status", "accepted", "--date", "2016-03-01")
    assert new.exit_code == 0, new.stderr
    assert adr_tools_title(folder / "0005-use-cockroachdb.md") == "5. Use CockroachDB"
    assert adr_tools_status(folder / "0005-use-cockroachdb.md") == "Accepted"
    assert (
        adr_tools_status(folder / "0003-use-postgresql.md")
        == "Superseded by [5. Use CockroachDB](0005-use-cockroachdb.md)"
    )
    assert adr_viewer(folder / "0005-use-cockroachdb.md") == ("5. Use CockroachDB", "Accepted")
    old = (folder / "0003-use-postgresql.md").read_text()
    assert "Supercedes [2. Use MySQL](0002-use-mysql.md)\n\nAmended by" in old  # adr-tools' lines untouched
    assert cli("adr", "lint").exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted([*ADR_TOOLS, "0005-use-cockroachdb.md"])


def test_every_nygard_record_fitness_writes_reads_the_adr_tools_way(cli, tmp_path: Path) -> None:
    cli("adr", "init")
    cli("adr", "new", "Second")
    cli("adr", "new", "Third", "-s", "2", "-l", "1:Amends:Amended by")
    cli("adr", "status", "3", "accepted")
    expected = {
        "0001-record-architecture-decisions.md": ("1. Record architecture decisions", "Accepted"),
        "0002-second.md": ("2. Second", "Superseded by [3. Third](0003-third.md)"),
        "0003-third.md": ("3. Third", "Accepted"),
    }
    folder = tmp_path / "docs" / "adr"
    for name, (title, status) in expected.items():
        assert re.fullmatch(r"[0-9]{4}-[a-z0-9-]+\.md", name)
        assert (adr_tools_title(folder / name), adr_tools_status(folder / name)) == (title, status)
        assert adr_viewer(folder / name) == (title, status)


def test_madr_folder_is_read_and_lints_clean(cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "docs" / "decisions", MADR)
    (tmp_path / "fitness.yaml").write_text("adr:\n  dir: docs/decisions\n")
    listed = cli("adr", "list")
    assert listed.stdout.splitlines() == [
        "0000  Accepted    2022-10-31  Use Markdown Architectural Decision Records",
        "0001  Superseded  2023-01-10  Use REST for the public API  (superseded by 0002)",
        "0002  Accepted    2024-03-01  Use GraphQL for the public API",
    ]
    lint = cli("adr", "lint", "docs/decisions")
    assert lint.stdout.splitlines()[-1] == "passed: 0 errors, 1 warning in 3 ADRs (docs/decisions)"
    assert "ADR013" in lint.stdout  # adr-log's list is not ours: `fitness adr index` would rewrite it
    assert cli("adr", "index").exit_code == 0
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# Decisions\n\n<!-- adrlog -->\n\n| ADR |")
    assert (
        "| [0001](0001-use-rest.md) | Use REST for the public API | Superseded by [0002](0002-use-graphql.md) |"
        in readme
    )
    assert (
        cli("adr", "lint", "docs/decisions").stdout
        == "passed: 0 errors, 0 warnings in 3 ADRs (docs/decisions)\n"
    )


def test_madr_records_fitness_writes_read_the_madr_way(cli, tmp_path: Path) -> None:
    (tmp_path / "fitness.yaml").write_text("adr:\n  dir: docs/decisions\n  format: madr\n")
    cli("adr", "init")
    cli("adr", "new", "Use GraphQL")
    assert cli("adr", "supersede", "1", "2").exit_code == 0
    folder = tmp_path / "docs" / "decisions"
    for name, status in (
        ("0001-record-architecture-decisions.md", "superseded by ADR-0002"),
        ("0002-use-graphql.md", "proposed"),
    ):
        text = (folder / name).read_text()
        head, body = text.split("---\n", 2)[1:]
        front = yaml.safe_load(head)
        assert set(front) == {"status", "date", "decision-makers", "consulted", "informed"}
        assert front["status"] == status
        assert body.lstrip("\n").startswith("# ")
        for section in ("## Context and Problem Statement", "## Considered Options", "## Decision Outcome"):
            assert f"\n{section}\n" in body
        outcome = body.split("## Decision Outcome\n", 1)[1].lstrip("\n").splitlines()[0]
        assert re.fullmatch(r'Chosen option: ".+", because .+\.', outcome)
    assert (
        "Supersedes [1. Record architecture decisions](0001-record-architecture-decisions.md)"
        in (folder / "0002-use-graphql.md").read_text()
    )
    assert cli("adr", "lint").exit_code == 0

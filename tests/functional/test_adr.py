"""``fitness adr`` as a user runs it: the life cycle of a folder, decisions linked to rules, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness

DATE = "2025-02-03"
PACKAGE = {
    "src/app/__init__.py": "",
    "src/app/domain.py": "from app import web\n",
    "src/app/web.py": "",
    "src/app/util.py": "",
}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run ``fitness ...`` in-process, with tmp_path as the working directory.

    Click's runner, not typer's; and typer imported with click's deprecation of the name typer re-exports
    silenced (the suite turns warnings into errors; the console script never shows this one).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import typer

        from fitness.cli import app
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    command = typer.main.get_command(app)

    def invoke(*args: str):
        return runner.invoke(command, list(args), prog_name="fitness")

    return invoke


def test_life_cycle_of_a_folder(cli, tmp_path: Path) -> None:
    assert cli("adr", "init", "--date", DATE).exit_code == 0
    created = cli("adr", "new", "Use", "grimp", "--date", DATE)
    assert (created.exit_code, created.stdout) == (0, "docs/adr/0002-use-grimp.md\n")
    replaced = cli(
        "adr", "new", "Use our own scanner", "-s", "2", "-l", "1:Amends:Amended by", "--date", DATE
    )
    assert replaced.exit_code == 0, replaced.stderr
    assert "updated docs/adr/0002-use-grimp.md" in replaced.stderr
    assert cli("adr", "status", "3", "accepted").exit_code == 0
    assert cli("adr", "new", "Try Rust", "--date", DATE).exit_code == 0
    assert cli("adr", "status", "4", "rejected").exit_code == 0
    assert cli("adr", "link", "4", "Clarifies", "3", "Clarified by").exit_code == 0

    listed = cli("adr", "list")
    assert listed.stdout.splitlines() == [
        "0001  Accepted    2025-02-03  Record architecture decisions",
        "0002  Superseded  2025-02-03  Use grimp  (superseded by 0003)",
        "0003  Accepted    2025-02-03  Use our own scanner",
        "0004  Rejected    2025-02-03  Try Rust",
    ]
    accepted = json.loads(cli("adr", "list", "--status", "accepted", "--format", "json").stdout)
    assert [item["number"] for item in accepted] == [1, 3]
    assert accepted[1]["supersedes"] == [2]

    readme = (tmp_path / "docs" / "adr" / "README.md").read_text()
    assert "| [0004](0004-try-rust.md) | Try Rust | Rejected | 2025-02-03 |" in readme  # kept current
    index = cli("adr", "index")
    assert (index.exit_code, index.stderr) == (0, "index already up to date\n")
    assert cli("adr", "index", "--check").exit_code == 0

    dot = cli("adr", "graph")
    assert '"3" -> "2" [label="supersedes"];' in dot.stdout and '"4" -> "3" [label="clarifies"' in dot.stdout
    lint = cli("adr", "lint")
    assert (lint.exit_code, lint.stdout) == (0, "passed: 0 errors, 0 warnings in 4 ADRs (docs/adr)\n")

    shown = cli("adr", "show", "3", "--body")
    assert shown.stdout.startswith(
        "ADR 3: Use our own scanner\nfile:   docs/adr/0003-use-our-own-scanner.md\n"
    )
    assert "rules:  none in fitness.yaml says `adr: 3`; nothing enforces it" in shown.stdout
    assert "# 3. Use our own scanner" in shown.stdout


def test_folder_from_adr_dir_then_fitness_yaml(cli, tmp_path: Path) -> None:
    made = cli("adr", "init", "architecture/decisions", "--format", "madr")
    assert made.exit_code == 0 and "created .adr-dir" in made.stdout
    assert (tmp_path / ".adr-dir").read_text() == "architecture/decisions\n"
    new = cli("adr", "new", "Use MADR")
    assert new.stdout == "architecture/decisions/0002-use-madr.md\n"
    assert (
        (tmp_path / "architecture/decisions/0002-use-madr.md")
        .read_text()
        .startswith("---\nstatus: proposed\n")
    )
    (tmp_path / ".adr-dir").unlink()
    (tmp_path / "fitness.yaml").write_text(
        "adr:\n  dir: architecture/decisions\n  default_status: accepted\n"
    )
    assert cli("adr", "new", "Third").stdout == "architecture/decisions/0003-third.md\n"
    assert "status: accepted" in (tmp_path / "architecture/decisions/0003-third.md").read_text()


def test_decisions_linked_to_rules_check_warns_and_show_says_what_holds(
    cli, write_tree: WriteTree, tmp_path: Path
) -> None:
    config = (
        "packages: [app]\nrules:\n"
        "  - {id: pure, type: forbidden, source_modules: [app.domain], forbidden_modules: [app.web], adr: 1}\n"
        "  - {id: tidy, type: forbidden, source_modules: [app.util], forbidden_modules: [app.web], adr: 1}\n"
        "  - {id: stale, type: forbidden, source_modules: [app.web], forbidden_modules: [app.util], adr: 2}\n"
    )
    write_tree({**PACKAGE, "fitness.yaml": config})
    cli("adr", "init", "--date", DATE)
    cli("adr", "new", "Web is a leaf", "--date", DATE)
    cli("adr", "new", "Web is a leaf, really", "--supersedes", "2", "--date", DATE)

    check = cli("check", ".", "--no-cache", "--format", "json")
    warnings = [f for f in json.loads(check.stdout)["findings"] if f["code"] == "FIT003"]
    assert [(f["rule"], f["message"], f["locations"]) for f in warnings] == [
        (
            "stale",
            "rule 'stale' enforces ADR 2 (Web is a leaf), which is superseded by ADR 3 (Web is a leaf, really)",
            [{"path": "fitness.yaml", "line": 5}],
        )
    ]
    assert cli("check", ".", "--no-cache", "--fail-on", "warning").exit_code == 1
    decisions = json.loads(check.stdout)["summary"]["decisions"]  # for reporters: each ADR with its rules
    assert decisions["1"] == {
        "title": "Record architecture decisions",
        "status": "Accepted",
        "path": "docs/adr/0001-record-architecture-decisions.md",
        "rules": ["pure", "tidy"],
    }

    shown = cli("adr", "show", "1", "--no-cache")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert "rules:  2 enforce it:" in lines
    assert "  VIOLATED pure (forbidden, fitness.yaml:3), 1 finding" in lines
    assert "             src/app/domain.py:1: app.domain imports forbidden app.web" in lines
    assert "  holds    tidy (forbidden, fitness.yaml:4)" in lines


def test_draft_from_a_finding_of_the_example(cli, example_copy, tmp_path: Path) -> None:
    example = example_copy("layered")
    check = cli("check", str(example), "--format", "json", "--no-cache")
    findings = json.loads(check.stdout)["findings"]
    (tmp_path / "check.json").write_text(check.stdout)
    cycle = next(f for f in findings if f["code"] == "FIT201")
    project = ["--project", str(example), "--date", DATE]
    assert cli("adr", "init", str(example / "docs" / "adr"), "--project", str(example)).exit_code == 0

    drafted = cli("adr", "draft", cycle["fingerprint"][:8], *project, "--no-cache")
    assert drafted.exit_code == 0, drafted.stderr
    text = Path(drafted.stdout.strip()).read_text()
    assert text.startswith(
        "# 2. Break the import cycle between bookshelf.adapters.db and bookshelf.domain.book\n\n"
        "Date: 2025-02-03\n\n## Status\n\nProposed\n"
    )
    assert "at src/bookshelf/adapters/db.py:6: `from bookshelf.domain.book import Book`" in text
    assert "#### 2. Merge the modules" in text and "- Bad, because a bigger module" in text
    assert "    forbidden_modules: [bookshelf.domain.book]\n    because:" in text and "    adr: 2\n" in text

    madr = cli(
        "adr",
        "draft",
        "FIT102:domain-is-pure",
        "--from",
        str(tmp_path / "check.json"),
        "-f",
        "madr",
        *project,
    )
    assert madr.exit_code == 0, madr.stderr
    madr_text = Path(madr.stdout.strip()).read_text()
    assert madr_text.startswith("---\nstatus: proposed\n")
    assert 'Chosen option: "(to be decided)", because (the reason, once the team has decided).' in madr_text
    assert "### Confirmation\n\nOnce decided, keep the decision true" in madr_text
    assert cli("adr", "lint", str(example / "docs" / "adr")).exit_code == 0


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ("adr", "list"), "docs/adr: no ADR folder here; create it with `fitness adr init`"),
        (None, ("adr", "new", "X"), "create it with `fitness adr init`"),
        ({}, ("adr", "new", "!!!"), "error: the title needs at least one letter or digit, got '!!!'"),
        ({}, ("adr", "new", "   "), "the title needs at least one letter or digit"),
        ({"9999-last.md": "# 9999. Last\n"}, ("adr", "new", "X"), "ADR number 9999 is taken"),
        ({}, ("adr", "new", "X", "--supersedes", "4"), "error: docs/adr: no ADR 4 (numbers in use: 1)"),
        ({}, ("adr", "show", "4"), "no ADR 4"),
        ({}, ("adr", "status", "4", "accepted"), "no ADR 4"),
        ({}, ("adr", "supersede", "1", "4"), "no ADR 4"),
        ({}, ("adr", "link", "1", "Amends", "4", "Amended by"), "no ADR 4"),
        ({}, ("adr", "new", "X", "-l", "1-Amends"), "--link must look like 'N:Kind:Reverse kind'"),
        ({}, ("adr", "new", "X", "--format", "rst"), "unknown ADR format 'rst'"),
        ({}, ("adr", "new", "X", "--date", "2025-02-30"), "--date must be YYYY-MM-DD"),
        ({}, ("adr", "status", "1", "superseded"), "use `fitness adr supersede OLD NEW`"),
        ({"0002-a.md": "# 2. A\n", "0002-b.md": "# 2. B\n"}, ("adr", "show", "2"), "two ADRs have number 2"),
        ({"0002-a.md": "# 2. A\n", "0002-b.md": "# 2. B\n"}, ("adr", "list"), "two ADRs have number 2"),
        (
            {"0002-a.md": "---\nstatus: [x\n---\n# A\n"},
            ("adr", "list"),
            "error: docs/adr/0002-a.md:2: malformed front matter",
        ),
        (
            {"0002-a.md": b"\xff\xfe"},
            ("adr", "show", "2"),
            "error: docs/adr/0002-a.md: cannot read: not UTF-8 text",
        ),
        ({}, ("adr", "graph", "--format", "svg"), "Graphviz's 'dot' program is not installed"),
        ({}, ("adr", "lint", "--format", "xml"), "unknown format 'xml'"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup, args: tuple[str, ...], message: str
) -> None:
    if setup is not None:
        cli("adr", "init", "--date", DATE)
        for name, content in setup.items():
            target = tmp_path / "docs" / "adr" / name
            target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content)
    monkeypatch.setenv("PATH", str(tmp_path))  # no Graphviz
    before = sorted(p.name for p in (tmp_path / "docs" / "adr").glob("*")) if setup is not None else []
    result = cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    after = sorted(p.name for p in (tmp_path / "docs" / "adr").glob("*")) if setup is not None else []
    assert after == before  # nothing written


def test_lint_reports_problems_as_findings_exit_1_in_every_format(cli, tmp_path: Path) -> None:
    cli("adr", "init", "--date", DATE)
    folder = tmp_path / "docs" / "adr"
    (folder / "0002-a.md").write_text("# 2. A\n\nDate: 2025-13-01\n\n## Status\n\nAcepted\n")
    (folder / "0002-b.md").write_text("---\nstatus: [x\n---\n# B\n")
    text = cli("adr", "lint")
    assert text.exit_code == 1
    assert "docs/adr/0002-a.md:3: ADR008 error: not a YYYY-MM-DD date: '2025-13-01'" in text.stdout
    assert "docs/adr/0002-b.md:2: ADR009 error: malformed front matter" in text.stdout
    github = cli("adr", "lint", "--format", "github")
    assert github.exit_code == 1
    assert "::error file=docs/adr/0002-a.md,line=7,title=ADR007::unknown status 'Acepted'" in github.stdout
    document = json.loads(cli("adr", "lint", "docs/adr", "--format", "json").stdout)
    assert document["errors"] >= 5 and {p["code"] for p in document["problems"]} >= {
        "ADR002",
        "ADR004",
        "ADR009",
    }


def test_console_script_and_lazy_imports(tmp_path: Path) -> None:
    """The installed script works end to end; `fitness --version` does not load the adr package."""
    assert run_fitness("adr", "init", "--date", DATE, cwd=tmp_path).returncode == 0
    lint = run_fitness("adr", "lint", "docs/adr", cwd=tmp_path)
    assert (lint.returncode, lint.stdout) == (0, "passed: 0 errors, 0 warnings in 1 ADRs (docs/adr)\n")
    probe = "import sys, fitness.cli; print('fitness.adr' in sys.modules, 'jinja2' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout == "False False\n"

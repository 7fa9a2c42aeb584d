"""The CI formats on examples/, compared with the JSON and text reports; --format parsing, output files,
--changed-since on real git repositories, and bad input (exit 2, one line)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.functional.conftest import EXAMPLES, REPO, run_fitness
from tests.git_helpers import commit_all, git, init_repo

SARIF_SCHEMA = json.loads((REPO / "tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FORMATS = "codequality, github, json, junit, markdown, sarif, text"


def findings_of(example: Path, *extra: str) -> list[dict]:
    result = run_fitness("check", str(example), "--no-cache", "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return [f for f in json.loads(result.stdout)["findings"] if f["severity"] != "info"]


def test_all_formats_at_once_agree_with_the_json_and_text_reports(example_copy, tmp_path: Path) -> None:
    example = example_copy("layered")
    out = tmp_path / "reports" / "deep"  # missing folders are created
    result = run_fitness(
        "check",
        str(example),
        "--no-cache",
        "--format",
        "text",
        *("--format", f"sarif={out / 'f.sarif'}", "--format", f"junit={out / 'f.xml'}"),
        *("--format", f"markdown={out / 'f.md'}", "--format", f"github={out / 'f.txt'}"),
        *("--format", f"codequality={out / 'cq.json'}"),
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == run_fitness("check", str(example), "--no-cache").stdout
    expected = findings_of(example)
    where = sorted(
        (f["code"], f["rule"], f["locations"][0]["path"], f["locations"][0]["line"]) for f in expected
    )
    failing = [f for f in expected if f["severity"] == "error"]

    sarif = json.loads((out / "f.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    found = sorted(
        (
            *r["ruleId"].split("/", 1),
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    )
    assert found == where
    assert {r["partialFingerprints"]["fitness/v1"] for r in results} == {f["fingerprint"] for f in expected}
    configured = {r["id"] for r in yaml.safe_load((example / "fitness.yaml").read_text())["rules"]}
    described = {rule["name"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert configured <= described  # passing rules are described too

    junit = ET.parse(out / "f.xml").getroot()
    assert int(junit.get("failures", "-1")) == len(failing) == len(list(junit.iter("failure")))
    assert {case.get("name") for case in junit.iter("testcase")} >= configured

    annotations = [line for line in (out / "f.txt").read_text().splitlines() if line.startswith("::")]
    assert sorted(
        (line.split("title=")[1].split("::")[0], line.split("file=")[1].split(",")[0]) for line in annotations
    ) == sorted((f"{f['code']} {f['rule']}", f["locations"][0]["path"]) for f in expected)

    summary = (out / "f.md").read_text()
    assert f"### Violations ({len(failing)})" in summary and "```mermaid" in summary
    for finding in failing:
        assert f"`{finding['locations'][0]['path']}:{finding['locations'][0]['line']}`" in summary

    issues = json.loads((out / "cq.json").read_text())
    assert len(issues) == len(expected)


def test_fixed_twin_passes_in_every_format(example_copy, tmp_path: Path) -> None:
    example = example_copy("layered-fixed")
    result = run_fitness(
        "check", str(example), "--no-cache", "--format", "github", "--format", f"junit={tmp_path / 'j.xml'}"
    )
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("::error")]
    junit = ET.parse(tmp_path / "j.xml").getroot()
    configured = {r["id"] for r in yaml.safe_load((example / "fitness.yaml").read_text())["rules"]}
    assert junit.get("failures") == "0"
    assert {case.get("name") for case in junit.iter("testcase")} >= configured


def test_output_keeps_working_for_one_format(example_copy, tmp_path: Path) -> None:
    example = example_copy("layered")
    result = run_fitness(
        "check", str(example), "--no-cache", "-f", "sarif", "-o", str(tmp_path / "a/b.sarif")
    )
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((tmp_path / "a/b.sarif").read_text())["version"] == "2.1.0"
    mixed = run_fitness(
        "check",
        str(example),
        "--no-cache",
        "--format",
        "text",
        "--format",
        "junit=" + str(tmp_path / "j.xml"),
        "-o",
        str(tmp_path / "t.txt"),
    )
    assert mixed.returncode == 1
    assert (tmp_path / "t.txt").read_text().startswith("src/bookshelf/")  # text, the default stdout format
    assert (tmp_path / "j.xml").exists()


def test_paths_from_the_working_directory_when_the_root_is_below_it(example_copy, tmp_path: Path) -> None:
    example = example_copy("layered")
    config = (example / "fitness.yaml").read_text()
    (example / "fitness.yaml").write_text(
        config.replace(
            "    because: the domain must be testable",
            "    ignore:\n      - {import: 'bookshelf.domain.* -> bookshelf.api.*', reason: stale}\n"
            "    because: the domain must be testable",
        )
    )
    result = run_fitness("check", "layered", "--no-cache", "--format", "github", cwd=tmp_path)
    assert (
        "::error file=layered/src/bookshelf/domain/book.py,line=5,title=FIT102 domain-is-pure::"
        in result.stdout
    )
    # the unused ignore sits in the config, named from the analysed root like every other location
    assert "::warning file=layered/fitness.yaml,line=21,title=FIT002 domain-is-pure::" in result.stdout
    text = run_fitness("check", "layered", "--no-cache", cwd=tmp_path)
    assert "\nfitness.yaml:21: FIT002 warning [domain-is-pure]" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yaml"], f"error: unknown format 'yaml'; choose one of {FORMATS}"),
        (
            ["--format", "text", "--format", "json"],
            "error: at most one format can go to stdout, got text, json",
        ),
        (["--format", "sarif="], "error: --format sarif=: give a file after '='"),
        (["--format", "sarif=x.sarif", "-o", "y"], "error: --output needs a --format without =FILE"),
        (["--format", "sarif=x", "--format", "junit=x"], "error: two formats would write the same file"),
        (["--update-baseline", "--changed-since", "HEAD"], "do not combine it with --changed-since"),
    ],
)
def test_bad_format_arguments_exit_2(example_copy, args: list[str], message: str) -> None:
    result = run_fitness("check", str(example_copy("layered")), "--no-cache", *args)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [message] or message in result.stderr
    assert result.stdout == ""


def test_unwritable_output_exits_2_and_writes_nothing(example_copy, tmp_path: Path) -> None:
    example = example_copy("layered")
    (tmp_path / "blocker").write_text("a file, not a folder")
    result = run_fitness(
        "check",
        str(example),
        "--no-cache",
        "--format",
        f"sarif={tmp_path / 'ok.sarif'}",
        "--format",
        f"junit={tmp_path / 'blocker' / 'j.xml'}",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "blocker/j.xml: cannot write" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "layered"]  # not even ok.sarif


def test_baseline_from_a_newer_fitness_exits_2(example_copy) -> None:
    example = example_copy("layered")
    (example / "b.json").write_text('{"version": 99, "findings": []}\n')
    result = run_fitness("check", str(example), "--no-cache", "--baseline", str(example / "b.json"))
    assert result.returncode == 2
    assert "b.json: baseline written by a newer fitness (version 99; this one reads up to 2)" in result.stderr


# -- --changed-since --------------------------------------------------------------------------------


def _touches(finding: dict, path: str) -> bool:
    paths = {loc["path"] for loc in finding["locations"]} | {
        link["path"] for c in finding["chains"] for link in c
    }
    return path in paths


@pytest.mark.parametrize("subfolder", ["", "services/library"])
def test_changed_since_reports_only_findings_touching_changed_files(tmp_path: Path, subfolder: str) -> None:
    repo = init_repo(tmp_path / "repo")
    example = repo / subfolder if subfolder else repo
    shutil.copytree(EXAMPLES / "layered", example, dirs_exist_ok=True)
    (repo / "README.md").write_text("outside the analysed folder\n")
    commit_all(repo, "base")
    assert run_fitness("check", str(example), "--no-cache", "--changed-since", "HEAD").returncode == 0

    git(repo, "checkout", "--quiet", "-b", "feature")
    book = example / "src/bookshelf/domain/book.py"
    book.write_text(book.read_text() + "\n# touched\n")
    (repo / "README.md").write_text("changed, but not below the analysed folder\n")
    commit_all(repo, "touch book.py")

    everything = findings_of(example)
    reported = findings_of(example, "--changed-since", "main")
    assert reported == [f for f in everything if _touches(f, "src/bookshelf/domain/book.py")]
    assert {f["code"] for f in reported} == {"FIT102", "FIT106", "FIT201"}
    assert len(reported) < len(everything)
    text = run_fitness("check", str(example), "--no-cache", "--changed-since", "main")
    assert text.returncode == 1
    assert "src/bookshelf/domain/loan.py:8: FIT101" not in text.stdout


def test_changed_since_errors_are_one_line_exit_2(example_copy, tmp_path: Path) -> None:
    example = example_copy("layered")
    not_repo = run_fitness("check", str(example), "--no-cache", "--changed-since", "main")
    assert not_repo.returncode == 2
    assert not_repo.stderr == f"error: --changed-since: {example} is not in a git repository\n"
    init_repo(example)
    commit_all(example)
    bad = run_fitness("check", str(example), "--no-cache", "--changed-since", "no-such-branch")
    assert (bad.returncode, bad.stderr) == (
        2,
        "error: --changed-since: unknown git revision 'no-such-branch'\n",
    )


# -- fitness schema ----------------------------------------------------------------------------------


def test_schema_command_prints_a_schema_every_example_config_satisfies(tmp_path: Path) -> None:
    result = run_fitness("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    for config in [REPO / "fitness.yaml", *sorted(EXAMPLES.glob("*/fitness.yaml"))]:
        jsonschema.Draft7Validator(schema).validate(yaml.safe_load(config.read_text()))
    written = run_fitness("schema", "-o", str(tmp_path / "s/fitness.schema.json"))
    assert written.returncode == 0
    assert (tmp_path / "s/fitness.schema.json").read_text() == result.stdout


def test_readme_ci_command_and_editor_settings(example_copy) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## CI integration", 1)[1].split("\n## ", 1)[0]
    (command,) = [line for line in section.splitlines() if line.startswith("fitness check")]
    example = example_copy("layered")
    result = run_fitness(*command.split()[1:], "--no-cache", cwd=example)
    assert result.returncode == 1, result.stderr
    assert (example / "fitness.sarif").exists() and (example / "summary.md").exists()
    editors = readme.split("### Editor support", 1)[1].split("\n### ", 1)[0]
    settings = json.loads(editors.split("```json\n", 1)[1].split("```", 1)[0])
    assert settings["yaml.schemas"] == {"./fitness.schema.json": ["fitness.yaml", ".fitness.yaml"]}
    assert "# yaml-language-server: $schema=./fitness.schema.json" in editors
    assert "fitness schema -o fitness.schema.json" in editors

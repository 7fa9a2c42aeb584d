"""The config is read fail-closed (issue 16, item 4): every TOML spelling, duplicate keys, dangling links."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.config import find_config, load_config
from fitness.model import FitnessError

RULES = 'rules = [{type = "acyclic", severity = "warning"}]'


@pytest.mark.parametrize(
    "text",
    [
        '[tool.fitness]\nrules = [{type = "acyclic", severity = "warning"}]\n',
        f"[tool]\nfitness = {{{RULES}}}\n",
        f"[tool]\nfitness.{RULES}\n",
        f"tool.fitness.{RULES}\n",
        f"tool = {{fitness = {{{RULES}}}}}\n",
        '[ tool . "fitness" ]\nrules = [{type = "acyclic", severity = "warning"}]\n',
        '[project]\nname = "x"\n\n[[tool.fitness.rules]]\ntype = "acyclic"\nseverity = "warning"\n',
    ],
    ids=[
        "header",
        "inline table",
        "dotted under tool",
        "dotted at the top",
        "nested inline",
        "spaced",
        "array",
    ],
)
def test_every_toml_spelling_of_tool_fitness_is_read(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    [rule] = load_config(tmp_path).rules
    assert (rule.type, rule.severity.value) == ("acyclic", "warning")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[tool.fitness]\nversion = 1\npakages = ["a"]\n', 3),
        ('[project]\nname = "x"\n[tool]\nfitness = {version = 1, pakages = ["a"]}\n', 4),
        ('tool.fitness.version = 1\ntool.fitness.pakages = ["a"]\n', 2),
    ],
)
def test_errors_in_any_spelling_name_a_line(tmp_path: Path, text: str, line: int) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(FitnessError) as failed:
        load_config(tmp_path)
    assert str(failed.value).startswith(f"pyproject.toml:{line}: ") or f"pyproject.toml:{line}:" in str(
        failed.value
    )


@pytest.mark.parametrize(
    "text", ["tool = 1\n# fitness\n", "[tool]\nblack = {}\n# fitness\n", "name = 'fitness'\n"]
)
def test_a_pyproject_without_tool_fitness_is_no_config(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    assert find_config(tmp_path) is None
    assert load_config(tmp_path).path is None


def test_a_malformed_pyproject_mentioning_fitness_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.fitness\nrules = []\n")
    with pytest.raises(FitnessError, match=r"pyproject.toml:1: malformed TOML"):
        load_config(tmp_path)


def test_duplicate_keys_are_an_error_naming_both_lines(tmp_path: Path) -> None:
    (tmp_path / "fitness.yaml").write_text("rules:\n  - {type: acyclic}\nversion: 1\nrules: []\n")
    with pytest.raises(FitnessError) as failed:
        load_config(tmp_path)
    assert "fitness.yaml:4: duplicate key 'rules' (first at line 1)" in str(failed.value)


@pytest.mark.parametrize("name", ["fitness.yaml", "fitness.yml", ".fitness.yaml"])
def test_a_dangling_config_link_is_an_error_not_the_defaults(tmp_path: Path, name: str) -> None:
    (tmp_path / name).symlink_to(tmp_path / "moved.yaml")
    with pytest.raises(
        FitnessError, match=r"config file is a symlink to .*moved\.yaml, which does not exist"
    ):
        load_config(tmp_path)


def test_a_config_link_leaving_the_tree_is_read_only_when_named(tmp_path: Path) -> None:
    shared = tmp_path / "shared.yaml"
    shared.write_text("rules: [{type: acyclic}]\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "fitness.yaml").symlink_to(shared)
    with pytest.raises(FitnessError, match="outside the analysed folder"):
        load_config(project)
    assert [rule.type for rule in load_config(project, project / "fitness.yaml").rules] == ["acyclic"]


def test_an_unquoted_date_is_a_since_date(tmp_path: Path) -> None:
    (tmp_path / "fitness.yaml").write_text("history: {since: 2024-01-31}\n")
    assert load_config(tmp_path).history.since == "2024-01-31"

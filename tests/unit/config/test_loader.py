"""fitness.yaml and [tool.fitness]: values, defaults, and errors that name file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.config import load_config
from fitness.model import ConfigError, FitnessError, Severity


def load(tmp_path: Path, text: str, name: str = "fitness.yaml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(FitnessError) as caught:
        load(tmp_path, text)
    return str(caught.value).splitlines()


def test_reads_rules_with_common_fields_and_option_lines(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "packages: [shop]\n"
        "rules:\n"
        "  - id: pure\n"
        "    type: forbidden\n"
        "    severity: warning\n"
        "    because: keep it pure\n"
        "    adr: 7\n"
        "    source_modules: [shop.domain]\n"
        "    forbidden_modules: [shop.api]\n"
        "    ignore:\n"
        "      - {import: 'shop.domain.x -> shop.api.*', reason: legacy}\n",
    )
    (rule,) = config.rules
    assert (rule.id, rule.type, rule.severity, rule.because, rule.adr) == (
        "pure",
        "forbidden",
        Severity.WARNING,
        "keep it pure",
        7,
    )
    assert rule.options == {"source_modules": ["shop.domain"], "forbidden_modules": ["shop.api"]}
    assert rule.option_lines == {"source_modules": 8, "forbidden_modules": 9}
    assert rule.line == 3
    (ignore,) = rule.ignores
    assert (ignore.importer, ignore.imported, ignore.reason, ignore.line) == (
        "shop.domain.x",
        "shop.api.*",
        "legacy",
        11,
    )
    assert config.packages == ("shop",)


def test_no_config_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.path is None and config.rules == () and config.packages == ()


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    (line,) = errors(tmp_path, "rules:\n  - id: a\n    type: [unclosed\n")
    assert line.startswith("fitness.yaml:") or "fitness.yaml:" in line
    assert ":4:" in line or ":3:" in line
    assert "malformed YAML" in line


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    (line,) = errors(tmp_path, "version: 1\npackagez: [shop]\n")
    assert line.endswith("fitness.yaml:2: unknown key 'packagez'; did you mean 'packages'?")


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    lines = errors(
        tmp_path,
        "include_external: yes please\n"
        "rules:\n"
        "  - type: forbidden\n"
        "    severity: fatal\n"
        "    ignore: ['a -> b']\n",
    )
    assert len(lines) == 3
    assert "fitness.yaml:1: include_external: expected true or false, got 'yes please'" in lines[0]
    assert "fitness.yaml:4: severity must be one of info, warning, error, got 'fatal'" in lines[1]
    assert "fitness.yaml:5: ignore 'a -> b' needs a reason" in lines[2]


def test_duplicate_rule_ids_are_an_error(tmp_path: Path) -> None:
    lines = errors(tmp_path, "rules:\n  - {id: x, type: acyclic}\n  - {id: x, type: acyclic}\n")
    assert len(lines) == 1
    assert lines[0].endswith("fitness.yaml:3: duplicate rule id 'x' (first at line 2)")


def test_config_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "fitness.yaml").mkdir()
    with pytest.raises(FitnessError, match="is a directory"):
        load_config(tmp_path)


def test_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected a mapping"):
        load(tmp_path, "- just\n- a list\n")


def test_yaml_tags_that_build_objects_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FitnessError, match="malformed YAML"):
        load(tmp_path, "packages: !!python/object/apply:os.system ['echo hacked']\n")


def test_pyproject_tool_fitness(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.fitness]\npackages = ["shop"]\n\n'
        '[[tool.fitness.rules]]\nid = "c"\ntype = "acyclic"\nlevel = "modules"\n',
        name="pyproject.toml",
    )
    assert config.packages == ("shop",)
    (rule,) = config.rules
    assert (rule.id, rule.options, rule.line, rule.option_lines["level"]) == (
        "c",
        {"level": "modules"},
        7,
        10,
    )


def test_pyproject_error_points_into_the_table(tmp_path: Path) -> None:
    with pytest.raises(FitnessError) as caught:
        load(tmp_path, '[tool.fitness]\npackages = ["a"]\nbogus = 1\n', name="pyproject.toml")
    assert str(caught.value).endswith("pyproject.toml:3: unknown key 'bogus'")


def test_analysis_settings(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "analysis:\n  package_depth: 3\n  hub_like: false\n  unstable_dependency: {threshold: 0.5, severity: warning}\n",
    )
    smells = config.analysis.smells
    assert config.analysis.package_depth == 3
    assert smells["hub_like"].enabled is False
    assert (smells["unstable_dependency"].threshold, smells["unstable_dependency"].severity) == (
        0.5,
        Severity.WARNING,
    )
    assert smells["module_cycles"].enabled is True


def test_history_section(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "history:\n  since: 6 months\n  min_degree: 40\n  max_changeset_size: 50\n  enabled: true\n",
    )
    history = config.history
    assert (history.since, history.min_degree, history.max_changeset_size, history.min_shared) == (
        "6 months",
        40.0,
        50,
        5,
    )


def test_history_errors_name_file_and_line(tmp_path: Path) -> None:
    found = errors(tmp_path, "history:\n  since: soon\n  min_shared: 0\n  min_degre: 3\n")
    assert any("fitness.yaml:2" in e and "since" in e and "12 months" in e for e in found)
    assert any("fitness.yaml:3" in e and "min_shared" in e for e in found)
    assert any("fitness.yaml:4" in e and "min_degree" in e for e in found)

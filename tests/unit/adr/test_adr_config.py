"""The ``adr:`` section of fitness.yaml: defaults, values, and errors with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.config import load_config
from fitness.model import ConfigError
from fitness.model.decisions import AdrSettings


def load(tmp_path: Path, text: str):
    (tmp_path / "fitness.yaml").write_text(text)
    return load_config(tmp_path)


def test_defaults_and_values(tmp_path: Path) -> None:
    assert load(tmp_path, "version: 1\n").adr == AdrSettings()
    config = load(tmp_path, "adr:\n  dir: decisions\n  format: madr\n  default_status: accepted\n")
    assert config.adr == AdrSettings(dir="decisions", format="madr", default_status="Accepted")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("adr: docs/adr\n", "fitness.yaml:1: adr: expected a mapping (dir, format, default_status)"),
        ("adr:\n  folder: x\n", "fitness.yaml:2: unknown key 'adr.folder'"),
        (
            "adr:\n  format: nygaard\n",
            "fitness.yaml:2: adr.format must be one of nygard, madr, madr-minimal, "
            "got 'nygaard'; did you mean 'nygard'?",
        ),
        ("adr:\n  dir: 3\n", "fitness.yaml:2: adr.dir: expected a string, got 3"),
        (
            "adr:\n\n  default_status: superseded\n",
            "fitness.yaml:3: adr.default_status must be one of Proposed",
        ),
    ],
)
def test_errors_name_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as error:
        load(tmp_path, text)
    assert str(error.value).startswith(expected)

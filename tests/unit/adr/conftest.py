"""ADR folders written in tmp_path: adr-tools style, MADR style, and helpers to read them back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fitness.adr.folder import AdrFolder, load

WriteAdrs = Callable[[dict[str, str]], AdrFolder]


def nygard(
    number: int, title: str, status: str = "Accepted", extra_status: str = "", date: str = "2024-01-02"
) -> str:
    """A record exactly as adr-tools writes it (``extra_status``: link lines under the status)."""
    links = f"\n\n{extra_status}" if extra_status else ""
    return (
        f"# {number}. {title}\n\nDate: {date}\n\n## Status\n\n{status}{links}\n\n"
        "## Context\n\nThe context.\n\n## Decision\n\nThe decision.\n\n## Consequences\n\nThe consequences.\n"
    )


def madr(title: str, status: str = "accepted", date: str = "2024-01-02", more: str = "") -> str:
    """A record as the MADR 4 template writes it (front matter, no number in the title)."""
    more_section = f"\n## More Information\n\n{more}\n" if more else ""
    return (
        f"---\nstatus: {status}\ndate: {date}\ndecision-makers: Ada, Linus\nconsulted:\ninformed:\n---\n"
        f"# {title}\n\n## Context and Problem Statement\n\nWhy?\n\n## Considered Options\n\n* A\n* B\n\n"
        f'## Decision Outcome\n\nChosen option: "A", because it is simpler.\n{more_section}'
    )


@pytest.fixture
def write_adrs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WriteAdrs:
    """Write ``{"0001-x.md": text}`` into tmp_path/docs/adr (the working directory is tmp_path, so paths
    show as ``docs/adr/...``) and load the folder."""
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> AdrFolder:
        folder = tmp_path / "docs" / "adr"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return load(folder)

    return write

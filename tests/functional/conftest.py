"""Run the installed ``fitness`` console script as a user would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def fitness_bin() -> str:
    candidate = Path(sys.executable).with_name("fitness")
    return str(candidate) if candidate.exists() else "fitness"


def run_fitness(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [fitness_bin(), *args], capture_output=True, text=True, cwd=cwd or REPO, timeout=120
    )


@pytest.fixture
def example_copy(tmp_path: Path):
    """A private copy of an example, so tests may edit it and caches land in tmp."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target)
        return target

    return copy

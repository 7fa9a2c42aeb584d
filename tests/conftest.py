"""Shared helpers: write small real packages on disk for grimp to scan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteTree = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write ``{"relative/path.py": "content"}`` under tmp_path and return tmp_path."""

    def write(files: dict[str, str | bytes]) -> Path:
        for relative, content in files.items():
            target = tmp_path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return tmp_path

    return write

"""Shared helpers: write small real packages on disk for grimp to scan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteTree = Callable[[dict[str, str | bytes]], Path]
FIRST = ("slow", "browser")  # markers of the tests that start first, in this order


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest tests first (marked ``slow``, then ``browser``), the rest in file order: with
    ``pytest -n`` a 20-second test that starts last keeps one worker busy after the other is done."""

    def rank(item: pytest.Item) -> int:
        return next((i for i, name in enumerate(FIRST) if item.get_closest_marker(name)), len(FIRST))

    items.sort(key=rank)  # stable: same order on every xdist worker, as the controller requires


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

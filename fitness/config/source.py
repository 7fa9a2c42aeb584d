"""Read a YAML or TOML config into plain data plus a map from key paths to line numbers.

Values come from ``yaml.safe_load`` (never anything that can build Python objects); lines come from
composing the same text into YAML nodes, which carry their position. For TOML (``[tool.fitness]`` in
pyproject.toml) lines are found by searching the text, which is good enough to point a person at a key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fitness.model import FitnessError

KeyPath = tuple[str | int, ...]


@dataclass
class Source:
    """Parsed config data and where each key was written."""

    path: str
    data: Any
    lines: dict[KeyPath, int]

    def line(self, key_path: KeyPath) -> int:
        """Line of ``key_path`` or of its nearest written ancestor."""
        path = tuple(key_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, key_path: KeyPath, message: str) -> FitnessError:
        return FitnessError(message, self.path, self.line(key_path))


def read_yaml(path: Path, display: str) -> Source:
    text = _read_text(path, display)
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or str(error)
        raise FitnessError(f"malformed YAML: {problem}", display, line) from error
    except yaml.YAMLError as error:
        raise FitnessError(f"malformed YAML: {error}", display) from error
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return Source(display, data, lines)


def read_pyproject(path: Path, display: str) -> Source | None:
    """The ``[tool.fitness]`` table of a pyproject.toml, or None when it has none."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    text = _read_text(path, display)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise FitnessError(
            f"malformed TOML: {error}", display, int(match.group(1)) if match else None
        ) from error
    table = document.get("tool", {}).get("fitness")
    if table is None:
        return None
    return Source(display, table, _toml_lines(text))


def _read_text(path: Path, display: str) -> str:
    if path.is_dir():
        raise FitnessError("is a directory, expected a config file", display)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise FitnessError(f"not UTF-8 text ({error.reason})", display) from error
    except OSError as error:
        raise FitnessError(f"cannot read: {error.strerror}", display) from error


def _collect_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[path + (key,)] = key_node.start_mark.line + 1  # noqa: RUF005 (mypy, py3.10)
            _collect_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*path, index), lines)


def _toml_lines(text: str) -> dict[KeyPath, int]:
    """Best effort: the header line of [tool.fitness], each [[tool.fitness.rules]], and keys under them."""
    lines: dict[KeyPath, int] = {}
    rule_index = -1
    section: KeyPath | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("[[tool.fitness.rules]]"):
            rule_index += 1
            section = ("rules", rule_index)
            lines[section] = number
        elif stripped.startswith("[tool.fitness]"):
            section = ()
            lines[()] = number
        elif stripped.startswith("[tool.fitness."):
            name = stripped.strip("[]").split(".", 2)[2]
            section = tuple(name.split("."))
            lines[section] = number
        elif stripped.startswith("["):
            section = None
        elif section is not None and "=" in stripped and not stripped.startswith("#"):
            key = stripped.split("=", 1)[0].strip().strip('"')
            lines[section + (key,)] = number  # noqa: RUF005 (mypy, py3.10)
    return lines

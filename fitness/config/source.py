"""Read a YAML or TOML config into plain data plus a map from key paths to line numbers.

Values come from PyYAML's safe constructor (``yaml.safe_load`` semantics: never anything that can build
Python objects) on a document bounded first (``fitness.inputs.check_yaml``: aliases, depth, duplicate
keys); lines come from the same composed nodes, which carry their position. For TOML (``[tool.fitness]`` in
pyproject.toml) lines are found by searching the text, which is good enough to point a person at a key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fitness.inputs import FastLoader, Unreadable, YamlLimit, check_yaml, read_text
from fitness.model import ConfigError, FitnessError
from fitness.model.key_paths import KeyPath as KeyPath  # re-exported: collectors import it from here
from fitness.model.key_paths import nearest_line


@dataclass
class Source:
    """Parsed config data and where each key was written."""

    path: str
    data: Any
    lines: dict[KeyPath, int]

    def line(self, key_path: KeyPath) -> int:
        """Line of ``key_path`` or of its nearest written ancestor."""
        return nearest_line(self.lines, key_path)

    def error(self, key_path: KeyPath, message: str) -> FitnessError:
        return FitnessError(message, self.path, self.line(key_path))


MAX_CONFIG_BYTES = 1_000_000
"""A config file larger than this is refused (bounded time and memory whatever it holds)."""
MAX_ALIASED_NODES = 10_000
"""YAML nodes that aliases may add to a config by expansion (a nine-line alias bomb would add a billion)."""
MAX_DEPTH = 50
"""Nesting levels of a config (fitness.yaml needs six)."""


def read_yaml(path: Path, display: str, root: Path | None = None) -> Source:
    """The YAML config at ``path``; with ``root`` (a config found there, not named with --config) a symlink
    leading outside it is refused."""
    return parse_yaml(_read_text(path, display, root), display)


def parse_yaml(text: str, display: str) -> Source:
    """``text`` as config data with the line of every key; a FitnessError naming ``display`` if malformed.

    ``yaml.safe_load`` semantics on a bounded document: at most MAX_ALIASED_NODES added by aliases, MAX_DEPTH
    levels, no duplicate keys (YAML would silently keep the last), only text as keys (``1: foo`` and
    ``yes: 2`` are an int and a bool to YAML, never a setting's name).
    """
    loader = FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            check_yaml(node, MAX_ALIASED_NODES, MAX_DEPTH, unique_keys=True)
        data = None if node is None else loader.construct_document(node)
    except YamlLimit as error:
        raise FitnessError(str(error.problem), display, _line(error)) from error
    except yaml.MarkedYAMLError as error:
        problem = error.problem or str(error)
        raise FitnessError(f"malformed YAML: {problem}", display, _line(error)) from error
    except yaml.YAMLError as error:
        raise FitnessError(f"malformed YAML: {' '.join(str(error).split())}", display) from error
    except RecursionError as error:
        raise FitnessError("malformed YAML: nested too deeply", display) from error
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    if node is not None:
        problems = _collect_lines(node, lines, display)
        if problems:
            raise ConfigError(problems)
    return Source(display, data, lines)


def _line(error: yaml.MarkedYAMLError) -> int | None:
    mark = error.problem_mark or error.context_mark
    return mark.line + 1 if mark else None


def read_pyproject(path: Path, display: str, root: Path | None = None) -> Source | None:
    """The ``[tool.fitness]`` table of a pyproject.toml, or None when it has none. Every TOML spelling
    counts: the ``[tool.fitness]`` header, ``[tool]`` with ``fitness = {...}`` or ``fitness.rules = [...]``,
    ``tool.fitness.x = ...`` at the top, ``tool = {fitness = {...}}``."""
    text = _read_text(path, display, root)
    document = parse_toml(text, display)
    tool = document.get("tool")
    table = tool.get("fitness") if isinstance(tool, dict) else None
    if table is None:
        return None
    return Source(display, table, _toml_lines(text))


def parse_toml(text: str, display: str) -> dict[str, Any]:
    """A TOML document; a FitnessError with the line when it is malformed or nested beyond MAX_DEPTH."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise FitnessError(
            f"malformed TOML: {error}", display, int(match.group(1)) if match else None
        ) from error
    except RecursionError as error:
        raise FitnessError("malformed TOML: nested too deeply", display) from error
    if _depth(document) > MAX_DEPTH:
        raise FitnessError(f"nested more than {MAX_DEPTH} levels deep, not read", display)
    result: dict[str, Any] = document
    return result


def _depth(value: Any) -> int:
    """Nesting depth of plain data, without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(current, dict):
            stack.extend((item, level + 1) for item in current.values())
        elif isinstance(current, list):
            stack.extend((item, level + 1) for item in current)
    return deepest


def _read_text(path: Path, display: str, root: Path | None = None) -> str:
    if path.is_dir():
        raise FitnessError("is a directory, expected a config file", display)
    try:
        return read_text(path, MAX_CONFIG_BYTES, root)
    except Unreadable as error:
        raise FitnessError(error.reason, display) from error


def _collect_lines(node: yaml.Node, lines: dict[KeyPath, int], display: str) -> list[FitnessError]:
    """The line of every key path (aliases followed: check_yaml bounded them); keys that are not text are
    returned as errors."""
    problems: list[FitnessError] = []
    stack: list[tuple[yaml.Node, KeyPath]] = [(node, ())]
    while stack:
        current, path = stack.pop()
        lines.setdefault(path, current.start_mark.line + 1)
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                line = key_node.start_mark.line + 1
                if key_node.tag == "tag:yaml.org,2002:merge":
                    stack.append((value_node, path))
                    continue
                if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:str"):
                    problems.append(FitnessError(_not_a_name(key_node), display, line))
                    continue
                child: KeyPath = (*path, key_node.value)
                lines[child] = line
                stack.append((value_node, child))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(current.value))
    return sorted(problems, key=lambda error: error.line or 0)


def _not_a_name(key: yaml.Node) -> str:
    if isinstance(key, yaml.ScalarNode):
        written = key.value if len(key.value) <= 40 else key.value[:37] + "..."
        return f"key {written} is not a name (YAML reads it as {key.tag.rsplit(':', 1)[-1]}); quote it: '{written}'"
    return "a key must be a name, not a list or a mapping"


_TOML_KEY = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*""")


def _toml_key(text: str) -> tuple[tuple[str, ...], str] | None:
    """``tool . "fitness".rules = [...]`` -> (("tool", "fitness", "rules"), rest after '='), or None."""
    parts: list[str] = []
    position = 0
    while True:
        match = _TOML_KEY.match(text, position)
        if not match:
            return None
        parts.append(match.group(1).strip("\"'"))
        position = match.end()
        if text.startswith(".", position):
            position += 1
            continue
        return tuple(parts), text[position:]


def _toml_lines(text: str) -> dict[KeyPath, int]:
    """Best effort: the line of [tool.fitness] (in any spelling), each [[tool.fitness.rules]], and the keys
    under them, written in tables or as dotted keys."""
    lines: dict[KeyPath, int] = {}
    counters: dict[tuple[str, ...], int] = {}
    table: tuple[str | int, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            parsed = _toml_key(stripped.lstrip("[").split("]", 1)[0] + "=")
            if parsed is None:
                table = ("?",)
                continue
            names = parsed[0]
            table = names
            if array:
                counters[names] = counters.get(names, -1) + 1
                table = (*names, counters[names])
            _record(lines, table, number)
            continue
        parsed = _toml_key(stripped)
        if parsed is None or not parsed[1].lstrip().startswith("="):
            continue
        _record(lines, (*table, *parsed[0]), number)
    return lines


def _record(lines: dict[KeyPath, int], path: tuple[str | int, ...], number: int) -> None:
    if tuple(path[:2]) != ("tool", "fitness"):
        return
    lines.setdefault((), number)
    inner = tuple(path[2:])
    if inner:
        for size in range(1, len(inner)):
            lines.setdefault(inner[:size], number)
        lines[inner] = number

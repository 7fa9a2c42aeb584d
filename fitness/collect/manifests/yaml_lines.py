"""Read manifests: bounded text, YAML documents with the line of every key, and the shared file walk.

Values come from PyYAML's safe constructor (never anything that builds Python objects); lines come from
the node tree of the same parse, so a file is parsed once. A key path is the tuple of mapping keys and
sequence indexes from the document root::

    services:            # ("services",) -> line 1
      orders:            # ("services", "orders") -> line 2
        environment:
          - DB_HOST=db   # ("services", "orders", "environment", 0) -> line 4

``YamlDoc.line(path)`` falls back to the nearest written ancestor (keys merged in with ``<<: *anchor``
have no line of their own). ``YamlDoc.raw(path)`` is a scalar exactly as written (``0800``, ``yes``), which
is what an environment variable holds, not the int or bool YAML 1.1 would make of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fitness import inputs
from fitness.model import FitnessError
from fitness.model.key_paths import KeyPath as KeyPath  # re-exported: collectors import it from here
from fitness.model.key_paths import nearest_line

MAX_BYTES = 5_000_000
"""Manifests and config files larger than this are skipped with a warning (bounded time)."""

SKIP_DIRS = frozenset(
    {
        "node_modules",
        "venv",
        "site-packages",
        "__pycache__",
        "target",  # maven/gradle output: copies of application.yml
        "bin",  # .NET output: copies of appsettings.json
        "obj",
        "dist",
        "vendor",
        "test",
        "tests",
        # a project's examples, fixtures and docs describe other systems, not this one
        "examples",
        "example",
        "fixtures",
        "testdata",
        "docs",
        "bench",
        "benchmarks",
    }
)
"""Folder names never entered when looking for manifests and config files (hidden folders neither)."""
EXAMPLE_DIRS = frozenset({"examples", "example"})
"""Read for manifests only when nothing outside them is deployable (a system deployed from examples/)."""

_Loader = inputs.FastLoader
MAX_ALIASED_NODES = 200_000
"""Nodes that aliases may add to one document by expansion (nine lines of aliases can add a billion)."""
MAX_DEPTH = 200
"""Nesting levels of one document (Kubernetes manifests and Helm values need a few dozen)."""


@dataclass
class YamlDoc:
    """One YAML document: its data, and the line and raw text of every key path in it."""

    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    scalars: dict[KeyPath, str] = field(default_factory=dict)

    def line(self, key_path: KeyPath) -> int:
        """Line of ``key_path`` or of its nearest written ancestor (1-based; 1 for an empty document)."""
        return nearest_line(self.lines, key_path)

    def raw(self, key_path: KeyPath) -> str | None:
        """The scalar at ``key_path`` as written, or None when it is not a plain scalar there."""
        return self.scalars.get(tuple(key_path))


def read_text(path: Path, display: str, warnings: list[str], root: Path | None = None) -> str | None:
    """The UTF-8 text of ``path``, or None with a warning when it is too large, not UTF-8, or not a regular
    file (a FIFO would hang the run, ``/dev/zero`` fill the memory), or a symlink leading outside the
    analysed folder: ``root``, by default the folder that ``display`` (the path relative to it) is
    relative to."""
    try:
        return inputs.read_text(path, MAX_BYTES, root or _root_of(path, display), encoding="utf-8-sig")
    except inputs.Unreadable as error:
        warnings.append(f"{display}: skipped, {error.reason.removeprefix('is ')}")
    return None


def _root_of(path: Path, display: str) -> str | None:
    """``/repo`` for ``/repo/k8s/app.yaml`` shown as ``k8s/app.yaml``; None when ``display`` is not below."""
    text = Path(path).as_posix()
    if not display or display.startswith(("../", "/")) or not text.endswith("/" + display):
        return None
    return text[: -len(display) - 1] or "/"


def parse_yaml(text: str, display: str) -> list[YamlDoc]:
    """Every document of ``text``; malformed YAML is a FitnessError pointing at its line, and so is a
    document whose aliases expand beyond MAX_ALIASED_NODES or nested deeper than MAX_DEPTH (checked before
    anything is built from it, so an alias bomb costs what its text costs)."""
    loader = _Loader(text)
    docs: list[YamlDoc] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                inputs.check_yaml(node, MAX_ALIASED_NODES, MAX_DEPTH)
            data = loader.construct_document(node)
            doc = YamlDoc(display, data)
            if node is not None:
                _index(node, (), doc, set())
            docs.append(doc)
    except inputs.YamlLimit as error:
        mark = error.problem_mark
        raise FitnessError(str(error.problem), display, mark.line + 1 if mark else None) from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise FitnessError(f"malformed YAML: {error.problem or error}", display, line) from error
    except yaml.YAMLError as error:
        raise FitnessError(f"malformed YAML: {error}", display) from error
    except RecursionError as error:
        raise FitnessError("malformed YAML: nested too deeply", display) from error
    finally:
        loader.dispose()
    return docs


def parse_json(text: str, display: str) -> Any:
    """The JSON document of ``text``, under the same depth bound as YAML: malformed or nested deeper
    than MAX_DEPTH is a FitnessError (the comparisons and walks that follow recurse over it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FitnessError(f"malformed JSON: {error.msg}", display, error.lineno) from error
    except RecursionError as error:
        raise FitnessError(f"nested more than {MAX_DEPTH} levels deep, not read", display) from error
    stack = [(data, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FitnessError(f"nested more than {MAX_DEPTH} levels deep, not read", display)
        children = (
            current.values() if isinstance(current, dict) else current if isinstance(current, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return data


def relative(path: Path | str, root: Path) -> str:
    """``path`` relative to ``root`` with POSIX separators (``..`` when it lies outside)."""
    return Path(os.path.relpath(path, root)).as_posix()


def walk_files(root: Path, max_depth: int, skip: frozenset[str] = SKIP_DIRS) -> Iterator[tuple[Path, int]]:
    """Files under ``root`` with their depth (0 = directly in root), sorted, at most ``max_depth`` deep.

    Hidden folders, ``SKIP_DIRS`` and Python packages (folders with ``__init__.py``, below the root)
    are not entered; symlinked folders are not followed.
    """
    base = str(root)
    plain = not base.endswith(os.sep)  # os.walk names a folder base + sep + names: count the seps
    for directory, dirs, files in os.walk(root):
        if directory == base:
            depth = 0
        elif plain and directory.startswith(base + os.sep):
            depth = directory.count(os.sep, len(base))
        else:
            depth = os.path.relpath(directory, base).count(os.sep) + 1
        if depth and "__init__.py" in files:
            dirs.clear()  # inside a Python package: code, not deployment manifests (and huge on big trees)
            continue
        if depth >= max_depth:
            dirs.clear()
        else:
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in skip)
        for name in sorted(files):
            yield Path(directory, name), depth


def _index(node: yaml.Node, path: KeyPath, doc: YamlDoc, seen: set[int]) -> None:
    """Record lines (and raw scalars) of ``node``; an aliased node is entered once (no blow-up)."""
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        doc.scalars[path] = str(node.value)
        return
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = _key(key_node)
            child = (*path, key)
            doc.lines[child] = key_node.start_mark.line + 1
            _index(value_node, child, doc, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index(item, (*path, index), doc, seen)


def _key(node: yaml.ScalarNode) -> str | int:
    """The key as the safe constructor makes it: ints stay ints, everything else is the text."""
    value = str(node.value)
    if node.tag == "tag:yaml.org,2002:int":
        try:
            return int(value)
        except ValueError:
            return value
    return value

"""Generated and mutated inputs for the readers: YAML, TOML and JSON text, structured or broken."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

import yaml
from hypothesis import strategies as st

# what YAML and TOML authors type, and what breaks parsers: anchors, aliases, merges, tags, flow brackets
TOKENS = (
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object:os.system ",
    "!!binary ",
    "!!timestamp ",
    "? ",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "#",
    "|",
    ">",
    "---\n",
    "...\n",
    "\t",
    "\n",
    "  ",
    "\\",
    "%YAML 1.1\n",
    "2024-02-30",
    "0x1F",
    "1e999",
    ".nan",
    "~",
    "yes",
    "null",
    "=",
    "[[",
    "]]",
    "\x00",
    "\ufeff",
    "é",
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=datetime.date(1, 1, 1)),
)


def keyed(names: Sequence[str]) -> st.SearchStrategy[Any]:
    """Mapping keys: mostly the names a reader knows, some text, numbers and booleans."""
    return st.one_of(st.sampled_from(list(names)), st.text(max_size=12), st.integers(-5, 5), st.booleans())


def values(names: Sequence[str], leaves: int = 25) -> st.SearchStrategy[Any]:
    """Nested data whose keys are mostly ``names``: deep enough to reach the readers' corners."""
    return st.recursive(
        st.one_of(SCALARS, st.sampled_from(list(names))),
        lambda children: st.one_of(
            st.lists(children, max_size=5), st.dictionaries(keyed(names), children, max_size=6)
        ),
        max_leaves=leaves,
    )


def yaml_text(data: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    return data.map(lambda value: yaml.safe_dump(value, allow_unicode=True, sort_keys=False))


@st.composite
def mutated(draw: st.DrawFn, seeds: st.SearchStrategy[str]) -> str:
    """A seed text with up to six edits: a token inserted, a slice deleted or doubled, a line repeated."""
    text = draw(seeds)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(("insert", "delete", "double", "line", "char")))
        if edit == "insert":
            text = text[:where] + draw(st.sampled_from(TOKENS)) + text[where:]
        elif edit == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 40)) :]
        elif edit == "double":
            text = text[:where] + text[where : where + draw(st.integers(1, 80))] + text[where:]
        elif edit == "line":
            lines = text.splitlines(keepends=True) or [""]
            line = lines[draw(st.integers(0, len(lines) - 1))]
            text = text[:where] + line + text[where:]
        else:
            text = text[:where] + draw(st.characters()) + text[where + 1 :]
    return text


def text_inputs(seeds: Sequence[str], data: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    """Well-formed YAML from ``data``, mutations of ``seeds`` and of that YAML, and plain text."""
    generated = yaml_text(data)
    return st.one_of(
        generated,
        mutated(st.sampled_from(list(seeds))),
        mutated(generated),
        st.text(max_size=200),
    )


def toml_value(value: Any) -> str:
    """A TOML rendering of plain data (inline tables and arrays), for generated pyproject files."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value if item is not None) + "]"
    if isinstance(value, dict):
        parts = [
            f"{json.dumps(str(key))} = {toml_value(item)}" for key, item in value.items() if item is not None
        ]
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return '""'


JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False),
        st.text(max_size=20),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated_json(draw: st.DrawFn, document: Any) -> Any:
    """``document`` (copied) with up to four values replaced by generated JSON, deleted or emptied."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 4))):
        parent: Any = None
        key: Any = None
        node = document
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 5)) > 0:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = node[key]
        if parent is None:
            continue
        edit = draw(st.sampled_from(("replace", "delete", "empty", "type")))
        if edit == "delete" and isinstance(parent, dict):
            del parent[key]
        elif edit == "empty":
            parent[key] = type(node)() if isinstance(node, (dict, list, str)) else None
        elif edit == "type":
            parent[key] = str(node) if not isinstance(node, str) else [node]
        else:
            parent[key] = draw(JSON)
    return document

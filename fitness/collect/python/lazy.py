"""Which imports are lazy: inside a function (run on first call, not at import time) or under
``if TYPE_CHECKING:`` (never run). grimp reports every import with its stripped line, so the one line is
looked up again in the file: an indented import is inside a block, and the block headers above it say
which::

    if TYPE_CHECKING:              # -> "type-checking"
        from shop.orders import Order
    def total(order):
        from shop.prices import tax    # -> "lazy"
    try:
        import ujson as json       # -> "import": a module-level try runs at import time
"""

from __future__ import annotations

import re

IMPORT = "import"
LAZY = "lazy"
TYPE_CHECKING = "type-checking"
_TYPE_CHECKING = re.compile(r"^(el)?if\s+(not\s+)?(typing\.|t\.)?TYPE_CHECKING\b")
_FUNCTION = re.compile(r"^(async\s+)?def\s")


def import_kind(lines: list[str], line_number: int) -> str:
    """``import``, ``lazy`` or ``type-checking`` for the import statement at ``line_number`` (1-based)."""
    if not 0 < line_number <= len(lines):
        return IMPORT
    line = lines[line_number - 1]
    indent = _indent(line)
    kind = IMPORT
    for previous in reversed(lines[: line_number - 1]):
        if indent == 0:
            break
        stripped = previous.strip()
        if not stripped or stripped.startswith("#") or _indent(previous) >= indent:
            continue
        if not stripped.endswith(":"):
            continue  # a continuation line of an earlier statement, not a block header
        indent = _indent(previous)
        if _TYPE_CHECKING.match(stripped) and not stripped.startswith(("if not", "elif not")):
            return TYPE_CHECKING
        if _FUNCTION.match(stripped):
            kind = LAZY
    return kind


def is_indented(line: str) -> bool:
    return line[:1] in (" ", "\t")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))

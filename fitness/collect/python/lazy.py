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
_TYPE_CHECKING = re.compile(rb"^(el)?if\s+(not\s+)?(typing\.|t\.)?TYPE_CHECKING\b")
_FUNCTION = re.compile(rb"^(async\s+)?def\s")


def import_kind(lines: list[bytes], line_number: int) -> str:
    """``import``, ``lazy`` or ``type-checking`` for the import statement at ``line_number`` (1-based)."""
    if not 0 < line_number <= len(lines):
        return IMPORT
    line = lines[line_number - 1]
    indent = _indent(line)
    for index in range(line_number - 2, -1, -1):  # upwards, without copying the lines above
        if indent == 0:
            break
        previous = lines[index]
        body = previous.lstrip(b" \t")
        stripped = body.strip()
        if not stripped or stripped[:1] == b"#" or len(previous) - len(body) >= indent:
            continue
        if not stripped.endswith(b":"):
            continue  # a continuation line of an earlier statement, not a block header
        indent = len(previous) - len(body)
        if _TYPE_CHECKING.match(stripped) and not stripped.startswith((b"if not", b"elif not")):
            return TYPE_CHECKING
        if _FUNCTION.match(stripped) or (stripped[:1] == b")" and _signature_end(lines, index, indent)):
            return LAZY  # (a function under ``if TYPE_CHECKING:`` is never called: lazy says enough)
    return IMPORT


def _signature_end(lines: list[bytes], index: int, indent: int) -> bool:
    """Whether ``lines[index]`` (``):`` or ``) -> T:``) closes a ``def`` whose parameters span lines: the
    nearest line above at the same indent starts it."""
    for above in range(index - 1, max(index - 200, -1), -1):
        previous = lines[above]
        body = previous.lstrip(b" \t")
        if body.strip() and len(previous) - len(body) == indent:
            return _FUNCTION.match(body) is not None
    return False


def _indent(line: bytes) -> int:
    return len(line) - len(line.lstrip(b" \t"))

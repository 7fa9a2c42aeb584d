"""Python files with an absurdly deep expression, found before any parser sees them.

One statement such as ``x = 1+1+1+...`` with 50,000 terms (or ``a.b.b.b...``, ``f()()()...``, ``x[0][0]...``)
makes a parse tree 50,000 levels deep: grimp's Rust parser overflows its thread's stack on it (the whole
process dies with SIGSEGV, nothing can catch it) at about 43,000 levels, or far fewer with a small
``RUST_MIN_STACK``; CPython 3.10's parser does at about 100,000, and 3.11+ raise RecursionError at a
few thousand. Such a file is left out of both scans with a warning naming it.

The check bounds each statement's depth from above without parsing: an element (what lies between
commas) is at most as deep as its operator characters (``+-*/%@&|^~<>.``, and an opening bracket of a
call or subscript) plus its deepest bracketed group; a group is one deeper than its deepest element.
So a flat literal of 20,000 entries is shallow and a 20,000-term sum is deep, as the parsers see them.
It is cheap, in four steps:

1. a file shorter than ``SMALL_ENOUGH`` (``2 * MAX_DEPTH``) bytes cannot hold a chain that deep (a binary
   or postfix operator needs an operand; unary chains are refused cleanly by the parsers themselves);
2. a file with at most ``MAX_DEPTH`` operator characters and brackets in all cannot either: one
   byte-translate at C speed;
3. a file none of whose statements holds ``MAX_DEPTH`` operators and brackets cannot either
   (``_shallow``: strings and comments cut out and the rest reduced to operators, brackets and line
   ends by regular expressions, then one loop over the lines);
4. only what is left (big generated or hostile files) is scanned token by token, strings and
   comments skipped (an f-string's operators count), and refused over ``MAX_DEPTH``.

Measured on django and homeassistant (7,600 files): no file reaches step 3 (the most operator characters
in one file is 3,194); steps 1-2 cost a stat per module and a read of the 220 files over 20 kB. sympy's
big test modules do: 20 reach step 3 and 2 of them step 4 (0.45 s of token loop before step 3, 0.1 s
now).
``MAX_DEPTH`` (10,000) is a quarter of the smallest crash seen with default stacks, and far beyond
hand-written code (CPython 3.11+ itself refuses chains of about 3,000).
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

MAX_DEPTH = 10_000
SMALL_ENOUGH = 2 * MAX_DEPTH  # bytes: a smaller file cannot hold a chain deeper than the bound
MAX_FILE_BYTES = 64_000_000  # the largest generated module seen is a few MB; 50 MB parse in a second
TOO_LARGE = -1
_OPERATORS = b"+-*/%@&|^~<>.([{"
_OPERATOR_TEXT = "+-*/%@&|^~<>.([{"
_NOT_OPERATORS = bytes(b for b in range(256) if b not in _OPERATORS)
_COMMENT = r"""\#[^\n]*"""
_STRINGS = (  # triple-quoted first; an unclosed string runs to the end of its line (or file)
    r"""'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)""",
    r'''"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)''',
    r"""'(?:[^'\\\n]|\\.)*(?:'|$)""",
    r""""(?:[^"\\\n]|\\.)*(?:"|$)""",
)
_CONTINUED = r"""\\\r?\n"""
_STATEMENT = re.compile(
    "|".join((_COMMENT, *(r"[rRbBuUfF]{0,3}" + string for string in _STRINGS), _CONTINUED))
    + r"""|[([{]|[)\]}]|[,;]|\n|[-+*/%@&|^~<>.]+""",
    re.S | re.M,
)
_NOT_CODE = re.compile("|".join((_COMMENT, *_STRINGS, _CONTINUED)), re.S | re.M)
"""Comments, strings (the same tokens as in ``_STATEMENT``) and continued lines. A string is found from
its quote (no alternative starts with a letter, so the search skips names at C speed); its prefix is
read back from there (``_formatted_operators``)."""
_PREFIX_LETTERS = frozenset("rRbBuUfF")
_UNCOUNTED = bytes(b for b in range(128) if b not in b"+-*/%@&|^~<>.()[]{}\n")
"""What ``_shallow`` deletes (as ASCII bytes; a non-ASCII character is never an operator)."""
_OPEN_BYTES = frozenset(b"([{")
_CLOSE_BYTES = frozenset(b")]}")


class TooDeep(NamedTuple):
    """Where the statement starts and how deep (at most) it goes; ``depth`` TOO_LARGE: the whole file is
    over ``MAX_FILE_BYTES`` (a 3 GB file, sparse or not, took the parsers' memory), not read at all."""

    line: int
    depth: int

    def reason(self) -> str:
        if self.depth == TOO_LARGE:
            return f"larger than {MAX_FILE_BYTES // 1_000_000} MB (too large to parse safely), file skipped"
        return f"one statement nested over {MAX_DEPTH:,} levels deep (too deep to parse safely), file skipped"


class ExpressionTooDeep(RecursionError):
    """Raised instead of parsing a text that ``too_deep`` refuses (a RecursionError, as CPython raises
    for less deep ones, so every caller that copes with those copes with this)."""

    def __init__(self, found: TooDeep) -> None:
        super().__init__(f"line {found.line}: {found.reason()}")
        self.found = found


def too_deep_file(path: str) -> TooDeep | None:
    """``too_deep`` for a file on disk: stat first, read only files big enough to matter."""
    try:
        size = os.stat(path).st_size
        if size < SMALL_ENOUGH:
            return None
        if size > MAX_FILE_BYTES:
            return TooDeep(1, TOO_LARGE)
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError:
        return None  # unreadable: the scanner says so itself
    if len(data.translate(None, _NOT_OPERATORS)) <= MAX_DEPTH:
        return None
    text = data.decode("utf-8", errors="replace")
    return None if _shallow(text) else _deepest(text)


def too_deep(text: str) -> TooDeep | None:
    """Whether one statement of ``text`` may be nested more than ``MAX_DEPTH`` levels deep."""
    if len(text) < SMALL_ENOUGH:
        return None
    if sum(map(text.count, _OPERATOR_TEXT)) <= MAX_DEPTH:
        return None
    return None if _shallow(text) else _deepest(text)


def _shallow(text: str) -> bool:
    """True when no statement of ``text`` can be deeper than ``MAX_DEPTH``: in each, the operator
    characters (outside strings and comments; an f-string's count) plus twice the opening brackets (one
    as an operator, one as a level) are fewer than that, and the depth bound of ``_deepest`` is at most
    that sum plus one. Cut into statements at
    newlines outside brackets, with regular-expression passes and one loop over the lines (no loop over
    tokens): big test modules reach this step, and they are thousands of short statements.
    """
    code = _NOT_CODE.sub(_formatted_operators, text).encode("ascii", "ignore").translate(None, _UNCOUNTED)
    total = depth = 0
    for line in code.split(b"\n"):
        if not line:
            if not depth:
                total = 0
            continue
        opens = line.count(b"(") + line.count(b"[") + line.count(b"{")
        closes = line.count(b")") + line.count(b"]") + line.count(b"}")
        total += len(line) - closes + opens  # an opening bracket is an operator and a group level
        if closes > depth:  # a closing bracket may come at depth 0 (closing nothing, as in _deepest)
            for byte in line:
                if byte in _OPEN_BYTES:
                    depth += 1
                elif byte in _CLOSE_BYTES and depth:
                    depth -= 1
        else:
            depth += opens - closes
        if not depth:
            if total >= MAX_DEPTH:
                return False
            total = 0
    return total < MAX_DEPTH


def _formatted_operators(match: re.Match[str]) -> str:
    """A comment or string as ``_shallow`` counts it: nothing, or for an f-string one ``+`` per operator
    character (``_deepest`` counts those; a bracket in it opens no group); a continued line: nothing."""
    token = match.group()
    if token[:1] in "#\\":
        return ""
    text, quote = match.string, match.start()
    first = quote
    while first > 0 and quote - first < 3 and text[first - 1] in _PREFIX_LETTERS:
        first -= 1  # the prefix letters right before the quote, as _STATEMENT takes them
    if "f" not in text[first:quote].lower():
        return ""
    return "+" * sum(map(token.count, _OPERATOR_TEXT))


def _deepest(text: str) -> TooDeep | None:
    """The first statement whose depth bound (see the module docstring) exceeds ``MAX_DEPTH``.

    A frame per open bracket: ``[operators, deepest group, deepest finished element]`` of the element
    being read at that level."""
    frames: list[list[int]] = [[0, 0, 0]]
    line = start = 1
    for match in _STATEMENT.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n" or (first == "\\" and token[-1] == "\n"):
            line += 1
            if first == "\n" and len(frames) == 1:
                if _element(frames[0]) > MAX_DEPTH:
                    return TooDeep(start, _element(frames[0]))
                frames[0] = [0, 0, 0]
                start = line
        elif first in ",;":
            frame = frames[-1]
            frame[2] = _element(frame)
            frame[0] = frame[1] = 0
        elif first in "([{":
            frames[-1][0] += 1
            frames.append([0, 0, 0])
        elif first in ")]}":
            if len(frames) > 1:
                _close(frames)
        elif first in "#'\"" or first.isalpha():  # a comment or a string (with its prefix)
            line += token.count("\n")
            if first != "#" and "f" in token[: len(token) - len(token.lstrip("rRbBuUfF"))].lower():
                frames[-1][0] += sum(map(token.count, _OPERATOR_TEXT))
        else:
            frames[-1][0] += len(token)
    while len(frames) > 1:  # brackets left open at the end of the file
        _close(frames)
    depth = _element(frames[0])
    return TooDeep(start, depth) if depth > MAX_DEPTH else None


def _element(frame: list[int]) -> int:
    return max(frame[2], frame[0] + max(1, frame[1]))


def _close(frames: list[list[int]]) -> None:
    depth = 1 + _element(frames.pop())
    outer = frames[-1]
    outer[1] = max(outer[1], depth)

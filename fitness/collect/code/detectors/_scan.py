"""Reading code as text for the messaging detectors: brackets, argument lists and statements, skipping
strings and comments, so that ``send(topic, "a, b)")`` has two arguments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile

_PAIRS = {"(": ")", "[": "]", "{": "}"}
_MAX_STATEMENT = 4000


def commented(text: str, offset: int) -> bool:
    """True when ``offset`` is on a whole-line comment (``//``, ``/*``, ``*``, ``#``)."""
    start = text.rfind("\n", 0, offset) + 1
    return text[start:offset].lstrip().startswith(("//", "/*", "*", "#"))


_STRINGS = {
    "'": lazy(r"'(?:[^'\\\n]|\\.)*(?:'|(?=\n)|$)", re.S),
    '"': lazy(r'"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|$)', re.S),
    "`": lazy(r"`(?:[^`\\]|\\.)*(?:`|$)", re.S),
}
_QUOTES = ('"""', '"', "'", "`")
_BRACKETS = lazy(r'"""|["\'`]|//|/\*|[()\[\]{}]')
_STATEMENT = lazy(r'"""|["\'`]|//|/\*|[()\[\]{};,\n]')
_SPLIT: dict[str, re.Pattern[str]] = {}


def _past(text: str, j: int, token: str) -> int:
    """Index after the string or comment that ``token`` opens at ``j`` (a ' or " string ends at the line)."""
    if token == '"""':
        end = text.find('"""', j + 3)
        return len(text) if end < 0 else end + 3
    if token == "//":
        end = text.find("\n", j)
        return len(text) if end < 0 else end
    if token == "/*":
        end = text.find("*/", j + 2)
        return len(text) if end < 0 else end + 2
    match = _STRINGS[token].match(text, j)
    return match.end() if match else j + 1


def close_of(text: str, at: int) -> int:
    """Index just past the bracket that closes the one at ``at``; -1 when it is not closed."""
    stack: list[str] = []
    i = at
    while (match := _BRACKETS.search(text, i)) is not None:
        j, token = match.start(), match.group()
        if token in _QUOTES or token in ("//", "/*"):
            i = _past(text, j, token)
            continue
        if token in _PAIRS:
            stack.append(_PAIRS[token])
        elif not stack or stack.pop() != token:
            return -1
        elif not stack:
            return j + 1
        i = j + 1
    return -1


def split_top(text: str, sep: str = ",") -> list[str]:
    """``text`` split on ``sep`` outside brackets, strings and comments; comments are dropped, parts
    stripped, empty parts dropped."""
    pattern = _SPLIT.get(sep)
    if pattern is None:
        pattern = _SPLIT[sep] = re.compile(r'"""|["\'`]|//|/\*|[()\[\]{}]|' + re.escape(sep))
    parts: list[str] = []
    current: list[str] = []
    depth = i = segment = 0
    while (match := pattern.search(text, i)) is not None:
        j, token = match.start(), match.group()
        if token in _QUOTES:
            i = _past(text, j, token)
            continue
        if token in ("//", "/*"):
            current.append(text[segment:j] + " ")
            i = segment = _past(text, j, token)
            continue
        if token in _PAIRS:
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif depth == 0:  # the separator
            current.append(text[segment:j])
            parts.append("".join(current))
            current, segment = [], j + 1
        i = j + 1
    current.append(text[segment:])
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def call_args(text: str, paren: int) -> list[str] | None:
    """The arguments of the call whose ``(`` is at ``paren``."""
    end = close_of(text, paren)
    return None if end < 0 else split_top(text[paren + 1 : end - 1])


def named(args: list[str], sep: str = "=") -> dict[str, str]:
    """``name = value`` (annotations, Kotlin) or ``name: value`` (C#, JS objects) parts of ``args``;
    a positional first part is ``value``; a JS shorthand property ``{ topic }`` is ``topic: topic``."""
    found: dict[str, str] = {}
    for index, arg in enumerate(args):
        match = re.match(rf"^['\"]?(\w+)['\"]?\s*{re.escape(sep)}(?![=>])\s*(.+)$", arg, re.S)
        if match:
            found[match.group(1)] = match.group(2).strip()
        elif index == 0:
            found["value"] = arg
        if re.fullmatch(r"\w+", arg) and sep == ":":
            found.setdefault(arg, arg)
    return found


def statement_end(text: str, i: int) -> int:
    """End of the expression starting at ``i``: a ``;`` or ``,`` or closing bracket of the enclosing
    construct, or a line end not continued by an operator (at most ``_MAX_STATEMENT`` characters)."""
    depth, start, line, comment = 0, i, i, -1
    while (match := _STATEMENT.search(text, i)) is not None and match.start() - start <= _MAX_STATEMENT:
        j, token = match.start(), match.group()
        if token in _QUOTES or token in ("//", "/*"):
            comment = j if token in ("//", "/*") and comment < 0 else comment
            i = _past(text, j, token)
            continue
        if token in _PAIRS:
            depth += 1
        elif token in ")]}":
            depth -= 1
            if depth < 0:
                return j
        elif depth == 0 and token in ";,":
            return j
        elif token == "\n":
            before = text[line : comment if comment >= 0 else j].rstrip()
            rest = text[j + 1 : j + 200].lstrip()
            continued = not before or before.endswith(tuple("+?:|&=,(")) or rest.startswith(tuple(".?:|&+"))
            if depth == 0 and not continued:
                return j
            line, comment = j + 1, -1
        i = j + 1
    return min(len(text), start + _MAX_STATEMENT) if match is not None else len(text)


def strip_comments(text: str) -> str:
    """``text`` without its comments (strings kept)."""
    if "/" not in text:
        return text.strip()
    parts = split_top(text, "\0")
    return parts[0] if parts else ""


def find_all(file: SourceFile, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """Matches of ``pattern`` that are not on a whole-line comment."""
    return [m for m in pattern.finditer(file.text) if not commented(file.text, m.start())]


# -- searching only where a match can start ---------------------------------------------------------
#
# ``re`` tries a pattern at every offset unless it starts with a literal; ``\b\w*...``, a look-behind or
# a character class first is some 20 ns per character of every file. The helpers below find cheap
# anchors (a literal, found with ``str.find`` or a literal-prefixed pattern) and try the full pattern only
# at the offsets where a match can start, giving exactly the matches ``finditer`` gives.


def finditer_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, given offsets ``starts`` (ascending, repeats allowed)
    among which is the start of every match: ``pattern.search`` is the first offset where
    ``pattern.match`` succeeds, so trying only there and skipping overlaps gives the same matches."""
    position = 0
    for start in starts:
        if start < position:
            continue
        match = pattern.match(text, start)
        if match is not None:
            yield match
            position = match.end() if match.end() > start else start + 1


def occurrences(text: str, needle: str) -> Iterator[int]:
    """Offsets of ``needle`` in ``text``, ascending."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def word_start(text: str, end: int) -> int:
    """Start of the run of word characters (``\\w``) ending at ``end``."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return start


def space_before(text: str, end: int) -> int:
    """Start of the run of white space (``\\s``) ending at ``end``."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start


def starts_of(patterns: Iterable[re.Pattern[str]], text: str) -> list[int]:
    """Every offset where one of ``patterns`` matches (overlapping matches too), ascending: with one
    pattern per first character of a pattern that starts with a class (``["']x`` as ``"x`` and ``'x``),
    each starts with a literal, which ``re`` finds much faster than a class."""
    found: set[int] = set()
    for pattern in patterns:
        match = pattern.search(text)
        while match is not None:
            found.add(match.start())
            match = pattern.search(text, match.start() + 1)
    return sorted(found)


def dotted_starts(text: str, end: int) -> list[int]:
    """Where a dotted name (``a.b.C``) written up to ``end`` can start: at the start of the run of word
    characters and dots before ``end``, or just after one of its dots."""
    starts = []
    at = end
    while at > 0 and (text[at - 1] == "." or text[at - 1].isalnum() or text[at - 1] == "_"):
        at -= 1
        if text[at] == ".":
            starts.append(at + 1)
    starts.append(at)
    return starts


def word_starts(text: str, needle: str, chained: str = "") -> list[int]:
    """The start of the word written just before each ``needle`` (ascending); with ``chained`` (``::``),
    also of each word before it in a chain ``a::b::`` ending there."""
    starts: set[int] = set()
    for at in occurrences(text, needle):
        start = word_start(text, at)
        starts.add(start)
        while chained and start >= len(chained) and text.startswith(chained, start - len(chained)):
            start = word_start(text, start - len(chained))
            starts.add(start)
    return sorted(starts)


# -- which files a detector reads ---------------------------------------------------------------------
#
# The registry looks for each distinct trigger in each file (one pass over the text per trigger)
# before calling it. A detector whose languages need different needles lists "\n" as its first trigger
# (found at once in any file of more than one line: its other triggers are then not looked for) and checks
# in ``detect`` only the needles the file's language needs (see each detector's ``_worth``), with the
# registry's own condition, any of its triggers, where a language's needles do not imply it.

ANY_FILE = "\n"
"""The first trigger of a detector that checks its needles itself."""


def holds(text: str, needles: Iterable[str]) -> bool:
    """Any of ``needles`` is in ``text``."""
    return any(needle in text for needle in needles)


_LOWERED: list[tuple[SourceFile, str]] = []


def lowered(file: SourceFile) -> str:
    """``file.text.lower()``, made once however many detectors ask (they read one file after another)."""
    cached = _LOWERED[0] if _LOWERED else None
    if cached is None or cached[0] is not file:
        cached = (file, file.text.lower())
        _LOWERED[:] = [cached]
    return cached[1]


def lines_with(text: str, lower: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` whose counterpart in ``lower`` (``text.lower()``, or
    ``text`` itself for a case-sensitive search) holds one of ``words``, in order, once each. Found
    with ``str.find``: a long file without the words costs no regular-expression scan."""
    spans: set[tuple[int, int]] = set()
    for word in words:
        at = lower.find(word)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            spans.add((start, end))
            at = lower.find(word, end)
    return sorted(spans)

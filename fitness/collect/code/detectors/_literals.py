"""String literals of Go, JVM languages, C#, JS/TS, Rust, Ruby and PHP, for :mod:`sql_strings`.

:func:`literals` finds every string literal outside comments, with its value split into text and
holes (``${x}``, ``{x}``, ``#{x}``, ``$x``); :func:`concatenations` joins literals written with ``+``
(PHP ``.``) into one value, other operands being holes (``"SELECT u FROM " + X.class.getName()``).
Escapes are decoded (``\\"`` -> ``"``, ``\\n`` -> a space) and each text piece keeps the file offset of
every character (:meth:`Piece.offset`), so a table name is reported on its own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fitness.collect.code.lazy_re import lazy

GO = frozenset({".go"})
JVM = frozenset({".java", ".kt", ".kts", ".scala"})
CS = frozenset({".cs"})
JS = frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"})
RUST = frozenset({".rs"})
RUBY = frozenset({".rb"})
PHP = frozenset({".php"})
SUFFIXES = GO | JVM | CS | JS | RUST | RUBY | PHP


@dataclass(frozen=True)
class Piece:
    text: str  # literal text, or the source of a hole
    at: int  # file offset of text[0]
    hole: bool = False
    offsets: tuple[int, ...] = ()  # file offset of each character when escapes were decoded

    def offset(self, index: int) -> int:
        """File offset of ``text[index]``."""
        if self.offsets:
            return self.offsets[min(index, len(self.offsets) - 1)]
        return self.at + index


@dataclass
class Lit:
    start: int
    end: int
    pieces: list[Piece] = field(default_factory=list)


_OPENERS = {  # per language: comments and string openers, longest first
    "go": r"//|/\*|`|\"|'",
    "jvm": r"//|/\*|[sfr]?\"\"\"|[sf]?\"|'(?:[^'\\\n]|\\[^\n]{1,6})'",
    "cs": r"//|/\*|\$+\"\"\"+|\"\"\"+|\$@\"|@\$\"|@\"|\$\"|\"|'(?:[^'\\\n]|\\[^\n]{1,6})'",
    "js": r"//|/\*|`|\"|'",
    "rust": r"//|/\*|b?r#*\"|b?\"",
    "ruby": r"#|<<[~-]?(['\"]?)([A-Z_]\w*)\1|\"|'",
    "php": r"//|#(?!\[)|/\*|<<<\s*(['\"]?)([A-Za-z_]\w*)\1\s*\n|\"|'",
}
_FAMILY = {**dict.fromkeys(GO, "go"), **dict.fromkeys(JVM, "jvm"), **dict.fromkeys(CS, "cs")}
_FAMILY |= {**dict.fromkeys(JS, "js"), **dict.fromkeys(RUST, "rust")}
_FAMILY |= {**dict.fromkeys(RUBY, "ruby"), **dict.fromkeys(PHP, "php")}
_SPACE = frozenset("ntr0\n")


def _decode(piece: Piece, backslash: bool, pairs: tuple[str, ...]) -> Piece:
    """``piece`` with ``\\x`` escapes (``backslash``) and the two-character escapes in ``pairs`` (C#
    verbatim ``""``, ``{{``; ``\\'`` in single-quoted Ruby/PHP) decoded to their second character."""
    text, at = piece.text, piece.at
    if not (backslash and "\\" in text) and not any(p in text for p in pairs):
        return piece
    chars: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in pairs or (backslash and text[i] == "\\" and i + 1 < len(text)):
            chars.append(" " if pair not in pairs and text[i + 1] in _SPACE else text[i + 1])
            offsets.append(at + i)
            i += 2
            continue
        chars.append(text[i])
        offsets.append(at + i)
        i += 1
    return Piece("".join(chars), at, False, tuple(offsets))


def _braced(text: str, i: int) -> int:
    """Index after the ``}`` matching the ``{`` at ``i`` (-1 when not closed)."""
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return j + 1
    return -1


_HOLES = {
    "dollar": lazy(r"(?<!\\)\$(?:\{|[A-Za-z_]\w*)"),  # Kotlin, Scala s"": ${x} and $x
    "js": lazy(r"(?<!\\)\$\{"),  # JS template literals; Java strings (MyBatis ${x})
    "brace": lazy(r"\{\{|\}\}|\{"),  # C# $"...{x}..."
    "ruby": lazy(r"#\{"),
    "php": lazy(r"\{\$|\$[A-Za-z_]\w*(?:->\w+|\[[^\]\n]*\])?"),
}


def _split(body: str, at: int, kind: str | None, escaped: bool, pairs: tuple[str, ...] = ()) -> list[Piece]:
    """A literal's body as text pieces and holes; ``escaped``: decode backslash escapes; ``pairs``:
    decode these doubled characters instead (C# verbatim ``""``, interpolated ``{{``)."""
    pieces: list[Piece] = []
    position = search = 0
    pattern = _HOLES.get(kind or "")
    while pattern is not None and (match := pattern.search(body, search)) is not None:
        token = match.group()
        search = match.end()
        if token in ("{{", "}}"):
            continue  # stays in the text piece, decoded below
        if token.startswith("{"):
            end = _braced(body, match.start())
        elif token.endswith("{"):
            end = _braced(body, match.end() - 1)
        else:
            end = match.end()
        if end < 0:
            break
        pieces.append(Piece(body[position : match.start()], at + position))
        pieces.append(Piece(body[match.start() : end], at + match.start(), True))
        position = search = end
    pieces.append(Piece(body[position:], at + position))
    if kind == "brace":
        pairs = (*pairs, "{{", "}}")
    if escaped or pairs:
        pieces = [p if p.hole else _decode(p, escaped, pairs) for p in pieces]
    return [p for p in pieces if p.text]


def literals(text: str, suffix: str) -> list[Lit]:
    """Every string literal of ``text`` outside comments."""
    family = _FAMILY.get(suffix)
    if family is None:
        return []
    opener = re.compile(_OPENERS[family])
    found: list[Lit] = []
    i = 0
    while (match := opener.search(text, i)) is not None:
        token, start = match.group(), match.start()
        if token in ("//", "#"):
            end = text.find("\n", start)
            i = len(text) if end < 0 else end
            continue
        if token == "/*":
            end = text.find("*/", start + 2)
            i = len(text) if end < 0 else end + 2
            continue
        lit = _literal(text, match, family, suffix)
        if lit is None:
            i = match.end()
            continue
        if lit.pieces:
            found.append(lit)
        i = max(lit.end, match.end())
    return found


def _literal(text: str, match: re.Match[str], family: str, suffix: str) -> Lit | None:
    token, start = match.group(), match.start()
    if token.startswith("<<"):  # Ruby or PHP heredoc
        return _heredoc(text, match, family)
    if token.startswith("'") and len(token) > 1:  # a JVM / C# character literal
        return Lit(start, match.end())
    quotes = token.lstrip("$@sfrb#")
    prefix = token[: len(token) - len(quotes)]
    body_start = match.end()
    if family == "rust" and "r" in prefix:
        hashes = prefix.count("#")
        end = text.find('"' + "#" * hashes, body_start)
        body = text[body_start:end]
        return None if end < 0 else Lit(start, end + 1 + hashes, _split(body, body_start, None, False))
    kind = _kind(family, suffix, prefix, quotes[0])
    if len(quotes) >= 3:  # text block / raw string literal
        end = text.find(quotes, body_start)
        body = text[body_start:end]
        escaped = family == "jvm" and prefix != "r"
        return None if end < 0 else Lit(start, end + len(quotes), _split(body, body_start, kind, escaped))
    quote = quotes[0]
    verbatim = family == "cs" and "@" in prefix
    raw = family == "go" and quote == "`"
    if quote == "`" or verbatim or family in ("rust", "ruby", "php"):
        body_end = _close(text, body_start, quote, -1, verbatim, raw)
    else:  # one line at most
        line_end = text.find("\n", body_start)
        body_end = _close(text, body_start, quote, len(text) if line_end < 0 else line_end)
    if body_end < 0:
        return None
    body = text[body_start:body_end]
    pairs: tuple[str, ...] = ('""',) if verbatim else ()
    if family in ("ruby", "php") and quote == "'":
        pairs = ("\\'", "\\\\")
    escaped = not raw and not pairs
    return Lit(start, body_end + 1, _split(body, body_start, kind, escaped, pairs))


def _kind(family: str, suffix: str, prefix: str, quote: str) -> str | None:
    """Which holes a literal has: Kotlin strings and Scala s/f interpolators ``$x``/``${x}``, JS template
    literals and Java strings ``${x}``, C# ``$"{x}"``, Ruby ``"#{x}"``, PHP ``"$x"``/``"{$x}"``."""
    if suffix in (".kt", ".kts") or (suffix == ".scala" and prefix in ("s", "f")):
        return "dollar"
    if (family == "js" and quote == "`") or suffix == ".java":
        return "js"
    if family == "cs" and "$" in prefix:
        return "brace"
    if family in ("ruby", "php") and quote == '"':
        return family
    return None


def _heredoc(text: str, match: re.Match[str], family: str) -> Lit | None:
    quote, tag = match.group(1), match.group(2)
    body_start = text.find("\n", match.end() - 1) + 1 if family == "ruby" else match.end()
    if body_start <= 0:
        return None
    close = re.compile(rf"^[ \t]*{re.escape(tag)}\b", re.M).search(text, body_start)
    if close is None:
        return None
    kind = None if quote == "'" else family
    body = text[body_start : close.start()]
    return Lit(match.start(), close.end(), _split(body, body_start, kind, quote != "'"))


_CLOSERS: dict[tuple[str, bool, bool], re.Pattern[str]] = {}


def _close(text: str, i: int, quote: str, limit: int, verbatim: bool = False, raw: bool = False) -> int:
    """Offset of the quote closing a literal whose body starts at ``i`` (-1 when not closed before
    ``limit``); ``verbatim``: a doubled quote is a quote (C# ``@""``); ``raw``: no backslash escapes."""
    key = (quote, verbatim, raw)
    pattern = _CLOSERS.get(key)
    if pattern is None:
        q = re.escape(quote)
        body = f"(?:[^{q}]|{q}{q})*" if verbatim else f"[^{q}]*" if raw else rf"(?:[^{q}\\]|\\.)*"
        pattern = _CLOSERS[key] = re.compile(body + q, re.S)
    match = pattern.match(text, i, len(text) if limit < 0 else limit)
    return -1 if match is None else match.end() - 1


_EXPR = lazy(r"[A-Za-z_$][\w$]*(?:\s*\(\s*\))?(?:\s*(?:\.|::|\?\.)\s*[A-Za-z_$][\w$]*(?:\s*\(\s*\))?)*")


def concatenations(text: str, lits: list[Lit], suffix: str) -> list[tuple[Lit, list[Piece]]]:
    """Each expression of literals joined by ``+`` (PHP ``.``): its first literal and all its pieces;
    a simple operand between literals (a name, a member chain, a call without arguments) is a hole."""
    join = re.compile(r"\s*\.\s*" if suffix in PHP else r"\s*\+\s*")
    starts = {lit.start: index for index, lit in enumerate(lits)}
    used: set[int] = set()
    groups: list[tuple[Lit, list[Piece]]] = []
    for index, lit in enumerate(lits):
        if index in used:
            continue
        pieces = list(lit.pieces)
        end = lit.end
        while len(pieces) < 400 and (plus := join.match(text, end)) is not None:
            nxt = starts.get(plus.end())
            if nxt is not None:
                used.add(nxt)
                pieces += lits[nxt].pieces
                end = lits[nxt].end
                continue
            operand = _EXPR.match(text, plus.end())
            if operand is None:
                break
            pieces.append(Piece(operand.group(), operand.start(), True))
            end = operand.end()
        groups.append((lit, pieces))
    return groups

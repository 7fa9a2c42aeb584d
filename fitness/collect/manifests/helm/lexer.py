"""Go template text cut into text pieces and actions, and actions into tokens.

The first step of the built-in renderer: trim markers and comments are dealt with here, so the parser
sees only what is executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class ParseError(Exception):
    """A template the renderer cannot read; it is skipped with a warning."""


@dataclass
class Token:
    kind: str
    text: str
    start: int
    end: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    |(?P<str>"(?:[^"\\\n]|\\.)*")
    |(?P<raw>`[^`]*`)
    |(?P<char>'(?:[^'\\]|\\.[^']*)')
    |(?P<declare>:=)
    |(?P<assign>=)
    |(?P<pipe>\|)
    |(?P<lparen>\()
    |(?P<rparen>\))
    |(?P<comma>,)
    |(?P<num>[-+]?(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?))
    |(?P<var>\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    |(?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_WHITESPACE = " \t\r\n"


def lex(text: str) -> list[str | tuple[str]]:
    """Text pieces (str) and actions (1-tuples of their inner text), trim markers applied, comments gone."""
    items: list[str | tuple[str]] = []
    pos, trim_next = 0, False
    while True:
        start = text.find("{{", pos)
        piece = text[pos:] if start < 0 else text[pos:start]
        if trim_next:
            piece = piece.lstrip(_WHITESPACE)
        if start < 0:
            items.append(piece)
            return items
        inner_start = start + 2
        if text.startswith("-", inner_start) and text[inner_start + 1 : inner_start + 2] in tuple(
            _WHITESPACE
        ):
            piece = piece.rstrip(_WHITESPACE)
            inner_start += 2
        items.append(piece)
        end = _action_end(text, inner_start)
        inner = text[inner_start:end]
        trim_next = len(inner) >= 2 and inner[-1] == "-" and inner[-2] in _WHITESPACE
        if trim_next:
            inner = inner[:-1]
        if not inner.strip().startswith("/*"):
            items.append((inner,))
        elif not inner.strip().endswith("*/"):
            raise ParseError("unclosed comment")
        pos = end + 2


def _action_end(text: str, pos: int) -> int:
    """Where the ``}}`` closing the action starting at ``pos`` is (strings and comments skipped)."""
    stripped = text[pos:].lstrip(_WHITESPACE)
    if stripped.startswith("/*"):
        close = text.find("*/", pos)
        if close < 0:
            raise ParseError("unclosed comment")
        end = text.find("}}", close)
        if end < 0:
            raise ParseError("unclosed action")
        return end
    index = pos
    while index < len(text):
        char = text[index]
        if text.startswith("}}", index):
            return index
        if char in "\"'`":
            close = index + 1
            while close < len(text) and text[close] != char:
                if text[close] == "\n" and char != "`":
                    raise ParseError("unterminated quoted string")
                close += 2 if text[close] == "\\" and char != "`" else 1
            index = close
        index += 1
    raise ParseError("unclosed action (no }})")


def tokenize(inner: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(inner):
        match = _TOKEN.match(inner, pos)
        if match is None:
            raise ParseError(f"unexpected {inner[pos]!r}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), match.start(), match.end()))
        pos = match.end()
    return tokens


def unquote(token: Token) -> Any:
    text = token.text
    if token.kind == "raw":
        return text[1:-1]
    body = text[1:-1]

    def escape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "xuU":
            point = int(code[1:], 16)
            return chr(point) if point < 0x110000 else "\ufffd"
        return _ESCAPES.get(code, code)

    value = re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", escape, body)
    return ord(value[0]) if token.kind == "char" and value else value


def parse_number(text: str) -> int | float:
    text = text.replace("_", "")
    if text.lower().lstrip("+-").startswith("0x"):
        return int(text, 16)
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    return float(text)

"""Plain data rows, ``INSERT INTO t [(columns)] VALUES (literals), ...``, read by one regular expression.

A dump is mostly such statements, and the fast path (:mod:`fitness.collect.sql.fast`) tokenizes each one
in Python, value by value: a 2 MB dump whose statements all name another table (so none can share an
earlier one's reading) took over a second there. This reader matches the whole statement in C and builds
the skeleton the fast path would build (an Insert with the Table node, its identifiers at the same
positions), or returns None for anything else, which then goes to the fast path and sqlglot as before.

What it reads is a strict subset of the fast path's INSERT: names are plain words that no dialect keyword
claims (or double-quoted), ``db.t`` without blanks around the dot; values are numbers, strings without a
backslash or line break, ``NULL``, ``TRUE`` and ``FALSE``; blanks are spaces, tabs and line breaks (a
comment outside a string declines). So it never reads a statement otherwise than the fast path does;
``tests/unit/collect/test_sql_plain.py`` checks that against the fast path and sqlglot.
"""

from __future__ import annotations

import re

from sqlglot import exp

from fitness.collect.sql.fast import FastPath

Found = tuple[int, int, int, exp.Expr, list[tuple[str, str]]]  # line, start, end, tree, accesses

_B = r"[ \t\n\r]"
_FOLLOW = r"(?![^ \t\n\r(),.;=<>!+\-*/])"  # what may follow a name (as in the fast path): "tvalues" is no "t"
_NAME = rf'(?:[A-Za-z_][A-Za-z0-9_]*|"[^"\n\r]+"){_FOLLOW}'
_VALUE = r"(?:-?[0-9]+(?:\.[0-9]+)?|'[^'\\\n\r]*(?:''[^'\\\n\r]*)*'|(?i:null|true|false)(?![A-Za-z0-9_]))"
_ROW = rf"\({_B}*{_VALUE}(?:{_B}*,{_B}*{_VALUE})*{_B}*\)"
_PLAIN = re.compile(
    rf"{_B}*(?i:insert){_B}+(?i:into){_B}+(?P<table>{_NAME}(?:\.{_NAME}){{0,2}})"
    rf"{_B}*(?:\((?P<columns>{_B}*{_NAME}(?:{_B}*,{_B}*{_NAME})*){_B}*\){_B}*)?"
    rf"(?i:values){_B}*{_ROW}(?:{_B}*,{_B}*{_ROW})*{_B}*"
)
_PART = re.compile(_NAME)
_BREAK = re.compile(r"\r\n|\r|\n")
MAX_HEADS = 1_000  # skeletons (and column lists) kept for statements alike up to their table


class PlainInserts:
    """Plain INSERT statements for one fast path (its dialects' keywords are not names here either)."""

    def __init__(self, fast: FastPath) -> None:
        self.fast = fast
        self.heads: dict[tuple[str, bool], tuple[exp.Expr, list[tuple[str, str]]] | None] = {}
        self.column_lists: dict[str, bool] = {}

    def read(self, piece: str) -> Found | None:
        """(line, start, end, tree, the table it writes) of ``piece``, one statement without its
        semicolon, as the fast path would read it; None when it is not a plain INSERT."""
        match = _PLAIN.fullmatch(piece)
        if match is None:
            return None
        columns = match.group("columns")
        if columns is not None and not self._columns(columns):
            return None
        key = (piece[: match.end("table")], columns is not None)  # alike up to the table: the same tree
        if key not in self.heads:
            if len(self.heads) >= MAX_HEADS:
                self.heads.clear()
            self.heads[key] = self._skeleton(piece, match)
        known = self.heads[key]
        if known is None:
            return None
        start = len(piece) - len(piece.lstrip(" \t\n\r"))
        line = 1 + len(_BREAK.findall(piece, 0, start))
        return line, start, len(piece.rstrip(" \t\n\r")), known[0], known[1]

    def _columns(self, columns: str) -> bool:
        """Whether every column of the list is a name (a dump repeats one list thousands of times)."""
        if columns not in self.column_lists:
            if len(self.column_lists) >= MAX_HEADS:
                self.column_lists.clear()
            self.column_lists[columns] = all(
                self.fast.is_name(c, column=True) for c in _PART.findall(columns)
            )
        return self.column_lists[columns]

    def _skeleton(self, piece: str, match: re.Match[str]) -> tuple[exp.Expr, list[tuple[str, str]]] | None:
        """The Insert node and its one write, or None when a part of the table name is a keyword."""
        parts = []
        for part in _PART.finditer(piece, match.start("table"), match.end("table")):
            if not self.fast.is_name(part.group()):
                return None
            parts.append(_identifier(piece, part))
        table = exp.Table(this=parts[-1])
        if len(parts) > 1:
            table.set("db", parts[-2])
        if len(parts) > 2:
            table.set("catalog", parts[0])
        target: exp.Expr = table if match.group("columns") is None else exp.Schema(this=table)
        name = ".".join(p.this for p in parts).lower()
        return exp.Insert(this=target), [] if name == "dual" else [(name, "write")]


def _identifier(piece: str, part: re.Match[str]) -> exp.Identifier:
    """An identifier with the positions the fast path (and sqlglot) give it."""
    quoted = part.group()[0] == '"'
    node = exp.Identifier(this=part.group()[1:-1] if quoted else part.group(), quoted=quoted)
    start, end = part.start(), part.end() - 1
    line, last = 1, -1
    for brk in _BREAK.finditer(piece, 0, start):
        line, last = line + 1, brk.end() - 1
    node.meta.update(line=line, col=end - last, start=start, end=end)
    return node

"""Simple SQL statements read without sqlglot's parser: same statements, same tables, much sooner.

sqlglot takes a few hundred microseconds for even a small statement, and a large monorepo has tens of
thousands of them, most of them simple. :class:`FastPath` reads a strict subset of SQL and declines
(returns None for) the whole text as soon as anything is outside it, so that sqlglot parses it as before:

- ``SELECT [DISTINCT] <columns> [FROM t [alias] [, u | [INNER|LEFT|RIGHT|FULL [OUTER]] JOIN u [alias]
  ON <condition> | USING (...) | CROSS JOIN u]] [WHERE] [GROUP BY [HAVING]] [ORDER BY] [LIMIT]
  [OFFSET] [FOR UPDATE [NOWAIT | SKIP LOCKED]]``;
- ``INSERT INTO t [(columns)] VALUES (...), ... [ON CONFLICT ... DO NOTHING | DO UPDATE SET ...]
  [RETURNING ...]`` or ``INSERT INTO t [(columns)] SELECT ...``;
- ``UPDATE t [alias] SET c = ..., ... [FROM u [alias]] [WHERE] [RETURNING]``;
- ``DELETE FROM t [alias] [WHERE] [RETURNING]``;
- ``CREATE TABLE [IF NOT EXISTS] t (columns of common types, their constraints, keys)``,
  ``CREATE [UNIQUE] INDEX [IF NOT EXISTS] i ON t (columns)``, ``DROP TABLE [IF EXISTS] t, ...``.

Conditions and values are columns, literals, placeholders (``?``, ``:name``, ``$1``, ``@name``,
``%s`` and ``%(name)s``), comparisons, AND / OR / NOT, IN / LIKE / ILIKE / BETWEEN / IS [NOT] NULL over
lists of values, parentheses around conditions, arithmetic and a few function calls; never a subquery.
Names are plain words that no dialect keyword or sqlglot special form claims, or double-quoted;
statements are split at semicolons, and ``--`` and ``/* */`` comments are blanks. Strings, names and
comments are tokenized the way sqlglot's tokenizer does for these texts; a character it might read
differently (a backslash or newline in a string, ``::``, ``||``, backticks, brackets, non-ASCII outside
strings and comments...) declines the text.

The result is a *skeleton* of sqlglot's tree: the statement node (Select, Insert, Update, Delete,
Create, Drop) with the Table nodes sqlglot would build, where it would put them (so that a walk meets
them in the same order), their aliases, and the positions sqlglot gives their identifiers; columns,
conditions and values are left out. :func:`fitness.collect.sql.parse.table_accesses` and the callers
that look at Table nodes get the same answers from it as from sqlglot's tree.

Only the default dialect and postgres are read (the configured dialect first, as sqlglot is given it);
``%s`` fails in the default dialect, so with it a text is read as postgres, the dialect sqlglot falls
back to. ``tests/unit/collect/test_sql_fast_path.py`` checks all this against sqlglot.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.dialects.postgres import Postgres

MAX_TEXT_CHARS = 100_000  # longer texts go to sqlglot (its size limits and retries stay its own)

Found = tuple[int, int, int, exp.Expr]  # line (1-based), start, end, skeleton tree

_BLANK = r"[ \t\n\r]+|--[^\n\r]*|/\*(?![+/])(?:[^*/]|\*(?!/)|/(?!\*))*\*/"  # not /*+ hints, /*/ or nested
_FOLLOW = r"(?![^ \t\n\r(),.;=<>!+\-*/])"  # what may follow a word, string or quoted name (or the end)
_FOLLOW_NUMBER = r"(?![^ \t\n\r(),;=<>!+\-*/])"
_FOLLOW_PLACEHOLDER = r"(?![^ \t\n\r),;])"
_OPERATORS = ("<>", "<=", ">=", "!=", *"=<>+-*/(),.;")
_BREAK = re.compile(r"\r\n|\r|\n")

_COMPARISONS = frozenset(("=", "<>", "!=", "<", ">", "<=", ">="))
_ARITHMETIC = frozenset(("+", "-", "*", "/"))
_CONSTANTS = frozenset(("NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE"))
_ONE_ARGUMENT = frozenset(("SUM", "AVG", "MIN", "MAX", "LOWER", "UPPER", "ABS", "LENGTH"))
_TYPES = frozenset(("INT", "INTEGER", "BIGINT", "SMALLINT", "SERIAL", "BIGSERIAL", "NUMERIC", "DECIMAL")) | {
    *("REAL", "FLOAT", "BOOLEAN", "BOOL", "TEXT", "VARCHAR", "CHAR", "UUID", "JSON", "JSONB", "BYTEA"),
    *("DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ"),
}
_SIZED_TYPES = frozenset(("VARCHAR", "CHAR", "NUMERIC", "DECIMAL"))
_JOIN_SIDES = frozenset(("INNER", "LEFT", "RIGHT", "FULL"))
_ACTIONS = (("CASCADE",), ("RESTRICT",), ("SET", "NULL"), ("SET", "DEFAULT"), ("NO", "ACTION"))
# Keywords that are common column names, read by sqlglot as such where a column is
_COLUMN_WORDS = frozenset(("NAME", "TYPE", "DATE", "TIME", "TIMESTAMP", "TEXT", "COMMENT", "FORMAT")) | {
    *("KEY", "ACTION", "UUID", "JSON"),
}
# Words of the grammar that sqlglot matches by their text rather than as keywords: never names here
_GRAMMAR_WORDS = frozenset(
    ("CONFLICT", "DO", "NOTHING", "NULLS", "LAST", "SKIP", "LOCKED", "NOWAIT", "IF")
) | {
    *("CASCADE", "RESTRICT", "NO", "ACTION", "WITHOUT", "ZONE"),
}

_Token = tuple[str, str, int, int, str]  # kind, upper-case text (words, operators), start, end, value
_END: _Token = ("end", "", -1, -1, "")


class _Decline(Exception):
    """The statement is outside the fast path's grammar."""


class FastPath:
    """The fast path for one list of dialects (as :class:`fitness.collect.sql.parse.Sql` tries them)."""

    def __init__(self, postgres: bool, pyformat: bool, dialects: Sequence[Dialect]) -> None:
        self.postgres = postgres  # postgres first, else sqlglot's default dialect
        self.pyformat = pyformat  # %s placeholders read as postgres
        keywords: set[str] = set()
        self.functions: set[str] = set()  # names sqlglot builds a known function (or special form) for
        self.constraints: set[str] = set()  # words sqlglot reads as a constraint where a column may start
        operators: set[str] = set()
        self.joined: set[tuple[str, ...]] = set()  # keywords of two words, one token for sqlglot
        for dialect in dialects:
            tokenizer, parser = dialect.tokenizer_class, dialect.parser_class
            for keyword in tokenizer.KEYWORDS:
                keywords.add(keyword.upper())
                if " " in keyword:
                    self.joined.add(tuple(keyword.upper().split()))
                keywords.update(re.findall(r"[A-Za-z_0-9]+", keyword.upper()))
                if keyword[0] in "<>=!+-*/(),.;":
                    operators.add(keyword)
            keywords.update(parser.NO_PAREN_FUNCTION_PARSERS)
            self.functions.update(parser.FUNCTIONS, parser.FUNCTION_PARSERS, parser.NO_PAREN_FUNCTION_PARSERS)
            for constraint in parser.SCHEMA_UNNAMED_CONSTRAINTS:
                self.constraints.update(constraint.upper().split())
        self.reserved = frozenset(keywords | _GRAMMAR_WORDS)
        alternatives = []
        for op in _OPERATORS:  # not where sqlglot reads a longer operator (or a comment: /* unterminated)
            longer = sorted({k[len(op) :] for k in operators if len(k) > len(op) and k.startswith(op)})
            longer += ["*"] if op == "/" else []
            alternatives.append(re.escape(op) + (f"(?!{'|'.join(map(re.escape, longer))})" if longer else ""))
        self.token = re.compile(
            rf"(?P<blank>{_BLANK})"
            rf"|(?P<w>[A-Za-z_][A-Za-z0-9_]*){_FOLLOW}"
            rf"|(?P<n>[0-9]+(?:\.[0-9]+)?){_FOLLOW_NUMBER}"
            rf"|(?P<s>'(?:[^'\\\n\r]|'')*'){_FOLLOW}"  # no backslash, no line break
            rf'|(?P<q>"[^"\n\r]+"){_FOLLOW}'
            rf"|(?P<y>%s|%\([A-Za-z_][A-Za-z0-9_]*\)s){_FOLLOW_PLACEHOLDER}"
            rf"|(?P<p>\?|:[A-Za-z_][A-Za-z0-9_]*|\$[0-9]+|@[A-Za-z_][A-Za-z0-9_]*){_FOLLOW_PLACEHOLDER}"
            rf"|(?P<o>{'|'.join(alternatives)})"
            rf"|(?P<bad>[\s\S])"
        )

    @classmethod
    def for_dialects(cls, dialects: Sequence[Dialect]) -> FastPath | None:
        """The fast path when the first dialect is sqlglot's default or postgres, else None."""
        kinds = [type(d) for d in dialects]
        if not kinds or kinds[0] not in (Dialect, Postgres):
            return None
        return _fast_path(kinds[0] is Postgres, kinds[0] is Postgres or kinds[:2] == [Dialect, Postgres])

    def is_name(self, word: str, column: bool = False) -> bool:
        """A double-quoted name, or a word that is no keyword (a column may be one of _COLUMN_WORDS)."""
        if word[:1] == '"':
            return True
        upper = word.upper()
        return upper not in self.reserved or (column and upper in _COLUMN_WORDS)

    def statements(self, text: str) -> list[Found] | None:
        """(line, start, end, tree) of each statement, as sqlglot would split and parse ``text``, or
        None when any part of it is outside the fast path."""
        if len(text) > MAX_TEXT_CHARS:
            return None
        tokens = self._tokens(text)
        if tokens is None:
            return None
        groups: list[list[_Token]] = [[]]
        for token in tokens:
            if token[0] == "o" and token[1] == ";":
                groups.append([])
            else:
                groups[-1].append(token)
        breaks: list[int] | None = None
        found: list[Found] = []
        for group in groups:
            if not group:
                continue
            if breaks is None:
                breaks = [m.end() - 1 for m in _BREAK.finditer(text)]
            try:
                tree = _Statement(self, text, group, breaks).parse()
            except _Decline:
                return None
            found.append((bisect.bisect_left(breaks, group[0][2]) + 1, group[0][2], group[-1][3] + 1, tree))
        return found

    def _tokens(self, text: str) -> list[_Token] | None:
        tokens: list[_Token] = []
        append = tokens.append
        pyformat, dollar = False, -1
        for m in self.token.finditer(text):
            kind = m.lastgroup
            if kind == "blank":
                continue
            start, end = m.span()
            value = m.group()
            if kind == "w":
                append(("w", value.upper(), start, end - 1, value))
            elif kind == "o":
                append(("o", value, start, end - 1, value))
            elif kind == "q":
                append(("q", "", start, end - 1, value[1:-1]))
            elif kind == "bad" or kind is None:
                return None
            else:
                if kind == "y":
                    pyformat = True
                elif dollar < 0 and value[0] == "$":
                    dollar = start
                append((kind, "", start, end - 1, value))
        if pyformat and not self.pyformat:
            return None
        if dollar >= 0 and (self.postgres or pyformat) and ("\n" in text[dollar:] or "\r" in text[dollar:]):
            return None  # postgres' tokenizer looks for the end of a $tag$ string, counting its lines twice
        return tokens


@functools.cache
def _fast_path(postgres: bool, pyformat: bool) -> FastPath | None:
    try:
        return FastPath(postgres, pyformat, [Dialect.get_or_raise(None), Postgres()])
    except Exception:  # a sqlglot without one of the tables read: no fast path
        return None


class _Statement:
    """One statement's tokens, read by recursive descent; raises _Decline outside the grammar."""

    def __init__(self, fast: FastPath, text: str, tokens: list[_Token], breaks: list[int]) -> None:
        self.fast = fast
        self.text = text
        self.tokens = [*tokens, _END, _END, _END, _END]  # the grammar looks at most 3 tokens ahead
        self.breaks = breaks
        self.i = 0

    # -- tokens -----------------------------------------------------------------------------------

    @property
    def cur(self) -> _Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> _Token:
        return self.tokens[self.i + ahead]

    def word(self, *words: str) -> bool:
        """Consume the words if they come next (a keyword or a word of the grammar). sqlglot reads a
        keyword of two words such as ``ORDER BY`` as one token, but ``ORDER /* */ BY`` as two names, and
        does not count a line break inside the token: here its words are apart by spaces and tabs only."""
        tokens, i = self.tokens, self.i
        if tokens[i][1] != words[0]:  # only a word token has a word there
            return False
        for offset in range(1, len(words)):
            token = tokens[i + offset]
            if token[1] != words[offset]:
                return False
            if words[offset - 1 : offset + 1] in self.fast.joined and self.text[
                tokens[i + offset - 1][3] + 1 : token[2]
            ].strip(" \t"):
                return False
        self.i += len(words)
        return True

    def expect(self, *words: str) -> None:
        if not self.word(*words):
            raise _Decline

    def op(self, op: str) -> bool:
        token = self.cur
        if token[0] == "o" and token[1] == op:
            self.i += 1
            return True
        return False

    def expect_op(self, op: str) -> None:
        if not self.op(op):
            raise _Decline

    def is_name(self, token: _Token, column: bool = False) -> bool:
        """A quoted name, or a word that is no keyword (a column may be one of _COLUMN_WORDS)."""
        if token[0] != "w":
            return token[0] == "q"
        return token[1] not in self.fast.reserved or (column and token[1] in _COLUMN_WORDS)

    def name(self, column: bool = False) -> _Token:
        token = self.cur
        if not self.is_name(token, column):
            raise _Decline
        self.i += 1
        return token

    def names(self) -> None:
        """``(column, ...)``"""
        self.expect_op("(")
        self.name(column=True)
        while self.op(","):
            self.name(column=True)
        self.expect_op(")")

    def identifier(self, token: _Token) -> exp.Identifier:
        node = exp.Identifier(this=token[4], quoted=token[0] == "q")
        start, end = token[2], token[3]
        index = bisect.bisect_left(self.breaks, start)
        node.meta.update(
            line=index + 1, col=end - (self.breaks[index - 1] if index else -1), start=start, end=end
        )
        return node

    # -- statements -------------------------------------------------------------------------------

    def parse(self) -> exp.Expr:
        first = self.cur[1] if self.cur[0] == "w" else ""
        tree: exp.Expr
        if first == "SELECT":
            tree = self.select()
        elif first == "INSERT":
            tree = self.insert()
        elif first == "UPDATE":
            tree = self.update()
        elif first == "DELETE":
            tree = self.delete()
        elif first == "CREATE":
            tree = self.create()
        elif first == "DROP":
            tree = self.drop()
        else:
            raise _Decline
        if self.cur is not _END:
            raise _Decline
        return tree

    def select(self) -> exp.Select:
        self.expect("SELECT")
        self.word("DISTINCT")
        self.projections()
        tree = exp.Select()
        if self.word("FROM"):
            tree.set("from_", exp.From(this=self.table_ref()))
            joins = self.joins()
            if joins:
                tree.set("joins", joins)
        if self.word("WHERE"):
            self.condition()
        if self.word("GROUP", "BY"):
            self.values()
            if self.word("HAVING"):
                self.condition()
        if self.word("ORDER", "BY"):
            self.ordered()
            while self.op(","):
                self.ordered()
        if self.word("LIMIT"):
            self.limit()
        if self.word("OFFSET"):
            self.limit()
        if self.word("FOR", "UPDATE") and not self.word("NOWAIT"):
            self.word("SKIP", "LOCKED")
        return tree

    def projections(self) -> None:
        if self.op("*"):
            return
        while True:
            if self.is_name(self.cur) and self.peek()[1] == "." and self.peek(2)[1] == "*":
                self.i += 3  # t.*
            else:
                self.value()
                if self.word("AS"):
                    self.name()
            if not self.op(","):
                return

    def joins(self) -> list[exp.Join]:
        joins = []
        while True:
            if self.op(","):
                joins.append(exp.Join(this=self.table_ref()))
                continue
            if self.word("CROSS", "JOIN"):
                joins.append(exp.Join(this=self.table_ref()))
                continue
            if self.cur[1] in _JOIN_SIDES and self.cur[0] == "w":
                side = self.cur[1]
                self.i += 1
                if side != "INNER":
                    self.word("OUTER")
                self.expect("JOIN")
            elif not self.word("JOIN"):
                return joins
            joins.append(exp.Join(this=self.table_ref()))
            if self.word("ON"):
                self.condition()
            elif self.word("USING"):
                self.names()
            else:
                raise _Decline

    def insert(self) -> exp.Insert:
        self.expect("INSERT", "INTO")
        target: exp.Expr = self.table()
        if self.cur[1] == "(":
            self.names()
            target = exp.Schema(this=target)
        tree = exp.Insert(this=target)
        if self.cur[1] == "SELECT":
            tree.set("expression", self.select())
            return tree
        self.expect("VALUES")
        self.row()
        while self.op(","):
            self.row()
        if self.word("ON", "CONFLICT"):
            if self.cur[1] == "(":
                self.names()
            self.expect("DO")
            if not self.word("NOTHING"):
                self.expect("UPDATE", "SET")
                self.assignments()
                if self.word("WHERE"):
                    self.condition()
        self.returning()
        return tree

    def row(self) -> None:
        self.expect_op("(")
        self.values()
        self.expect_op(")")

    def update(self) -> exp.Update:
        self.expect("UPDATE")
        tree = exp.Update(this=self.table_ref())
        self.expect("SET")
        self.assignments()
        if self.word("FROM"):
            tree.set("from_", exp.From(this=self.table_ref()))
        if self.word("WHERE"):
            self.condition()
        self.returning()
        return tree

    def assignments(self) -> None:
        while True:
            self.column()
            self.expect_op("=")
            self.sum()
            if not self.op(","):
                return

    def delete(self) -> exp.Delete:
        self.expect("DELETE", "FROM")
        tree = exp.Delete(this=self.table_ref())
        if self.word("WHERE"):
            self.condition()
        self.returning()
        return tree

    def returning(self) -> None:
        if self.word("RETURNING"):
            self.projections()

    def create(self) -> exp.Create:
        self.expect("CREATE")
        unique = self.word("UNIQUE")
        if not unique and self.word("TABLE"):
            exists = self.word("IF", "NOT", "EXISTS")
            target = exp.Schema(this=self.table())
            self.expect_op("(")
            self.element()
            while self.op(","):
                self.element()
            self.expect_op(")")
            return exp.Create(this=target, kind="TABLE", exists=exists)
        self.expect("INDEX")
        exists = self.word("IF", "NOT", "EXISTS")
        index = self.identifier(self.name())
        self.expect("ON")
        table = self.table()
        self.expect_op("(")
        while True:
            self.name(column=True)
            if not self.word("ASC"):
                self.word("DESC")
            if not self.op(","):
                break
        self.expect_op(")")
        return exp.Create(this=exp.Index(this=index, table=table), kind="INDEX", unique=unique, exists=exists)

    def element(self) -> None:
        """A column or a key of CREATE TABLE."""
        if self.word("CONSTRAINT"):
            self.name()
            if not self.key():
                raise _Decline
        elif not self.key():
            token = self.name(column=True)
            if token[0] == "w" and token[1] in self.fast.constraints:
                raise _Decline
            self.data_type()
            while self.column_constraint():
                pass

    def key(self) -> bool:
        if self.word("PRIMARY", "KEY") or self.word("UNIQUE"):
            self.names()
        elif self.word("FOREIGN", "KEY"):
            self.names()
            self.references()
        else:
            return False
        return True

    def data_type(self) -> None:
        token = self.cur
        if token[0] != "w":
            raise _Decline
        if self.word("DOUBLE", "PRECISION"):
            return
        if token[1] not in _TYPES:
            raise _Decline
        self.i += 1
        if token[1] in _SIZED_TYPES and self.op("("):
            self.number()
            if self.op(","):
                self.number()
            self.expect_op(")")
        elif token[1] in ("TIME", "TIMESTAMP") and not self.word("WITH", "TIME", "ZONE"):
            self.word("WITHOUT", "TIME", "ZONE")

    def number(self) -> None:
        if self.cur[0] != "n":
            raise _Decline
        self.i += 1

    def column_constraint(self) -> bool:
        if self.word("PRIMARY", "KEY") or self.word("NOT", "NULL") or self.word("NULL"):
            return True
        if self.word("UNIQUE"):
            return True
        if self.word("DEFAULT"):
            token = self.cur
            if self.op("-"):
                self.number()
            elif token[0] in ("n", "s") or (token[0] == "w" and token[1] in _CONSTANTS):
                self.i += 1
            elif self.word("NOW"):
                self.expect_op("(")
                self.expect_op(")")
            else:
                raise _Decline
            return True
        if self.cur[1] == "REFERENCES":
            self.references()
            return True
        return False

    def references(self) -> None:
        self.expect("REFERENCES")
        self.table()
        if self.cur[1] == "(":
            self.names()
        while self.word("ON"):
            if not self.word("DELETE"):
                self.expect("UPDATE")
            if not any(self.word(*action) for action in _ACTIONS):
                raise _Decline

    def drop(self) -> exp.Drop:
        self.expect("DROP", "TABLE")
        exists = self.word("IF", "EXISTS")
        tables = [self.table()]
        while self.op(","):
            tables.append(self.table())
        self.word("CASCADE")
        return exp.Drop(tables=tables, kind="TABLE", exists=exists)

    # -- tables -----------------------------------------------------------------------------------

    def table(self) -> exp.Table:
        """``name``, ``db.name`` or ``catalog.db.name``"""
        parts = [self.identifier(self.name())]
        while len(parts) < 3 and self.op("."):
            parts.append(self.identifier(self.name()))
        if self.cur[1] == ".":
            raise _Decline
        if len(parts) == 1:
            return exp.Table(this=parts[0])
        if len(parts) == 2:
            return exp.Table(this=parts[1], db=parts[0])
        return exp.Table(this=parts[2], db=parts[1], catalog=parts[0])

    def table_ref(self) -> exp.Table:
        """A table and its alias."""
        table = self.table()
        if self.word("AS") or self.is_name(self.cur):
            table.set("alias", exp.TableAlias(this=self.identifier(self.name())))
        return table

    # -- conditions and values --------------------------------------------------------------------

    def condition(self) -> None:
        self.conjunction()
        while self.word("OR"):
            self.conjunction()

    def conjunction(self) -> None:
        self.predicate()
        while self.word("AND"):
            self.predicate()

    def predicate(self) -> None:
        self.word("NOT")
        self.sum()
        token = self.cur
        if token[0] == "o" and token[1] in _COMPARISONS:
            self.i += 1
            self.sum()
        elif self.word("IS"):
            self.word("NOT")
            if not (self.word("NULL") or self.word("TRUE") or self.word("FALSE")):
                raise _Decline
        else:
            negated = self.word("NOT")
            if self.word("IN"):
                self.row()
            elif self.word("LIKE") or self.word("ILIKE"):
                self.sum()
            elif self.word("BETWEEN"):
                self.sum()
                self.expect("AND")
                self.sum()
            elif negated:
                raise _Decline

    def values(self) -> None:
        self.sum()
        while self.op(","):
            self.sum()

    def value(self) -> None:
        self.sum()

    def sum(self) -> None:
        self.operand()
        while self.cur[0] == "o" and self.cur[1] in _ARITHMETIC:
            self.i += 1
            self.operand()

    def operand(self) -> None:
        self.op("-")
        token = self.cur
        kind = token[0]
        if kind in ("n", "s", "p", "y") or (kind == "w" and token[1] in _CONSTANTS):
            self.i += 1
        elif self.op("("):
            self.condition()
            self.expect_op(")")
        elif kind == "w" and self.peek()[1] == "(" and self.is_name(token):
            self.function()
        else:
            self.column()

    def column(self) -> None:
        self.name(column=True)
        for _ in range(2):
            if not self.op("."):
                break
            self.name(column=True)
        if self.cur[1] == ".":
            raise _Decline

    def function(self) -> None:
        name = self.cur[1]
        self.i += 2  # the name and (
        if name == "COUNT":
            if not self.op("*"):
                self.word("DISTINCT")
                self.sum()
        elif name in _ONE_ARGUMENT:
            self.sum()
        elif name == "COALESCE":
            self.values()
        elif name == "NOW":
            pass
        elif name in self.fast.functions:
            raise _Decline
        elif self.cur[1] != ")":
            self.values()
        self.expect_op(")")

    def ordered(self) -> None:
        self.sum()
        if not self.word("ASC"):
            self.word("DESC")
        if self.word("NULLS") and not self.word("FIRST"):
            self.expect("LAST")

    def limit(self) -> None:
        token = self.cur
        if token[0] in ("n", "p", "y") or (token[0] == "w" and self.is_name(token)):
            self.i += 1
        else:
            raise _Decline

"""SQL statements parsed with sqlglot (dialect fallbacks, time budget) and the tables each one touches.

Cost is bounded per statement, so one hostile file cannot take the run (a 2 MB dump: about a second,
under 100 MB, even when no two statements are alike; ``bench/sql_cost.py``): a text longer than
``SPLIT_CHARS`` is first cut into statements at semicolons by a regular expression that skips strings,
quoted names, comments and dollar-quoted bodies, and each statement is read alone (a plain ``INSERT ...
VALUES`` by one regular expression, :mod:`fitness.collect.sql.plain`; else the fast path, else sqlglot,
with the dialect fallbacks per statement). A statement over ``MAX_STATEMENT_CHARS`` is not given to
sqlglot: a multi-row ``INSERT ... VALUES`` is read from its head (the table it writes), anything else is
skipped with a warning. A statement that sqlglot takes more than ``STATEMENT_SECONDS`` over is abandoned
(a timer interrupts it in the main thread), and a file stops after its time budget (``deadline``).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlglot import TokenType, exp
from sqlglot.dialects.dialect import Dialect

from fitness.collect.sql.fast import FastPath
from fitness.collect.sql.plain import PlainInserts
from fitness.collect.time_cap import time_cap

MAX_STATEMENT_CHARS = 64_000  # sqlglot reads about 150 kB/s: bigger statements are not given to it
MAX_RETRY_CHARS = 512 * 1024
SPLIT_CHARS = 32_000  # longer texts are cut into statements first, each read (and retried) alone
SHAPE_CHARS = 4_000  # statements up to this long are compared with earlier ones, literals blanked
STATEMENT_SECONDS = 1.0
FALLBACK_DIALECTS = (None, "postgres", "mysql", "tsql")
TABLE_COMMAND = re.compile(  # statements sqlglot keeps as a Command that may touch tables
    r"\s*(insert|update|delete|merge|select|with|truncate|replace|upsert)\b|\s*(create|alter|drop)\s+"
    r"(or\s+replace\s+)?((temp|temporary|unlogged|unique|materialized|global|local)\s+)*"
    r"(table|view|index|trigger|function|procedure|rule|policy)\b",
    re.I,
)
# A Python file is parsed only if it has one of these (or, later, names a model found in another file)
TOO_LARGE = f"statement larger than {MAX_STATEMENT_CHARS // 1000} kB, skipped"
TOO_SLOW = f"statement took sqlglot over {STATEMENT_SECONDS:g} s, skipped"
# what a statement splitter must step over: strings, quoted names, comments, dollar-quoted bodies
# (an unterminated one runs to the end of the text, so no input makes the scan quadratic)
_SPLIT = re.compile(
    r"'[^']*(?:''[^']*)*(?:'|\Z)|\"[^\"]*(?:\"\"[^\"]*)*(?:\"|\Z)|`[^`]*(?:`|\Z)|--[^\n]*"
    r"|/\*.*?(?:\*/|\Z)|\$((?:[A-Za-z_][A-Za-z0-9_]*)?)\$.*?(?:\$\1\$|\Z)|;",
    re.S,
)
_SPLIT_BACKSLASH = re.compile(  # MySQL and BigQuery strings take backslash escapes
    r"'[^'\\]*(?:(?:''|\\.)[^'\\]*)*(?:'|\Z)|\"[^\"\\]*(?:(?:\"\"|\\.)[^\"\\]*)*(?:\"|\Z)"
    r"|`[^`]*(?:`|\Z)|--[^\n]*|#[^\n]*|/\*.*?(?:\*/|\Z)|;",
    re.S,
)
# literals a statement's tables do not depend on; quoted names (group 1) are kept as they are
_LITERALS = re.compile(
    r"'[^']*(?:''[^']*)*'|(\"[^\"]*\"|`[^`]*`|\[[^\]]*\])|(?<![\w$.:@])\d+(?:\.\d+)?(?![\w.])"
)
_LITERALS_BACKSLASH = re.compile(
    r"'[^'\\]*(?:(?:''|\\.)[^'\\]*)*'|(\"[^\"\\]*(?:(?:\"\"|\\.)[^\"\\]*)*\"|`[^`]*`)"
    r"|(?<![\w$.:@])\d+(?:\.\d+)?(?![\w.])"
)
_INSERT_HEAD = re.compile(
    r"\s*((?:insert|replace)\s+(?:ignore\s+)?(?:into\s+)?[\w.\"`\[\]]+\s*(?:\([^()]*\))?\s*values)\s*\(", re.I
)


@dataclass
class Stmt:
    line: int  # 1-based, within the parsed text
    start: int
    end: int
    tree: exp.Expr | None = None
    error: str = ""
    accesses: list[tuple[str, str]] | None = None  # table_accesses(tree), when the reader knew it


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """sqlglot's "falling back to parsing as a Command" is reported our way; and the cyclic garbage
    collector is paused: syntax trees have no cycles, and collecting while thousands of them are alive
    made parsing three times slower."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        logger.setLevel(level)
        if collecting:
            gc.enable()


class Sql:
    """sqlglot, one statement at a time, with dialect fallbacks and a time budget per file; a text of
    simple statements only is read by the fast path instead (same statements, same tables: see
    :mod:`fitness.collect.sql.fast`), whose trees hold only the statement's tables."""

    def __init__(self, dialect: str | None, warnings: list[str]) -> None:
        names: list[str | None] = [dialect, *(d for d in FALLBACK_DIALECTS if d != dialect)]
        self.dialects: list[Dialect] = []
        for name in names:
            try:
                self.dialects.append(Dialect.get_or_raise(name))
            except Exception:
                warnings.append(f"unknown SQL dialect {name!r}, using sqlglot's default")
        self.deadline = 0.0
        self.fast = FastPath.for_dialects(self.dialects)
        self.plain = PlainInserts(self.fast) if self.fast is not None else None
        first = type(self.dialects[0]).__name__.lower() if self.dialects else ""
        backslash = first in ("mysql", "bigquery", "doris", "starrocks")
        self.splitter = _SPLIT_BACKSLASH if backslash else _SPLIT
        self.literals = _LITERALS_BACKSLASH if backslash else _LITERALS

    def statements(self, text: str) -> list[Stmt] | None:
        """Every statement of ``text`` with its tree (or the reason it has none); None when ``text``
        cannot be tokenized at all."""
        if len(text) > SPLIT_CHARS:
            return self._one_by_one(text)
        return self._whole(text)

    def _whole(self, text: str) -> list[Stmt] | None:
        if self.fast is not None and time.monotonic() <= self.deadline:  # past it, sqlglot says "timeout"
            fast = self.fast.statements(text)
            if fast is not None:
                return [Stmt(line, start, end, tree) for line, start, end, tree in fast]
        return self.parsed(text)

    def split(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(line, start, end) of each non-blank statement of ``text``, cut at semicolons outside strings,
        quoted names, comments and dollar-quoted bodies; ``line`` is the line of ``start``."""
        start, line = 0, 1
        for match in self.splitter.finditer(text):
            if match.group() != ";":
                continue
            end = match.start()
            if text[start:end].strip():
                yield line, start, end
            line += text.count("\n", start, match.end())
            start = match.end()
        if text[start:].strip():
            yield line, start, len(text)

    def _one_by_one(self, text: str) -> list[Stmt]:
        """A long text, statement by statement, so each one's cost is bounded on its own. A statement
        that differs from an earlier one only in its literals (a dump's thousands of INSERTs) is not
        read again: it touches the same tables, so it gets that one's tree."""
        found: list[Stmt] = []
        shapes: dict[str, tuple[exp.Expr | None, str]] = {}
        for line, start, end in self.split(text):
            if time.monotonic() > self.deadline:
                found.append(Stmt(line + _leading_lines(text, start, end), start, end, None, "timeout"))
                break
            piece = text[start:end]
            if len(piece) > MAX_STATEMENT_CHARS:
                first = line + _leading_lines(text, start, end)
                found.append(replace(self._too_large(piece), line=first, start=start, end=end))
                continue
            plain = self.plain.read(piece) if self.plain is not None else None
            if plain is not None:
                first, lead, last, skeleton, accesses = plain
                found.append(Stmt(line + first - 1, start + lead, start + last, skeleton, "", accesses))
                continue
            key = self._shape(piece)
            if key is not None and key in shapes:
                lead = len(piece) - len(piece.lstrip())
                tree, error = shapes[key]
                found.append(
                    Stmt(
                        line + piece.count("\n", 0, lead),
                        start + lead,
                        start + len(piece.rstrip()),
                        tree,
                        error,
                    )
                )
                continue
            statements = self._whole(piece) or [Stmt(1, 0, len(piece), None, "cannot be tokenized")]
            if key is not None and len(statements) == 1 and statements[0].error not in ("timeout", TOO_SLOW):
                shapes[key] = (statements[0].tree, statements[0].error)
            found.extend(
                replace(s, line=line + s.line - 1, start=start + s.start, end=start + s.end)
                for s in statements
            )
        return found

    def _shape(self, piece: str) -> str | None:
        """``piece`` with its string and number literals blanked (quoted names kept), or None when it is
        not worth comparing (long, or with a comment, whose position the blanking could move)."""
        if len(piece) > SHAPE_CHARS or "--" in piece or "/*" in piece or "#" in piece:
            return None
        return self.literals.sub(_blank, piece.strip())

    def _too_large(self, piece: str) -> Stmt:
        """A statement too large for sqlglot: a multi-row INSERT is read from its head alone."""
        head = _INSERT_HEAD.match(piece[:4096])
        if head is not None:
            for statement in self._whole(head.group(1) + " (NULL)") or []:
                if statement.tree is not None:
                    return Stmt(1, 0, len(piece), statement.tree)
        return Stmt(1, 0, len(piece), None, TOO_LARGE)

    def parsed(self, text: str) -> list[Stmt] | None:
        """``statements`` by sqlglot alone."""
        best: list[Stmt] | None = None
        failures = 0
        for dialect in self.dialects:
            found = self._parse(dialect, text)
            if found is None:
                continue
            failed = sum(1 for s in found if s.error and s.error != TOO_LARGE)
            if best is None or failed < failures:
                best, failures = found, failed
            if not failures or len(text) > MAX_RETRY_CHARS or time.monotonic() > self.deadline:
                break
        return best

    def _parse(self, dialect: Dialect, text: str) -> list[Stmt] | None:
        try:
            tokens = dialect.tokenize(text)
        except Exception:
            return None
        groups: list[list[object]] = [[]]
        for token in tokens:
            if token.token_type == TokenType.SEMICOLON:
                groups.append([])
            else:
                groups[-1].append(token)
        found: list[Stmt] = []
        for group in groups:
            if not group:
                continue
            first, last = group[0], group[-1]
            start, end, line = first.start, last.end + 1, first.line  # type: ignore[attr-defined]
            statement = Stmt(line, start, end)
            if time.monotonic() > self.deadline:
                found.append(Stmt(line, start, end, None, "timeout"))
                break
            if end - start > MAX_STATEMENT_CHARS:
                statement.error = TOO_LARGE
            else:
                try:
                    trees: list[exp.Expr | None] = []
                    with time_cap(STATEMENT_SECONDS) as cap:
                        trees = dialect.parser().parse(group, text)  # type: ignore[arg-type]
                    if cap.expired:
                        raise _TooSlow
                    statement.tree = next((t for t in trees if t is not None), None)
                    if (
                        isinstance(statement.tree, exp.Command)
                        and str(statement.tree.this).upper() == "REPLACE"
                    ):
                        statement.tree = dialect.parse("INSERT" + text[start + 7 : end])[0]  # MySQL, SQLite
                    if not _is_statement(statement.tree):
                        statement.tree, statement.error = None, "not a SQL statement"
                except _TooSlow:
                    statement.error = TOO_SLOW
                except Exception as error:
                    lines = re.sub(r"\x1b\[\d+m", "", str(error)).splitlines() or [type(error).__name__]
                    statement.error = lines[0][:160]
            if statement.tree is not None or statement.error:
                found.append(statement)
        return found


def _blank(match: re.Match[str]) -> str:
    return match.group(1) or ("''" if match.group()[0] == "'" else "0")


def _leading_lines(text: str, start: int, end: int) -> int:
    """Lines before the first non-blank character of ``text[start:end]``."""
    stripped = len(text[start:end]) - len(text[start:end].lstrip())
    return text.count("\n", start, start + stripped)


class _TooSlow(Exception):
    """A statement ran over its time cap (sqlglot was stopped by the timer)."""


def table_accesses(tree: exp.Expr) -> list[tuple[str, str]]:
    """(table, mode) for one statement: writes in statement order, then reads by name; a table the
    statement writes is not also listed as read."""
    targets: list[exp.Expr | None] = []
    reads: list[exp.Table] = []
    ignore: list[exp.Expr | None] = []
    kind = str(tree.args.get("kind") or "").upper()
    if isinstance(tree, (exp.Insert, exp.Update, exp.Merge)):
        targets.append(tree.this)
    elif isinstance(tree, exp.Delete):
        targets += tree.args.get("tables") or [tree.this]
    elif isinstance(tree, exp.Create):
        if kind == "INDEX" and isinstance(tree.this, exp.Index):
            targets.append(tree.this.args.get("table"))
        elif kind != "TRIGGER":  # a trigger's table is found below
            (targets if kind in ("TABLE", "VIEW") else ignore).append(tree.this)
    elif isinstance(tree, exp.Alter):
        renames = [a.this for a in tree.args.get("actions") or [] if isinstance(a, exp.AlterRename)]
        (targets if kind == "TABLE" else ignore).extend([tree.this, *renames])
    elif isinstance(tree, exp.Drop):
        (targets if kind in ("TABLE", "VIEW") else ignore).extend(tree.args.get("tables") or [tree.this])
    elif isinstance(tree, exp.TruncateTable):
        targets += tree.expressions
    elif isinstance(tree, exp.Copy) and isinstance(tree.this, exp.Table):
        (targets if tree.args.get("kind") else reads).append(tree.this)
    elif isinstance(tree, exp.Comment) and kind == "TABLE":
        targets.append(tree.this)
    elif not isinstance(tree, (exp.Query, exp.Copy)):
        return []
    tables: list[exp.Table] = []
    ctes: set[str] = set()
    references: set[int] = set()  # tables named by a foreign key: neither read nor written
    for node in tree.walk():
        if isinstance(node, exp.Table):
            tables.append(node)
        elif isinstance(node, exp.CTE):
            ctes.add(node.alias_or_name.lower())
        elif isinstance(node, exp.Into):
            targets.append(node.this)
        elif isinstance(node, (exp.Reference, exp.ForeignKey)):
            references.update(id(t) for t in node.find_all(exp.Table))
        elif isinstance(node, exp.TriggerProperties) and kind == "TRIGGER":
            targets.append(node.args.get("table"))
    aliases = {t.alias.lower(): t for t in tables if t.alias}
    skip = references | {id(_table(target)) for target in targets + ignore}
    written = []
    for target in targets:
        table = _table(target)
        if table is not None and not table.db and table.name.lower() in aliases:
            table = aliases[table.name.lower()]  # MySQL: DELETE o FROM orders o JOIN ...
        written.append(_name(table))
    read: set[str] = set()
    for table in reads + tables:
        name = _name(table)
        if name and id(table) not in skip and name not in written and (table.db or name not in ctes):
            read.add(name)
    return [(name, "write") for name in dict.fromkeys(written) if name] + [
        (name, "read") for name in sorted(read)
    ]


def _is_statement(tree: exp.Expr | None) -> bool:
    """sqlglot is lenient: "SELEC x" is a column alias, "update the cache" an UPDATE without SET."""
    if isinstance(tree, (exp.Condition, exp.Alias)):
        return isinstance(tree, exp.Query)
    if isinstance(tree, exp.Update):
        return bool(tree.expressions)
    return not isinstance(tree, exp.Delete) or tree.this is not None


def _table(node: exp.Expr | None) -> exp.Table | None:
    while isinstance(node, exp.Schema):
        node = node.this
    return node if isinstance(node, exp.Table) else None


def _name(table: exp.Table | None) -> str:
    if table is None or not isinstance(table.this, exp.Identifier):
        return ""
    name = ".".join(p for p in (table.catalog, table.db, table.name) if p).lower()
    return "" if name == "dual" else name

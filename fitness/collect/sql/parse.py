"""SQL statements parsed with sqlglot (dialect fallbacks, time budget) and the tables each one touches."""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import TokenType, exp
from sqlglot.dialects.dialect import Dialect

from fitness.collect.sql.fast import FastPath

MAX_STATEMENT_CHARS = 200_000
MAX_RETRY_CHARS = 512 * 1024
FALLBACK_DIALECTS = (None, "postgres", "mysql", "tsql")
TABLE_COMMAND = re.compile(  # statements sqlglot keeps as a Command that may touch tables
    r"\s*(insert|update|delete|merge|select|with|truncate|replace|upsert)\b|\s*(create|alter|drop)\s+"
    r"(or\s+replace\s+)?((temp|temporary|unlogged|unique|materialized|global|local)\s+)*"
    r"(table|view|index|trigger|function|procedure|rule|policy)\b",
    re.I,
)
# A Python file is parsed only if it has one of these (or, later, names a model found in another file)
TOO_LARGE = "statement larger than 200 kB, skipped"


@dataclass
class Stmt:
    line: int  # 1-based, within the parsed text
    start: int
    end: int
    tree: exp.Expr | None = None
    error: str = ""


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

    def statements(self, text: str) -> list[Stmt] | None:
        if self.fast is not None and time.monotonic() <= self.deadline:  # past it, sqlglot says "timeout"
            fast = self.fast.statements(text)
            if fast is not None:
                return [Stmt(line, start, end, tree) for line, start, end, tree in fast]
        return self.parsed(text)

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
                    trees = dialect.parser().parse(group, text)  # type: ignore[arg-type]
                    statement.tree = next((t for t in trees if t is not None), None)
                    if (
                        isinstance(statement.tree, exp.Command)
                        and str(statement.tree.this).upper() == "REPLACE"
                    ):
                        statement.tree = dialect.parse("INSERT" + text[start + 7 : end])[0]  # MySQL, SQLite
                    if not _is_statement(statement.tree):
                        statement.tree, statement.error = None, "not a SQL statement"
                except Exception as error:
                    statement.error = re.sub(r"\x1b\[\d+m", "", str(error)).splitlines()[0][:160]
            if statement.tree is not None or statement.error:
                found.append(statement)
        return found


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

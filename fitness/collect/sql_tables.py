"""Which tables code reads and writes: SQL in Python calls, ``.sql`` files, migrations and ORM models.

Python files are parsed once with ``ast`` and never imported; a file with no hint of SQL or an ORM (see
HINTS) is not parsed at all unless it names a model class found in another file or defines constants
that one imports. SQL is parsed with sqlglot, one statement at a time: SELECT reads its sources (joins,
subqueries, CTE bodies; not CTE names); INSERT / UPDATE / DELETE / MERGE write their target and read
their sources; CREATE / ALTER / DROP / TRUNCATE / COMMENT of a table or view write it, CREATE INDEX and
CREATE TRIGGER write their table; foreign-key references are neither. Names are lower-cased and
unquoted, the schema kept as written (``public.orders`` and ``orders`` stay two names).

Dialects: the configured one (None = sqlglot's default) first; when a text has statements it cannot
parse, the default, postgres, mysql and tsql are tried on the whole text and the dialect with the fewest
failures wins (texts over 512 kB get no second try). What still fails is a warning and an Unresolved
entry. SQL assembled at run time (f-strings, ``%``, ``.format``, ``+`` with names that are not
constants) is parsed with placeholders: the tables it names are recorded, and a table name that is a
placeholder is listed as Unresolved. Bounds: files over 2 MB and statements over 200 kB are skipped,
and SQL parsing stops after 10 s per file, each with a warning.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import io
import logging
import os
import re
import time
import tokenize
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Union

from sqlglot import TokenType, exp
from sqlglot.dialects.dialect import Dialect

from fitness.collect import orm_models as orm
from fitness.collect.facts import ModelClass, ModelUse, TableAccess, Unresolved
from fitness.model import Evidence

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_STATEMENT_CHARS = 200_000
MAX_RETRY_CHARS = 512 * 1024
FILE_SECONDS = 10.0
FALLBACK_DIALECTS = (None, "postgres", "mysql", "tsql")
SQL_START = re.compile(
    r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*\(?\s*"
    r"(?:select|insert|update|delete|merge|with|create|alter|drop|truncate|replace|copy|upsert)\b",
    re.I | re.S,
)
SQL_SHAPE = re.compile(  # for generic method names on objects that are not databases
    r"\bselect\b.+\bfrom\b|\binsert\s+(\w+\s+)*into\b|\bupdate\b.+\bset\b|\bdelete\b.*\bfrom\b|\bmerge\s+into\b"
    r"|\b(create|alter|drop|truncate)\s+(\w+\s+)*(table|view|index)\b",
    re.I | re.S,
)
MIGRATION_PATH = re.compile(r"(^|/)(migrations?|migrate|flyway|liquibase|versions)/|(^|/)V\d+[_.]")
DB_PARAM = re.compile(r"%\(\w+\)s|%s|%%")
PY_FORMAT = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcab]")
BRACE_FORMAT = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
DBISH = re.compile(
    r"(?i)cursor|conn|session|engine|database|pool|transaction|^(db|cur|cx|con|c|tx|txn)$|_db$|^db_"
)
STRONG_SINKS = orm.words(  # SQL and nothing else
    "executescript exec_driver_sql executemany read_sql read_sql_query copy_expert mogrify copy_from_query"
)
WEAK_SINKS = orm.words(
    "execute execute_many fetch fetchrow fetchval fetch_all fetch_one fetch_val raw query prepare text"
)
TEXT_ONLY_SINKS = orm.words("executescript exec_driver_sql executemany copy_expert mogrify")
QUIET_SINKS = orm.words("raw query prepare text")  # generic names: never Unresolved
SQL_KEYWORDS = ("sql", "query", "statement", "operation", "stmt", "sql_query", "text", "sqltext")
# method -> (position, keyword, mode, report a non-constant name)
TABLE_SINKS = {
    "read_sql_table": (0, "table_name", "read", True),
    "to_sql": (0, "name", "write", True),
    "copy_records_to_table": (0, "table_name", "write", False),
    "copy_to_table": (0, "table_name", "write", False),
    "copy_from_table": (0, "table_name", "read", False),
    "copy_from": (1, "table", "write", False),
    "copy_to": (1, "table", "read", False),
}
SA_TEXT = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"}
)
TABLE_COMMAND = re.compile(  # statements sqlglot keeps as a Command that may touch tables
    r"\s*(insert|update|delete|merge|select|with|truncate|replace|upsert)\b|\s*(create|alter|drop)\s+"
    r"(or\s+replace\s+)?((temp|temporary|unlogged|unique|materialized|global|local)\s+)*"
    r"(table|view|index|trigger|function|procedure|rule|policy)\b",
    re.I,
)
# A Python file is parsed only if it has one of these (or, later, names a model found in another file)
HINTS = (
    *("execute", "exec_", "fetch", "read_sql", "to_sql", "copy_", "mogrify", ".raw(", ".extra(", "prepare("),
    *("text(", ".query", ".objects", "Model", "models", "Table(", "__table", "table=True", "peewee"),
    *("session", "sess.", "db.", "sqlalchemy", "sqlmodel", "alembic", "migrations"),
    *(
        "SELECT ",
        "INSERT ",
        "UPDATE ",
        "DELETE ",
        "CREATE ",
        "ALTER ",
        "DROP ",
        "MERGE ",
        "TRUNCATE",
        "WITH ",
    ),
)
LOWER_HINTS = (
    "select ",
    "insert ",
    "update ",
    "delete ",
    "create table",
    "alter table",
    "drop table",
    "merge into",
)
DYN = "__fdyn"
TOO_LARGE = "statement larger than 200 kB, skipped"


class _Dyn(NamedTuple):
    """A part of a string known only at run time; ``text`` is its source, shown in braces."""

    text: str


Part = Union[str, _Dyn]  # noqa: UP007 (a runtime alias on Python 3.10)


@dataclass
class SqlScan:
    """Tables read and written by one service's files, its ORM models and their uses."""

    accesses: list[TableAccess] = field(default_factory=list)
    models: list[ModelClass] = field(default_factory=list)
    uses: list[ModelUse] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    statements: int = 0  # SQL statements parsed


@dataclass
class _Stmt:
    line: int  # 1-based, within the parsed text
    start: int
    end: int
    tree: exp.Expr | None = None
    error: str = ""


def scan_tables(files: Iterable[Path], root: Path, dialect: str | None = None) -> SqlScan:
    """Scan the ``.py`` and ``.sql`` files of one service (other files are ignored). Evidence paths are
    relative to ``root``; every list of the result is sorted (unresolved entries by location)."""
    scanner = _Scanner(root, dialect)
    with _quiet(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning of analysed code is not ours to report
        scanner.run(files)
        return scanner.result()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
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


class _Sql:
    """sqlglot, one statement at a time, with dialect fallbacks and a time budget per file."""

    def __init__(self, dialect: str | None, warnings: list[str]) -> None:
        names: list[str | None] = [dialect, *(d for d in FALLBACK_DIALECTS if d != dialect)]
        self.dialects: list[Dialect] = []
        for name in names:
            try:
                self.dialects.append(Dialect.get_or_raise(name))
            except Exception:
                warnings.append(f"unknown SQL dialect {name!r}, using sqlglot's default")
        self.deadline = 0.0

    def statements(self, text: str) -> list[_Stmt] | None:
        best: list[_Stmt] | None = None
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

    def _parse(self, dialect: Dialect, text: str) -> list[_Stmt] | None:
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
        found: list[_Stmt] = []
        for group in groups:
            if not group:
                continue
            first, last = group[0], group[-1]
            start, end, line = first.start, last.end + 1, first.line  # type: ignore[attr-defined]
            statement = _Stmt(line, start, end)
            if time.monotonic() > self.deadline:
                found.append(_Stmt(line, start, end, None, "timeout"))
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


def _collapse(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


class _Scanner:
    def __init__(self, root: Path, dialect: str | None) -> None:
        self.root = root
        self.scan = SqlScan()
        self.sql = _Sql(dialect, self.scan.warnings)
        self.packages: dict[Path, bool] = {}
        self.modules: dict[str, orm.PyFile | None] = {}
        self.models = orm.Models(self._value)
        self.uses: list[tuple[ModelUse, bool]] = []
        self.django: dict[tuple[str, str], str] = {}

    # -- files ------------------------------------------------------------------------------------

    def run(self, files: Iterable[Path]) -> None:
        """Python files with a hint of SQL or an ORM first, with the modules they import (constants);
        then the other files that name one of the models found."""
        paths = sorted((self._relative(p), p) for p in files if p.suffix in (".py", ".sql"))
        pyfiles: list[orm.PyFile] = []
        later: list[tuple[str, Path, str]] = []
        for rel, path in paths:
            self.sql.deadline = time.monotonic() + FILE_SECONDS
            text = self._read(rel, path)
            if text is None:
                continue
            if path.suffix == ".sql":
                self._sql_file(rel, text)
            elif any(hint in text for hint in HINTS) or any(hint in text.lower() for hint in LOWER_HINTS):
                pyfiles += self._load(rel, path, text)
            else:
                later.append((rel, path, text))
        imported = {  # modules that constants (TABLE_EVENTS = "events") are imported from
            module
            for pyfile in pyfiles
            for module, _, name in (q.rpartition(".") for q in pyfile.bindings.values())
            if name.isupper()
        }
        for rel, path, text in [item for item in later if self._module(item[1])[0] in imported]:
            later.remove((rel, path, text))
            pyfiles += self._load(rel, path, text)
        for pyfile in pyfiles:
            self.sql.deadline = time.monotonic() + FILE_SECONDS
            self._python(pyfile)
        names = {m.qualname.rpartition(".")[2] for m in self.models.resolve()[0]}
        mention = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b")
        for rel, path, text in later if names else ():
            for pyfile in self._load(rel, path, text) if mention.search(text) else ():
                self.sql.deadline = time.monotonic() + FILE_SECONDS
                self._python(pyfile)

    def _load(self, rel: str, path: Path, text: str) -> list[orm.PyFile]:
        try:
            tree = ast.parse(text, filename=rel)
        except SyntaxError as error:
            self.scan.warnings.append(f"{rel}:{error.lineno or 0}: syntax error, skipped ({error.msg})")
            return []
        except (ValueError, RecursionError, MemoryError) as error:
            self.scan.warnings.append(f"{rel}: cannot be parsed, skipped ({type(error).__name__})")
            return []
        module, is_package = self._module(path)
        pyfile = orm.load_file(tree, rel, module, is_package, text.splitlines())
        self.modules[module] = None if module in self.modules else pyfile  # ambiguous: no cross-file
        return [pyfile]

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return Path(os.path.relpath(path, self.root)).as_posix()

    def _read(self, rel: str, path: Path) -> str | None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.scan.warnings.append(f"{rel}: larger than 2 MB, skipped")
                return None
            data = path.read_bytes()
        except OSError as error:
            self.scan.warnings.append(f"{rel}: cannot be read, skipped ({error.strerror or error})")
            return None
        if b"\x00" in data:
            self.scan.warnings.append(f"{rel}: binary file, skipped")
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        if path.suffix == ".py":  # a PEP 263 coding cookie
            with contextlib.suppress(SyntaxError, LookupError, UnicodeDecodeError):
                encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
                if encoding not in ("utf-8", "utf-8-sig"):
                    return data.decode(encoding)
        self.scan.warnings.append(f"{rel}: not valid UTF-8, skipped")
        return None

    def _module(self, path: Path) -> tuple[str, bool]:
        """Dotted module name from the chain of folders that have ``__init__.py``."""
        parts = [] if path.name == "__init__.py" else [path.stem]
        folder = path.parent
        while folder.name and self._is_package(folder):
            parts.insert(0, folder.name)
            folder = folder.parent
        return ".".join(parts) or path.stem, path.name == "__init__.py"

    def _is_package(self, folder: Path) -> bool:
        if folder not in self.packages:
            self.packages[folder] = (folder / "__init__.py").is_file()
        return self.packages[folder]

    def _sql_file(self, rel: str, text: str) -> None:
        how = "migration" if MIGRATION_PATH.search(rel) else "sql-file"
        self._sql_text(text, rel, lambda line: line, how)

    # -- SQL text -----------------------------------------------------------------------------------

    def _sql_text(
        self,
        text: str,
        rel: str,
        line_of: int | Callable[[int], int],
        how: str,
        display: str = "",
        original: str = "",
        report: bool = True,
    ) -> None:
        """Parse ``text`` and record what each statement touches; ``display`` marks SQL built at run
        time (shown with its expressions in braces), where placeholder tables become Unresolved.
        Without ``report`` (a generic method name on an object that is not a database), a text that
        does not parse is taken for something else than SQL."""
        at = line_of if callable(line_of) else (lambda _line: line_of)
        statements = self.sql.statements(text)
        if statements is None:
            statements = [_Stmt(1, 0, len(text), None, "cannot be tokenized")]
        for statement in statements:
            line = at(statement.line)
            written = (original or text)[statement.start : statement.end]
            evidence = Evidence(rel, line, _collapse(display or written), how)
            if statement.error and not report:
                continue
            if statement.error == "timeout":
                self.scan.warnings.append(
                    f"{rel}:{line}: SQL parsing over {FILE_SECONDS:.0f} s, rest skipped"
                )
                self.scan.unresolved.append(
                    Unresolved("sql", "SQL not parsed: time budget exceeded", evidence)
                )
            elif statement.error and display:
                reason = f"SQL built at run time could not be parsed: {_collapse(display)}"
                self.scan.unresolved.append(Unresolved("sql", reason, evidence))
            elif statement.error:
                self.scan.warnings.append(f"{rel}:{line}: unparsable SQL ({statement.error})")
                self.scan.unresolved.append(Unresolved("sql", f"unparsable SQL: {statement.error}", evidence))
            elif statement.tree is not None:
                self._statement(statement, written, evidence, display)

    def _statement(self, statement: _Stmt, written: str, evidence: Evidence, display: str) -> None:
        tree = statement.tree
        assert tree is not None
        self.scan.statements += 1
        if isinstance(tree, exp.Command):
            if TABLE_COMMAND.match(written):
                what = "SQL built at run time could not be parsed" if display else "statement not understood"
                reason = f"{what}: {_collapse(display or written)[:80]}"
                self.scan.unresolved.append(Unresolved("sql", reason, evidence))
            return
        dynamic = bool(display) and any(DYN in a.name for a in tree.find_all(exp.TableAlias))
        for name, mode in table_accesses(tree):
            if DYN in name:
                dynamic = True
            else:
                self.scan.accesses.append(TableAccess(name, mode, evidence))
        if dynamic:
            reason = f"table name built at run time: {_collapse(display)}"
            self.scan.unresolved.append(Unresolved("sql", reason, evidence))

    # -- Python ---------------------------------------------------------------------------------

    def _python(self, pyfile: orm.PyFile) -> None:
        how = "migration" if pyfile.migration else "sql"
        self.models.add(pyfile)
        for site in pyfile.calls:
            if id(site.call) in pyfile.skip:
                continue
            if pyfile.migration:
                const = functools.partial(self._value, pyfile, func=site.func, cls=site.cls)
                accesses, unresolved, sqls = orm.migration_ops(pyfile, site, const, self.django)
                self.scan.accesses += accesses
                self.scan.unresolved += unresolved
                for sql in sqls:  # RunSQL also takes a list of statements or of (statement, params)
                    items = sql.elts if isinstance(sql, (ast.List, ast.Tuple)) else [sql]
                    for item in items:
                        item = item.elts[0] if isinstance(item, ast.Tuple) and item.elts else item
                        self._sql_arg(pyfile, site, item, how, report=True)
                if sqls:
                    continue
            self._sink(pyfile, site, how)
            self.uses += orm.model_uses(pyfile, site.call)

    def _sink(self, pyfile: orm.PyFile, site: orm.Site, how: str) -> None:
        call, func = site.call, site.call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        evidence = pyfile.evidence(call, how)
        if name in TABLE_SINKS and isinstance(func, ast.Attribute):
            position, keyword, mode, report = TABLE_SINKS[name]
            expr = orm.arg(call, position, keyword)
            table = self._value(pyfile, expr, site.func, site.cls)
            if table:
                schema = orm.keyword_str(call, "schema")
                self.scan.accesses.append(TableAccess(orm.qualify(table, schema), mode, evidence))
            elif report and expr is not None and not isinstance(expr, ast.Call):
                reason = f"table name is not a literal: {orm.unparse(expr)[:80]}"
                self.scan.unresolved.append(Unresolved("sql", reason, evidence))
            return
        if name == "extra" and isinstance(func, ast.Attribute):  # Django QuerySet.extra(where=, tables=)
            for keyword_arg in call.keywords:
                items = keyword_arg.value.elts if isinstance(keyword_arg.value, (ast.List, ast.Tuple)) else []
                for item in items:
                    text = self._value(pyfile, item, site.func, site.cls) or ""
                    if keyword_arg.arg == "tables" and text:
                        self.scan.accesses.append(TableAccess(orm.qualify(text), "read", evidence))
                    elif keyword_arg.arg == "where" and "select" in text.lower():
                        self._sql_text(f"SELECT 1 WHERE {text}", pyfile.path, call.lineno, how)
            return
        if name not in STRONG_SINKS and name not in WEAK_SINKS:
            return
        arg = (
            call.args[0]
            if call.args
            else next((k.value for k in call.keywords if k.arg in SQL_KEYWORDS), None)
        )
        if arg is None or isinstance(arg, ast.Starred):
            return
        text_only = name in TEXT_ONLY_SINKS or (name == "text" and self._sqlalchemy_text(pyfile, func))
        strong = text_only or name in STRONG_SINKS
        self._sql_arg(pyfile, site, arg, how, strong or (name not in QUIET_SINKS and _dbish(func)), text_only)

    def _sql_arg(
        self,
        pyfile: orm.PyFile,
        site: orm.Site,
        arg: ast.expr,
        how: str,
        report: bool,
        text_only: bool = False,
    ) -> None:
        """SQL given to a call; ``report`` lists what cannot be read as Unresolved, and ``text_only``
        (the call takes SQL text, never a query object) also a query returned by another call."""
        evidence = pyfile.evidence(site.call, how)
        candidates = self._strings(pyfile, site.func, site.cls, arg, [0])
        if not candidates and text_only:
            reason = f"SQL built by a call: {orm.unparse(arg)[:80]}"
            self.scan.unresolved.append(Unresolved("sql", reason, evidence))
        for parts in candidates:
            static = all(isinstance(p, str) for p in parts)
            if len(parts) == 1 and not static:
                if report:
                    reason = f"SQL is not a literal: {_render(parts)[1][1:-1][:80]}"
                    self.scan.unresolved.append(Unresolved("sql", reason, evidence))
                continue
            sql, shown = _render(parts)
            if not SQL_START.match(sql) or not (report or SQL_SHAPE.search(sql)):
                if report and sql.lstrip().startswith(DYN):  # the statement itself is chosen at run time
                    self.scan.unresolved.append(
                        Unresolved("sql", f"SQL built at run time: {_collapse(shown)}", evidence)
                    )
                continue
            line: int | Callable[[int], int] = site.call.lineno
            if static and isinstance(arg, ast.Constant) and arg.end_lineno == arg.lineno + sql.count("\n"):
                line = functools.partial(_offset, arg.lineno)
            original = "".join(p for p in parts if isinstance(p, str)) if static else ""
            self._sql_text(sql, pyfile.path, line, how, "" if static else shown, original, report)

    def _value(
        self,
        pyfile: orm.PyFile,
        expr: ast.expr | None,
        func: ast.AST | None = None,
        cls: ast.ClassDef | None = None,
    ) -> str | None:
        """The one literal value of an expression (in a function or class, else at module level), or None."""
        values = self._strings(pyfile, func, cls, expr, [0]) if expr is not None else []
        if len(values) == 1 and all(isinstance(p, str) for p in values[0]):
            return "".join(str(p) for p in values[0])
        return None

    def _strings(
        self,
        pyfile: orm.PyFile,
        func: ast.AST | None,
        cls: ast.ClassDef | None,
        node: ast.expr,
        budget: list[int],
    ) -> list[list[Part]]:
        """Candidate values of a string expression: literal text and run-time parts (``_Dyn``);
        [] when the expression is not a string at all (e.g. a call building a query object)."""
        budget[0] += 1
        if budget[0] > 200:
            return [[_Dyn(orm.unparse(node))]]
        if isinstance(node, ast.Constant):
            return [[node.value]] if isinstance(node.value, str) else []
        if isinstance(node, ast.JoinedStr):
            values = node.values
            return [
                [
                    str(v.value) if isinstance(v, ast.Constant) else _Dyn(orm.unparse(getattr(v, "value", v)))
                    for v in values
                ]
            ]
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            left = self._strings(pyfile, func, cls, node.left, budget) or [[_Dyn(orm.unparse(node.left))]]
            if isinstance(node.op, ast.Mod):
                fields = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
                return [
                    _split(PY_FORMAT, t, fields)
                    if (t := _literal(c)) is not None
                    else [_Dyn(orm.unparse(node))]
                    for c in left
                ]
            right = self._strings(pyfile, func, cls, node.right, budget) or [[_Dyn(orm.unparse(node.right))]]
            return [a + b for a in left for b in right][:8]
        if isinstance(node, ast.Call):
            callee = node.func
            method = (
                callee.attr
                if isinstance(callee, ast.Attribute)
                else callee.id
                if isinstance(callee, ast.Name)
                else ""
            )
            if method == "format" and isinstance(callee, ast.Attribute):
                base = self._strings(pyfile, func, cls, callee.value, budget)
                return [
                    _split(BRACE_FORMAT, t, node.args)
                    if (t := _literal(c)) is not None
                    else [_Dyn(orm.unparse(node))]
                    for c in base
                ]
            if (
                method in ("strip", "lstrip", "rstrip")
                and isinstance(callee, ast.Attribute)
                and not node.args
            ):
                return self._strings(pyfile, func, cls, callee.value, budget)
            if method == "dedent" and len(node.args) == 1:
                return self._strings(pyfile, func, cls, node.args[0], budget)
            return []
        if isinstance(node, ast.Name):
            return self._name(pyfile, func, cls, node, budget)
        if isinstance(node, ast.Attribute):
            owner = node.value
            if cls is not None and isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                values = pyfile.scope(cls)[0].get(node.attr, [])
                if values:
                    return [c for v in values for c in self._strings(pyfile, None, cls, v, budget)][:8]
            found = self._elsewhere(pyfile, node, budget)
            return found if found is not None else [[_Dyn(orm.unparse(node))]]
        return [[_Dyn(orm.unparse(node))]]

    def _name(
        self,
        pyfile: orm.PyFile,
        func: ast.AST | None,
        cls: ast.ClassDef | None,
        node: ast.Name,
        budget: list[int],
    ) -> list[list[Part]]:
        """A name: assigned in the function, a parameter, a module constant, or imported."""
        plain, augmented = pyfile.scope(func) if func is not None else ({}, {})
        if node.id not in plain and node.id not in augmented:
            if func is not None and node.id in _parameters(func):
                return [[_Dyn(node.id)]]
            func, cls = None, None
            plain, augmented = pyfile.scope(None)
        values = plain.get(node.id, [])
        if not values:
            found = self._elsewhere(pyfile, node, budget)
            return found if found is not None else [[_Dyn(node.id)]]
        candidates = [c for v in values for c in self._strings(pyfile, func, cls, v, budget)][:8]
        for extra in augmented.get(node.id, []):  # sql += " AND ..." (all of them, in order)
            more = self._strings(pyfile, func, cls, extra, budget) or [[_Dyn(orm.unparse(extra))]]
            candidates = [c + more[0] for c in candidates]
        return candidates

    def _elsewhere(self, pyfile: orm.PyFile, node: ast.expr, budget: list[int]) -> list[list[Part]] | None:
        """A constant of another module of this scan, named through an import."""
        qualname = pyfile.resolve(node) or ""
        module, _, name = qualname.rpartition(".")
        other = self.modules.get(module)
        values = other.scope(None)[0].get(name, []) if other is not None else []
        if other is None or not values:
            return None
        return [c for v in values for c in self._strings(other, None, None, v, budget)][:8]

    @staticmethod
    def _sqlalchemy_text(pyfile: orm.PyFile, func: ast.expr) -> bool:
        parts = orm.dotted(func) or []
        if pyfile.resolve(func) in SA_TEXT or parts in (["db", "text"], ["sa", "text"]):
            return True
        return (
            parts == ["text"]
            and "text" not in pyfile.bindings
            and any(s.startswith("sqlalchemy") for s in pyfile.stars)
        )

    # -- result ---------------------------------------------------------------------------------

    def result(self) -> SqlScan:
        scan = self.scan
        models, unresolved = self.models.resolve()
        scan.models += models
        scan.unresolved += unresolved
        known = {m.qualname: m.qualname for m in scan.models}
        for pyfile in self.modules.values():
            for name, target in (pyfile.bindings if pyfile else {}).items():
                if target in known:
                    known.setdefault(f"{pyfile.module}.{name}", known[target])  # type: ignore[union-attr]
        for use, strict in self.uses:
            qualname = orm.canonical_use(use.qualname, known, strict)
            if qualname:
                scan.uses.append(ModelUse(qualname, use.mode, use.evidence))
        scan.accesses = sorted(set(scan.accesses))
        scan.models = sorted(set(scan.models))
        scan.uses = sorted(set(scan.uses))
        scan.unresolved = sorted(set(scan.unresolved), key=lambda u: (u.evidence, u.kind, u.reason))
        scan.warnings = list(dict.fromkeys(scan.warnings))
        return scan


def _literal(candidate: list[Part]) -> str | None:
    return candidate[0] if len(candidate) == 1 and isinstance(candidate[0], str) else None


def _split(pattern: re.Pattern[str], text: str, args: list[ast.expr]) -> list[Part]:
    """``"... %s ..." % x`` or ``"... {} ...".format(x)``: the fields become run-time parts."""
    parts: list[Part] = []
    position = 0
    index = 0
    for match in pattern.finditer(text):
        parts.append(text[position : match.start()])
        field_text = match.group()
        if field_text in ("%%", "{{", "}}"):
            parts.append(field_text[0])
        else:  # {name} / %(name)s show their name, {} / %s the argument in their position
            named = re.match(r"\{([^{}:!]+)|%\((\w+)\)", field_text)
            shown = next(g for g in named.groups() if g) if named else ""
            shown = shown or (orm.unparse(args[index]) if index < len(args) else field_text)
            parts.append(_Dyn(shown))
            index += 0 if named else 1
        position = match.end()
    parts.append(text[position:])
    return parts


def _render(parts: list[Part]) -> tuple[str, str]:
    """(SQL with placeholders for sqlglot, the same with run-time parts in braces for people)."""
    sql: list[str] = []
    shown: list[str] = []
    for part in parts:
        if isinstance(part, _Dyn):
            sql.append(f"{DYN}{len(sql)}__")
            shown.append("{" + part.text + "}")
        else:
            sql.append(
                DB_PARAM.sub(lambda m: ("%" if m.group() == "%%" else "?").rjust(len(m.group())), part)
            )
            shown.append(part)
    return "".join(sql), "".join(shown)


def _offset(first: int, line: int) -> int:
    return first + line - 1


def _parameters(func: ast.AST) -> set[str]:
    args = getattr(func, "args", None)
    if not isinstance(args, ast.arguments):
        return set()
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def _dbish(func: ast.expr) -> bool:
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if isinstance(receiver, ast.Call):
        receiver = receiver.func
    parts = orm.dotted(receiver) if receiver is not None else None
    return bool(parts and DBISH.search(parts[-1]))

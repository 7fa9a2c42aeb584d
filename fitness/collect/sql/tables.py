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
placeholder is listed as Unresolved. Bounds (``fitness.collect.sql.parse``): files over 2 MB and
statements over 64 kB are skipped (a multi-row INSERT is read from its head), a statement sqlglot takes
over a second on is abandoned, and SQL parsing stops after 10 s per file, each with a warning.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import os
import re
import time
import tokenize
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlglot import exp

from fitness.collect.python import orm_models as orm
from fitness.collect.python.nesting import ExpressionTooDeep
from fitness.collect.python.orm_declare import Models
from fitness.collect.python.orm_uses import canonical_use, model_uses
from fitness.collect.python.parse_cache import ParseCache, parse
from fitness.collect.sql.migrations import migration_ops
from fitness.collect.sql.parse import TABLE_COMMAND, Sql, Stmt, quiet, table_accesses
from fitness.collect.sql.strings import (
    DYN,
    HINTS,
    LOWER_HINTS,
    QUIET_SINKS,
    SQL_KEYWORDS,
    SQL_SHAPE,
    SQL_START,
    STRONG_SINKS,
    TABLE_SINKS,
    TEXT_ONLY_SINKS,
    WEAK_SINKS,
    Strings,
    collapse,
    dbish,
    offset,
    render,
    sqlalchemy_text,
)
from fitness.inputs import Unreadable, read_bytes
from fitness.model import Evidence
from fitness.model.facts import ModelClass, ModelUse, TableAccess, Unresolved

__all__ = ["SqlScan", "scan_tables", "table_accesses"]

MAX_FILE_BYTES = 2 * 1024 * 1024
FILE_SECONDS = 10.0
MIGRATION_PATH = re.compile(r"(^|/)(migrations?|migrate|flyway|liquibase|versions)/|(^|/)V\d+[_.]")


@dataclass
class SqlScan:
    """Tables read and written by one service's files, its ORM models and their uses."""

    accesses: list[TableAccess] = field(default_factory=list)
    models: list[ModelClass] = field(default_factory=list)
    uses: list[ModelUse] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    statements: int = 0  # SQL statements parsed


def scan_tables(
    files: Iterable[Path],
    root: Path,
    dialect: str | None = None,
    texts: Mapping[str, str] | None = None,
    trees: ParseCache | None = None,
) -> SqlScan:
    """Scan the ``.py`` and ``.sql`` files of one service (other files are ignored). Evidence paths are
    relative to ``root``; every list of the result is sorted (unresolved entries by location).
    ``texts`` (relative path -> text) and ``trees`` are what other scans of the same service already
    read and parsed: a file found there is not read or parsed again."""
    scanner = _Scanner(root, dialect)
    scanner.texts, scanner.trees = texts or {}, trees
    with quiet(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning of analysed code is not ours to report
        scanner.run(files)
        return scanner.result()


class _Scanner:
    def __init__(self, root: Path, dialect: str | None) -> None:
        self.root = root
        self.prefix = str(root).rstrip("/") + "/" if os.sep == "/" and str(root) not in ("", ".") else ""
        self.scan = SqlScan()
        self.sql = Sql(dialect, self.scan.warnings)
        self.packages: dict[Path, bool] = {}
        self.modules: dict[str, orm.PyFile | None] = {}
        self.strings = Strings(self.modules)
        self.models = Models(self.strings.value)
        self.uses: list[tuple[ModelUse, bool]] = []
        self.django: dict[tuple[str, str], str] = {}
        self.texts: Mapping[str, str] = {}
        self.trees: ParseCache | None = None
        self.accessed: dict[int, list[tuple[str, str]]] = {}  # id(tree) -> its accesses, per SQL text

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
        # (no constant imported: no file to name, and no module name to work out for each file)
        for rel, path, text in [item for item in later if imported and self._module(item[1])[0] in imported]:
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
            tree = parse(rel, text, self.trees)
        except SyntaxError as error:
            self.scan.warnings.append(f"{rel}:{error.lineno or 0}: syntax error, skipped ({error.msg})")
            return []
        except ExpressionTooDeep as error:
            self.scan.warnings.append(f"{rel}:{error.found.line}: {error.found.reason()}")
            return []
        except (ValueError, RecursionError, MemoryError) as error:
            self.scan.warnings.append(f"{rel}: cannot be parsed, skipped ({type(error).__name__})")
            return []
        module, is_package = self._module(path)
        pyfile = orm.load_file(tree, rel, module, is_package, text.splitlines())
        self.modules[module] = None if module in self.modules else pyfile  # ambiguous: no cross-file
        return [pyfile]

    def _relative(self, path: Path) -> str:
        text, base = str(path), self.prefix
        if base and text.startswith(base):
            return text[len(base) :]  # what relative_to gives, without pathlib's cost per file
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return Path(os.path.relpath(path, self.root)).as_posix()

    def _read(self, rel: str, path: Path) -> str | None:
        if rel in self.texts:
            return self.texts[rel]
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.scan.warnings.append(f"{rel}: larger than 2 MB, skipped")
                return None
            data = read_bytes(path, MAX_FILE_BYTES, self.root)  # no FIFO, device or symlink out of the tree
        except OSError as error:
            self.scan.warnings.append(f"{rel}: cannot be read, skipped ({error.strerror or error})")
            return None
        except Unreadable as error:
            self.scan.warnings.append(f"{rel}: {error.reason.removeprefix('is ')}, skipped")
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
            statements = [Stmt(1, 0, len(text), None, "cannot be tokenized")]
        self.accessed = {}  # statements alike in all but literals share one tree: walk it once
        for statement in statements:
            line = at(statement.line)
            written = (original or text)[statement.start : statement.end]
            evidence = Evidence(rel, line, collapse(display or written), how)
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
                reason = f"SQL built at run time could not be parsed: {collapse(display)}"
                self.scan.unresolved.append(Unresolved("sql", reason, evidence))
            elif statement.error:
                self.scan.warnings.append(f"{rel}:{line}: unparsable SQL ({statement.error})")
                self.scan.unresolved.append(Unresolved("sql", f"unparsable SQL: {statement.error}", evidence))
            elif statement.tree is not None:
                self._statement(statement, written, evidence, display)

    def _statement(self, statement: Stmt, written: str, evidence: Evidence, display: str) -> None:
        tree = statement.tree
        assert tree is not None
        self.scan.statements += 1
        if isinstance(tree, exp.Command):
            if TABLE_COMMAND.match(written):
                what = "SQL built at run time could not be parsed" if display else "statement not understood"
                reason = f"{what}: {collapse(display or written)[:80]}"
                self.scan.unresolved.append(Unresolved("sql", reason, evidence))
            return
        dynamic = bool(display) and any(DYN in a.name for a in tree.find_all(exp.TableAlias))
        accesses = self.accessed.get(id(tree)) if statement.accesses is None else statement.accesses
        if accesses is None:
            accesses = self.accessed[id(tree)] = table_accesses(tree)
        for name, mode in accesses:
            if DYN in name:
                dynamic = True
            else:
                self.scan.accesses.append(TableAccess(name, mode, evidence))
        if dynamic:
            reason = f"table name built at run time: {collapse(display)}"
            self.scan.unresolved.append(Unresolved("sql", reason, evidence))

    # -- Python ---------------------------------------------------------------------------------

    def _python(self, pyfile: orm.PyFile) -> None:
        how = "migration" if pyfile.migration else "sql"
        self.models.add(pyfile)
        for site in pyfile.calls:
            if id(site.call) in pyfile.skip:
                continue
            if pyfile.migration:
                const = functools.partial(self.strings.value, pyfile, func=site.func, cls=site.cls)
                accesses, unresolved, sqls = migration_ops(pyfile, site, const, self.django)
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
            self.uses += model_uses(pyfile, site.call)

    def _sink(self, pyfile: orm.PyFile, site: orm.Site, how: str) -> None:
        call, func = site.call, site.call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        evidence = pyfile.evidence(call, how)
        if name in TABLE_SINKS and isinstance(func, ast.Attribute):
            position, keyword, mode, report = TABLE_SINKS[name]
            expr = orm.arg(call, position, keyword)
            table = self.strings.value(pyfile, expr, site.func, site.cls)
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
                    text = self.strings.value(pyfile, item, site.func, site.cls) or ""
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
        text_only = name in TEXT_ONLY_SINKS or (name == "text" and sqlalchemy_text(pyfile, func))
        strong = text_only or name in STRONG_SINKS
        self._sql_arg(pyfile, site, arg, how, strong or (name not in QUIET_SINKS and dbish(func)), text_only)

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
        candidates = self.strings.strings(pyfile, site.func, site.cls, arg, [0])
        if not candidates and text_only:
            reason = f"SQL built by a call: {orm.unparse(arg)[:80]}"
            self.scan.unresolved.append(Unresolved("sql", reason, evidence))
        for parts in candidates:
            static = all(isinstance(p, str) for p in parts)
            if len(parts) == 1 and not static:
                if report:
                    reason = f"SQL is not a literal: {render(parts)[1][1:-1][:80]}"
                    self.scan.unresolved.append(Unresolved("sql", reason, evidence))
                continue
            sql, shown = render(parts)
            if not SQL_START.match(sql) or not (report or SQL_SHAPE.search(sql)):
                if report and sql.lstrip().startswith(DYN):  # the statement itself is chosen at run time
                    self.scan.unresolved.append(
                        Unresolved("sql", f"SQL built at run time: {collapse(shown)}", evidence)
                    )
                continue
            line: int | Callable[[int], int] = site.call.lineno
            if static and isinstance(arg, ast.Constant) and arg.end_lineno == arg.lineno + sql.count("\n"):
                line = functools.partial(offset, arg.lineno)
            original = "".join(p for p in parts if isinstance(p, str)) if static else ""
            self._sql_text(sql, pyfile.path, line, how, "" if static else shown, original, report)

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
            qualname = canonical_use(use.qualname, known, strict)
            if qualname:
                scan.uses.append(ModelUse(qualname, use.mode, use.evidence))
        scan.accesses = sorted(set(scan.accesses), key=_access_order)  # dataclass order, without its __lt__
        scan.models = sorted(set(scan.models))
        scan.uses = sorted(set(scan.uses))
        scan.unresolved = sorted(set(scan.unresolved), key=lambda u: (u.evidence, u.kind, u.reason))
        scan.warnings = list(dict.fromkeys(scan.warnings))
        return scan


def _access_order(access: TableAccess) -> tuple[str, str, Evidence]:
    """The order of TableAccess (its fields in turn), as a key: a dump's 20,000 accesses sort in a tenth
    of the time ``order=True``'s generated ``__lt__`` takes."""
    return access.table, access.mode, access.evidence

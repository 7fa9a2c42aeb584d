"""ORM model classes, the code that uses them, and schema migrations, read with ``ast`` (never imported).

Models: SQLAlchemy declarative (``__tablename__``, ``__table__ = Table(...)``, ``__table_args__`` schema,
single-table inheritance, ``__abstract__``), ``Table("name", metadata)``, Flask-SQLAlchemy ``db.Model``
without ``__tablename__`` (snake_case of the class name, as Flask-SQLAlchemy 3 does), SQLModel
(``table=True``; default name = class name lower-cased), Django (``<app_label>_<class lower>`` with
app_label = the app folder, ``Meta.db_table``/``app_label``; abstract models skipped, proxies map their
parent's table) and Peewee (class name lower-cased, snake_case with ``legacy_table_names = False``,
``Meta.table_name``/``schema``; field-less base classes skipped). A use is a dotted name resolved through
the file's imports or its own classes; the pipeline joins it with the model classes of every service.

Migrations: Alembic ``op.*`` operations write the table they name (``op.execute`` SQL is parsed), Django
``migrations.*`` operations write their model's table (``<app>_<model>`` unless CreateModel or
AlterModelTable declared one; ``RunSQL`` is parsed; ``state_operations`` never run).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Union

from fitness.collect.facts import ModelClass, ModelUse, TableAccess, Unresolved
from fitness.model import Evidence


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DJANGO_BASES = words(
    "django.db.models.Model django.db.models.base.Model django.contrib.gis.db.models.Model "
    "django.contrib.auth.models.AbstractUser django.contrib.auth.models.AbstractBaseUser "
    "django.contrib.auth.base_user.AbstractBaseUser"
)
PEEWEE_BASES = words("peewee.Model playhouse.signals.Model")
NOT_MODELS = frozenset(sys.stdlib_module_names) | words("sqlalchemy sqlmodel peewee playhouse")
DJANGO_READ = words(
    "filter get all exclude values values_list count exists first last aggregate annotate iterator order_by "
    "select_related prefetch_related only defer distinct in_bulk latest earliest none raw using dates "
    "datetimes alias union select_for_update afirst alast aget acount aexists aaggregate ain_bulk"
)
DJANGO_WRITE = words(
    "create bulk_create get_or_create update_or_create update delete bulk_update acreate abulk_create "
    "aget_or_create aupdate_or_create aupdate adelete abulk_update"
)
PEEWEE_READ = words("select get get_or_none get_by_id")
PEEWEE_WRITE = words(
    "create insert insert_many insert_from update delete replace replace_many bulk_create bulk_update "
    "get_or_create delete_by_id set_by_id"
)
SESSION_WRITES = words("add merge add_all bulk_save_objects")
SESSIONISH = re.compile(r"(?i)session|^(db|sess)$")
# Alembic operations -> the (position, keyword) slots that name a table
ALEMBIC_OPS: dict[str, tuple[tuple[int, str], ...]] = {
    "create_table": ((0, "table_name"),),
    "drop_table": ((0, "table_name"),),
    "rename_table": ((0, "old_table_name"), (1, "new_table_name")),
    "add_column": ((0, "table_name"),),
    "drop_column": ((0, "table_name"),),
    "alter_column": ((0, "table_name"),),
    "create_index": ((1, "table_name"),),
    "drop_index": ((1, "table_name"),),
    "create_foreign_key": ((1, "source_table"),),
    "create_unique_constraint": ((1, "table_name"),),
    "create_primary_key": ((1, "table_name"),),
    "create_check_constraint": ((1, "table_name"),),
    "create_exclude_constraint": ((1, "table_name"),),
    "drop_constraint": ((1, "table_name"),),
    "create_table_comment": ((0, "table_name"),),
    "drop_table_comment": ((0, "table_name"),),
    "batch_alter_table": ((0, "table_name"),),
}
DJANGO_MODEL_OPS = {
    **dict.fromkeys(
        words(
            "CreateModel DeleteModel AlterModelTable AlterUniqueTogether AlterIndexTogether "
            "AlterOrderWithRespectTo AlterModelTableComment"
        ),
        "name",
    ),
    **dict.fromkeys(
        words(
            "AddField RemoveField AlterField RenameField AddIndex RemoveIndex RenameIndex AddConstraint "
            "RemoveConstraint AlterConstraint"
        ),
        "model_name",
    ),
}
_SCOPE_STMT = (ast.stmt, ast.excepthandler, ast.match_case)
_FUNC = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
Function = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]  # noqa: UP007 (runtime alias, 3.10)
Scope = tuple[dict[str, list[ast.expr]], dict[str, list[ast.expr]]]


class Site:
    """A call, and (computed on demand) the function and class it sits in: for names assigned in the
    same function and ``self.X`` class constants."""

    def __init__(self, call: ast.Call, pyfile: PyFile) -> None:
        self.call = call
        self._pyfile = pyfile
        self._where: tuple[Function | None, ast.ClassDef | None] | None = None

    @property
    def func(self) -> Function | None:
        return self.where()[0]

    @property
    def cls(self) -> ast.ClassDef | None:
        return self.where()[1]

    def where(self) -> tuple[Function | None, ast.ClassDef | None]:
        if self._where is None:
            at = (self.call.lineno, self.call.col_offset)
            func: Function | None = None
            cls: ast.ClassDef | None = None
            for start, end, node in self._pyfile.scopes:  # sorted by start: the last match is innermost
                if start <= at <= end:
                    if isinstance(node, ast.ClassDef):
                        cls = node
                    else:
                        func = node
            self._where = (func, cls)
        return self._where


@dataclass
class PyFile:
    """One parsed Python file: module name, import bindings, and the calls a single walk collected."""

    path: str
    module: str
    package: str
    lines: list[str]
    tree: ast.Module
    bindings: dict[str, str] = field(default_factory=dict)
    stars: list[str] = field(default_factory=list)
    calls: list[Site] = field(default_factory=list)
    scopes: list[tuple[tuple[int, int], tuple[int, int], Function | ast.ClassDef]] = field(
        default_factory=list
    )
    chained: set[int] = field(default_factory=set)
    migration: str = ""  # "alembic" | "django" | ""
    skip: set[int] = field(default_factory=set)  # calls that never run (Django state_operations)
    _scopes: dict[int, Scope] = field(default_factory=dict)

    def text(self, line: int) -> str:
        return self.lines[line - 1].strip()[:200] if 0 < line <= len(self.lines) else ""

    def evidence(self, node: ast.AST, how: str) -> Evidence:
        line = getattr(node, "lineno", 0)
        return Evidence(self.path, line, self.text(line), how)

    def resolve(self, node: ast.AST) -> str | None:
        parts = dotted(node)
        head = self.bindings.get(parts[0]) if parts else None
        return ".".join([head, *parts[1:]]) if head and parts else None

    def scope(self, node: ast.AST | None) -> Scope:
        """Plain and ``+=`` assignments to names directly in a function, class or module body."""
        owner = self.tree if node is None else node
        if id(owner) not in self._scopes:
            body = getattr(owner, "body", None)  # a Lambda's body is an expression: no assignments
            self._scopes[id(owner)] = assignments(body if isinstance(body, list) else [])
        return self._scopes[id(owner)]


def unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)[:120]
    except Exception:  # RecursionError on deeply nested expressions
        return "..."


def dotted(node: ast.AST) -> list[str] | None:
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    names.append(node.id)
    return names[::-1]


def _statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The statements of a body in source order, nested blocks included, nested function and class
    bodies excluded."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*_FUNC, ast.ClassDef)):
            stack.extend(reversed([c for c in ast.iter_child_nodes(node) if isinstance(c, _SCOPE_STMT)]))


def assignments(body: list[ast.stmt]) -> Scope:
    """Plain and ``+=`` assignments to names, by name, in source order."""
    plain: dict[str, list[ast.expr]] = {}
    augmented: dict[str, list[ast.expr]] = {}
    for node in _statements(body):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    plain.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
            plain.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            augmented.setdefault(node.target.id, []).append(node.value)
    return plain, augmented


def load_file(tree: ast.Module, path: str, module: str, is_package: bool, lines: list[str]) -> PyFile:
    """Walk the tree once: imports become bindings; calls (in source order), functions and classes
    are kept."""
    package = module if is_package else module.rpartition(".")[0]
    pyfile = PyFile(path, module, package, lines, tree)
    top: dict[str, str] = {}
    nested: dict[str, str] = {}
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.append(node)
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            while isinstance(receiver, ast.Subscript):
                receiver = receiver.value
            if isinstance(receiver, ast.Call):
                pyfile.chained.add(id(receiver))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            _bind(pyfile, node, nested)
        elif isinstance(node, (*_FUNC, ast.ClassDef)):
            end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
            pyfile.scopes.append(((node.lineno, node.col_offset), end, node))
    pyfile.scopes.sort(key=lambda scope: scope[0])
    calls.sort(key=lambda call: (call.lineno, call.col_offset))  # stable: an outer call stays first
    pyfile.calls = [Site(call, pyfile) for call in calls]
    for node in _statements(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _bind(pyfile, node, top)
    pyfile.bindings = {**nested, **top}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            pyfile.bindings[node.name] = f"{module}.{node.name}"
        elif isinstance(node, ast.Assign) and is_table(pyfile, node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    pyfile.bindings[target.id] = f"{module}.{target.id}"
    values = set(pyfile.bindings.values())
    if "alembic.op" in values:
        pyfile.migration = "alembic"
    elif "django.db.migrations" in values and "/migrations/" in f"/{path}":
        pyfile.migration = "django"
    return pyfile


def _bind(pyfile: PyFile, node: ast.Import | ast.ImportFrom, into: dict[str, str]) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                into[alias.asname] = alias.name
            else:
                head = alias.name.split(".")[0]
                into[head] = head
        return
    if node.level:
        parts = pyfile.package.split(".") if pyfile.package else []
        if node.level - 1 > len(parts):
            return
        parts = parts[: len(parts) - (node.level - 1)] + ([node.module] if node.module else [])
        base = ".".join(parts)
    else:
        base = node.module or ""
    for alias in node.names:
        if alias.name == "*":
            pyfile.stars.append(base)
        elif base:
            into[alias.asname or alias.name] = f"{base}.{alias.name}"


def is_table(pyfile: PyFile, node: ast.AST) -> bool:
    """A SQLAlchemy ``Table("orders", metadata, ...)`` call (not ``table()``, nor rich's ``Table``)."""
    if not (isinstance(node, ast.Call) and len(node.args) >= 2):
        return False
    qualname = pyfile.resolve(node.func) or ""
    if qualname.startswith(("sqlalchemy.", "sqlmodel.")) and qualname.endswith(".Table"):
        return True
    parts = dotted(node.func) or []
    if parts == ["Table"]:
        return any(star.startswith("sqlalchemy") for star in pyfile.stars)
    return len(parts) == 2 and parts == [parts[0], "Table"] and parts[0] in ("db", "sa")


def keyword_str(call: ast.Call, name: str) -> str:
    for keyword in call.keywords:
        if (
            keyword.arg == name
            and isinstance(keyword.value, ast.Constant)
            and isinstance(keyword.value.value, str)
        ):
            return keyword.value.value
    return ""


def arg(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[position] if len(call.args) > position else None


def qualify(table: str, schema: str = "") -> str:
    name = f"{schema}.{table}" if schema and "." not in table else table
    return name.replace('"', "").replace("`", "").lower()


def snake(name: str, flask: bool = False) -> str:
    if flask:  # Flask-SQLAlchemy 3: HTTPRequest -> http_request
        return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower().lstrip("_")
    first = re.sub("(.)_*([A-Z][a-z]+)", r"\1_\2", name)  # peewee's make_snake_case
    return re.sub("([a-z0-9])_*([A-Z])", r"\1_\2", first).lower()


# -- model classes ------------------------------------------------------------------------------

Const = Callable[[PyFile, ast.expr], "str | None"]  # the literal value of a module-level expression


@dataclass
class ClassInfo:
    """What a module-level class says about its table; kinds are settled across the files of a scan."""

    pyfile: PyFile
    node: ast.ClassDef
    qualname: str
    bases: list[str]
    attrs: dict[str, ast.expr] = field(default_factory=dict)
    meta: dict[str, ast.expr] = field(default_factory=dict)  # class Meta (Django, Peewee)
    columns: bool = False  # Column / mapped_column / Mapped[...] attributes
    fields: bool = False  # peewee or Django *Field attributes
    rule: str = ""  # a __tablename__ function: "lower" (cls.__name__.lower()) or "dynamic"


class Models:
    """The model classes of a scan: collected file by file, settled together (a model's base class
    may live in another file). ``const`` gives names of constants (``__tablename__ = TABLE``) a value."""

    def __init__(self, const: Const) -> None:
        self.const = const
        self.infos: list[ClassInfo] = []
        self.tables: list[tuple[PyFile, ast.Assign, ast.Call]] = []  # orders = Table("orders", ...)
        self.index: dict[str, ClassInfo] = {}
        self.parents: set[str] = set()
        self.kinds: dict[str, str] = {}

    def add(self, pyfile: PyFile) -> None:
        for node in pyfile.tree.body:
            if isinstance(node, ast.Assign) and is_table(pyfile, node.value):
                self.tables.append((pyfile, node, node.value))  # type: ignore[arg-type]
            elif isinstance(node, ast.ClassDef):
                bases = [_base(pyfile, b) for b in node.bases]
                info = ClassInfo(pyfile, node, f"{pyfile.module}.{node.name}", bases)
                for stmt in node.body:
                    _class_statement(info, stmt)
                self.infos.append(info)

    def resolve(self) -> tuple[list[ModelClass], list[Unresolved]]:
        self.index = {info.qualname: info for info in self.infos}
        self.parents = {base for info in self.infos for base in info.bases if base in self.index}
        self.kinds = {}
        found: list[ModelClass] = []
        unresolved: list[Unresolved] = []
        for pyfile, assign, call in self.tables:
            table = self.table_call(pyfile, call)
            for target in assign.targets if table else ():
                if isinstance(target, ast.Name):
                    found.append(
                        ModelClass(f"{pyfile.module}.{target.id}", table, pyfile.evidence(assign, "orm"))
                    )
        for info in self.infos:
            table, reason = self.table(info)
            evidence = info.pyfile.evidence(info.node, "orm")
            if table:
                found.append(ModelClass(info.qualname, table, evidence))
            elif reason:
                unresolved.append(Unresolved("sql", reason, evidence))
        return found, unresolved

    def text(self, pyfile: PyFile, node: ast.expr | None) -> str | None:
        if node is None or isinstance(node, ast.Constant):
            return node.value if node is not None and isinstance(node.value, str) else None
        return self.const(pyfile, node)

    def table_call(self, pyfile: PyFile, call: ast.Call) -> str:
        """``Table("orders", metadata, ..., schema="billing")`` -> "billing.orders"."""
        schema = next((k.value for k in call.keywords if k.arg == "schema"), None)
        name = self.text(pyfile, call.args[0])
        return qualify(name, self.text(pyfile, schema) or "") if name else ""

    def scan_parents(self, info: ClassInfo) -> list[ClassInfo]:
        return [self.index[b] for b in info.bases if b in self.index and b != info.qualname]

    def kind(self, info: ClassInfo, depth: int = 0) -> str:
        if info.qualname in self.kinds or depth > 30:
            return self.kinds.get(info.qualname, "")
        if any(b in DJANGO_BASES for b in info.bases):
            kind = "django"
        elif any(b in PEEWEE_BASES for b in info.bases):
            kind = "peewee"
        else:
            inherited = [self.kind(parent, depth + 1) for parent in self.scan_parents(info)]
            kind = next((k for k in inherited if k in ("django", "peewee")), "")
        if not kind and any(k.arg == "table" and _true(k.value) for k in info.node.keywords):
            kind = "sqlmodel"
        if not kind and self.sa_spec(info)[0]:
            kind = "sqlalchemy"
        self.kinds[info.qualname] = kind
        return kind

    def sa_spec(self, info: ClassInfo, depth: int = 0) -> tuple[str, str]:
        """("table", name) | ("rule", "lower" or "flask") | ("dynamic", "") | ("", "")."""
        table = info.attrs.get("__table__")
        if isinstance(table, ast.Call) and is_table(info.pyfile, table):
            name = self.table_call(info.pyfile, table)
            return ("table", name) if name else ("dynamic", "")
        if "__tablename__" in info.attrs:
            tablename = self.text(info.pyfile, info.attrs["__tablename__"])
            return ("table", qualify(tablename, self.schema(info))) if tablename else ("dynamic", "")
        if info.rule:
            return ("rule", "lower") if info.rule == "lower" else ("dynamic", "")
        for parent in self.scan_parents(info) if depth < 30 else []:
            spec = self.sa_spec(parent, depth + 1)
            if spec[0]:
                return spec
        if info.columns and any(b == "db.Model" or b.endswith(".db.Model") for b in info.bases):
            return "rule", "flask"
        return "", ""

    def option(self, info: ClassInfo, key: str, depth: int = 0) -> tuple[ClassInfo, ast.expr] | None:
        """A Meta option of the class or, inherited, of its scan parents."""
        if key in info.meta:
            return info, info.meta[key]
        for parent in self.scan_parents(info) if depth < 30 else []:
            found = self.option(parent, key, depth + 1)
            if found:
                return found
        return None

    def schema(self, info: ClassInfo, depth: int = 0) -> str:
        """The schema of ``__table_args__`` (a dict, or a tuple ending with one), maybe inherited."""
        args = info.attrs.get("__table_args__")
        args = args.elts[-1] if isinstance(args, ast.Tuple) and args.elts else args
        for key, value in zip(args.keys, args.values, strict=True) if isinstance(args, ast.Dict) else ():
            if isinstance(key, ast.Constant) and key.value == "schema":
                return self.text(info.pyfile, value) or ""
        parents = self.scan_parents(info) if depth < 30 else []
        return next((s for s in (self.schema(p, depth + 1) for p in parents) if s), "")

    def table(self, info: ClassInfo, depth: int = 0) -> tuple[str, str]:
        """(table, "") for a model, ("", reason) when the name is computed at run time, ("", "") else."""
        kind, name, meta = self.kind(info), info.node.name, info.meta
        if kind == "django":
            if _true(meta.get("abstract")):
                return "", ""
            if _true(meta.get("proxy")):  # the table of the concrete parent
                tables = [self.table(p, depth + 1)[0] for p in self.scan_parents(info) if depth < 30]
                return next((t for t in tables if t), ""), ""
            declared = self.text(info.pyfile, meta.get("db_table"))
            app = self.text(info.pyfile, meta.get("app_label")) or app_label(info.pyfile.path)
            return qualify(declared or (f"{app}_{name.lower()}" if app else name.lower())), ""
        if kind == "peewee":
            if not info.fields and info.qualname in self.parents:
                return "", ""  # a base class that only carries Meta options
            declared = self.text(info.pyfile, meta.get("table_name") or meta.get("db_table"))
            legacy = self.option(info, "legacy_table_names")
            snake_case = (
                legacy is not None and isinstance(legacy[1], ast.Constant) and legacy[1].value is False
            )
            schema = self.option(info, "schema")
            schema_name = self.text(schema[0].pyfile, schema[1]) if schema else ""
            return qualify(declared or (snake(name) if snake_case else name.lower()), schema_name or ""), ""
        if kind == "sqlmodel":
            return qualify(self.text(info.pyfile, info.attrs.get("__tablename__")) or name.lower()), ""
        if kind == "sqlalchemy" and not _true(info.attrs.get("__abstract__")):
            spec, value = self.sa_spec(info)
            if spec == "table":
                return value, ""
            if spec == "rule" and info.columns:  # a mixin or base class that names tables has no columns
                default = name.lower() if value == "lower" else snake(name, flask=True)
                return qualify(default, self.schema(info)), ""
            if spec == "dynamic" and info.columns:
                return "", f"table name of model {name} is computed at run time (__tablename__)"
        return "", ""


def _class_statement(info: ClassInfo, stmt: ast.stmt) -> None:
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        value = stmt.value
        for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
            if isinstance(target, ast.Name) and value is not None:
                info.attrs[target.id] = value
        callee = (dotted(value.func) or [""])[-1] if isinstance(value, ast.Call) else ""
        annotation = unparse(stmt.annotation) if isinstance(stmt, ast.AnnAssign) else ""
        info.columns |= callee in ("Column", "mapped_column") or "Mapped[" in annotation
        info.fields |= callee.endswith("Field")
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__tablename__":
        returns = [s.value for s in stmt.body if isinstance(s, ast.Return) and s.value is not None]
        lower = len(returns) == 1 and unparse(returns[0]) == "cls.__name__.lower()"
        info.rule = "lower" if lower else "dynamic"
    elif isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
        for item in stmt.body:
            for target in item.targets if isinstance(item, ast.Assign) else ():
                if isinstance(target, ast.Name):
                    info.meta[target.id] = item.value  # type: ignore[attr-defined]


def _base(pyfile: PyFile, node: ast.expr) -> str:
    qualname = pyfile.resolve(node)
    if qualname:
        return qualname
    parts = dotted(node) or []
    for star in pyfile.stars if len(parts) == 1 else ():
        if f"{star}.{parts[0]}" in DJANGO_BASES | PEEWEE_BASES:
            return f"{star}.{parts[0]}"
    return ".".join(parts) if len(parts) == 2 and parts[0] == "db" else ""  # Flask-SQLAlchemy db.Model


def _true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def app_label(path: str) -> str:
    """Django's default app label: the app folder (the one holding models.py, models/ or migrations/)."""
    parts = path.split("/")[:-1]
    if parts and parts[-1] in ("models", "migrations"):
        parts = parts[:-1]
    return parts[-1] if parts else ""


# -- model uses ---------------------------------------------------------------------------------


def model_uses(pyfile: PyFile, call: ast.Call) -> list[tuple[ModelUse, bool]]:
    """ORM uses in one call; the flag marks generic method names, kept only for models of the scan."""
    out: list[tuple[ModelUse, bool]] = []

    def add(expr: ast.expr, mode: str, strict: bool = False) -> None:
        qualname = pyfile.resolve(expr)
        if qualname and qualname.split(".")[0] not in NOT_MODELS:
            out.append((ModelUse(qualname, mode, pyfile.evidence(call, "orm")), strict))

    func = call.func
    qualname = pyfile.resolve(func) or ""
    if qualname.startswith(("sqlalchemy.", "sqlmodel.")):
        verb = qualname.rsplit(".", 1)[1]
        if verb in ("select", "insert", "update", "delete"):
            for arg in call.args:
                add(arg, "read" if verb == "select" else "write")
        return out
    if not isinstance(func, ast.Attribute):
        return out
    receiver = dotted(func.value)
    if receiver and SESSIONISH.search(receiver[-1]) and call.args:
        first = call.args[0]
        if func.attr in SESSION_WRITES:
            items = first.elts if isinstance(first, (ast.List, ast.Tuple, ast.Set)) else [first]
            for item in items:
                if isinstance(item, ast.Call):
                    add(item.func, "write")
        elif func.attr in ("bulk_insert_mappings", "bulk_update_mappings"):
            add(first, "write")
        elif func.attr == "get" and len(call.args) >= 2:  # Session.get(Model, ident)
            add(first, "read")
    if id(call) in pyfile.chained:
        return out  # the outermost call of a chain speaks for it
    methods: list[str] = []
    query: list[ast.expr] = []
    node: ast.expr = call
    while True:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and not node.func.attr[:1].isupper()
        ):
            if node.func.attr == "query" and node.args:
                query, after = node.args, {"update", "delete"} & set(methods)
            methods.append(node.func.attr)
            node = node.func.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            break
    methods.reverse()
    changes = {"update", "delete"} & set(methods)
    if query:
        for arg in query:
            add(arg, "write" if after else "read")
    elif isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager", "_base_manager"):
        mode = "write" if DJANGO_WRITE & set(methods) else "read" if DJANGO_READ & set(methods) else ""
        if mode:
            add(node.value, mode)
    elif isinstance(node, ast.Attribute) and node.attr == "query" and methods:  # Flask-SQLAlchemy
        add(node.value, "write" if changes else "read")
    elif isinstance(node, ast.Call) and methods == ["save"]:
        add(node.func, "write", strict=True)
    elif methods and isinstance(node, (ast.Name, ast.Attribute)):
        mode = "read" if methods[0] in PEEWEE_READ else "write" if methods[0] in PEEWEE_WRITE else ""
        if mode:
            add(node, mode, strict=True)
    return out


def canonical_use(qualname: str, known: dict[str, str], strict: bool) -> str:
    """The model a use names: a known model (or re-export, or a column of one), else a capitalized
    class name for the pipeline to match across services; "" when it is not a model use."""
    parts = qualname.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in known:
            return known[prefix]
    if strict:
        return ""
    for end in range(len(parts), 0, -1):
        if parts[end - 1][:1].isupper() and not parts[end - 1].isupper():  # CapWords, not a CONSTANT
            return ".".join(parts[:end])
    return ""


# -- migrations ---------------------------------------------------------------------------------


def migration_ops(
    pyfile: PyFile,
    site: Site,
    const: Callable[[ast.expr | None], str | None],
    state: dict[tuple[str, str], str],
) -> tuple[list[TableAccess], list[Unresolved], list[ast.expr]]:
    """Alembic ``op.*`` and Django ``migrations.*`` operations: table writes, and SQL to parse."""
    call, func = site.call, site.call.func
    writes: list[str] = []
    if (
        pyfile.migration == "alembic"
        and isinstance(func, ast.Attribute)
        and pyfile.resolve(func.value) == "alembic.op"
    ):
        if func.attr == "execute":
            sql = arg(call, 0, "sqltext")
            return [], [], [sql] if sql is not None else []
        if func.attr == "bulk_insert":
            target = arg(call, 0, "table")
            if isinstance(target, ast.Name):
                scoped = (
                    pyfile.scope(site.func)[0].get(target.id) or pyfile.scope(None)[0].get(target.id) or []
                )
                target = scoped[-1] if scoped else target
            if isinstance(target, ast.Call) and target.args and const(target.args[0]):
                writes.append(qualify(str(const(target.args[0])), keyword_str(target, "schema")))
        schema = keyword_str(call, "source_schema" if func.attr == "create_foreign_key" else "schema")
        for position, keyword in ALEMBIC_OPS.get(func.attr, ()):
            expr = arg(call, position, keyword)
            name = const(expr) if expr is not None else ""
            if name is None:
                reason = f"alembic op.{func.attr} with a table name computed at run time"
                return [], [Unresolved("sql", reason, pyfile.evidence(call, "migration"))], []
            writes += [qualify(name, schema)] if name else []
    qualname = pyfile.resolve(func) or ""
    if pyfile.migration == "django" and qualname.startswith("django.db.migrations."):
        op = qualname.rsplit(".", 1)[1]
        if op == "RunSQL":
            sql = arg(call, 0, "sql")
            return [], [], [sql] if sql is not None else []
        if op == "SeparateDatabaseAndState":
            state_ops = arg(call, 1, "state_operations")
            if state_ops is not None:
                pyfile.skip.update(id(n) for n in ast.walk(state_ops))
        writes += _django_op(op, call, app_label(pyfile.path), const, state)
    evidence = pyfile.evidence(call, "migration")
    return [TableAccess(t, "write", evidence) for t in dict.fromkeys(writes)], [], []


def _django_op(
    op: str,
    call: ast.Call,
    app: str,
    const: Callable[[ast.expr | None], str | None],
    state: dict[tuple[str, str], str],
) -> list[str]:
    def default(model: str) -> str:
        return f"{app}_{model}" if app else model

    if op == "RenameModel":
        old, new = (
            (const(arg(call, 0, "old_name")) or "").lower(),
            (const(arg(call, 1, "new_name")) or "").lower(),
        )
        if not (old and new):
            return []
        table = state.pop((app, old), default(old))  # a declared db_table survives the rename
        state[(app, new)] = table if table != default(old) else default(new)
        return [table, state[(app, new)]]
    key = DJANGO_MODEL_OPS.get(op)
    model = (const(arg(call, 0, key)) or "").lower() if key else ""
    if not model:
        return []
    if op == "CreateModel":
        options = arg(call, 2, "options")
        values: dict[str, object] = {}
        if isinstance(options, ast.Dict):
            for k, v in zip(options.keys, options.values, strict=True):
                if isinstance(k, ast.Constant) and isinstance(v, ast.Constant):
                    values[str(k.value)] = v.value
        table = (
            qualify(str(values["db_table"])) if isinstance(values.get("db_table"), str) else default(model)
        )
        state[(app, model)] = table
        return [] if values.get("proxy") is True or values.get("managed") is False else [table]
    old = state.get((app, model), default(model))
    if op == "AlterModelTable":
        renamed = const(arg(call, 1, "table"))
        state[(app, model)] = qualify(renamed) if renamed else default(model)
        return [old, state[(app, model)]]
    if op == "DeleteModel":
        state.pop((app, model), None)
    return [old]

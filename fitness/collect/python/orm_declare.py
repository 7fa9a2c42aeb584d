"""ORM model classes (SQLAlchemy, SQLModel, Django, Peewee) and the tables they map.

SQLAlchemy declarative (``__tablename__``, ``__table__ = Table(...)``, ``__table_args__`` schema,
single-table inheritance, ``__abstract__``), ``Table("name", metadata)``, Flask-SQLAlchemy ``db.Model``
without ``__tablename__`` (snake_case of the class name, as Flask-SQLAlchemy 3 does), SQLModel
(``table=True``; default name = class name lower-cased), Django (``<app_label>_<class lower>`` with
app_label = the app folder, ``Meta.db_table``/``app_label``; abstract models skipped, proxies map their
parent's table) and Peewee (class name lower-cased, snake_case with ``legacy_table_names = False``,
``Meta.table_name``/``schema``; field-less base classes skipped).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from fitness.collect.python.orm_models import (
    PyFile,
    app_label,
    dotted,
    is_table,
    qualify,
    snake,
    unparse,
    words,
)
from fitness.model.facts import ModelClass, Unresolved

DJANGO_BASES = words(
    "django.db.models.Model django.db.models.base.Model django.contrib.gis.db.models.Model "
    "django.contrib.auth.models.AbstractUser django.contrib.auth.models.AbstractBaseUser "
    "django.contrib.auth.base_user.AbstractBaseUser"
)
PEEWEE_BASES = words("peewee.Model playhouse.signals.Model")


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

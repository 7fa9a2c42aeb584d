"""Parsed Python files for the SQL and ORM scan: bindings, calls, scopes and small ``ast`` helpers."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union

from fitness.collect.python.pywalk import walk
from fitness.model import Evidence


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
    for node in walk(tree):  # ast.walk's order without the leaves, which hold none of these
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


def app_label(path: str) -> str:
    """Django's default app label: the app folder (the one holding models.py, models/ or migrations/)."""
    parts = path.split("/")[:-1]
    if parts and parts[-1] in ("models", "migrations"):
        parts = parts[:-1]
    return parts[-1] if parts else ""

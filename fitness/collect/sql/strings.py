"""String constants of Python code resolved to their values, and the strings and calls that look like SQL."""

from __future__ import annotations

import ast
import re
from typing import NamedTuple, Union

from fitness.collect.python.orm_models import PyFile, dotted, unparse, words

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
DB_PARAM = re.compile(r"%\(\w+\)s|%s|%%")
PY_FORMAT = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcab]")
BRACE_FORMAT = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
DBISH = re.compile(
    r"(?i)cursor|conn|session|engine|database|pool|transaction|^(db|cur|cx|con|c|tx|txn)$|_db$|^db_"
)
SA_TEXT = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"}
)
STRONG_SINKS = words(  # SQL and nothing else
    "executescript exec_driver_sql executemany read_sql read_sql_query copy_expert mogrify copy_from_query"
)
WEAK_SINKS = words(
    "execute execute_many fetch fetchrow fetchval fetch_all fetch_one fetch_val raw query prepare text"
)
TEXT_ONLY_SINKS = words("executescript exec_driver_sql executemany copy_expert mogrify")
QUIET_SINKS = words("raw query prepare text")  # generic names: never Unresolved
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


class Dyn(NamedTuple):
    """A part of a string known only at run time; ``text`` is its source, shown in braces."""

    text: str


Part = Union[str, Dyn]  # noqa: UP007 (a runtime alias on Python 3.10)


def collapse(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


class Strings:
    """Values of string expressions: in a function, a class or a module, or imported from another module
    of the scan (``modules``)."""

    def __init__(self, modules: dict[str, PyFile | None]) -> None:
        self.modules = modules

    def value(
        self,
        pyfile: PyFile,
        expr: ast.expr | None,
        func: ast.AST | None = None,
        cls: ast.ClassDef | None = None,
    ) -> str | None:
        """The one literal value of an expression (in a function or class, else at module level), or None."""
        values = self.strings(pyfile, func, cls, expr, [0]) if expr is not None else []
        if len(values) == 1 and all(isinstance(p, str) for p in values[0]):
            return "".join(str(p) for p in values[0])
        return None

    def strings(
        self,
        pyfile: PyFile,
        func: ast.AST | None,
        cls: ast.ClassDef | None,
        node: ast.expr,
        budget: list[int],
    ) -> list[list[Part]]:
        """Candidate values of a string expression: literal text and run-time parts (``Dyn``);
        [] when the expression is not a string at all (e.g. a call building a query object)."""
        budget[0] += 1
        if budget[0] > 200:
            return [[Dyn(unparse(node))]]
        if isinstance(node, ast.Constant):
            return [[node.value]] if isinstance(node.value, str) else []
        if isinstance(node, ast.JoinedStr):
            values = node.values
            return [
                [
                    str(v.value) if isinstance(v, ast.Constant) else Dyn(unparse(getattr(v, "value", v)))
                    for v in values
                ]
            ]
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            left = self.strings(pyfile, func, cls, node.left, budget) or [[Dyn(unparse(node.left))]]
            if isinstance(node.op, ast.Mod):
                fields = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
                return [
                    _split(PY_FORMAT, t, fields) if (t := _literal(c)) is not None else [Dyn(unparse(node))]
                    for c in left
                ]
            right = self.strings(pyfile, func, cls, node.right, budget) or [[Dyn(unparse(node.right))]]
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
                base = self.strings(pyfile, func, cls, callee.value, budget)
                return [
                    _split(BRACE_FORMAT, t, node.args)
                    if (t := _literal(c)) is not None
                    else [Dyn(unparse(node))]
                    for c in base
                ]
            if (
                method in ("strip", "lstrip", "rstrip")
                and isinstance(callee, ast.Attribute)
                and not node.args
            ):
                return self.strings(pyfile, func, cls, callee.value, budget)
            if method == "dedent" and len(node.args) == 1:
                return self.strings(pyfile, func, cls, node.args[0], budget)
            return []
        if isinstance(node, ast.Name):
            return self._name(pyfile, func, cls, node, budget)
        if isinstance(node, ast.Attribute):
            owner = node.value
            if cls is not None and isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                values = pyfile.scope(cls)[0].get(node.attr, [])
                if values:
                    return [c for v in values for c in self.strings(pyfile, None, cls, v, budget)][:8]
            found = self._elsewhere(pyfile, node, budget)
            return found if found is not None else [[Dyn(unparse(node))]]
        return [[Dyn(unparse(node))]]

    def _name(
        self,
        pyfile: PyFile,
        func: ast.AST | None,
        cls: ast.ClassDef | None,
        node: ast.Name,
        budget: list[int],
    ) -> list[list[Part]]:
        """A name: assigned in the function, a parameter, a module constant, or imported."""
        plain, augmented = pyfile.scope(func) if func is not None else ({}, {})
        if node.id not in plain and node.id not in augmented:
            if func is not None and node.id in _parameters(func):
                return [[Dyn(node.id)]]
            func, cls = None, None
            plain, augmented = pyfile.scope(None)
        values = plain.get(node.id, [])
        if not values:
            found = self._elsewhere(pyfile, node, budget)
            return found if found is not None else [[Dyn(node.id)]]
        candidates = [c for v in values for c in self.strings(pyfile, func, cls, v, budget)][:8]
        for extra in augmented.get(node.id, []):  # sql += " AND ..." (all of them, in order)
            more = self.strings(pyfile, func, cls, extra, budget) or [[Dyn(unparse(extra))]]
            candidates = [c + more[0] for c in candidates]
        return candidates

    def _elsewhere(self, pyfile: PyFile, node: ast.expr, budget: list[int]) -> list[list[Part]] | None:
        """A constant of another module of this scan, named through an import."""
        qualname = pyfile.resolve(node) or ""
        module, _, name = qualname.rpartition(".")
        other = self.modules.get(module)
        values = other.scope(None)[0].get(name, []) if other is not None else []
        if other is None or not values:
            return None
        return [c for v in values for c in self.strings(other, None, None, v, budget)][:8]


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
            shown = shown or (unparse(args[index]) if index < len(args) else field_text)
            parts.append(Dyn(shown))
            index += 0 if named else 1
        position = match.end()
    parts.append(text[position:])
    return parts


def render(parts: list[Part]) -> tuple[str, str]:
    """(SQL with placeholders for sqlglot, the same with run-time parts in braces for people)."""
    sql: list[str] = []
    shown: list[str] = []
    for part in parts:
        if isinstance(part, Dyn):
            sql.append(f"{DYN}{len(sql)}__")
            shown.append("{" + part.text + "}")
        else:
            sql.append(
                DB_PARAM.sub(lambda m: ("%" if m.group() == "%%" else "?").rjust(len(m.group())), part)
            )
            shown.append(part)
    return "".join(sql), "".join(shown)


def offset(first: int, line: int) -> int:
    return first + line - 1


def _parameters(func: ast.AST) -> set[str]:
    args = getattr(func, "args", None)
    if not isinstance(args, ast.arguments):
        return set()
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def dbish(func: ast.expr) -> bool:
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if isinstance(receiver, ast.Call):
        receiver = receiver.func
    parts = dotted(receiver) if receiver is not None else None
    return bool(parts and DBISH.search(parts[-1]))


def sqlalchemy_text(pyfile: PyFile, func: ast.expr) -> bool:
    parts = dotted(func) or []
    if pyfile.resolve(func) in SA_TEXT or parts in (["db", "text"], ["sa", "text"]):
        return True
    return (
        parts == ["text"]
        and "text" not in pyfile.bindings
        and any(s.startswith("sqlalchemy") for s in pyfile.stars)
    )

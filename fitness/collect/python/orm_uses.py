"""ORM usage in Python calls (queries, sessions, managers, saves) and the models it reads or writes.

A use is a dotted name resolved through the file's imports or its own classes; the pipeline joins it with
the model classes of every service.
"""

from __future__ import annotations

import ast
import re
import sys

from fitness.collect.python.orm_models import PyFile, dotted, words
from fitness.model.facts import ModelUse

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

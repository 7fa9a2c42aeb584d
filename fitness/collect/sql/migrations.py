"""Schema migrations: the tables Alembic ``op.*`` and Django ``migrations.*`` operations write.

Alembic ``op.*`` operations write the table they name (``op.execute`` SQL is parsed), Django
``migrations.*`` operations write their model's table (``<app>_<model>`` unless CreateModel or
AlterModelTable declared one; ``RunSQL`` is parsed; ``state_operations`` never run).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from fitness.collect.python.orm_models import PyFile, Site, app_label, arg, keyword_str, qualify, words
from fitness.model.facts import TableAccess, Unresolved

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

"""Sagas in Python, read with ``ast``: Temporal workflows that register compensations, and hand-written
orchestrators that list their steps.

- Temporal: a function that executes activities (``workflow.execute_activity(book_car, ...)``,
  ``start_activity``, the ``_method`` and local variants) and registers compensations
  (``compensations.append(undo_book_car)``, ``insert``/``appendleft`` on a list named for compensations,
  undo or rollback, or ``saga.add_compensation(...)``). Activities run in ``except``/``finally`` blocks,
  nested functions or lambdas are the compensations running, not steps. Pairing: :func:`._saga_steps.pair`.
- Step lists: a list or tuple of two or more steps, each a call or dict with an action (``action=``,
  ``execute=``, ``do=``, ``run=``, ``invoke=``, ``forward=``) or an instance of a class of the same file
  with an ``execute``/``run``/``do``/``action``/``invoke``/``forward`` method, where at least one step
  has a compensation (``compensate=``, ``compensation=``, ``undo=``, ``rollback=``, ``revert=``, or a
  non-trivial method of that name, inherited from a class of the file too). A list holding anything else
  is not read.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from fitness.collect.code.detectors._saga_steps import SagaRead, Step, pair
from fitness.collect.python.parse_cache import ParseError, shared_parse
from fitness.collect.source_file import SourceFile

_ACTIVITIES = frozenset(
    f"{verb}_{kind}{method}"
    for verb in ("execute", "start")
    for kind in ("activity", "local_activity")
    for method in ("", "_method")
)
_REGISTER = frozenset({"append", "appendleft", "insert"})
_LIST_WORDS = ("compensat", "undo", "rollback")
ACTION_NAMES = frozenset({"action", "execute", "do", "run", "invoke", "forward", "transaction"})
UNDO_NAMES = frozenset({"compensate", "compensation", "compensating_action", "undo", "rollback", "revert"})


def python(file: SourceFile) -> list[SagaRead]:
    try:
        tree = shared_parse(file.path, file.text)
    except ParseError:
        return []
    starts = [0]
    for line in file.text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def at(node: ast.AST) -> int:
        line = getattr(node, "lineno", 1)
        return starts[line - 1] + getattr(node, "col_offset", 0) if 0 < line <= len(starts) else 0

    def end(node: ast.AST) -> int:
        last = getattr(node, "end_lineno", None)
        line = int(last) if last is not None else int(getattr(node, "lineno", 1))
        return starts[min(line, len(starts) - 1)]

    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            events = [(at(call), kind, name) for call, kind, name in _workflow_events(node)]
            steps = pair(events)
            if steps:
                found.append(SagaRead("temporal", node.name, at(node), end(node), steps))
    classes = _classes(tree)
    for holder, node in _lists(tree):
        steps = _listed_steps(node, classes, at)
        if steps:
            found.append(SagaRead("hand-written", holder, at(node), end(node), steps))
    return found


# -- Temporal ----------------------------------------------------------------------------------


def _workflow_events(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[ast.Call, str, str]]:
    for call in _calls(function.body):
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        if func.attr == "add_compensation" or (func.attr in _REGISTER and _names_compensations(func.value)):
            yield (call, "undo", "")
        elif func.attr in _ACTIVITIES and call.args:
            yield (call, "step", _name(call.args[0]))


def _calls(body: list[ast.stmt]) -> Iterator[ast.Call]:
    """Calls in ``body``, leaving out nested functions, lambdas, classes, ``except`` and ``finally``
    blocks and the arguments of a compensation's registration."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Try):
            children: list[ast.AST] = [*node.body, *node.orelse]
        else:
            children = list(ast.iter_child_nodes(node))
        if isinstance(node, ast.Call):
            yield node
            func = node.func
            if isinstance(func, ast.Attribute) and (
                func.attr == "add_compensation" or func.attr in _REGISTER
            ):
                continue
        stack.extend(reversed(children))


def _names_compensations(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return any(word in str(name).lower() for word in _LIST_WORDS)


# -- step lists --------------------------------------------------------------------------------


def _lists(tree: ast.Module) -> Iterator[tuple[str, ast.List | ast.Tuple]]:
    """Lists and tuples of two or more elements, with the name they are assigned to (or ``steps``)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, (ast.List, ast.Tuple)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            name = next((_name(t) for t in targets), "steps")
            if len(node.value.elts) > 1:
                yield (name, node.value)
        elif isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, (ast.List, ast.Tuple)) and len(arg.elts) > 1:
                    yield (_name(node.func), arg)


def _listed_steps(
    node: ast.List | ast.Tuple, classes: dict[str, tuple[bool, ast.AST | None]], at: Callable[[ast.AST], int]
) -> list[Step]:
    steps = []
    for element in node.elts:
        found = _step(element, classes)
        if found is None:
            return []
        name, undo = found
        steps.append(Step(name, at(element), at(undo) if undo is not None else -1))
    return steps if any(step.undo >= 0 for step in steps) else []


def _step(
    element: ast.expr, classes: dict[str, tuple[bool, ast.AST | None]]
) -> tuple[str, ast.AST | None] | None:
    """(name, compensation node or None) of a step element; None when the element is not a step."""
    if isinstance(element, ast.Dict):
        keys = {
            k.value: v
            for k, v in zip(element.keys, element.values, strict=True)
            if isinstance(k, ast.Constant)
        }
    elif isinstance(element, ast.Call):
        keys = {k.arg: k.value for k in element.keywords if k.arg}
        callee = _name(element.func)
        if callee in classes and not keys:
            acts, undo = classes[callee]
            return (callee, undo) if acts else None
    else:
        return None
    action = next((keys[k] for k in sorted(ACTION_NAMES) if k in keys), None)
    if action is None:
        return None
    undo = next((keys[k] for k in sorted(UNDO_NAMES) if k in keys and not _none(keys[k])), None)
    label = next((keys[k] for k in ("name", "id", "title") if k in keys), None)
    if label is None and isinstance(element, ast.Call) and element.args:
        label = element.args[0]  # SagaStep("reserve-stock", action=...)
    name = label.value if isinstance(label, ast.Constant) and isinstance(label.value, str) else _name(action)
    return (name, undo)


def _classes(tree: ast.Module) -> dict[str, tuple[bool, ast.AST | None]]:
    """Class name -> (has an action method, its non-trivial compensation method or None), methods
    inherited from the classes of the same file too."""
    own: dict[str, tuple[dict[str, ast.AST], list[str]]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            defined: dict[str, ast.AST] = {
                item.name: item
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and (item.name in ACTION_NAMES or not _trivial(item))
            }
            own[node.name] = (defined, [_name(base) for base in node.bases])

    def methods(name: str, seen: frozenset[str] = frozenset()) -> dict[str, ast.AST]:
        if name not in own or name in seen:
            return {}
        defined, bases = own[name]
        found: dict[str, ast.AST] = {}
        for base in reversed(bases):
            found.update(methods(base, seen | {name}))
        found.update(defined)
        return found

    result: dict[str, tuple[bool, ast.AST | None]] = {}
    for name in own:
        found = methods(name)
        undo = next((found[m] for m in sorted(UNDO_NAMES) if m in found), None)
        result[name] = (bool(found.keys() & ACTION_NAMES), undo)
    return result


def _trivial(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A body that does nothing: ``pass``, ``...``, a docstring, ``return None``, ``raise
    NotImplementedError`` (an abstract step's default compensation is none)."""
    for statement in function.body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        if isinstance(statement, ast.Return) and (statement.value is None or _none(statement.value)):
            continue
        if isinstance(statement, ast.Raise) and "NotImplemented" in ast.dump(statement):
            continue
        return False
    return True


def _none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call):
        return _name(node.func)
    return "step"

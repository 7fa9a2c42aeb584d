"""Temporal workflows that register compensations, in Java, Go and TypeScript (Python is read with
``ast`` in :mod:`._saga_python`).

A workflow function is a saga when it registers a compensation: Java ``saga.addCompensation(...)``
(``io.temporal.workflow.Saga``), Go ``saga.AddCompensation(...)`` or a ``defer func() {...}`` that
executes an activity, TypeScript ``compensations.push/unshift(...)`` or ``addCompensation(...)``. Its
steps are the activities it executes outside those registrations and outside ``catch``/``finally``
blocks (where the compensations run): Java calls on an activity stub (``Workflow.newActivityStub``, or a
receiver named in ``addCompensation(activities::cancelCar)``), Go ``workflow.ExecuteActivity(ctx, X)``,
TypeScript calls of the functions ``proxyActivities`` returns. Each compensation is paired with the step
it is registered next to (:func:`._saga_steps.pair`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from fitness.collect.code.detectors._saga_steps import SagaRead, mask_comments, name_of, pair
from fitness.collect.code.detectors._scan import call_args, close_of
from fitness.collect.code.lazy_re import lazy
from fitness.collect.code.spans import spans
from fitness.collect.source_file import SourceFile

_JAVA_STUB = lazy(r"(\w+)\s*=\s*Workflow\s*\.\s*new(?:Local)?ActivityStub\s*\(")
_JAVA_ADD = lazy(r"\.\s*addCompensation\s*\(")
_JAVA_REF = lazy(r"^\s*(\w+)\s*::\s*\w+|^[^,]*->\s*\{?\s*(\w+)\s*\.\s*\w+\s*\(")
_HANDLERS = lazy(r"\bcatch\s*(?:\([^)]*\))?\s*\{|\bfinally\s*\{")
_GO_ACTIVITY = lazy(r"\bworkflow\s*\.\s*Execute(?:Local)?Activity\s*\(")
_GO_ADD = lazy(r"\.\s*AddCompensation\s*\(")
_GO_DEFER = lazy(r"\bdefer\s+func\s*\(\s*\)\s*\{")
_GO_ERROR = lazy(r"\bif\s+err\s*!=\s*nil\s*\{")
_TS_PROXY_NAMES = lazy(r"(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(?:\w+\s*\.\s*)?proxy(?:Local)?Activities\b")
_TS_PROXY_OBJECT = lazy(r"(?:const|let|var)\s+(\w+)\s*=\s*(?:\w+\s*\.\s*)?proxy(?:Local)?Activities\b")
_TS_ADD = lazy(
    r"\b\w*(?:[Cc]ompensat|[Uu]ndo|[Rr]ollback)\w*\s*\.\s*(?:push|unshift)\s*\(|\baddCompensation\s*\("
)


def java(file: SourceFile) -> list[SagaRead]:
    text = mask_comments(file.text)
    adds = [m.end() - 1 for m in _JAVA_ADD.finditer(text)]
    if not adds:
        return []
    stubs = {m.group(1) for m in _JAVA_STUB.finditer(text)}
    for (
        paren
    ) in adds:  # the receiver of the compensation: activities::cancelCar, () -> activities.cancelCar()
        ref = _JAVA_REF.match((call_args(text, paren) or [""])[0])
        if ref:
            stubs.add(ref.group(1) or ref.group(2))
    stubs -= {"this", "super", "Workflow", "Async", "saga"}
    if not stubs:
        return []
    call = re.compile(
        rf"(?<![\w.])(?:{'|'.join(map(re.escape, sorted(stubs)))})\s*\.\s*(\w+)\s*\("
        rf"|\bAsync\s*\.\s*(?:function|procedure)\s*\(\s*(?:{'|'.join(map(re.escape, sorted(stubs)))})"
        r"\s*::\s*(\w+)"
    )
    return _stub_sagas(file, text, adds, call, lambda match: match.group(1) or match.group(2))


def go(file: SourceFile) -> list[SagaRead]:
    text = mask_comments(file.text)
    activities = [m for m in _GO_ACTIVITY.finditer(text)]
    if not activities:
        return []
    defers = [
        (m.start(), end)
        for m in _GO_DEFER.finditer(text)
        if (end := close_of(text, m.end() - 1)) > 0 and _GO_ACTIVITY.search(text, m.start(), end)
    ]
    adds = [m.start() for m in _GO_ADD.finditer(text)]
    marks = [*adds, *(start for start, _ in defers)]
    if not marks:
        return []
    errors = _blocks(text, _GO_ERROR, 0, len(text))
    found = []
    for start, end, name in _functions(file, text, marks):
        events = [(p, "undo", "") for p in marks if start <= p < end]
        for match in activities:
            if not start <= match.start() < end or _inside(match.start(), defers):
                continue
            args = call_args(text, match.end() - 1) or []
            if _inside(match.start(), errors):  # an activity run when a step failed undoes an earlier one
                events.append((match.start(), "undo", ""))
            elif len(args) > 1:
                events.append((match.start(), "step", name_of(args[1])))
        found.append(SagaRead("temporal", name, start, end, pair(events)))
    return found


def typescript(file: SourceFile) -> list[SagaRead]:
    text = mask_comments(file.text)
    adds = [m.end() - 1 for m in _TS_ADD.finditer(text)]
    if not adds or "proxy" not in text:
        return []
    names = {
        part.split(":")[-1].strip()
        for m in _TS_PROXY_NAMES.finditer(text)
        for part in m.group(1).split(",")
        if part.strip()
    }
    objects = {m.group(1) for m in _TS_PROXY_OBJECT.finditer(text)}
    options = [*(re.escape(n) for n in sorted(names) if n.isidentifier())]
    options += [rf"{re.escape(o)}\s*\.\s*(\w+)" for o in sorted(objects)]
    if not options:
        return []
    call = re.compile(rf"(?<![\w.$])({'|'.join(options)})\s*\(")
    return _stub_sagas(
        file, text, adds, call, lambda match: next((g for g in match.groups()[1:] if g), match.group(1))
    )


# -- helpers ------------------------------------------------------------------------------------


def _stub_sagas(
    file: SourceFile,
    text: str,
    adds: list[int],
    call: re.Pattern[str],
    step_of: Callable[[re.Match[str]], str],
) -> list[SagaRead]:
    """Each function holding a compensation registration (``adds``) as a saga: its activity calls
    (``call``, named by ``step_of``) are steps, except inside the registrations and the error handlers."""
    found = []
    for start, end, name in _functions(file, text, adds):
        skip = _ranges(text, [p for p in adds if start <= p < end]) + _blocks(text, _HANDLERS, start, end)
        events = [(p, "undo", "") for p in adds if start <= p < end]
        for match in call.finditer(text, start, end):
            if not _inside(match.start(), skip):
                events.append((match.start(), "step", step_of(match)))
        found.append(SagaRead("temporal", name, start, end, pair(events)))
    return found


def _functions(file: SourceFile, text: str, marks: list[int]) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of each named function holding one of ``marks``: the innermost one (lambdas
    such as ``fn: async () => {...}`` inside a registration are not the workflow)."""
    starts = [0]
    for line in file.text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    functions = []
    for span in spans(file.path, file.text):
        if span.kind != "function" or span.detail == "=>":
            continue
        start = starts[span.evidence.line - 1]
        end = starts[min(span.end, len(starts) - 1)]
        functions.append((start, end, span.detail))
    seen = set()
    for mark in marks:
        holders = [f for f in functions if f[0] <= mark < f[1]]
        if holders:
            inner = max(holders, key=lambda f: (f[0], -f[1]))
            if inner not in seen:
                seen.add(inner)
                yield inner


def _ranges(text: str, parens: list[int]) -> list[tuple[int, int]]:
    return [(p, end) for p in parens if (end := close_of(text, p)) > 0]


def _blocks(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    return [
        (m.start(), close)
        for m in pattern.finditer(text, start, end)
        if (close := close_of(text, m.end() - 1)) > 0
    ]


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)

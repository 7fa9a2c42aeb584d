"""What every saga reader shares: the steps it read, how they become facts, and how a compensation
registered next to a step is paired with it.

A reader returns :class:`SagaRead` values (offsets into the file); :func:`emit` turns each into facts
(``saga`` spanning the definition, one ``saga-step`` per forward step, one ``compensation`` per step that
has one, its ``end`` the step's line). The collector records what the code says; which missing
compensation is a smell is decided in :mod:`fitness.model.sagas`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import Interaction

_COMMENT_OR_STRING = lazy(
    r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|//[^\n]*|/\*[\s\S]*?(?:\*/|$)"
)
_WORDS = lazy(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
COMPENSATING_VERBS = frozenset(
    {"cancel", "undo", "compensate", "refund", "release", "rollback", "revert", "reject", "unreserve"}
    | {"void", "restore", "reverse", "abort", "deallocate", "unlock", "unbook", "delete", "remove"}
)
"""First words of a command or activity that undoes another (``CancelOrder``, ``releaseStock``)."""
_GENERIC = frozenset(
    {"command", "cmd", "event", "message", "msg", "request", "activity", "async", "for", "saga", "state"}
    | {"machine", "process", "processing", "manager", "management", "orchestrator", "workflow"}
)


@dataclass
class Step:
    """A forward step: ``name`` as written, ``at`` its offset, ``undo`` the offset of its compensation
    (-1: none registered)."""

    name: str
    at: int
    undo: int = -1


@dataclass
class SagaRead:
    framework: str
    name: str
    start: int
    end: int
    steps: list[Step] = field(default_factory=list)


def emit(file: SourceFile, sagas: Iterable[SagaRead], out: list[Interaction]) -> None:
    """Facts for each saga with at least two steps (one step alone orders nothing)."""
    for saga in sagas:
        if len(saga.steps) < 2:
            continue
        start = file.evidence(saga.start, "code")
        out.append(Interaction("saga", f"{saga.framework}:{saga.name}", start, file.line_of(saga.end)))
        for step in saga.steps:
            at = file.evidence(step.at, "code")
            out.append(Interaction("saga-step", step.name, at))
            if step.undo >= 0:
                out.append(Interaction("compensation", step.name, file.evidence(step.undo, "code"), at.line))


def pair(events: Sequence[tuple[int, str, str]]) -> list[Step]:
    """Steps from ``(offset, "step"|"undo", name)`` events in code order, each compensation given to the
    step it is registered next to. Temporal's samples register it right after the activity (``book();
    saga.addCompensation(cancel)``) or right before it (so that an activity whose reply was lost is undone
    too): when the first event is a compensation, each one belongs to the next step, else to the step
    just before it. Returns no steps when nothing is registered: without a compensation it is no saga."""
    events = sorted(events)
    if not any(kind == "undo" for _, kind, _ in events):
        return []
    before = events[0][1] == "undo"
    steps: list[Step] = []
    pending = -1
    for offset, kind, name in events:
        if kind == "step":
            steps.append(Step(name, offset, pending if before else -1))
            pending = -1
        elif before:
            pending = offset
        elif steps and steps[-1].undo < 0:
            steps[-1].undo = offset
    return steps


def pair_by_noun(steps: list[Step], undos: Sequence[tuple[int, str]], saga: str = "") -> list[Step]:
    """Commands sent by an event-driven orchestrator (Axon, a MassTransit state machine): a step is
    compensated when a compensating command shares a noun with it (``ReserveStock`` and
    ``ReleaseStock``, ``ChargePayment`` and ``RefundPayment``). The words of the saga's own name
    (``order`` in ``OrderSaga``) are left out: ``RejectOrder`` undoes the order the saga started with,
    not every step that names the order."""
    subject = set(words(saga)) | _GENERIC
    for step in steps:
        nouns = set(words(step.name)[1:]) - subject
        for offset, name in undos:
            if nouns & set(words(name)[1:]):
                step.undo = offset
                break
    return steps


def words(name: str) -> list[str]:
    """Lower-case words of the last part of a name (``kitchenService.createTicket`` -> create, ticket;
    ``CreateOrderSagaState::makeRejectOrderCommand`` -> reject, order, command): a leading ``make`` or
    ``build`` is dropped, since such methods build the command the step sends."""
    last = re.split(r"::|\.|/", name.strip().strip("'\"`"))[-1] or name
    found = [w.lower() for w in _WORDS.findall(last)]
    if len(found) > 1 and found[0] in ("make", "build"):
        found = found[1:]
    return found


def is_compensating(name: str) -> bool:
    found = words(name)
    return bool(found) and found[0] in COMPENSATING_VERBS


def is_event(name: str) -> bool:
    """A past-tense event (``StockReserved``, ``OrderCreatedEvent``), not a command that starts a step."""
    found = [w for w in words(name) if w not in ("event", "message")]
    return not found or found[-1].endswith("ed") or name.endswith("Event")


def mask_comments(text: str) -> str:
    """``text`` with its ``//`` and ``/* */`` comments blanked (offsets and newlines kept, strings kept),
    so that a saga commented out is not read."""
    if "/" not in text:
        return text

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] in "\"'`":
            return token
        return re.sub(r"[^\n]", " ", token)

    return _COMMENT_OR_STRING.sub(blank, text)


def name_of(argument: str) -> str:
    """A step's name from the first argument that names it: a command built with ``new X(...)`` is
    ``X``; a method reference or a call target is written as it is (``this::`` dropped)."""
    match = re.search(r"\bnew\s+([A-Z]\w*)", argument)
    if match:
        return match.group(1)
    match = re.match(r"\s*(?:this\s*(?:::|\.)\s*)?([\w.:]+)", argument)
    return match.group(1) if match else argument.strip()[:60]

"""Which saga steps lack a compensation that matters: the judgement the FIT319 smell and the
``saga-steps-compensated`` rule share.

A saga (Richardson, *Microservices Patterns*, 4.1) runs compensatable transactions, then one *pivot*
(its go/no-go step), then *retriable* transactions that are expected to succeed. Only the compensatable
ones need a compensating transaction: when a later step fails, they are undone in reverse order. So a step
with no compensation is reported only when

- a later step of the same saga has one (the step lies before the pivot: if that later step fails, this
  one stays done) — the pivot and the retriable steps after it, the tail with no compensation, are never
  reported, nor is a saga that registers none; and
- its action is not a read, a check or a notification (``validateOrder``, ``get_quote``,
  ``notify_user``, ``sendEmail``): those change nothing to undo, or cannot be undone at all.

Eventuate's own example reads this way: ``verifyConsumer`` has no compensation and sits between two
compensated steps (a read), ``authorizeCard`` is the pivot, ``approveTicket`` and ``approveOrder``
are retriable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fitness.model.resilience import Fact

READ_VERBS = frozenset(
    {"get", "find", "fetch", "load", "read", "query", "lookup", "look", "list", "search", "check"}
    | {"validate", "verify", "calculate", "compute", "quote", "estimate", "inspect", "preview", "count"}
    | {"retrieve", "is", "has", "can", "exists", "simulate", "sleep", "wait", "await", "delay"}
)
"""First words of a step that changes nothing (a read or a check, a timer)."""
SIDE_EFFECT_WORDS = frozenset({"notify", "notification", "email", "mail", "sms", "log", "audit", "trace"})
"""Words of a step that cannot be undone and needs no undoing (telling someone, writing a log)."""
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
SAGA_FIX = (
    "give the step a compensating transaction that semantically undoes it (release the reservation, "
    "refund the charge, cancel the order), registered with the step (Eventuate `withCompensation`, "
    "Temporal `saga.addCompensation`, a `compensate` on the step); or, if it cannot be undone, move it "
    "after the last compensatable step, as the pivot or a retriable step; make every step and "
    "compensation idempotent"
)

LOOKED_FOR = (
    "looked for: Eventuate withCompensation, Temporal addCompensation or a registered compensation, "
    "a compensate/undo/rollback on the step, a compensating command sharing its noun; reads, checks, "
    "notifications and the steps from the pivot on need none"
)


@dataclass(frozen=True)
class SagaGap:
    """A step of ``saga`` (``framework:name``) with no compensation, before ``undone`` (a later step
    that has one)."""

    saga: Fact
    step: Fact
    undone: Fact

    @property
    def framework(self) -> str:
        return self.saga.detail.partition(":")[0]

    @property
    def name(self) -> str:
        return self.saga.detail.partition(":")[2]

    def describe(self) -> str:
        """One sentence a reviewer can check against the code (the smell's and the rule's message)."""
        step, later = self.step, self.undone
        return (
            f"step {step.detail} ({step.path}:{step.line}) of the {self.framework} saga {self.name} has "
            f"no compensation, but the later step {later.detail} ({later.path}:{later.line}) has one, so "
            f"{step.detail} comes before the pivot: when a later step fails, the saga undoes what it can "
            f"and leaves {step.detail} done ({LOOKED_FOR})"
        )

    def subjects(self, service: str) -> tuple[str, str]:
        """The service and the step (file, saga, step: no line, so moving code keeps a baseline)."""
        return (service, f"{self.step.path}:{self.name}:{self.step.detail}")


def uncompensated_steps(facts: Sequence[Fact]) -> list[SagaGap]:
    """The steps that need a compensation and have none, in file order."""
    sagas = sorted((f for f in facts if f.kind == "saga"), key=lambda f: (f.path, f.line, -f.end))
    undone = {(f.path, f.end, f.detail) for f in facts if f.kind == "compensation"}
    owned: dict[Fact, list[Fact]] = {}
    for step in (f for f in facts if f.kind == "saga-step"):
        holders = [s for s in sagas if s.holds(step.path, step.line)]
        if holders:  # the innermost saga holding it
            owned.setdefault(max(holders, key=lambda s: (s.line, -s.end)), []).append(step)
    gaps = []
    for saga in sagas:
        steps = sorted(owned.get(saga, []), key=lambda f: (f.line, f.text))
        done = [(step.path, step.line, step.detail) in undone for step in steps]
        if True not in done:
            continue
        last = len(done) - 1 - done[::-1].index(True)
        for index, step in enumerate(steps[:last]):
            if not done[index] and not changes_nothing(step.detail):
                later = next(s for s, d in zip(steps[index + 1 :], done[index + 1 :], strict=True) if d)
                gaps.append(SagaGap(saga, step, later))
    return gaps


def changes_nothing(name: str) -> bool:
    """A step named as a read, a check, a timer or a notification (see ``READ_VERBS``)."""
    last = re.split(r"::|\.|/", name.strip())[-1] or name
    words = [w.lower() for w in _WORDS.findall(last)]
    if len(words) > 1 and words[0] in ("make", "build"):
        words = words[1:]
    return bool(words) and (words[0] in READ_VERBS or any(w in SIDE_EFFECT_WORDS for w in words))

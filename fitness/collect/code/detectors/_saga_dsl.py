"""Sagas declared step by step: the Eventuate Tram saga DSL (and node-sagas, its TypeScript port), Axon
sagas, MassTransit state machines and hand-written step lists in JavaScript/TypeScript.

- Eventuate Tram (Java/Kotlin) ``step().invokeParticipant(...).withCompensation(...).step()...build()``
  and node-sagas ``.step('name').invoke(...).withCompensation(...)``: each ``step(`` starts a step; its
  action is ``invokeParticipant``/``invokeLocal``/``notifyParticipant``/``invoke``, its compensation
  ``withCompensation``/``withCompensationNotification``. A step with only a compensation (the first step
  of a saga started after a local transaction) is a compensated step.
- Axon (``@SagaEventHandler``): the commands the saga sends (``commandGateway.send(new ReserveStock(...))``),
  in file order; MassTransit (``MassTransitStateMachine<T>``): the commands published or sent from its
  activities (``.Publish(ctx => new ReserveStock(...))``, ``.Send(...)``, ``Init<ChargePayment>``). A
  command whose name starts with a compensating verb (Cancel, Release, Refund, Undo ...) compensates the
  steps that share a noun with it (:func:`._saga_steps.pair_by_noun`); past-tense events are not steps.
- Hand-written step lists (JavaScript/TypeScript): an array of objects with an action key (``action``,
  ``execute``, ``invoke``, ``do``, ``run``) where at least one object also has a compensation key
  (``compensate``, ``compensation``, ``undo``, ``rollback``, ``revert``).
"""

from __future__ import annotations

import re

from fitness.collect.code.detectors._saga_steps import (
    SagaRead,
    Step,
    is_compensating,
    is_event,
    mask_comments,
    name_of,
    pair_by_noun,
)
from fitness.collect.code.detectors._scan import call_args, close_of, named, split_top
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile

_CHAIN = lazy(
    r"(?<![\w$])(step)\s*\(|\.\s*(invokeParticipant|invokeLocal|notifyParticipant|invoke)\s*\("
    r"|\.\s*(withCompensation(?:Notification)?)\s*\(|\.\s*(build)\s*\(\s*\)"
)
_AXON_SEND = lazy(r"\.\s*(?:send|sendAndWait|dispatch)\s*(?:<[^>()]*>)?\s*\(")
_MT_SEND = lazy(r"\.\s*(?:Publish|Send|PublishAsync|SendAsync)\s*(?:<\s*(\w+)\s*>)?\s*\(")
_COMMAND = lazy(
    r"\bnew\s+([A-Z]\w*)\s*[({]|\bInit\s*<\s*([A-Z]\w*)\s*>|^\s*([A-Z]\w*)\s*\(|^\s*([a-z]\w*(?:Command|Cmd))\s*$"
)
_CLASS = lazy(r"\bclass\s+(\w+)[^{;]*\{")
ACTION_KEYS = frozenset({"action", "execute", "invoke", "do", "run", "forward", "transaction", "handler"})
UNDO_KEYS = frozenset({"compensate", "compensation", "compensatingAction", "undo", "rollback", "revert"})
_ARRAY = lazy(r"\[\s*\{")
_NOT_COMMANDS = frozenset({"Uri", "TimeSpan", "Guid", "DateTime", "Date", "HashMap", "ArrayList", "Object"})


def chains(file: SourceFile) -> list[SagaRead]:
    """Eventuate Tram and node-sagas definitions, one per ``step(`` ... ``build()`` chain."""
    text = mask_comments(file.text)
    framework = "eventuate" if file.suffix in (".java", ".kt", ".scala") else "node-sagas"
    found: list[SagaRead] = []
    current: SagaRead | None = None
    step = Step("", 0)
    acted = False
    for match in _CHAIN.finditer(text):
        token = next(g for g in match.groups() if g)
        args = [] if token == "build" else call_args(text, match.end() - 1) or []
        if token == "step":
            if current is None:
                current = SagaRead(framework, _enclosing_class(text, match.start()), match.start(), 0)
            label = args[0].strip("'\"`") if args and args[0][:1] in "'\"`" else ""
            step, acted = Step(label, match.start()), False
            current.steps.append(step)
        elif current is None:
            continue
        elif token == "build":
            current.end = match.end()
            found.append(current)
            current = None
        elif token.startswith("withCompensation"):
            step.undo = match.start() if step.undo < 0 else step.undo
            step.name = step.name or (name_of(args[0]) if args else token)
        elif not acted:  # the step's action: its line is the step's evidence
            acted = True
            step.name = step.name or (name_of(args[0]) if args else token)
            step.at = match.start()
    return found


def axon(file: SourceFile) -> list[SagaRead]:
    """An Axon saga class: the commands it sends, paired with compensating commands by noun."""
    text = mask_comments(file.text)
    found = []
    for cls in _CLASS.finditer(text):
        end = close_of(text, cls.end() - 1)
        if end < 0 or "@SagaEventHandler" not in text[cls.start() : end]:
            continue
        sent = _commands(text, _AXON_SEND, cls.start(), end)
        found.append(_by_noun("axon", cls.group(1), cls.start(), end, sent))
    return found


def masstransit(file: SourceFile) -> list[SagaRead]:
    """A MassTransit state machine: the commands its activities publish or send, paired by noun."""
    text = mask_comments(file.text)
    found = []
    for cls in _CLASS.finditer(text):
        header = text[cls.start() : cls.end()]
        if "MassTransitStateMachine" not in header:
            continue
        end = close_of(text, cls.end() - 1)
        if end > 0:
            sent = _commands(text, _MT_SEND, cls.start(), end)
            found.append(_by_noun("masstransit", cls.group(1), cls.start(), end, sent))
    return found


def step_arrays(file: SourceFile) -> list[SagaRead]:
    """JavaScript/TypeScript arrays of step objects with an action and (some) a compensation."""
    text = mask_comments(file.text)
    found = []
    for match in _ARRAY.finditer(text):
        end = close_of(text, match.start())
        if end < 0:
            continue
        steps: list[Step] = []
        for element in split_top(text[match.start() + 1 : end - 1]):
            if not (element.startswith("{") and element.endswith("}")):
                steps = []
                break
            keys = named(split_top(element[1:-1]), ":")
            action = next((keys[k] for k in sorted(ACTION_KEYS) if k in keys), None)
            if action is None:
                steps = []
                break
            at = text.find(element, match.start())
            label = keys.get("name") or keys.get("id") or keys.get("title")
            undo = next(
                (k for k in sorted(UNDO_KEYS) if keys.get(k) not in (None, "null", "undefined")), None
            )
            name = label.strip("'\"`") if label else name_of(action)
            steps.append(Step(name, at, text.find(undo, at) if undo else -1))
        if len(steps) > 1 and any(s.undo >= 0 for s in steps):
            line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            assigned = re.search(r"(\w+)\s*[:=]\s*$", line)
            name = assigned.group(1) if assigned else _enclosing_class(text, match.start())
            found.append(SagaRead("hand-written", name, match.start(), end, steps))
    return found


# -- helpers ------------------------------------------------------------------------------------


def _commands(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, str]]:
    """(offset, command name) of each command sent between ``start`` and ``end``."""
    found = []
    for match in pattern.finditer(text, start, end):
        name = match.group(1) if pattern.groups else None
        for arg in [] if name else call_args(text, match.end() - 1) or []:
            named_here = [next(g for g in m.groups() if g) for m in _COMMAND.finditer(arg)]
            name = next((n for n in named_here if n not in _NOT_COMMANDS), None)
            if name:
                break
        if name:
            found.append((match.start(), name))
    return found


def _by_noun(framework: str, name: str, start: int, end: int, sent: list[tuple[int, str]]) -> SagaRead:
    undos = [(offset, command) for offset, command in sent if is_compensating(command)]
    steps = [Step(command, offset) for offset, command in sent if not is_compensating(command)]
    steps = [step for step in steps if not is_event(step.name)]
    return SagaRead(framework, name, start, end, pair_by_noun(steps, undos, name) if undos else [])


def _enclosing_class(text: str, offset: int) -> str:
    """The name of the last class declared before ``offset`` (the saga's name), else ``saga``."""
    name = "saga"
    for match in _CLASS.finditer(text, 0, offset):
        name = match.group(1)
    return name

"""Sagas written out in code, step by step, and the compensations registered for their steps.

Read where a saga is explicit (precision before recall: a flow spread over event handlers without a
saga construct is not guessed at):

- Eventuate Tram (Java/Kotlin) and node-sagas (TypeScript/JavaScript) saga definitions, Axon sagas
  (``@SagaEventHandler``), MassTransit state machines (C#), hand-written step arrays (JS/TS):
  :mod:`._saga_dsl`;
- Temporal workflows that register compensations, in Java, Go and TypeScript: :mod:`._saga_temporal`;
  in Python, and hand-written Python step lists: :mod:`._saga_python`.

Facts (``Interaction``): ``saga`` (``detail`` ``framework:name``, spanning the definition), ``saga-step``
(``detail`` the step's action), ``compensation`` (``detail`` the step, ``end`` the step's line). Which
step lacks a compensation that matters is decided in :mod:`fitness.model.sagas`.
"""

from __future__ import annotations

import re

from fitness.collect.code.detectors import _saga_dsl, _saga_python, _saga_temporal
from fitness.collect.code.detectors._saga_steps import emit
from fitness.collect.code.detectors._scan import lines_with
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import SourceFacts

_JVM = frozenset({".java", ".kt", ".scala"})
_SCRIPTS = frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"})
SUFFIXES = frozenset({".py", ".go", ".cs", *_JVM, *_SCRIPTS})
_PY_STEP_LIST = lazy(
    r"\b(?:compensate|compensation|compensating_action|undo|rollback|revert)\s*=(?!=)"
    r"|[\"'](?:compensate|compensation|undo|rollback|revert)[\"']\s*:"
    r"|\bdef\s+(?:compensate|undo|rollback|revert)\s*\("
)
_JS_STEP_LIST = lazy(r"\b(?:compensate|compensation|compensatingAction|undo|rollback|revert)\s*:")


class Sagas:
    name: str = "sagas"
    suffixes: frozenset[str] = SUFFIXES
    triggers: tuple[str, ...] = (
        "ompensat",
        "SagaEventHandler",
        "MassTransitStateMachine",
        "undo",
        "rollback",
        "revert",
    )

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        text = file.text
        suffix = file.suffix
        found = []
        if suffix == ".py":
            temporal = "_activity" in text and ("ompensat" in text or "undo" in text or "rollback" in text)
            if temporal or _on_a_line(text, _PY_STEP_LIST):
                found.extend(_saga_python.python(file))
        elif suffix in _JVM:
            if "withCompensation" in text:
                found.extend(_saga_dsl.chains(file))
            if "addCompensation" in text:
                found.extend(_saga_temporal.java(file))
            if "@SagaEventHandler" in text:
                found.extend(_saga_dsl.axon(file))
        elif suffix == ".go":
            if "ExecuteActivity" in text and ("AddCompensation" in text or "defer" in text):
                found.extend(_saga_temporal.go(file))
        elif suffix == ".cs":
            if "MassTransitStateMachine" in text:
                found.extend(_saga_dsl.masstransit(file))
        else:
            if "withCompensation" in text:
                found.extend(_saga_dsl.chains(file))
            if "proxy" in text and "Activities" in text:
                found.extend(_saga_temporal.typescript(file))
            if _on_a_line(text, _JS_STEP_LIST):
                found.extend(_saga_dsl.step_arrays(file))
        emit(file, found, facts.interactions)


DETECTOR = Sagas()
_KEYS = ("compensat", "undo", "rollback", "revert")


def _on_a_line(text: str, pattern: re.Pattern[str]) -> bool:
    """``pattern`` found on a line holding one of the compensation words (case as written)."""
    return any(pattern.search(text, start, end) for start, end in lines_with(text, text, _KEYS))

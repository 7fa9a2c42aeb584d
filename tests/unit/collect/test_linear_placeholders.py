"""``${KEY:default}`` placeholders read in linear time (issue 16): each reader gives exactly what its
regular expression gave, on random texts of the characters that matter, and stays fast on the texts that
made the expression quadratic (``${`` repeated with no closing brace)."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable

import pytest

from fitness.collect.manifests import compose, connections
from fitness.collect.resolve import calls, settings

VARIABLES = {"a": "X", "B": "", "A": "y"}


def _old_interpolate(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        op, arg = match.group(2), match.group(3) or ""
        current = VARIABLES.get(name)
        if op in {":-", "-"}:
            return current if current is not None and (current or op == "-") else arg
        if op in {":+", "+"}:
            return arg if current is not None and (current or op == "+") else ""
        return current if current is not None else match.group(0)

    return compose._VARIABLE.sub(replace, value)


PAIRS: dict[str, tuple[Callable[[str], object], Callable[[str], object]]] = {
    "spring defaults": (
        lambda v: connections._SPRING_DEFAULT.sub(lambda m: m.group(1), v),
        connections._spring_defaults,
    ),
    "templates": (
        lambda v: [(m.span(), m.groups()) for m in settings._TEMPLATE.finditer(v)],
        lambda v: [(m.span(), m.groups()) for m in settings.templates(v)],
    ),
    "port placeholders": (
        lambda v: calls._PORT_PLACEHOLDER.sub("", v),
        calls._without_port_placeholders,
    ),
    "compose interpolation": (_old_interpolate, lambda v: compose._interpolate(v, VARIABLES)),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_the_same_as_the_regular_expression(name: str) -> None:
    expression, linear = PAIRS[name]
    rng = random.Random(name)
    for _ in range(20_000):
        text = "".join(rng.choice("${}:-+?aAB_ ") for _ in range(rng.randint(0, 14)))
        assert linear(text) == expression(text), text


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_linear_on_what_made_the_expression_quadratic(name: str) -> None:
    _, linear = PAIRS[name]
    started = time.process_time()
    for hostile in (
        "${" * 250_000,
        "${a:" * 200_000,
        ":${" * 200_000,
        "${a:-" * 150_000 + "}" + "$A" * 50_000,
    ):
        linear(hostile)
    assert time.process_time() - started < 20  # quadratic would be hours, not a timing contract

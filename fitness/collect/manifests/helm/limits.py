"""Bounds on the work of rendering one chart, and the signals the renderer raises inside itself.

Kept apart so the parser, the values, the functions and the evaluator share one set of limits.
"""

from __future__ import annotations

import binascii
import re

import yaml

MAX_TEMPLATE_BYTES = 1_000_000
"""Template files larger than this are skipped with a warning."""
MAX_TEMPLATES = 1_000
"""Template files read per chart (subcharts included)."""
MAX_OUTPUT = 5_000_000
"""Characters rendered per chart; rendering stops there with a warning."""
MAX_STEPS = 2_000_000
"""Template nodes executed per chart (bounded time whatever the loops and includes)."""
REGEX_SECONDS = 1.0
"""Time one of the chart's regular expressions may take (``regexMatch`` ...) before it is not understood."""
MAX_INCLUDE_DEPTH = 10
MAX_SUBCHART_DEPTH = 5
MAX_VALUE_NODES = 1_000_000
"""Nodes of values.yaml after aliases are expanded (an alias bomb is not expanded)."""


class Unsupported(Exception):
    """An expression the renderer does not understand: it renders as an empty string."""


class TooLarge(Exception):
    """The output or the work of one chart went over its bound."""


class Break(Exception):
    """``{{ break }}``: leaves the innermost range."""


class Continue(Exception):
    """``{{ continue }}``: goes to the next round of the innermost range."""


NOTHING = object()
"""No value at all (nothing piped in, a key to unset), unlike nil."""
ERRORS = (
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    ZeroDivisionError,
    OverflowError,
    re.error,
    yaml.YAMLError,
    binascii.Error,
    RecursionError,
)
"""What a function raises on values it does not take: the expression is not understood."""

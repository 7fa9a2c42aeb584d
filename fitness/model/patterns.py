"""Module name patterns used by rules and ignores.

A pattern is a dotted module name in which one segment may be ``*`` (exactly one segment) or ``**``
(zero or more segments)::

    shop.*.api        matches shop.orders.api, not shop.api or shop.orders.v1.api
    shop.**.models    matches shop.models, shop.orders.models, shop.orders.v1.models
    shop.**           matches shop and everything under it

Import expressions join two patterns with an arrow: ``"shop.domain.** -> shop.api.**"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from fitness.model.errors import FitnessError


def is_pattern(text: str) -> bool:
    return "*" in text


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Turn ``shop.**.api`` into a regex over dotted module names."""
    parts = pattern.split(".")
    if not pattern or any(part == "" for part in parts):
        raise FitnessError(f"invalid module pattern {pattern!r}")
    regex = ""
    needs_sep = False
    for index, part in enumerate(parts):
        sep = r"\." if needs_sep else ""
        if part == "**":
            if index == 0 and len(parts) > 1:
                regex += r"(?:[^.]+\.)*"  # leading: zero or more segments, each with its dot
                needs_sep = False
                continue
            # zero or more segments, each with its separator (or the whole name when alone)
            regex += r"(?:\.[^.]+)*" if index else r"[^.]+(?:\.[^.]+)*"
        elif part == "*":
            regex += sep + r"[^.]+"
        elif "*" in part:
            raise FitnessError(f"invalid module pattern {pattern!r}: use * or ** as a whole segment")
        else:
            regex += sep + re.escape(part)
        needs_sep = True
    return re.compile(regex + r"\Z")


def matches(pattern: str, module: str) -> bool:
    if not is_pattern(pattern):
        return pattern == module
    return compile_pattern(pattern).match(module) is not None


def expand(pattern: str, modules: Iterable[str]) -> list[str]:
    """All modules matching ``pattern``, sorted."""
    if not is_pattern(pattern):
        return [pattern] if pattern in set(modules) else []
    regex = compile_pattern(pattern)
    return sorted(module for module in modules if regex.match(module))


def parse_import_expression(expression: str) -> tuple[str, str]:
    """``"a.b -> c.*"`` -> ``("a.b", "c.*")``."""
    importer, arrow, imported = expression.partition("->")
    importer, imported = importer.strip(), imported.strip()
    if not arrow or not importer or not imported:
        raise FitnessError(f"expected 'importer -> imported', got {expression!r}")
    compile_pattern(importer)
    compile_pattern(imported)
    return importer, imported


def within(module: str, package: str) -> bool:
    """True when ``module`` is ``package`` or one of its descendants."""
    return module == package or module.startswith(package + ".")

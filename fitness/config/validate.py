"""Small typed readers that collect errors (with file:line) instead of stopping at the first."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from fitness.config.source import KeyPath, Source
from fitness.inputs import path_problem
from fitness.model import FitnessError

_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", float: "a number"}


class Collector:
    """Gathers every problem in one config so the user fixes them in one go."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.errors: list[FitnessError] = []

    def add(self, key_path: KeyPath, message: str) -> None:
        self.errors.append(self.source.error(key_path, message))

    def unknown_keys(self, mapping: dict[str, Any], allowed: Iterable[str], where: KeyPath) -> None:
        allowed_list = sorted(allowed)
        for key in mapping:
            if key not in allowed_list:
                self.add(
                    (*where, key),
                    f"unknown key {_dotted(where, key)!r}{suggest(key, allowed_list)}",
                )

    def scalar(self, mapping: dict[str, Any], key: str, kind: type, where: KeyPath, default: Any) -> Any:
        if key not in mapping or mapping[key] is None:
            return default
        value = mapping[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not ok:
            self.add(
                (*where, key),
                f"{_dotted(where, key)}: expected {_TYPE_NAMES[kind]}, got {_show(value)}",
            )
            return default
        return value

    def str_list(self, mapping: dict[str, Any], key: str, where: KeyPath) -> tuple[str, ...]:
        """A string or a list of strings, as a tuple."""
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        self.add((*where, key), f"{_dotted(where, key)}: expected a list of strings, got {_show(value)}")
        return ()

    def path_list(self, mapping: dict[str, Any], key: str, where: KeyPath) -> tuple[str, ...]:
        """``str_list`` of file paths: each must be usable as one (no NUL, no name over 255 bytes)."""
        values = self.str_list(mapping, key, where)
        for value in values:
            problem = path_problem(value)
            if problem:
                shown = value if len(value) <= 40 else value[:37] + "..."
                self.add((*where, key), f"{_dotted(where, key)}: not a usable path ({problem}): {shown!r}")
                return ()
        return values


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'layers'?"`` when a close match exists, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _dotted(where: KeyPath, key: str | int) -> str:
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in (*where, key)]
    return "".join(parts).lstrip(".").replace(".[", "[")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return repr(value)

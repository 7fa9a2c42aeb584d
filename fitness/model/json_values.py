"""Typed reads of JSON values for the ``from_json`` of model types: a saved analysis may come from an older
fitness (a key missing) or a hand-edited file (a wrong type), so a bad value becomes the default instead of
an exception deep in a reporter. Numbers keep their JSON type (``1`` stays an int) so that writing a loaded
analysis again gives the same bytes.

    >>> text({"a": 1}.get("a"), "-"), integer("3"), strings(["x", 2, "y"])
    ('-', 0, ('x', 'y'))
"""

from __future__ import annotations

from collections.abc import Mapping


def text(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def integer(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def number(value: object, default: float = 0.0) -> float:
    """An int or float as it is (not converted), anything else ``default``."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def optional_number(value: object) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def flag(value: object) -> bool:
    return value is True


def strings(value: object) -> tuple[str, ...]:
    """The strings of a JSON list (other items dropped); ``()`` for anything else."""
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def records(value: object) -> list[Mapping[str, object]]:
    """The objects of a JSON list of objects (other items dropped)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def counts(value: object) -> dict[str, int]:
    """A JSON object of integers, in its order (other values dropped)."""
    return {
        str(key): n for key, n in mapping(value).items() if isinstance(n, int) and not isinstance(n, bool)
    }

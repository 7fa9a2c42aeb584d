"""Values as Go templates see them: truth, printing and field lookup, each bounded in size.

Shared by the functions, the evaluator and the chart's values, so all print and test a value alike.
"""

from __future__ import annotations

from typing import Any

from fitness.collect.manifests.helm.limits import MAX_OUTPUT, MAX_VALUE_NODES, NOTHING, TooLarge


def normalize(value: Any, count: list[int]) -> Any:
    """A fresh copy of YAML data with string keys (as helm sees values), bounded in size."""
    count[0] += 1
    if count[0] > MAX_VALUE_NODES:
        raise TooLarge
    if isinstance(value, dict):
        return {
            str(key).lower() if isinstance(key, bool) else str(key): normalize(v, count)
            for key, v in value.items()
        }
    if isinstance(value, list):
        return [normalize(item, count) for item in value]
    return value


def resolve(value: Any, names: list[str]) -> Any:
    """``.a.b.c`` of ``value``; nothing (None) where a step is missing."""
    for name in names:
        if not isinstance(value, dict):
            return None  # helm would fail on a field of nothing; a missing value is the kinder reading
        value = value.get(name)
    return value


def empty(value: Any) -> bool:
    """Go's zero value, or an empty collection: what ``if`` and ``default`` treat as not given."""
    if value is None or value is False or value is NOTHING:
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == 0
    if isinstance(value, (str, list, dict, tuple)):
        return len(value) == 0
    return False


def truthy(value: Any) -> bool:
    """What ``if``, ``with``, ``and`` and ``or`` take as true."""
    return not empty(value)


def go_str(value: Any) -> str:
    """How Go's template prints a value (helm prints a missing value as nothing)."""
    if isinstance(value, (list, tuple, dict)):
        bounded(value)
    return _format(value)


def bounded(value: Any) -> Any:
    """``value`` when it has at most MAX_VALUE_NODES nodes counting repeats (lists built of the same list
    over and over would print exponentially); a ValueError otherwise."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_VALUE_NODES:
            raise ValueError("value too large")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return value


def small(value: Any) -> Any:
    """A function's result, when it is not too large to keep (no doubling a string in a loop)."""
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_OUTPUT:
        raise ValueError("value too large")
    return value


def scalar_text(value: Any) -> str:
    """A Chart.yaml field as text; a map or a list there gives no text (not a name)."""
    return "" if value is None or isinstance(value, (dict, list)) else go_str(value)


def _format(value: Any) -> str:
    if value is None or value is NOTHING or callable(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(_format(item) if item is not None else "<nil>" for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{_format(value[key])}" for key in sorted(value, key=str)) + "]"
    return str(value)

"""The functions a pipeline may call: Go's built-ins and the common Sprig ones, as helm has them.

Each takes and returns plain Python values; one that fails on its arguments raises one of ``ERRORS``
and the expression renders as empty. ``include``, ``template`` and ``tpl`` need the evaluator and
live there.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from fitness.collect.manifests.helm.govalues import bounded, empty, go_str, normalize, truthy
from fitness.collect.manifests.helm.limits import (
    MAX_OUTPUT,
    MAX_STEPS,
    NOTHING,
    REGEX_SECONDS,
    TooLarge,
    Unsupported,
)
from fitness.collect.time_cap import time_cap


def _width(value: Any) -> int:
    width = int(value)
    if not 0 <= width <= 1000:
        raise ValueError("width out of range")
    return width


def _to_yaml(value: Any) -> str:
    if value is None:
        return "null"
    text = yaml.safe_dump(
        bounded(value), default_flow_style=False, sort_keys=True, allow_unicode=True, width=1 << 30
    )
    if text.endswith("\n...\n"):
        text = text[: -len("...\n")]
    return text[:-1] if text.endswith("\n") else text


def _indent(width: Any, text: Any) -> str:
    pad = " " * _width(width)
    return pad + go_str(text).replace("\n", "\n" + pad)


def _quote(*values: Any) -> str:
    return " ".join(json.dumps(go_str(value), ensure_ascii=False) for value in values if value is not None)


def _printf(pattern: Any, *args: Any) -> str:
    remaining = list(args)

    def verb(match: re.Match[str]) -> str:
        flags, kind = match.group(1), match.group(2)
        if any(int(number) > 1000 for number in re.findall(r"\d+", flags)):
            raise ValueError("width out of range")
        if kind == "%":
            return "%"
        if not remaining:
            return f"%!{kind}(MISSING)"
        value = remaining.pop(0)
        if kind in "sv":
            text = go_str(value)
        elif kind == "q":
            text = json.dumps(go_str(value), ensure_ascii=False)
        elif kind == "d":
            text = str(int(value))
        elif kind == "t":
            text = go_str(bool(value))
        elif kind in "fFeEgG":
            return ("%" + flags + kind.lower()) % float(value)
        elif kind in "xX":
            text = format(int(value), kind) if isinstance(value, int) else go_str(value).encode().hex()
        else:
            raise ValueError(kind)
        return ("%" + flags + "s") % text if flags else text

    return re.sub(r"%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])", verb, go_str(pattern))


def _print(*values: Any) -> str:
    """fmt.Sprint: a space between two operands when neither is a string."""
    text = ""
    for index, value in enumerate(values):
        if index and not isinstance(value, str) and not isinstance(values[index - 1], str):
            text += " "
        text += go_str(value)
    return text


def _index(value: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(value, dict):
            value = value.get(go_str(key))
        elif isinstance(value, (list, tuple, str)):
            value = value[int(key)]
        else:
            return None
    return value


def _dict(*pairs: Any) -> dict[str, Any]:
    return {go_str(pairs[i]): pairs[i + 1] if i + 1 < len(pairs) else "" for i in range(0, len(pairs), 2)}


def _merge(overwrite: bool) -> Callable[..., dict[str, Any]]:
    def merge(target: dict[str, Any], *sources: dict[str, Any]) -> dict[str, Any]:
        for source in sources:
            for key, value in source.items():
                current = target.get(key)
                if isinstance(current, dict) and isinstance(value, dict):
                    merge(current, value)
                elif overwrite or key not in target or target[key] is None:
                    target[key] = copy.deepcopy(value)
        return target

    return merge


def _to_int(value: Any) -> int:
    if isinstance(value, str):
        try:
            return int(float(value.strip()))
        except ValueError:
            return 0
    return int(value or 0)


def _number_of(value: Any) -> int | float:
    if isinstance(value, (int, float)):
        return value
    return _to_int(value)


def _kind(value: Any) -> str:
    if value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, (list, tuple)):
        return "slice"
    return "func" if callable(value) else "struct"


def _capped(call: Callable[[], Any]) -> Any:
    """A chart's own regular expression, stopped after ``REGEX_SECONDS``: helm's (Go's RE2) take linear
    time, Python's may backtrack for hours on ``(a+)+$``; one that runs over is not understood."""
    with time_cap(REGEX_SECONDS) as cap:
        result = call()
    if cap.expired:
        raise Unsupported("regular expression over its time cap")
    return result


def _go_regex_replacement(replacement: str) -> str:
    return re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", replacement.replace("\\", "\\\\"))


def _compare(op: str) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if isinstance(a, str) != isinstance(b, str):
            raise TypeError("incompatible types for comparison")
        result: bool = {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]
        return result

    return compare


def _version(text: Any) -> tuple[int, int, int]:
    match = re.match(r"\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", go_str(text))
    if match is None:
        raise ValueError(f"not a version: {text}")
    return (int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))


def _semver_compare(constraint: Any, version: Any) -> bool:
    """Masterminds semver constraints, roughly: ``>=1.19-0``, ``<2``, ``^1.2``, ``~1.2``, ``,`` and ``||``."""
    have = _version(version)
    normalized = re.sub(r"(>=|<=|!=|=>|=<|==|=|>|<|~|\^)\s+", r"\1", go_str(constraint))
    for alternative in normalized.split("||"):
        parts = [part for part in re.split(r"[,\s]+", alternative.strip()) if part]
        if parts and all(_satisfies(part, have) for part in parts):
            return True
    return False


def _satisfies(part: str, have: tuple[int, int, int]) -> bool:
    match = re.match(r"(>=|<=|!=|=>|=<|==|=|>|<|~|\^)?(.+)$", part)
    if match is None:
        raise ValueError(part)
    op, text = match.group(1) or "=", match.group(2)
    if re.search(r"(^|\.)[xX*]", text):
        op, text = "~", re.sub(r"\.[xX*].*$", "", text)
    want = _version(text)
    if op == "~":
        upper = (want[0], want[1] + 1, 0) if "." in text else (want[0] + 1, 0, 0)
        return want <= have < upper
    if op == "^":
        return want <= have < (want[0] + 1, 0, 0)
    checks = {
        ">=": have >= want,
        "=>": have >= want,
        "<=": have <= want,
        "=<": have <= want,
        ">": have > want,
        "<": have < want,
        "!=": have != want,
        "=": have == want,
        "==": have == want,
    }
    return checks[op]


def _from_yaml(text: Any) -> Any:
    try:
        return normalize(yaml.safe_load(go_str(text)), [0])
    except (yaml.YAMLError, TooLarge):
        return {}


FUNCTIONS: dict[str, Callable[..., Any]] = {  # by the name a template calls them
    # values
    "default": lambda default, *given: default if not given or empty(given[0]) else given[0],
    "empty": empty,
    "coalesce": lambda *values: next((v for v in values if not empty(v)), None),
    "ternary": lambda yes, no, condition: yes if truthy(condition) else no,
    "required": lambda _message, value: value,
    "lookup": lambda *_args: {},
    "not": lambda value: not truthy(value),
    "eq": lambda a, *others: any(a == other for other in others) if others else _fail("eq needs two values"),
    "ne": lambda a, b: a != b,
    "lt": _compare("lt"),
    "le": _compare("le"),
    "gt": _compare("gt"),
    "ge": _compare("ge"),
    "len": len,
    "index": _index,
    "kindIs": lambda kind, value: _kind(value) == kind,
    "kindOf": _kind,
    "typeOf": _kind,
    "semverCompare": _semver_compare,
    # strings
    "quote": _quote,
    "squote": lambda *values: " ".join(f"'{go_str(v)}'" for v in values if v is not None),
    "upper": lambda text: go_str(text).upper(),
    "lower": lambda text: go_str(text).lower(),
    "title": lambda text: " ".join(w[:1].upper() + w[1:] for w in go_str(text).split(" ")),
    "trunc": lambda width, text: (
        go_str(text)[: int(width)] if int(width) >= 0 else go_str(text)[int(width) :]
    ),
    "trim": lambda text: go_str(text).strip(),
    "trimAll": lambda cutset, text: go_str(text).strip(go_str(cutset)),
    "trimSuffix": lambda suffix, text: go_str(text).removesuffix(go_str(suffix)),
    "trimPrefix": lambda prefix, text: go_str(text).removeprefix(go_str(prefix)),
    "replace": lambda old, new, text: go_str(text).replace(go_str(old), go_str(new)),
    "contains": lambda part, text: go_str(part) in go_str(text),
    "hasPrefix": lambda prefix, text: go_str(text).startswith(go_str(prefix)),
    "hasSuffix": lambda suffix, text: go_str(text).endswith(go_str(suffix)),
    "nospace": lambda text: re.sub(r"\s+", "", go_str(text)),
    "repeat": lambda count, text: (
        go_str(text) * max(0, int(count))
        if len(go_str(text)) * int(count) <= MAX_OUTPUT
        else _fail("too long")
    ),
    "substr": lambda start, end, text: go_str(text)[int(start) : int(end) if int(end) >= 0 else None],
    "cat": lambda *values: " ".join(go_str(v) for v in values if v is not None),
    "printf": _printf,
    "print": _print,
    "println": lambda *values: " ".join(go_str(v) for v in values) + "\n",
    "toString": go_str,
    "indent": _indent,
    "nindent": lambda width, text: "\n" + _indent(width, text),
    "toYaml": _to_yaml,
    "fromYaml": _from_yaml,
    "toJson": lambda value: json.dumps(
        bounded(value), separators=(",", ":"), sort_keys=True, ensure_ascii=False
    ),
    "toPrettyJson": lambda value: json.dumps(bounded(value), indent=2, sort_keys=True, ensure_ascii=False),
    "fromJson": lambda text: json.loads(go_str(text)),
    "b64enc": lambda text: base64.b64encode(go_str(text).encode()).decode(),
    "b64dec": lambda text: base64.b64decode(go_str(text)).decode("utf-8", "replace"),
    "sha256sum": lambda text: hashlib.sha256(go_str(text).encode()).hexdigest(),
    "sha1sum": lambda text: hashlib.sha1(go_str(text).encode()).hexdigest(),
    "regexMatch": lambda pattern, text: _capped(lambda: re.search(go_str(pattern), go_str(text)) is not None),
    "regexFind": lambda pattern, text: _capped(
        lambda: m.group() if (m := re.search(go_str(pattern), go_str(text))) else ""
    ),
    "regexReplaceAll": lambda pattern, text, repl: _capped(
        lambda: re.sub(go_str(pattern), _go_regex_replacement(go_str(repl)), go_str(text))
    ),
    "regexReplaceAllLiteral": lambda pattern, text, repl: _capped(
        lambda: re.sub(go_str(pattern), lambda _m: go_str(repl), go_str(text))
    ),
    # numbers
    "int": _to_int,
    "int64": _to_int,
    "atoi": _to_int,
    "float64": lambda value: float(value or 0),
    "add": lambda *values: sum(_number_of(v) for v in values),
    "add1": lambda value: _number_of(value) + 1,
    "sub": lambda a, b: _number_of(a) - _number_of(b),
    "mul": lambda *values: _product([_number_of(v) for v in values]),
    "div": lambda a, b: int(_number_of(a) / _number_of(b)),
    "mod": lambda a, b: _to_int(a) % _to_int(b),
    "max": lambda *values: max(_number_of(v) for v in values),
    "min": lambda *values: min(_number_of(v) for v in values),
    "until": lambda count: list(range(min(_to_int(count), MAX_STEPS))),
    # lists and maps
    "list": lambda *values: list(values),
    "dict": _dict,
    "get": lambda mapping, key: mapping.get(go_str(key), "") if isinstance(mapping, dict) else "",
    "hasKey": lambda mapping, key: isinstance(mapping, dict) and go_str(key) in mapping,
    "set": lambda mapping, key, value: _set(mapping, go_str(key), value),
    "unset": lambda mapping, key: _set(mapping, go_str(key), NOTHING),
    "keys": lambda *maps: sorted(str(k) for m in maps for k in m),
    "values": lambda mapping: [mapping[k] for k in sorted(mapping)],
    "pick": lambda mapping, *keys: {k: mapping[k] for k in map(go_str, keys) if k in mapping},
    "omit": lambda mapping, *keys: {k: v for k, v in mapping.items() if k not in set(map(go_str, keys))},
    "merge": _merge(overwrite=False),
    "mergeOverwrite": _merge(overwrite=True),
    "deepCopy": copy.deepcopy,
    "splitList": lambda sep, text: go_str(text).split(go_str(sep)),
    "split": lambda sep, text: {f"_{i}": part for i, part in enumerate(go_str(text).split(go_str(sep)))},
    "join": lambda sep, values: go_str(sep).join(go_str(v) for v in values),
    "first": lambda values: values[0] if values else None,
    "last": lambda values: values[-1] if values else None,
    "rest": lambda values: list(values[1:]),
    "initial": lambda values: list(values[:-1]),
    "has": lambda needle, values: needle in values,
    "uniq": lambda values: [v for i, v in enumerate(values) if v not in values[:i]],
    "compact": lambda values: [v for v in values if not empty(v)],
    "concat": lambda *lists: [v for values in lists for v in values],
    "append": lambda values, value: [*values, value],
    "prepend": lambda values, value: [value, *values],
    "without": lambda values, *drop: [v for v in values if v not in drop],
    "sortAlpha": lambda values: sorted(go_str(v) for v in values),
}


def _set(mapping: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    if value is NOTHING:
        mapping.pop(key, None)
    else:
        mapping[key] = value
    return mapping


def _fail(message: str) -> Any:
    raise ValueError(message)


def _product(values: list[int | float]) -> int | float:
    result: int | float = 1
    for value in values:
        result *= value
    return result

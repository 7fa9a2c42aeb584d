"""A component's settings, and ``${KEY}`` templates filled from them.

Precedence, highest first: the component's manifest env (the base deployment before overlays and
extras: ``DeployedService.rank``), then its own config files (``application.yml``, ``appsettings.json``,
``.env``), then defaults written in code. Within the best source that defines a key every value is
kept (a compose file and a Kubernetes manifest may both set it), so every deployment is resolved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from fitness.model.evidence import Evidence
from fitness.model.facts import Setting, canonical_key

MAX_VALUES = 4
MAX_DEPTH = 4
MAX_PLACEHOLDERS = 64  # in one template; more is no address, and filling them costs their square
MAX_CHARS = 100_000  # in a filled value (``${A}${A}`` with A long would grow with every level)
_TEMPLATE = re.compile(r"\$\{([A-Za-z_][\w.\-]*)(?::-?([^}]*))?\}|\$([A-Z_][A-Z0-9_]*)")
_BARE = re.compile(r"\$\{(?!)([A-Za-z_][\w.\-]*)(?::-?([^}]*))?\}|\$([A-Z_][A-Z0-9_]*)")  # only $KEY


@dataclass(frozen=True)
class Filled:
    """A template with its settings substituted, and the settings that went into it."""

    value: str
    used: tuple[Evidence, ...]


@dataclass
class Settings:
    by_key: dict[str, list[Setting]] = field(default_factory=dict)  # canonical key -> best-ranked values

    @classmethod
    def build(cls, ranked: Iterable[tuple[int, Setting]]) -> Settings:
        """``ranked``: (rank, setting) pairs, lower rank wins (0 = base manifest)."""
        best: dict[str, tuple[int, list[Setting]]] = {}
        for rank, setting in sorted(ranked, key=lambda item: (item[0], item[1])):
            key = canonical_key(setting.key)
            if not key:
                continue
            current = best.get(key)
            if current is None:
                best[key] = (rank, [setting])
            elif (
                current[0] == rank
                and len(current[1]) < MAX_VALUES
                and all(s.value != setting.value for s in current[1])
            ):
                current[1].append(setting)
        return cls({key: values for key, (_, values) in best.items()})

    def get(self, key: str) -> list[Setting]:
        return self.by_key.get(canonical_key(key), [])

    def fill(self, template: str) -> list[Filled]:
        """Every value ``template`` can take: ``http://${HOST}:${PORT:8080}/x`` -> ``http://cart:8080/x``.
        A key with no value and no default stays as written (``${HOST}``); values holding templates
        themselves are filled again, up to ``MAX_DEPTH`` levels."""
        results = [Filled(template, ())]
        for _ in range(MAX_DEPTH):
            changed = False
            expanded: list[Filled] = []
            for item in results:
                options, moved = self._fill_once(item)
                changed = changed or moved
                expanded.extend(options)
            results = expanded[: MAX_VALUES * 2]
            if not changed:
                break
        return results

    def _fill_once(self, item: Filled) -> tuple[list[Filled], bool]:
        partial = [("", item.used)]
        cursor, moved = 0, False
        for count, match in enumerate(templates(item.value)):
            if count == MAX_PLACEHOLDERS:  # not an address: left as written (each one copies the text)
                return [item], False
            key, default = match.group(1) or match.group(3), match.group(2)
            values = self.get(key)
            literal = item.value[cursor : match.start()]
            cursor = match.end()
            if not values and default is None:
                options: list[tuple[str, tuple[Evidence, ...]]] = [(match.group(0), ())]
            else:
                moved = True
                options = [(s.value, (s.evidence,)) for s in values[:MAX_VALUES]] or [(default or "", ())]
            partial = [
                (text + literal + value, used + extra)
                for text, used in partial
                for value, extra in options
                if len(text) + len(literal) + len(value) <= MAX_CHARS
            ][: MAX_VALUES * 2]
            if not partial:
                return [item], False
        tail = item.value[cursor:]
        filled = [Filled(text + tail, used) for text, used in partial if len(text) + len(tail) <= MAX_CHARS]
        return (filled, moved) if filled else ([item], False)


def unfilled(value: str) -> bool:
    """True when a template still holds a placeholder nobody defined."""
    return next(templates(value), None) is not None


def templates(value: str) -> Iterator[re.Match[str]]:
    """``_TEMPLATE.finditer(value)`` in linear time. After the last ``}`` no ``${KEY...}`` can end, yet
    the expression would scan to the end for one from every ``${`` there: hours on a hostile 1 MB value
    (``${a:`` repeated). Up to that brace it is read as it is; after it, ``$KEY`` alone is looked for."""
    end = value.rfind("}") + 1
    yield from _TEMPLATE.finditer(value, 0, end)
    yield from _BARE.finditer(value, end)

"""Regular expressions compiled on first use, for the source detectors' few hundred patterns.

Compiling a pattern is pure Python (``re``'s parser) and costs tens of microseconds; a run compiles
every detector's patterns at import, about 40 ms, though a project in one or two languages uses a few
dozen of them (a Django project: 37 of 248). :func:`lazy` returns a stand-in that compiles the pattern
when one of its methods or attributes is first asked for and then hands out the compiled pattern's own
bound methods, so a hot loop pays nothing after that. Every stand-in is kept in :data:`MADE`, so a test
compiles them all (a pattern that does not compile still fails the suite, not a user's run).
"""

from __future__ import annotations

import re
from typing import cast

_ATTRIBUTES = (
    *("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner"),
    *("pattern", "flags", "groups", "groupindex"),
)


class _Lazy:
    """A pattern not compiled yet; its first attribute access compiles it and copies the compiled
    pattern's methods and attributes onto the stand-in."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> object:  # only for attributes not copied yet
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        self.__class__ = _Compiled  # type: ignore[assignment]
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r}, {self._source[1]!r})"


class _Compiled:
    """A stand-in whose pattern is compiled: without ``__getattr__``, a method is found in the instance
    as fast as on a compiled pattern (a class with ``__getattr__`` takes a slower path for every
    attribute)."""

    _source: tuple[str, int]

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r}, {self._source[1]!r})"


MADE: list[_Lazy] = []
"""Every stand-in made (for the test that compiles them all)."""


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used."""
    made = _Lazy(pattern, flags)
    MADE.append(made)
    return cast("re.Pattern[str]", made)

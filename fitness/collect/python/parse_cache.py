"""One ``ast.parse`` per Python file per component: the call scan and the table scan share the tree.

A cache lives for one component's scans and is dropped after, so no more than one component's trees
are held at once. A file that does not parse keeps its error, raised again to every caller. A file with
an absurdly deep expression is never given to the parser (``nesting``): ExpressionTooDeep instead.
"""

from __future__ import annotations

import ast
from collections import OrderedDict

from fitness.collect.python.nesting import ExpressionTooDeep, too_deep

ParseError = (SyntaxError, ValueError, RecursionError, MemoryError)


class ParseCache:
    def __init__(self) -> None:
        self._trees: dict[tuple[str, int], ast.Module | BaseException] = {}

    def parse(self, path: str, text: str) -> ast.Module:
        """The tree of ``text`` (keyed by path and length); raises what ``ast.parse`` raised."""
        key = (path, len(text))
        found = self._trees.get(key)
        if found is None:
            try:
                found = shared_parse(path, text)
            except ParseError as error:
                found = error
            self._trees[key] = found
        if isinstance(found, BaseException):
            raise found
        return found


_RECENT: OrderedDict[tuple[str, str], ast.Module | BaseException] = OrderedDict()
RECENT_TREES = 64
"""Trees kept for the detectors that read a file the scans already parsed (resilience, spans): a
component's files are read by several of them in turn, so a few dozen recent trees catch nearly every
second parse while bounding memory on a monolith of thousands of files."""


def shared_parse(path: str, text: str) -> ast.Module:
    """The tree of ``text`` from the recent ones (keyed by path and the text itself), else parsed
    safely; raises what the parse raised. Callers only read the tree."""
    key = (path, text)
    found = _RECENT.get(key)
    if found is None:
        try:
            found = safe_parse(path, text)
        except ParseError as error:
            found = error
        _RECENT[key] = found
        if len(_RECENT) > RECENT_TREES:
            _RECENT.popitem(last=False)
    else:
        _RECENT.move_to_end(key)
    if isinstance(found, BaseException):
        raise found
    return found


def parse(path: str, text: str, cache: ParseCache | None) -> ast.Module:
    """``ast.parse`` through ``cache`` when there is one."""
    return cache.parse(path, text) if cache is not None else safe_parse(path, text)


def safe_parse(path: str, text: str) -> ast.Module:
    """``ast.parse``, except for a text with an expression deep enough to crash CPython's parser (some
    versions segfault on it): ExpressionTooDeep, a RecursionError, without parsing."""
    deep = too_deep(text)
    if deep is not None:
        raise ExpressionTooDeep(deep)
    return ast.parse(text, filename=path)

"""One ``ast.parse`` per Python file per component: the call scan and the table scan share the tree.

A cache lives for one component's scans and is dropped after, so no more than one component's trees
are held at once. A file that does not parse keeps its error, raised again to every caller.
"""

from __future__ import annotations

import ast

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
                found = ast.parse(text, filename=path)
            except ParseError as error:
                found = error
            self._trees[key] = found
        if isinstance(found, BaseException):
            raise found
        return found


def parse(path: str, text: str, cache: ParseCache | None) -> ast.Module:
    """``ast.parse`` through ``cache`` when there is one."""
    return cache.parse(path, text) if cache is not None else ast.parse(text, filename=path)

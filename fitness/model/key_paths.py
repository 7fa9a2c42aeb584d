"""Where in a YAML or JSON document a value was written: key paths and their lines.

A key path is the tuple of mapping keys and sequence indexes from the document root. Values merged in
(``<<: *anchor``) or made up by defaults have no line of their own: they point at the nearest written
ancestor, so an error or a piece of evidence always names a line the user can open.
"""

from __future__ import annotations

from collections.abc import Mapping

KeyPath = tuple[str | int, ...]


def nearest_line(lines: Mapping[KeyPath, int], key_path: KeyPath) -> int:
    """Line of ``key_path`` or of its nearest written ancestor (1-based; 1 for an empty document)."""
    path = tuple(key_path)
    while path:
        found = lines.get(path)
        if found is not None:
            return found
        path = path[:-1]
    return lines.get((), 1)

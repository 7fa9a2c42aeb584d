"""Compiled page templates kept between runs: compiling the report's template costs more than the rest of
the page's own Python work (tens of milliseconds), and it only changes when fitness does.

jinja2's ``FileSystemBytecodeCache`` keeps them in its private folder for the user
(``$TMPDIR/_jinja2-cache-<uid>``, refused unless owned by the user and closed to everyone else), keyed by
the template's name and file and checked against a hash of its source; the key here adds the jinja2
version. Never the analysed project's folder: a compiled template is code, and nothing in fitness runs
code from the system it reads. A cache that cannot be made, read or written only makes the page slower.
The CLI always asks for it: a compiled template is part of fitness, like its ``.pyc`` files, not a result
about the analysed system (``--no-cache`` is about those); the page's bytes do not depend on it.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2.bccache import BytecodeCache


def compiled_templates() -> BytecodeCache | None:
    """The cache of compiled templates, or None when jinja2 finds no safe folder for it."""
    from jinja2 import FileSystemBytecodeCache, __version__
    from jinja2.bccache import Bucket

    class Kept(FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return super().get_cache_key(f"fitness|jinja2 {__version__}|{name}", filename)

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError, TypeError):  # unreadable or torn: compile again
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):  # a full or read-only disk: the next run compiles again
                super().dump_bytecode(bucket)

    try:
        return Kept()
    except (OSError, RuntimeError):  # no safe folder (shared, or not ours)
        return None

"""One source or config file, read once and shared by every detector that wants it.

Line numbers come from one table of line-start offsets per file (``bisect``), so a detector that reports
a thousand matches in a large file does not count newlines from the top each time.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from fitness.model.evidence import Evidence

_PLUS_ONE = (1).__add__


@dataclass
class SourceFile:
    """``path`` is relative to the analysed root (POSIX); ``suffix`` is lower-case with the dot
    (``.java``), or the lower-case file name for files without one (``dockerfile``, ``.env``)."""

    path: str
    text: str
    suffix: str
    _starts: list[int] = field(default_factory=list, repr=False)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def line_of(self, offset: int) -> int:
        """1-based line of a character offset."""
        return bisect_right(self._table(), offset)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``; 0 for a line outside the text."""
        starts = self._table()
        return starts[line - 1] if 0 < line < len(starts) else 0

    def _table(self) -> list[int]:
        """Offsets of the line starts, and one past the end (a running sum of line lengths plus one,
        built in C)."""
        if not self._starts:
            self._starts = [0, *accumulate(map(_PLUS_ONE, map(len, self.text.split("\n"))))]
        return self._starts

    def line_text(self, offset: int) -> str:
        """The stripped text of the line holding ``offset`` (at most 200 characters)."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start : end if end >= 0 else len(self.text)].strip()[:200]

    def evidence(self, offset: int, how: str) -> Evidence:
        return Evidence(self.path, self.line_of(offset), self.line_text(offset), how)


def suffix_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else name

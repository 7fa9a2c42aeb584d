"""Where a fact was seen, so that every finding can point a person at the code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: path relative to the analysed root (POSIX separators) and a 1-based line."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Location:
        return cls(path=str(data["path"]), line=int(data.get("line", 0)))


@dataclass(frozen=True, order=True)
class Evidence:
    """One observation behind a node or an edge.

    ``how`` says how the fact was seen (``import``, ``declared``, ``manifest`` ...); ``text`` is what was
    seen, e.g. the import statement ``from shop.api import views``.
    """

    path: str
    line: int = 0
    text: str = ""
    how: str = "import"

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "text": self.text, "how": self.how}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evidence:
        return cls(
            path=str(data["path"]),
            line=int(data.get("line", 0)),
            text=str(data.get("text", "")),
            how=str(data.get("how", "import")),
        )

"""Where a fact was seen, so that every finding can point a person at the code."""

from __future__ import annotations

from typing import Any, NamedTuple


class Location(NamedTuple):
    """A place in a file: path relative to the analysed root (POSIX separators) and a 1-based line.

    A NamedTuple so that sorting thousands of them compares in C.
    """

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Location:
        return cls(path=str(data["path"]), line=int(data.get("line", 0)))


class Evidence(NamedTuple):
    """One observation behind a node or an edge.

    ``how`` says how the fact was seen (``import``, ``declared``, ``manifest`` ...); ``text`` is what was
    seen, e.g. the import statement ``from shop.api import views``. A NamedTuple, not a dataclass: the
    collector makes one per import statement (40,000 on a large codebase) and tuples are built in C.
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

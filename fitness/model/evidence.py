"""Where a fact was seen, so that every finding can point a person at the code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from fitness.model.redact import redact


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


class _EvidenceFields(NamedTuple):
    path: str
    line: int = 0
    text: str = ""
    how: str = "import"


class Evidence(_EvidenceFields):
    """One observation behind a node or an edge.

    ``how`` says how the fact was seen (``import``, ``declared``, ``manifest`` ...); ``text`` is what was
    seen, e.g. the import statement ``from shop.api import views``. The text is redacted when the evidence
    is made (``fitness.model.redact``: URL credentials, passwords, tokens, keys become ``***``), so no
    secret in the analysed files enters the model, and none reaches any output. A NamedTuple, not a
    dataclass: the collector makes one per import statement (40,000 on a large codebase) and tuples are
    built in C (the import collector builds them with ``tuple.__new__`` and redacts the few lines that
    could hold a secret itself).
    """

    __slots__ = ()

    def __new__(cls, path: str, line: int = 0, text: str = "", how: str = "import") -> Evidence:
        return tuple.__new__(cls, (path, line, redact(text), how))

    @classmethod
    def _make(cls, iterable: Iterable[Any]) -> Evidence:  # type: ignore[override]
        return cls(*iterable)

    def _replace(self, **changes: Any) -> Evidence:
        return type(self)(*(changes.pop(name, value) for name, value in zip(self._fields, self, strict=True)))

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

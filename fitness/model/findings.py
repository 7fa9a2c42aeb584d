"""Findings: what rules and smell detectors return. Data only; reporters decide how it looks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from fitness.model.evidence import Location


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True)
class ChainLink:
    """One import in a chain: ``importer`` imports ``imported`` at ``path:line`` with ``text``."""

    importer: str
    imported: str
    path: str = ""
    line: int = 0
    text: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return (
            f"{self.importer} -> {self.imported} ({where})"
            if where
            else (f"{self.importer} -> {self.imported}")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "importer": self.importer,
            "imported": self.imported,
            "path": self.path,
            "line": self.line,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChainLink:
        return cls(
            str(data["importer"]),
            str(data["imported"]),
            str(data.get("path", "")),
            int(data.get("line", 0)),
            str(data.get("text", "")),
        )


Chain = tuple[ChainLink, ...]


@dataclass(frozen=True)
class Finding:
    """One violation or smell.

    ``code`` is the stable rule code (FIT101 ...), ``rule`` the id the team gave the rule in fitness.yaml.
    ``subjects`` names what the finding is about (modules, packages, services) and is, with the code and
    rule id, all the fingerprint hashes: line numbers and messages may change without making an old
    finding look new to a baseline.
    """

    code: str
    rule: str
    severity: Severity
    message: str
    subjects: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    chains: tuple[Chain, ...] = ()
    fix: str = ""
    because: str = ""
    adr: int | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def fingerprint(self) -> str:
        key = "\x1f".join((self.code, self.rule, *self.subjects))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple[Any, ...]:
        return (-self.severity.rank, self.code, self.rule, self.subjects, self.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "subjects": list(self.subjects),
            "locations": [loc.to_json() for loc in self.locations],
            "chains": [[link.to_json() for link in chain] for chain in self.chains],
            "fix": self.fix,
            "because": self.because,
            "adr": self.adr,
            "data": self.data,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(
            code=str(data["code"]),
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            message=str(data["message"]),
            subjects=tuple(str(s) for s in data.get("subjects", [])),
            locations=tuple(Location.from_json(loc) for loc in data.get("locations", [])),
            chains=tuple(
                tuple(ChainLink.from_json(link) for link in chain) for chain in data.get("chains", [])
            ),
            fix=str(data.get("fix", "")),
            because=str(data.get("because", "")),
            adr=data.get("adr"),
            data=dict(data.get("data", {})),
        )

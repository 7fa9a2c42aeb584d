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
    """One import in a chain: ``importer`` imports ``imported`` at ``path:line`` with ``text``.

    ``how`` is empty for an import run when the module loads, ``lazy`` for one inside a function and
    ``type-checking`` for one under ``if TYPE_CHECKING:`` (every statement behind the link is such).
    """

    importer: str
    imported: str
    path: str = ""
    line: int = 0
    text: str = ""
    how: str = ""

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
            **({"how": self.how} if self.how else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChainLink:
        return cls(
            str(data["importer"]),
            str(data["imported"]),
            str(data.get("path", "")),
            int(data.get("line", 0)),
            str(data.get("text", "")),
            str(data.get("how", "")),
        )


Chain = tuple[ChainLink, ...]


Import = tuple[str, str]  # (importer module, imported module)


@dataclass(frozen=True)
class Part:
    """One violation folded into a bigger finding (``shop.utils`` importing ``shop.orders``, one of the
    apps a finding about ``shop.utils`` lists): what a baseline entry records, one per part, so folding
    findings for the reader changes no baseline (see ``fitness.rules.fold``)."""

    code: str
    rule: str
    subjects: tuple[str, ...]
    message: str = ""
    imports: tuple[Import, ...] = ()

    @property
    def fingerprint(self) -> str:
        return _fingerprint(self.code, self.rule, self.subjects, self.imports)

    @property
    def subject_key(self) -> str:
        return _subject_key(self.code, self.rule, self.subjects)

    def to_json(self) -> dict[str, Any]:
        return {
            "subjects": list(self.subjects),
            "message": self.message,
            "imports": [list(pair) for pair in self.imports],
        }

    @classmethod
    def from_json(cls, code: str, rule: str, data: dict[str, Any]) -> Part:
        return cls(
            code,
            rule,
            tuple(str(s) for s in data.get("subjects", [])),
            str(data.get("message", "")),
            tuple((str(pair[0]), str(pair[1])) for pair in data.get("imports", [])),
        )


@dataclass(frozen=True)
class Finding:
    """One violation or smell.

    ``code`` is the stable rule code (FIT101 ...), ``rule`` the id the team gave the rule in fitness.yaml.
    ``subjects`` names what the finding is about (modules, packages, services). ``imports`` are the module
    imports behind a finding about imports between module groups (``domain -> adapters``): the first
    import of every route from one side to the other, so each chain shown starts with one of them, and
    ``len(imports)`` is how many routes the chains were picked from. The fingerprint hashes the code, the
    rule id, the subjects and these imports, never line numbers or messages: moving code keeps it, a new
    import between the same packages changes it (and ``subject_key``, without the imports, still groups
    it with its old self; see ``fitness.rules.baseline``).

    ``parts`` are the violations a finding folds (one per app a utility package imports): each keeps
    the fingerprint it had as a finding of its own, and the baseline records the parts, not the fold.
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
    imports: tuple[Import, ...] = ()
    parts: tuple[Part, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Code, rule, subjects and the imports behind the finding (``a -> b``), hashed; no line numbers.
        A fold hashes the fingerprints of its parts instead of its imports."""
        if self.parts:
            key = "\x1f".join(
                (self.code, self.rule, *self.subjects, "\x1d", *sorted(p.fingerprint for p in self.parts))
            )
            return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        return _fingerprint(self.code, self.rule, self.subjects, self.imports)

    @property
    def subject_key(self) -> str:
        """Code, rule and subjects hashed: the fingerprint of fitness before it hashed the imports."""
        return _subject_key(self.code, self.rule, self.subjects)

    def identities(self) -> tuple[Part, ...]:
        """What a baseline records of this finding: its parts, or the finding itself as one part."""
        if self.parts:
            return self.parts
        return (Part(self.code, self.rule, self.subjects, self.message, self.imports),)

    @property
    def routes_note(self) -> str:
        """``5 of 93 chains shown`` when the chains are a few of more routes, else ``""``. The routes of
        a fold are those of its parts (an import leading to two apps is two routes)."""
        total = sum(len(part.imports) for part in self.parts) if self.parts else len(self.imports)
        if total <= len(self.chains) or not self.chains:
            return ""
        return f"{len(self.chains)} of {total} chains shown"

    def sort_key(self) -> tuple[Any, ...]:
        # cycles: the one with the fewest imports to cut first (data["cuts"]), the most actionable
        return (
            -self.severity.rank,
            self.code,
            self.rule,
            self.data.get("cuts", 0),
            self.subjects,
            self.message,
        )

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
            **({"imports": [list(pair) for pair in self.imports]} if self.imports else {}),
            **({"parts": [part.to_json() for part in self.parts]} if self.parts else {}),
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
            imports=tuple((str(pair[0]), str(pair[1])) for pair in data.get("imports", [])),
            parts=tuple(
                Part.from_json(str(data["code"]), str(data["rule"]), part) for part in data.get("parts", [])
            ),
        )


def _fingerprint(code: str, rule: str, subjects: tuple[str, ...], imports: tuple[Import, ...]) -> str:
    if not imports:
        return _subject_key(code, rule, subjects)
    edges = (f"{importer} -> {imported}" for importer, imported in sorted(set(imports)))
    key = "\x1f".join((code, rule, *subjects, "\x1e", *edges))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _subject_key(code: str, rule: str, subjects: tuple[str, ...]) -> str:
    key = "\x1f".join((code, rule, *subjects))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

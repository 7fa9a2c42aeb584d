"""The declaration of a fitness function as the team wrote it (parsed by config, run by rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fitness.model.findings import Severity


@dataclass(frozen=True)
class IgnoreSpec:
    """``importer -> imported`` (patterns allowed) that one rule should not see, and why."""

    importer: str
    imported: str
    reason: str
    line: int = 0

    @property
    def expression(self) -> str:
        return f"{self.importer} -> {self.imported}"


@dataclass(frozen=True)
class RuleSpec:
    """One entry of ``rules:``; ``options`` are the type-specific keys, validated by the rule type."""

    id: str
    type: str
    severity: Severity = Severity.ERROR
    because: str = ""
    adr: int | None = None
    ignores: tuple[IgnoreSpec, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    option_lines: dict[str, int] = field(default_factory=dict)
    line: int = 0
    source: str = ""

    def option_line(self, name: str) -> int:
        return self.option_lines.get(name, self.line)

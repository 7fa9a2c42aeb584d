"""Architecture over time: one row of metrics per sampled commit.

A point is measured with the *current* configuration on the tree as it was, so that every point is
judged by the same yardstick; a sample the configuration does not fit (a package that did not exist
yet) keeps its error instead of numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fitness.model.analysis import Analysis
from fitness.model.graph import NodeKind
from fitness.model.service_view import ServiceView, monolith_groups, monolith_score

CYCLE_CODES = frozenset({"FIT201", "FIT202", "FIT106", "FIT110"})
"""Module and package cycles, as smells or as broken acyclic rules."""
SHARED_TABLE_CODES = frozenset({"FIT303", "FIT121", "FIT122"})
SERIES = (
    ("modules", "modules"),
    ("imports", "imports"),
    ("propagation_cost", "propagation cost (%)"),
    ("cycles", "cycles"),
    ("findings", "findings"),
    ("services", "services"),
    ("shared_tables", "shared tables"),
    ("monolith_score", "distributed-monolith score"),
)
"""The numeric columns of a point, in the order they are printed and charted, with their titles."""


@dataclass(frozen=True)
class TrendPoint:
    """The metrics of one sampled commit (``error`` set and numbers zero when it could not be analysed)."""

    sha: str
    day: str  # ISO date of the commit
    subject: str
    modules: int = 0
    imports: int = 0
    propagation_cost: float = 0.0  # percent of module pairs one change can reach
    cycles: int = 0
    findings: int = 0
    services: int = 0
    shared_tables: int = 0
    monolith_score: float = 0.0  # the highest distributed-monolith score of any group of services
    by_code: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def value(self, key: str) -> float:
        number: float = getattr(self, key)
        return number

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha": self.sha,
            "date": self.day,
            "subject": self.subject,
            **{key: getattr(self, key) for key, _ in SERIES},
            "by_code": dict(sorted(self.by_code.items())),
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrendPoint:
        numbers = {key: data.get(key, 0) for key, _ in SERIES}
        return cls(
            sha=str(data["sha"]),
            day=str(data["date"]),
            subject=str(data.get("subject", "")),
            modules=int(numbers["modules"]),
            imports=int(numbers["imports"]),
            propagation_cost=float(numbers["propagation_cost"]),
            cycles=int(numbers["cycles"]),
            findings=int(numbers["findings"]),
            services=int(numbers["services"]),
            shared_tables=int(numbers["shared_tables"]),
            monolith_score=float(numbers["monolith_score"]),
            by_code={str(k): int(v) for k, v in dict(data.get("by_code", {})).items()},
            error=str(data.get("error", "")),
        )


def measure(analysis: Analysis, sha: str, day: str, subject: str) -> TrendPoint:
    """The point of one analysed sample."""
    codes = Counter(finding.code for finding in analysis.findings)
    system = analysis.metrics.get("system", {}).get("modules", {})
    services = [
        n for n in analysis.graph.nodes(NodeKind.SERVICE) if n.attrs.get("role", "service") != "infra"
    ]
    score = 0.0
    if services:
        view = ServiceView.from_graph(analysis.graph)
        score = max((monolith_score(fired) for _, fired in monolith_groups(view)), default=0.0)
    return TrendPoint(
        sha=sha,
        day=day,
        subject=subject,
        modules=int(system.get("count", 0)),
        imports=int(system.get("imports", 0)),
        propagation_cost=round(100 * float(system.get("propagation_cost", 0.0)), 2),
        cycles=sum(count for code, count in codes.items() if code in CYCLE_CODES),
        findings=len(analysis.findings),
        services=len(services),
        shared_tables=sum(count for code, count in codes.items() if code in SHARED_TABLE_CODES),
        monolith_score=round(score, 2),
        by_code=dict(sorted(codes.items())),
    )

"""Analysis: the saved result of one run. Reporters read this and nothing else.

The JSON form carries ``schema_version`` so that ``fitness report --from analysis.json`` can refuse a file
written by a newer fitness instead of misreading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fitness.model.errors import FitnessError
from fitness.model.findings import Finding, Severity
from fitness.model.graph import ArchGraph

SCHEMA_VERSION = 1

# metrics[level][subject][metric] -> value, e.g. metrics["packages"]["shop.api"]["instability"]
Metrics = dict[str, dict[str, dict[str, float]]]


@dataclass
class Analysis:
    """Graph + findings + metrics (+ what could not be read), for one analysed root."""

    root: str
    graph: ArchGraph
    findings: list[Finding] = field(default_factory=list)
    metrics: Metrics = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    baseline_state: dict[str, str] = field(default_factory=dict)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def failing(self, threshold: Severity) -> list[Finding]:
        """Findings at or above ``threshold`` that a baseline does not already cover."""
        return [
            finding
            for finding in self.sorted_findings()
            if finding.severity.at_least(threshold)
            and self.baseline_state.get(finding.fingerprint) != "unchanged"
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "root": self.root,
            "summary": _sorted_dict(self.summary),
            "findings": [finding.to_json() for finding in self.sorted_findings()],
            "baseline_state": dict(sorted(self.baseline_state.items())),
            "stale": sorted(self.stale, key=lambda item: (item.get("code", ""), item.get("fingerprint", ""))),
            "warnings": sorted(self.warnings),
            "metrics": {
                level: {subject: dict(sorted(values.items())) for subject, values in sorted(rows.items())}
                for level, rows in sorted(self.metrics.items())
            },
            "graph": self.graph.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "analysis.json") -> Analysis:
        version = data.get("schema_version")
        if not isinstance(version, int):
            raise FitnessError("not a fitness analysis (no schema_version)", source)
        if version > SCHEMA_VERSION:
            raise FitnessError(
                f"written by a newer fitness (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}); upgrade fitness",
                source,
            )
        return cls(
            root=str(data.get("root", "")),
            graph=ArchGraph.from_json(data.get("graph", {})),
            findings=[Finding.from_json(item) for item in data.get("findings", [])],
            metrics=data.get("metrics", {}),
            summary=dict(data.get("summary", {})),
            warnings=list(data.get("warnings", [])),
            stale=list(data.get("stale", [])),
            baseline_state=dict(data.get("baseline_state", {})),
        )


def _sorted_dict(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_dict(value[key]) for key in sorted(value)}
    return value

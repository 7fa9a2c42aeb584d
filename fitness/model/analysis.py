"""Analysis: the saved result of one run. Reporters read this and nothing else.

The JSON form carries ``schema_version`` so that ``fitness report --from analysis.json`` can refuse a file
written by a newer fitness instead of misreading it.

The graph goes into the JSON in one of two forms (``graph.detail``):

- ``compact`` (what ``fitness check --format json`` writes by default): services, datastores, tables and
  topics with the edges between them, in full; module and external nodes and every edge that touches one
  (imports, service -> module, module co-change) are left out and counted in ``graph.omitted``. The
  findings keep their chains, so it stays small on a large codebase (1.3 MB instead of 22 MB for
  homeassistant's 6,700 modules and 39,000 imports);
- ``full`` (``--graph full``): every node and edge with its evidence, what ``fitness report --from`` needs.

Schema 1 (before the two forms) is read as ``full``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fitness.model.errors import FitnessError
from fitness.model.findings import Finding, Severity
from fitness.model.graph import ArchGraph, NodeKind
from fitness.model.summary import Summary

SCHEMA_VERSION = 2

GRAPH_DETAILS = ("compact", "full")
# left out of the compact graph, with every edge that touches them
_BULK_NODES = frozenset({NodeKind.MODULE, NodeKind.EXTERNAL})

# metrics[level][subject][metric] -> value, e.g. metrics["packages"]["shop.api"]["instability"]
Metrics = dict[str, dict[str, dict[str, float]]]


@dataclass
class Analysis:
    """Graph + findings + metrics (+ what could not be read), for one analysed root."""

    root: str
    graph: ArchGraph
    findings: list[Finding] = field(default_factory=list)
    metrics: Metrics = field(default_factory=dict)
    summary: Summary = field(default_factory=Summary)
    warnings: list[str] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    baseline_state: dict[str, str] = field(default_factory=dict)
    # what a compact JSON left out of ``graph`` ({"nodes": {kind: count}, "edges": {kind: count}}); empty
    # when the graph is whole (a fresh run, or a full JSON)
    graph_omitted: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def graph_complete(self) -> bool:
        """False when loaded from a compact JSON that left nodes or edges out."""
        return not any(self.graph_omitted.get(part) for part in ("nodes", "edges"))

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

    def to_json(self, graph: str = "full") -> dict[str, Any]:
        """The analysis as JSON; ``graph`` is ``full`` (every node and edge) or ``compact`` (see above). An
        analysis loaded from a compact JSON writes its compact graph again whatever ``graph`` says."""
        if graph not in GRAPH_DETAILS:
            raise ValueError(f"graph must be one of {GRAPH_DETAILS}, not {graph!r}")
        return {
            "schema_version": SCHEMA_VERSION,
            "root": self.root,
            "summary": _sorted_dict(self.summary.to_json()),
            "findings": [finding.to_json() for finding in self.sorted_findings()],
            "baseline_state": dict(sorted(self.baseline_state.items())),
            "stale": sorted(self.stale, key=lambda item: (item.get("code", ""), item.get("fingerprint", ""))),
            "warnings": sorted(self.warnings),
            "metrics": {
                level: {subject: dict(sorted(values.items())) for subject, values in sorted(rows.items())}
                for level, rows in sorted(self.metrics.items())
            },
            "graph": self._graph_json(graph),
        }

    def _graph_json(self, detail: str) -> dict[str, Any]:
        if detail == "full" and self.graph_complete:
            return {"detail": "full", **self.graph.to_json()}
        omitted: dict[str, Counter[str]] = {
            part: Counter(self.graph_omitted.get(part, {})) for part in ("edges", "nodes")
        }
        nodes = []
        for node in self.graph.nodes():
            if node.kind in _BULK_NODES:
                omitted["nodes"][node.kind.value] += 1
            else:
                nodes.append(node.to_json())
        kept = {node["id"] for node in nodes}
        edges = []
        for edge in self.graph.edges():
            if edge.source in kept and edge.target in kept:
                edges.append(edge.to_json())
            else:
                omitted["edges"][edge.kind.value] += 1
        return {
            "detail": "compact",
            "nodes": nodes,
            "edges": edges,
            "omitted": {part: dict(sorted(counts.items())) for part, counts in omitted.items()},
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
        raw_graph = data.get("graph") or {}
        detail = raw_graph.get("detail", "full")
        if detail not in GRAPH_DETAILS:
            raise FitnessError(f"unknown graph detail {detail!r} (expected compact or full)", source)
        omitted = (raw_graph.get("omitted") or {}) if detail == "compact" else {}
        return cls(
            root=str(data.get("root", "")),
            graph=ArchGraph.from_json(raw_graph),
            findings=[Finding.from_json(item) for item in data.get("findings", [])],
            metrics=data.get("metrics", {}),
            summary=Summary.from_json(data.get("summary") or {}),
            warnings=list(data.get("warnings", [])),
            stale=list(data.get("stale", [])),
            baseline_state=dict(data.get("baseline_state", {})),
            graph_omitted={
                part: {str(kind): int(count) for kind, count in (omitted.get(part) or {}).items()}
                for part in ("nodes", "edges")
                if omitted.get(part)
            },
        )


def _sorted_dict(value: object) -> object:
    if isinstance(value, dict):
        return {key: _sorted_dict(value[key]) for key in sorted(value)}
    return value

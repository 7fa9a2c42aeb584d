"""Granularity (Hard Parts): the forces that split a service and the forces that pull services together.

Settings and their documented defaults (ADR 0006, README "Granularity: split, keep or merge"), and the
pressure formula shared by the analysis, the rules and the reporters.

Every force is a score from 0 to 1 with its evidence. A pressure combines the forces of one side as a
*noisy OR* of the weighted scores::

    pressure = 1 - prod(1 - weight_f * score_f)

so one strong force alone reaches its weight, several forces add up without ever passing 1, and a force
with score 0 (or one that could not be measured, e.g. co-change without git history) changes nothing.
Split pressure combines the disintegrators of a service; merge pressure the integrators of a pair of
services (a service's merge pressure is that of its strongest pair). The verdict:

- ``merge`` (with the partner) when merge pressure >= ``merge_threshold`` and >= split pressure + margin;
- ``split`` (into the named parts) when split pressure >= ``split_threshold`` and >= merge pressure + margin;
- ``keep`` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DISINTEGRATORS = ("scope", "volatility", "scalability", "fault_tolerance", "security", "extensibility")
INTEGRATORS = ("transactions", "workflow", "shared_code", "data", "co_change")
FORCES = (*DISINTEGRATORS, *INTEGRATORS)
HISTORY_FORCES = frozenset({"volatility", "co_change"})

# A judgement call until calibrated on real systems (README): what a team argues about most (shared
# transactions, a part that does something else, sensitive data) weighs most.
DEFAULT_WEIGHTS: dict[str, float] = {
    "scope": 0.8,
    "volatility": 0.7,
    "scalability": 0.6,
    "fault_tolerance": 0.6,
    "security": 0.8,
    "extensibility": 0.4,
    "transactions": 0.9,
    "workflow": 0.6,
    "shared_code": 0.5,
    "data": 0.5,
    "co_change": 0.8,
}
DEFAULT_SPLIT_THRESHOLD = 0.5
DEFAULT_MERGE_THRESHOLD = 0.5
DEFAULT_MARGIN = 0.1
GRANULARITY_KEYS = ("weights", "split_threshold", "merge_threshold", "margin")


@dataclass(frozen=True)
class GranularitySettings:
    """``granularity:`` in fitness.yaml: weights per force (0..1), thresholds and the margin."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    split_threshold: float = DEFAULT_SPLIT_THRESHOLD
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD
    margin: float = DEFAULT_MARGIN

    def weight(self, force: str) -> float:
        return float(self.weights.get(force, DEFAULT_WEIGHTS[force]))

    def to_json(self) -> dict[str, object]:
        return {
            "weights": {force: self.weight(force) for force in FORCES},
            "split_threshold": self.split_threshold,
            "merge_threshold": self.merge_threshold,
            "margin": self.margin,
        }


def pressure(scores: Iterable[tuple[float, float]]) -> float:
    """Noisy OR of ``(weight, score)`` pairs, rounded to 3 decimals: ``1 - prod(1 - w * s)``."""
    rest = 1.0
    for weight, score in scores:
        rest *= 1.0 - max(0.0, min(1.0, weight)) * max(0.0, min(1.0, score))
    return round(1.0 - rest, 3)


def verdict(split: float, merge: float, settings: GranularitySettings) -> str:
    """``split``, ``merge`` or ``keep`` from the two pressures (see the module docstring)."""
    if merge >= settings.merge_threshold and merge >= split + settings.margin - 1e-9:
        return "merge"
    if split >= settings.split_threshold and split >= merge + settings.margin - 1e-9:
        return "split"
    return "keep"


def granularity_metrics(table: Mapping[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    """The granularity table as metrics, for rules (which read metrics, never the analysis modules):

    ``metrics["services"][name]`` holds ``split_pressure``, ``merge_pressure`` and each measured
    disintegrator's score; ``metrics["service_pairs"]["a <-> b"]`` holds ``merge_pressure`` and each
    measured integrator's score. Forces that could not be measured are left out.
    """
    services: dict[str, dict[str, float]] = {}
    for row in table.get("services", []):
        values = {
            "split_pressure": float(row["split_pressure"]),
            "merge_pressure": float(row["merge_pressure"]),
        }
        for force, body in row.get("disintegrators", {}).items():
            if body.get("score") is not None:
                values[force] = float(body["score"])
        services[str(row["name"])] = values
    pairs: dict[str, dict[str, float]] = {}
    for row in table.get("pairs", []):
        values = {"merge_pressure": float(row["merge_pressure"])}
        for force, body in row.get("integrators", {}).items():
            if body.get("score") is not None:
                values[force] = float(body["score"])
        pairs[pair_key(*row["services"])] = values
    return {"services": services, "service_pairs": pairs}


def pair_key(a: str, b: str) -> str:
    """``"inventory <-> orders"``: the metrics key of a pair, names sorted."""
    first, second = sorted((a, b))
    return f"{first} <-> {second}"

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

from fitness.model import json_values

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


@dataclass(frozen=True)
class ForceScore:
    """One force as the table shows it: ``score`` (0..1) None when it could not be measured (``note``
    says why, e.g. no git history), with the evidence behind it."""

    score: float | None
    evidence: tuple[str, ...] = ()
    note: str = ""

    @property
    def status(self) -> str:
        return "unavailable" if self.score is None else "measured"

    def to_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "status": self.status,
            "evidence": list(self.evidence),
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ForceScore:
        return cls(
            json_values.optional_number(data.get("score")),
            json_values.strings(data.get("evidence")),
            json_values.text(data.get("note")),
        )


@dataclass(frozen=True)
class SplitPart:
    """One part of a candidate split: its modules and why they go together."""

    name: str
    modules: tuple[str, ...]
    why: str = ""

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "modules": list(self.modules), "why": self.why}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SplitPart:
        return cls(
            json_values.text(data.get("name")),
            json_values.strings(data.get("modules")),
            json_values.text(data.get("why")),
        )


@dataclass(frozen=True)
class ServiceVerdict:
    """One row of the table: a service (or a package standing in for one), its verdict and the forces."""

    name: str
    modules: int
    verdict: str  # split, keep or merge
    reason: str
    split_pressure: float
    merge_pressure: float
    merge_with: tuple[str, ...] = ()
    parts: tuple[SplitPart, ...] = ()  # the candidate split
    disintegrators: Mapping[str, ForceScore] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "modules": self.modules,
            "verdict": self.verdict,
            "reason": self.reason,
            "split_pressure": self.split_pressure,
            "merge_pressure": self.merge_pressure,
            "merge_with": list(self.merge_with),
            "parts": [part.to_json() for part in self.parts],
            "disintegrators": _forces_json(self.disintegrators),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ServiceVerdict:
        return cls(
            name=json_values.text(data.get("name")),
            modules=json_values.integer(data.get("modules")),
            verdict=json_values.text(data.get("verdict")),
            reason=json_values.text(data.get("reason")),
            split_pressure=json_values.number(data.get("split_pressure")),
            merge_pressure=json_values.number(data.get("merge_pressure")),
            merge_with=json_values.strings(data.get("merge_with")),
            parts=tuple(SplitPart.from_json(item) for item in json_values.records(data.get("parts"))),
            disintegrators=_forces_from_json(data.get("disintegrators")),
        )


@dataclass(frozen=True)
class PairPressure:
    """Two services (or packages) and the integrators that pull them together."""

    services: tuple[str, str]
    merge_pressure: float
    integrators: Mapping[str, ForceScore] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "services": list(self.services),
            "merge_pressure": self.merge_pressure,
            "integrators": _forces_json(self.integrators),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> PairPressure | None:
        names = json_values.strings(data.get("services"))
        if len(names) != 2:
            return None
        return cls(
            (names[0], names[1]),
            json_values.number(data.get("merge_pressure")),
            _forces_from_json(data.get("integrators")),
        )


@dataclass(frozen=True)
class GranularityTable:
    """Split, keep or merge for every service (``level`` services) or, without services, every package at
    the package depth (``level`` packages), and the pairs with any integrator, strongest first. Written by
    ``fitness.analyze.granularity``; kept in ``Analysis.summary.granularity`` so reporters render it
    without recomputing. ``history_available`` False: volatility and co-change were not measured."""

    level: str
    history_available: bool
    history_reason: str
    settings: GranularitySettings
    services: tuple[ServiceVerdict, ...] = ()
    pairs: tuple[PairPressure, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "history": {"available": self.history_available, "reason": self.history_reason},
            "settings": self.settings.to_json(),
            "services": [row.to_json() for row in self.services],
            "pairs": [pair.to_json() for pair in self.pairs],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> GranularityTable:
        history = json_values.mapping(data.get("history"))
        pairs = (PairPressure.from_json(item) for item in json_values.records(data.get("pairs")))
        return cls(
            level=json_values.text(data.get("level"), "services"),
            history_available=json_values.flag(history.get("available")),
            history_reason=json_values.text(history.get("reason")),
            settings=_settings_from_json(json_values.mapping(data.get("settings"))),
            services=tuple(
                ServiceVerdict.from_json(row) for row in json_values.records(data.get("services"))
            ),
            pairs=tuple(pair for pair in pairs if pair is not None),
        )


def _forces_json(forces: Mapping[str, ForceScore]) -> dict[str, object]:
    return {name: force.to_json() for name, force in forces.items()}


def _forces_from_json(value: object) -> dict[str, ForceScore]:
    return {
        str(name): ForceScore.from_json(body)
        for name, body in json_values.mapping(value).items()
        if isinstance(body, Mapping)
    }


def _settings_from_json(data: Mapping[str, object]) -> GranularitySettings:
    weights = json_values.mapping(data.get("weights"))
    return GranularitySettings(
        weights={
            force: json_values.number(weights.get(force), weight) for force, weight in DEFAULT_WEIGHTS.items()
        },
        split_threshold=json_values.number(data.get("split_threshold"), DEFAULT_SPLIT_THRESHOLD),
        merge_threshold=json_values.number(data.get("merge_threshold"), DEFAULT_MERGE_THRESHOLD),
        margin=json_values.number(data.get("margin"), DEFAULT_MARGIN),
    )


def granularity_metrics(table: GranularityTable) -> dict[str, dict[str, dict[str, float]]]:
    """The granularity table as metrics, for rules (which read metrics, never the analysis modules):

    ``metrics["services"][name]`` holds ``split_pressure``, ``merge_pressure`` and each measured
    disintegrator's score; ``metrics["service_pairs"]["a <-> b"]`` holds ``merge_pressure`` and each
    measured integrator's score. Forces that could not be measured are left out.
    """
    services: dict[str, dict[str, float]] = {}
    for row in table.services:
        values = {"split_pressure": float(row.split_pressure), "merge_pressure": float(row.merge_pressure)}
        values.update(_measured(row.disintegrators))
        services[row.name] = values
    pairs: dict[str, dict[str, float]] = {}
    for pair in table.pairs:
        values = {"merge_pressure": float(pair.merge_pressure)}
        values.update(_measured(pair.integrators))
        pairs[pair_key(*pair.services)] = values
    return {"services": services, "service_pairs": pairs}


def _measured(forces: Mapping[str, ForceScore]) -> dict[str, float]:
    return {name: float(force.score) for name, force in forces.items() if force.score is not None}


def pair_key(a: str, b: str) -> str:
    """``"inventory <-> orders"``: the metrics key of a pair, names sorted."""
    first, second = sorted((a, b))
    return f"{first} <-> {second}"

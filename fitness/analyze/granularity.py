"""Granularity: for each service, split, keep or merge, with the forces behind the verdict (ADR 0006).

``score_granularity`` reads the ArchGraph (and nothing else) and returns a ``GranularityTable``
(``fitness.model.granularity``), which the pipeline stores as ``analysis.summary.granularity`` so reporters
render it without recomputing. Its JSON form::

    {
      "level": "services" | "packages",     # packages (at the package depth) when no service is found
      "history": {"available": bool, "reason": str},
      "settings": {"weights": {force: w}, "split_threshold": t, "merge_threshold": t, "margin": m},
      "services": [                          # sorted by name
        {"name": str, "modules": int, "verdict": "split" | "keep" | "merge", "reason": str,
         "split_pressure": float, "merge_pressure": float, "merge_with": [str],
         "parts": [{"name": str, "modules": [str], "why": str}],          # the candidate split
         "disintegrators": {force: FORCE}}                                 # every disintegrator
      ],
      "pairs": [                             # pairs with any integrator, strongest first
        {"services": [a, b], "merge_pressure": float, "integrators": {force: FORCE}}
      ]
    }
    FORCE = {"score": float | None, "status": "measured" | "unavailable", "evidence": [str], "note": str}

Integrators of a pair (each 0..1): *transactions* 1 when both write a table; *workflow* 0.6 for
synchronous calls one way, 1 both ways; *shared code* 0.5 per direction of imports between them, plus
0.2 per library (package outside every service, used by at most ``MAX_LIBRARY_USERS`` services) both
import, 0.1 more when that library has ``MIN_COMMITS`` commits; *data* 0.5 per direction of reading the
other's table (declared owner or sole writer); *co-change* the CO_CHANGES degree / 100 (git history).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fitness.analyze.granularity_forces import (
    FAULT_TOLERANCE,
    SCALING,
    Force,
    Part,
    declared,
    extensibility,
    scope,
    security,
    units_of,
    volatility,
)
from fitness.analyze.granularity_pairs import package_pairs, service_pairs
from fitness.model.algorithms import greedy_modularity
from fitness.model.granularity import (
    DISINTEGRATORS,
    ForceScore,
    GranularitySettings,
    GranularityTable,
    PairPressure,
    ServiceVerdict,
    pressure,
    verdict,
)
from fitness.model.graph import ArchGraph, EdgeKind, NodeKind, node_id
from fitness.model.history import HistorySummary
from fitness.model.service_view import ServiceView
from fitness.model.views import package_of

LABELS = {
    "scope": "scope and function",
    "volatility": "code volatility",
    "scalability": "scalability",
    "fault_tolerance": "fault tolerance",
    "security": "security",
    "extensibility": "extensibility",
    "transactions": "database transactions",
    "workflow": "workflow",
    "shared_code": "shared code",
    "data": "data dependencies",
    "co_change": "co-change",
}


@dataclass
class Subject:
    """A service (or a package standing in for one) and the modules it holds."""

    name: str
    node: str
    modules: list[str]
    annotations: Mapping[str, Any] = field(default_factory=dict)


def score_granularity(
    graph: ArchGraph,
    settings: GranularitySettings | None = None,
    depth: int = 2,
    history: HistorySummary | None = None,
    view: ServiceView | None = None,
) -> GranularityTable:
    """The granularity table (shape in the module docstring). ``history`` is the git collector's
    summary (``available``, ``reason``); without it, history counts as available when any node has churn.
    ``view``: the graph's ServiceView when the caller already built one (it is read, never changed)."""
    settings = settings or GranularitySettings()
    available, reason = _history(graph, history)
    view = view if view is not None else ServiceView.from_graph(graph)
    if view.services:
        level, subjects = "services", _services(graph, view)
        pairs = service_pairs(graph, view, available, reason)
    else:
        level, subjects = "packages", _packages(graph, depth)
        pairs = package_pairs(graph, {s.name: (s.node, s.modules) for s in subjects}, available, reason)
    edges: dict[str, set[str]] = {}
    for edge in graph.iter_edges(EdgeKind.IMPORTS):
        if edge.source.startswith("module:") and edge.target.startswith("module:"):
            edges.setdefault(edge.source[7:], set()).add(edge.target[7:])
    commits = {
        node.name: int(node.attrs["churn"].get("commits", 0))
        for node in graph.nodes(NodeKind.MODULE)
        if isinstance(node.attrs.get("churn"), Mapping)
    }
    paths = {node.name: str(node.attrs.get("path", "")) for node in graph.nodes(NodeKind.MODULE)}
    pair_rows: list[PairPressure] = []
    strongest: dict[str, tuple[float, list[str]]] = {s.name: (0.0, []) for s in subjects}
    for (a, b), forces in sorted(pairs.items()):
        value = pressure((settings.weight(f), force.score or 0.0) for f, force in forces.items())
        if value <= 0:
            continue
        pair_rows.append(PairPressure((a, b), value, _scores(forces)))
        for me, other in ((a, b), (b, a)):
            if me in strongest:
                best, partners = strongest[me]
                if value > best:
                    strongest[me] = (value, [other])
                elif value == best:
                    partners.append(other)
    pair_rows.sort(key=lambda row: (-row.merge_pressure, row.services))
    rows = [
        _service_row(
            subject, edges, commits, paths, settings, available, reason, strongest[subject.name], pairs
        )
        for subject in subjects
    ]
    if level == "packages":
        rows = [_no_merge_inside_library(row) for row in rows]
    return GranularityTable(level, available, reason, settings, tuple(rows), tuple(pair_rows))


def _no_merge_inside_library(row: ServiceVerdict) -> ServiceVerdict:
    """Packages under one root package are parts of one library, deployed as one: merging two of them
    changes nothing a team deploys, so such a verdict is ``keep`` (issue 17)."""
    library = row.name.split(".")[0]
    if row.verdict != "merge" or any(other.split(".")[0] != library for other in row.merge_with):
        return row
    return dataclasses.replace(
        row,
        verdict="keep",
        merge_with=(),
        reason=(
            f"keep {row.name}: a part of the library {library}, like {', '.join(row.merge_with)}; "
            f"packages of one library are not merged (merge pressure {row.merge_pressure:.2f})"
        ),
    )


# -- subjects -----------------------------------------------------------------------------------


def _history(graph: ArchGraph, history: HistorySummary | None) -> tuple[bool, str]:
    if history is not None:
        return history.available, history.reason
    if any("churn" in node.attrs for node in graph.nodes()) or graph.edges(EdgeKind.CO_CHANGES):
        return True, ""
    return False, "no git history collected"


def _services(graph: ArchGraph, view: ServiceView) -> list[Subject]:
    members: dict[str, list[str]] = {name: [] for name in view.services}
    for module, owner in view.module_owner.items():
        members[owner].append(module)
    return [
        Subject(
            name,
            node_id(NodeKind.SERVICE, name),
            sorted(members[name]),
            dict(graph.node(node_id(NodeKind.SERVICE, name)).attrs.get("annotations") or {}),
        )
        for name in view.services
    ]


def _packages(graph: ArchGraph, depth: int) -> list[Subject]:
    members: dict[str, list[str]] = {}
    for node in graph.nodes(NodeKind.MODULE):
        members.setdefault(package_of(node.name, depth), []).append(node.name)
    return [
        Subject(name, node_id(NodeKind.MODULE, name), sorted(modules), {})
        for name, modules in sorted(members.items())
        if not (modules == [name] and any(other.startswith(name + ".") for other in members))
    ]


# -- disintegrators -----------------------------------------------------------------------------


def _service_row(
    subject: Subject,
    edges: Mapping[str, set[str]],
    commits: Mapping[str, int],
    paths: Mapping[str, str],
    settings: GranularitySettings,
    available: bool,
    reason: str,
    strongest: tuple[float, list[str]],
    pairs: Mapping[tuple[str, str], Mapping[str, Force]],
) -> ServiceVerdict:
    units = units_of(subject.modules, edges)
    scope_force, parts = scope(units, edges, modularity_communities)
    covered = {m for part in parts for m in part.modules}
    groups = [(p.name, p.modules) for p in parts]
    loose = sorted(m for members in units.values() for m in members if m not in covered)
    if parts and loose:
        groups.append(("the rest", loose))
    if not parts:
        groups = sorted(units.items())
    forces: dict[str, Force] = {
        "scope": scope_force,
        "volatility": volatility(groups, commits, available, reason),
        "scalability": declared(subject.annotations, "scaling", SCALING),
        "fault_tolerance": declared(subject.annotations, "fault_tolerance", FAULT_TOLERANCE),
        "security": security(subject.annotations, subject.modules, paths),
        "extensibility": extensibility(subject.modules),
    }
    split = pressure((settings.weight(f), forces[f].score or 0.0) for f in DISINTEGRATORS)
    merge, partners = strongest
    decided = verdict(split, merge, settings)
    if decided == "split" and not parts:
        parts = _parts_from_forces(forces, [m for members in units.values() for m in members])
    partner_forces: dict[str, Force] = {}
    for other in partners[:1]:
        partner_forces = dict(pairs.get((min(subject.name, other), max(subject.name, other)), {}))
    return ServiceVerdict(
        name=subject.name,
        modules=len(subject.modules),
        verdict=decided,
        reason=_reason(
            subject.name, decided, split, merge, partners, forces, partner_forces, parts, settings
        ),
        split_pressure=split,
        merge_pressure=merge,
        merge_with=tuple(sorted(partners)) if decided == "merge" else (),
        parts=tuple(p.scored() for p in parts),
        disintegrators=_scores(forces),
    )


def _parts_from_forces(forces: Mapping[str, Force], modules: list[str]) -> list[Part]:
    """Without separate module clusters, the parts a force points at (volatile, sensitive, variants)."""
    parts: list[Part] = []
    taken: set[str] = set()
    for name in ("volatility", "security", "extensibility"):
        chosen = [m for m in forces[name].part if m not in taken]
        if chosen and (forces[name].score or 0) > 0:
            parts.append(Part(_short(chosen), chosen, LABELS[name]))
            taken.update(chosen)
    rest = sorted(m for m in modules if m not in taken)
    if parts and rest:
        parts.append(Part("the rest", rest, "what stays"))
    return parts


def _short(modules: list[str]) -> str:
    return " + ".join(modules[:3]) + (f" + {len(modules) - 3} more" if len(modules) > 3 else "")


def _reason(
    name: str,
    decided: str,
    split: float,
    merge: float,
    partners: list[str],
    forces: Mapping[str, Force],
    partner_forces: Mapping[str, Force],
    parts: list[Part],
    settings: GranularitySettings,
) -> str:
    pushing = _top(forces, settings)
    pulling = _top(partner_forces, settings)
    balance = f"split pressure {split:.2f}, merge pressure {merge:.2f}"
    if decided == "merge":
        return f"merge {name} with {', '.join(sorted(partners))}: {pulling} pull them together ({balance})"
    if decided == "split":
        into = " | ".join(p.name for p in parts) if parts else "parts the forces do not name"
        return f"split {name} into {into}: {pushing} push it apart ({balance})"
    if split < settings.split_threshold and merge < settings.merge_threshold:
        strongest = pushing if split >= merge else pulling
        extra = f"; strongest: {strongest}" if strongest != "no force" else ""
        return f"keep {name}: no side reaches its threshold ({balance}){extra}"
    return f"keep {name}: the forces balance within the margin {settings.margin:g} ({balance})"


def _top(forces: Mapping[str, Force], settings: GranularitySettings) -> str:
    ranked = sorted(
        ((settings.weight(f) * (force.score or 0.0), f, force.score or 0.0) for f, force in forces.items()),
        key=lambda item: (-item[0], item[1]),
    )
    named = [f"{LABELS[f]} {score:.2f}" for weighted, f, score in ranked[:3] if weighted > 0]
    if not named:
        return "no force"
    return ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1]


def _scores(forces: Mapping[str, Force]) -> dict[str, ForceScore]:
    return {name: force.scored() for name, force in forces.items()}


def modularity_communities(
    nodes: list[str], links: dict[tuple[str, str], int]
) -> tuple[list[list[str]], float]:
    """Greedy modularity communities of the undirected unit graph, and the partition's modularity.

    ``fitness.model.algorithms.greedy_modularity``: networkx's algorithm, merge for merge, without
    networkx's graph classes (their cost per call was most of the granularity table of a large system).
    """
    return greedy_modularity(nodes, links)

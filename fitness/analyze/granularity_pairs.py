"""The integrators of each pair of services (or packages), each a score 0..1 with its evidence.

Built only for pairs that have some evidence, so 500 services do not make 125,000 empty pairs. Scores are
documented in ``fitness.analyze.granularity`` and the README.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from fitness.analyze.granularity_forces import MIN_COMMITS, Force
from fitness.model.granularity import INTEGRATORS
from fitness.model.graph import ArchGraph, EdgeKind, NodeKind, node_id
from fitness.model.service_view import ServiceView

MAX_LIBRARY_USERS = 10
Pair = tuple[str, str]


class _Pairs:
    """Integrator evidence per unordered pair, built only for pairs that have some (sparse)."""

    def __init__(self) -> None:
        self.scores: dict[Pair, dict[str, float]] = {}
        self.evidence: dict[Pair, dict[str, list[str]]] = {}

    def add(self, a: str, b: str, force: str, score: float, why: str) -> None:
        if a == b:
            return
        key = (min(a, b), max(a, b))
        scores = self.scores.setdefault(key, {})
        scores[force] = min(1.0, scores.get(force, 0.0) + score)
        self.evidence.setdefault(key, {}).setdefault(force, []).append(why)

    def set(self, a: str, b: str, force: str, score: float, why: str) -> None:
        key = (min(a, b), max(a, b))
        self.scores.setdefault(key, {})[force] = max(self.scores.get(key, {}).get(force, 0.0), score)
        self.evidence.setdefault(key, {}).setdefault(force, []).append(why)

    def forces(self, available: bool, reason: str) -> dict[Pair, dict[str, Force]]:
        result: dict[Pair, dict[str, Force]] = {}
        for key, scores in self.scores.items():
            row: dict[str, Force] = {}
            for force in INTEGRATORS:
                if force == "co_change" and not available:
                    row[force] = Force(None, note=f"git history unavailable: {reason}")
                else:
                    row[force] = Force(scores.get(force, 0.0), sorted(set(self.evidence[key].get(force, []))))
            result[key] = row
        return result


def service_pairs(
    graph: ArchGraph, view: ServiceView, available: bool, reason: str
) -> dict[Pair, dict[str, Force]]:
    found = _Pairs()
    for table in view.tables():
        writers = sorted(view.writers.get(table, set()))
        for a, b in itertools.combinations(writers, 2):
            found.set(a, b, "transactions", 1.0, f"both write table {table}{_at(view, a, table)}")
        owner = view.owner_of(table)
        for reader in sorted(view.readers.get(table, set())):
            if owner and reader != owner and reader not in view.writers.get(table, set()):
                found.add(
                    reader,
                    owner,
                    "data",
                    0.5,
                    f"{reader} reads {owner}'s table {table}{_at(view, reader, table)}",
                )
    for source in view.services:
        for target in sorted(view.calls.get(source, set())):
            back = source in view.calls.get(target, set())
            where = _where(view.evidence(source, target, EdgeKind.CALLS))
            found.set(source, target, "workflow", 1.0 if back else 0.6, f"{source} calls {target}{where}")
    directions: dict[tuple[str, str], list[str]] = {}
    for (importer, imported), evidence in view.cross_imports().items():
        a, b = view.module_owner[importer], view.module_owner[imported]
        directions.setdefault((a, b), []).append(f"{importer} -> {imported}{_where(evidence)}")
    for (a, b), imports in sorted(directions.items()):
        found.add(a, b, "shared_code", 0.5, f"{a} imports {b}: {'; '.join(imports[:3])}")
    _shared_libraries(graph, view, found)
    _co_change(graph, {node_id(NodeKind.SERVICE, s): s for s in view.services}, found)
    return found.forces(available, reason)


def _shared_libraries(graph: ArchGraph, view: ServiceView, found: _Pairs) -> None:
    users: dict[str, set[str]] = {}
    for edge in graph.iter_edges(EdgeKind.IMPORTS):
        importer, imported = edge.source[7:], edge.target.partition(":")[2]
        service = view.module_owner.get(importer)
        if service and edge.target.startswith("module:") and imported not in view.module_owner:
            users.setdefault(imported.split(".")[0], set()).add(service)
    for library, names in sorted(users.items()):
        if not 2 <= len(names) <= MAX_LIBRARY_USERS:
            continue
        commits = sum(
            int(node.attrs["churn"].get("commits", 0))
            for node in graph.nodes(NodeKind.MODULE)
            if (node.name == library or node.name.startswith(library + "."))
            and isinstance(node.attrs.get("churn"), Mapping)
        )
        bonus = 0.1 if commits >= MIN_COMMITS else 0.0
        churn = f", {commits} commits" if commits else ""
        for a, b in itertools.combinations(sorted(names), 2):
            found.add(a, b, "shared_code", 0.2 + bonus, f"both import library {library}{churn}")


def _co_change(graph: ArchGraph, names: Mapping[str, str], found: _Pairs) -> None:
    for edge in graph.iter_edges(EdgeKind.CO_CHANGES):
        a, b = names.get(edge.source), names.get(edge.target)
        if a and b and a != b:
            degree = float(edge.attrs.get("degree", 0) or 0)
            shared = edge.attrs.get("shared", "?")
            found.set(
                a,
                b,
                "co_change",
                degree / 100,
                f"{a} and {b} change together: {degree:g}% ({shared} shared commits)",
            )


def package_pairs(
    graph: ArchGraph, subjects: Mapping[str, tuple[str, list[str]]], available: bool, reason: str
) -> dict[Pair, dict[str, Force]]:
    """Integrators between packages standing in for services: ``subjects`` maps name -> (node, modules)."""
    owner = {module: name for name, (_, modules) in subjects.items() for module in modules}
    found = _Pairs()
    directions: dict[tuple[str, str], list[str]] = {}
    for edge in graph.iter_edges(EdgeKind.IMPORTS):
        a, b = owner.get(edge.source[7:]), owner.get(edge.target.partition(":")[2])
        if a and b and a != b and edge.target.startswith("module:"):
            directions.setdefault((a, b), []).append(
                f"{edge.source[7:]} -> {edge.target[7:]}{_where(edge.evidence)}"
            )
    for (a, b), imports in sorted(directions.items()):
        found.add(a, b, "shared_code", 0.5, f"{a} imports {b}: {'; '.join(sorted(imports)[:3])}")
    _co_change(graph, {node: name for name, (node, _) in subjects.items()}, found)
    return found.forces(available, reason)


def _where(evidence: Iterable[Any]) -> str:
    first = next(iter(evidence), None)
    if first is None or not first.path:
        return ""
    return f" ({first.path}:{first.line})" if first.line else f" ({first.path})"


def _at(view: ServiceView, service: str, table: str) -> str:
    return _where(view.access_evidence(service, table))

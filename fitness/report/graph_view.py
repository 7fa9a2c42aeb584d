"""The graph a ``fitness graph`` reporter draws: nodes, weighted edges, and which nodes sit on cycles."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.model import Analysis, FitnessError
from fitness.model.algorithms import cyclic_components
from fitness.model.views import ImportView, PackageView

LEVELS = ("modules", "packages")


@dataclass(frozen=True)
class GraphData:
    level: str
    nodes: list[str]
    edges: list[tuple[str, str, int]]  # (source, target, number of module imports behind it)
    cyclic: set[str]


def graph_data(analysis: Analysis, level: str, depth: int | None = None) -> GraphData:
    if level not in LEVELS:
        raise FitnessError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    view = ImportView.from_graph(analysis.graph)
    if level == "modules":
        nodes = sorted(view.modules)
        succ = view.succ
        edges = sorted((a, b, 1) for a in nodes for b in succ[a])
    else:
        chosen = depth or int(analysis.summary.get("package_depth", 2))
        packages = PackageView.collapse(view, chosen)
        nodes = sorted(packages.nodes)
        succ = packages.succ
        edges = sorted((a, b, len(pairs)) for (a, b), pairs in packages.members.items())
    cyclic = {node for component in cyclic_components(nodes, succ) for node in component}
    return GraphData(level, nodes, edges, cyclic)

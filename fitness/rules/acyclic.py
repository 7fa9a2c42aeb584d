"""``acyclic``: no import cycles between modules, between packages, or between the children of a container.

A cycle is reported once per strongly connected component (``subjects``: its sorted members, as the
analysis' FIT201/FIT202 do), with a shortest loop inside it as the witness (for packages each step shows
the first module import behind it) and a few imports whose removal breaks the whole component, lightest
first. The cycle helpers here are shared with ``max-cycle-size``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.algorithms import (
    bounded_shortest_cycle,
    cyclic_components,
    nominate_cycle_breakers,
    stability_weight,
)
from fitness.model.findings import Chain
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView, PackageView
from fitness.rules.base import (
    Option,
    OptionValues,
    RuleContext,
    RuleType,
    _error,
    choice_errors,
    range_errors,
    roots_of,
    subtree,
)

LEVELS = ("modules", "packages", "siblings")
NOUN = {"modules": "module", "packages": "package", "siblings": "subpackage"}
MAX_LISTED = 5  # imports to cut spelled out in the fix; data["breakers"] has them all


@dataclass(frozen=True)
class CycleGraph:
    """Nodes and edges to look for cycles in; ``imports`` keeps the module imports behind each edge."""

    nodes: Collection[str]
    succ: Mapping[str, Collection[str]]
    imports: Mapping[tuple[str, str], list[tuple[str, str]]] | None = None  # None: the edges are imports


@dataclass(frozen=True)
class Cycle:
    """One cyclic component: its members, a shortest loop through it, and the imports to cut."""

    members: tuple[str, ...]
    witness: tuple[str, ...]
    chain: Chain
    fix: str
    breakers: tuple[tuple[str, str], ...]
    complete: bool
    cuts: int = 0  # import statements behind the breakers: how many imports the fix removes

    def message(self, noun: str, limit: str = "") -> str:
        """``cycle of 3 packages: a -> b -> c -> a``, as the analysis words it (FIT201/FIT202)."""
        what = f"{len(self.members)} {noun}{'s' if len(self.members) != 1 else ''}{limit}"
        loop = " -> ".join(self.witness)
        cuts = ""  # the fix names the imports to cut; data["cuts"] counts them and ranks the cycles
        return (
            f"cycle of {what}: {loop}{cuts}"
            if len(self.witness) - 1 == len(self.members)
            else f"cycle of {what}; shortest loop: {loop}{cuts}"
        )

    def data(self, level: str) -> dict[str, Any]:
        return {
            "level": level,
            "size": len(self.members),
            "cycle": list(self.witness),
            "breakers": [list(pair) for pair in self.breakers],
            "complete": self.complete,
            "cuts": self.cuts,
        }


def cycle_graphs(view: ImportView, level: str, depth: int, containers: list[str]) -> list[CycleGraph]:
    """The graph(s) to search: the whole project or each container, at the level asked for."""
    if not containers and level == "modules":
        return [CycleGraph(view.modules, view.succ)]
    if not containers and level == "packages":
        packages = PackageView.collapse(view, depth)
        return [CycleGraph(packages.nodes, packages.succ, packages.members)]
    graphs = []
    for container in containers or [""]:
        inside = set(subtree(view, container)) if container else set(view.modules)
        if level == "siblings":
            inside.discard(container)
            depth = container.count(".") + 2
        succ = {module: {t for t in view.succ.get(module, ()) if t in inside} for module in inside}
        if level == "modules":
            graphs.append(CycleGraph(inside, succ))
        else:
            packages = PackageView.collapse_succ(inside, succ, depth)
            graphs.append(CycleGraph(packages.nodes, packages.succ, packages.members))
    return graphs


def find_cycles(view: ImportView, graph: CycleGraph) -> list[Cycle]:
    """Every cyclic component, with a shortest loop as witness and imports that break the component."""
    weights: dict[tuple[str, str], int] = {}

    def weight(source: str, target: str) -> int:
        if (source, target) not in weights:
            behind = graph.imports[source, target] if graph.imports is not None else [(source, target)]
            weights[source, target] = max(1, len(view.statements(behind)))
        return weights[source, target]

    cycles = []
    for component in cyclic_components(graph.nodes, graph.succ):
        witness = bounded_shortest_cycle(component, graph.succ)
        chain = tuple(view.link(*_first_import(graph, step)) for step in itertools.pairwise(witness))
        breakers, complete = nominate_cycle_breakers(
            component, graph.succ, stability_weight(component, graph.succ, weight), strongly_connected=True
        )
        fix = _advice(view, graph, breakers, complete, weight)
        cuts = sum(weight(*pair) for pair in breakers)
        cycles.append(Cycle(tuple(component), tuple(witness), chain, fix, tuple(breakers), complete, cuts))
    return cycles


def _first_import(graph: CycleGraph, step: tuple[str, str]) -> tuple[str, str]:
    return graph.imports[step][0] if graph.imports is not None else step


def _advice(
    view: ImportView,
    graph: CycleGraph,
    breakers: list[tuple[str, str]],
    complete: bool,
    weight: Callable[[str, str], int],
) -> str:
    """``remove 2 imports to break the cycle: a -> b (a.py:3); c -> d (3 import statements, first c.py:9)``."""
    shown = []
    for pair in breakers[:MAX_LISTED]:
        link = view.link(*_first_import(graph, pair))
        where = f"{link.path}:{link.line}" if link.line else link.path
        count = weight(*pair)
        shown.append(
            f"{pair[0]} -> {pair[1]} ({f'{count} import statements, first ' if count > 1 else ''}{where})"
            + view.reexport_note(*_first_import(graph, pair))
        )
    if len(breakers) > MAX_LISTED:
        shown.append(f"and {len(breakers) - MAX_LISTED} more (--format json lists them all)")
    one, many = ("import", "imports") if graph.imports is None else ("dependency", "dependencies")
    what = f"{len(breakers)} {one if len(breakers) == 1 else many}"
    head = f"remove {what} to break the cycle" if complete else f"start with these {what} (more are needed)"
    return f"{head}: {'; '.join(shown)}; or invert one (an interface owned by the imported side)"


def level_errors(spec: RuleSpec, values: OptionValues, levels: tuple[str, ...]) -> list[FitnessError]:
    return choice_errors(spec, values, "level", levels) + range_errors(spec, values, "depth", 1)


@dataclass(frozen=True)
class AcyclicOptions:
    level: str
    depth: int | None
    containers: list[str]
    ignore_lazy: bool = False


class Acyclic(RuleType[AcyclicOptions]):
    name = "acyclic"
    code = "FIT106"
    summary = "No import cycles between modules, packages, or the subpackages of a container."
    options: ClassVar[tuple[Option, ...]] = (
        Option("level", "str", default="packages", help="modules, packages or siblings"),
        Option(
            "depth", "int", help="package depth for level: packages (default: the analysis' package_depth)"
        ),
        Option(
            "containers",
            "modules",
            default=[],
            help="only look inside these; for level: siblings, the children of each container (each with "
            "its subpackages) must not form a cycle",
        ),
        Option(
            "ignore_lazy",
            "bool",
            default=False,
            help="leave imports inside functions and under TYPE_CHECKING out (they do not run at import time)",
        ),
    )
    example = """\
- id: apps-acyclic
  type: acyclic
  level: siblings
  containers: [shop]
  because: the apps must be deployable in dependency order
"""
    advice = (
        "Cut the suggested import: move the shared code into a lower module both sides may import, or "
        "invert the dependency (callbacks, events, an interface owned by the lower side)."
    )

    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        errors += level_errors(spec, values, LEVELS)
        if values.get("level") == "siblings" and not values.get("containers"):
            errors.append(_error(spec, "level", "level: siblings needs `containers`"))
        return values, errors

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.view.without_lazy() if self.opts.ignore_lazy else context.view
        level = self.opts.level
        depth = self.opts.depth or context.package_depth
        containers = roots_of(view, self.opts.containers)
        findings: dict[tuple[str, ...], Finding] = {}
        for graph in cycle_graphs(view, level, depth, containers):
            for cycle in find_cycles(view, graph):
                message = cycle.message(NOUN[level])
                finding = self.finding(
                    message, cycle.members, [cycle.chain], cycle.fix, data=cycle.data(level)
                )
                findings.setdefault(finding.subjects, finding)
        return [findings[key] for key in sorted(findings)]

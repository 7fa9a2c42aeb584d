"""Starter rules that fit the system found: the contracts its import graph nearly keeps.

``fitness init`` proposes, over the system's units (``fitness.model.layout.Units``):

- a **shared-kernel** rule: the utility packages (named ``utils``, ``common``, ``core`` ..., or stable
  and imported by three quarters of the units) must not import the units built on them (``forbidden``);
- **layers** of units when ordering them leaves few imports pointing upwards (``layers``), else
  **independence** of the largest set of units that nearly import none of each other (``independence``);
- no cycles between the packages at the units' depth (``acyclic``).

Each candidate is evaluated with the rule type that ``fitness check`` will run, on the same graph, so the
violations it counts are the ones the baseline records. A layering or an independence contract is only
proposed when at most ``budget(cross)`` imports break it (the few imports a team can fix one by one);
the kernel and the acyclic rule are proposed in any case, their current violations being the baseline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from fitness.model import Finding
from fitness.model.layout import UTILITY_NAMES, ProposedRule, Units
from fitness.model.patterns import within
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView
from fitness.rules.acyclic import Acyclic
from fitness.rules.base import RuleContext, RuleType
from fitness.rules.forbidden import Forbidden
from fitness.rules.independence import Independence
from fitness.rules.layers import Layers

MIN_INDEPENDENT = 3  # an independence contract over fewer units says little
KERNEL_SHARE = 0.75  # a unit imported by this share of the other units is shared code
NEARLY = 0.05  # a contract nearly holds when at most this share of the imports between units break it


def budget(cross: int) -> int:
    """How many violating imports a proposed contract may have: 5% of the imports between units (at
    least 5)."""
    return max(5, int(cross * NEARLY))


def propose_rules(
    view: ImportView, units: Units, depth: int
) -> tuple[list[ProposedRule], ProposedRule | None]:
    """The starter rules for the system in ``view`` whose units are ``units``, and the best layering
    when it does not nearly hold (for the starter to show, commented out)."""
    graph = UnitGraph.build(view, units.names)
    proposals: list[ProposedRule] = []
    kernels = kernel_packages(view, units, graph)
    apps = [unit for unit in graph.units if unit not in kernels]
    if kernels and apps:
        proposals.append(_kernel_rule(view, kernels, apps, depth))
    allowed = budget(graph.cross)
    layered = _layers_rule(view, graph, depth)
    sketch = None
    if layered is not None and layered.imports <= allowed:
        proposals.append(layered)
    else:
        sketch = None if layered is None else _sketch(layered, graph)
        independent = _independence_rule(view, apps, graph, depth, allowed)
        if independent is not None:
            proposals.append(independent)
    proposals.append(acyclic_rule(view, depth))
    return proposals, sketch


@dataclass
class UnitGraph:
    """Imports between units, counted: ``weight[(a, b)]`` module imports from unit a into unit b."""

    units: list[str]
    weight: Counter[tuple[str, str]]
    cross: int  # module imports between two different units

    @classmethod
    def build(cls, view: ImportView, names: Sequence[str]) -> UnitGraph:
        owner = _owners(view.modules, names)
        weight: Counter[tuple[str, str]] = Counter()
        for importer, targets in view.succ.items():
            source = owner.get(importer)
            if source is None:
                continue
            for imported in targets:
                target = owner.get(imported)
                if target is not None and target != source:
                    weight[(source, target)] += 1
        present = sorted(set(owner.values()))
        return cls(present, weight, sum(weight.values()))

    def importers_of(self, unit: str) -> set[str]:
        return {a for (a, b) in self.weight if b == unit}

    def imported_by(self, unit: str) -> set[str]:
        """The units ``unit`` imports."""
        return {b for (a, b) in self.weight if a == unit}


def kernel_packages(view: ImportView, units: Units, graph: UnitGraph) -> list[str]:
    """Shared code: units, and packages beside the units or beside their parents, named like utilities
    (``utils``, ``common``, ``core`` ...); and stable units imported by three quarters of the others (at
    least three) that import at most half as many units as import them (a hub that imports most of the
    system is its core, not a kernel under it)."""
    threshold = max(3, int(KERNEL_SHARE * (len(graph.units) - 1) + 0.5))
    found = [
        unit
        for unit in graph.units
        if unit.rpartition(".")[2] in UTILITY_NAMES
        or (
            len(graph.importers_of(unit)) >= threshold
            and 2 * len(graph.imported_by(unit)) <= len(graph.importers_of(unit))
        )
    ]
    parents = {ancestor for unit in units.names for ancestor in ["", *_ancestors(unit)]}
    for parent in sorted(parents):
        siblings = view.children(parent) if parent else sorted(m for m in view.modules if "." not in m)
        for child in siblings:
            if (
                child not in units.names
                and child.rpartition(".")[2] in UTILITY_NAMES
                and view.is_package(child)
                and not any(within(unit, child) for unit in units.names)
            ):
                found.append(child)
    return sorted(set(found))


def _ancestors(module: str) -> list[str]:
    """``a.b.c`` -> ``["a", "a.b"]``."""
    parts = module.split(".")
    return [".".join(parts[:size]) for size in range(1, len(parts))]


def _kernel_rule(view: ImportView, kernels: list[str], apps: list[str], depth: int) -> ProposedRule:
    rule = {
        "id": "shared-code-does-not-import-apps",
        "type": "forbidden",
        "source_modules": kernels,
        "forbidden_modules": apps,
        "because": "shared code is imported by the apps; when it imports them back, every app depends on every other",
    }
    findings = _evaluate(Forbidden, rule, view, depth)
    what = ", ".join(kernels)
    return _proposal(
        rule, f"shared code (named like utilities, or imported by nearly every unit): {what}", findings
    )


def _layers_rule(view: ImportView, graph: UnitGraph, depth: int) -> ProposedRule | None:
    if len(graph.units) < 2:
        return None
    order = feedback_order(graph.units, graph.weight)
    levels = _levels(order, graph.weight)
    if len(levels) < 2:
        return None
    container = _common_parent(graph.units)
    cut = len(container) + 1 if container else 0
    layers = [" | ".join(unit[cut:] for unit in level) for level in levels]
    rule: dict[str, Any] = {"id": "unit-layers", "type": "layers"}
    if container:
        rule["containers"] = [container]
    rule["layers"] = layers
    rule["because"] = "each unit imports only the ones below it; units on one line are independent"
    findings = _evaluate(Layers, rule, view, depth)
    return _proposal(rule, f"the {len(graph.units)} units form these layers, top first", findings)


def _independence_rule(
    view: ImportView, candidates: list[str], graph: UnitGraph, depth: int, allowed: int
) -> ProposedRule | None:
    """The largest set of units that nearly import none of each other: drop the unit behind most of the
    violating imports until at most ``allowed`` are left; none when fewer than a third of the candidates
    (or three) would be left."""
    members = sorted(candidates)
    smallest = max(MIN_INDEPENDENT, (len(candidates) + 2) // 3)
    while len(members) >= smallest:
        rule = {
            "id": "independent-units",
            "type": "independence",
            "modules": members,
            "because": "units that do not import each other can change, and be tested, alone",
        }
        findings = _evaluate(Independence, rule, view, depth)
        imports = _imports(findings)
        if len(imports) <= allowed:
            left = len(candidates) - len(members)
            note = f"{len(members)} of the {len(candidates)} units import none of each other"
            return _proposal(rule, note + (f" (the other {left} do)" if left else ""), findings)
        blame: Counter[str] = Counter()
        for part in (part for finding in findings for part in finding.identities()):
            blame[part.subjects[0]] += len(part.imports)
            blame[part.subjects[1]] += len(part.imports)
        worst = max(members, key=lambda unit: (blame[unit], _degree(graph, unit), unit))
        members.remove(worst)
    return None


def _sketch(layered: ProposedRule, graph: UnitGraph) -> ProposedRule:
    note = (
        f"the best layering found for the {len(graph.units)} units is broken by {layered.imports} imports "
        f"(directly or through other code; the units import each other {graph.cross} times): too many to "
        "propose it. Edit it, then uncomment"
    )
    return replace(layered, note=note)


def _degree(graph: UnitGraph, unit: str) -> int:
    return sum(count for (a, b), count in graph.weight.items() if unit in (a, b))


def acyclic_rule(view: ImportView, depth: int) -> ProposedRule:
    """No cycles between the packages at ``depth`` (proposed for any system with packages)."""
    rule = {
        "id": "no-package-cycles",
        "type": "acyclic",
        "level": "packages",
        "because": "packages that import each other cannot be understood or changed alone",
    }
    return _proposal(
        rule, f"no cycles between the packages at depth {depth}", _evaluate(Acyclic, rule, view, depth)
    )


def feedback_order(nodes: Sequence[str], weight: Mapping[tuple[str, str], int]) -> list[str]:
    """Nodes ordered so that few (weighted) edges point backwards: Eades, Lin and Smyth's greedy
    heuristic for the feedback arc set (sinks to the end, sources to the front, else the node with the
    most weight out minus in), then nodes moved one at a time while that lowers the backward weight::

        >>> feedback_order(["a", "b", "c"], {("c", "b"): 5, ("b", "a"): 3, ("a", "c"): 1})
        ['c', 'b', 'a']
    """
    out: dict[str, dict[str, int]] = {n: {} for n in nodes}
    into: dict[str, dict[str, int]] = {n: {} for n in nodes}
    for (a, b), count in sorted(weight.items()):
        if a in out and b in out and a != b and count:
            out[a][b] = count
            into[b][a] = count
    out_left = {n: sum(out[n].values()) for n in nodes}
    in_left = {n: sum(into[n].values()) for n in nodes}
    remaining = set(nodes)
    front: list[str] = []
    back: list[str] = []

    def take(node: str) -> None:
        remaining.discard(node)
        for target, count in out[node].items():
            in_left[target] -= count
        for source, count in into[node].items():
            out_left[source] -= count

    while remaining:
        sinks = sorted(n for n in remaining if not out_left[n])
        sources = sorted(n for n in remaining if not in_left[n])
        if sinks:
            back[:0] = sinks
            for node in sinks:
                take(node)
        elif sources:
            front.extend(sources)
            for node in sources:
                take(node)
        else:
            pick = max(sorted(remaining), key=lambda n: out_left[n] - in_left[n])
            front.append(pick)
            take(pick)
    return _improve([*front, *back], out, into)


MAX_ROUNDS = 20


def _improve(
    order: list[str], out: Mapping[str, Mapping[str, int]], into: Mapping[str, Mapping[str, int]]
) -> list[str]:
    """Move single nodes to the place that lowers the backward weight most, until none does. For a node
    taken out, the cost of each place is read off two difference arrays: linear per node."""
    for _ in range(MAX_ROUNDS):
        moved = False
        for node in sorted(order):
            rest = [n for n in order if n != node]
            place = {n: i for i, n in enumerate(rest)}
            cost = [0] * (len(rest) + 2)
            for target, count in out[node].items():  # backward when the node goes after its target
                cost[place[target] + 1] += count
            for source, count in into[node].items():  # backward when the node goes before (at) its source
                cost[0] += count
                cost[place[source] + 1] -= count
            running, costs = 0, []
            for index in range(len(rest) + 1):
                running += cost[index]
                costs.append(running)
            current = order.index(node)
            best = min(range(len(costs)), key=lambda i: (costs[i], i != current, i))
            if costs[best] < costs[current]:
                order = [*rest[:best], node, *rest[best:]]
                moved = True
        if not moved:
            break
    return order


def _levels(order: Sequence[str], weight: Mapping[tuple[str, str], int]) -> list[list[str]]:
    """Units grouped by height over the forward edges (the longest chain of imports below them), top
    first; units on one level do not import each other forwards."""
    position = {n: i for i, n in enumerate(order)}
    below: dict[str, list[str]] = {n: [] for n in order}
    for (a, b), count in weight.items():
        if count and a in position and b in position and position[a] < position[b]:
            below[a].append(b)
    height: dict[str, int] = {}
    for node in reversed(order):
        height[node] = 1 + max((height[b] for b in below[node]), default=-1)
    tallest = max(height.values(), default=0)
    return [sorted(n for n in order if height[n] == level) for level in range(tallest, -1, -1)]


def _common_parent(names: Iterable[str]) -> str:
    parents = {name.rpartition(".")[0] for name in names}
    return parents.pop() if len(parents) == 1 else ""


def _owners(modules: Iterable[str], units: Sequence[str]) -> dict[str, str]:
    ordered = sorted(units, key=len, reverse=True)
    owner: dict[str, str] = {}
    for module in modules:
        for unit in ordered:
            if within(module, unit):
                owner[module] = unit
                break
    return owner


def _evaluate(
    rule_type: type[RuleType[object]], rule: dict[str, Any], view: ImportView, depth: int
) -> list[Finding]:
    options = {key: value for key, value in rule.items() if key not in ("id", "type", "because")}
    spec = RuleSpec(
        id=str(rule["id"]), type=rule_type.name, because=str(rule.get("because", "")), options=options
    )
    parsed, problems = rule_type.parse_options(spec)
    if problems:  # pragma: no cover - the proposals are built valid
        raise problems[0]
    return rule_type(spec, parsed).check(RuleContext(view, {}, depth))


def _imports(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    return {pair for finding in findings for pair in finding.imports}


def _proposal(rule: dict[str, Any], note: str, findings: list[Finding]) -> ProposedRule:
    return ProposedRule(rule, note, len(findings), len(_imports(findings)))

"""Metric thresholds: ``max-fan-out``, ``max-instability`` and ``max-cycle-size``.

The numbers are computed from the rule's own view of the imports (not read from the analysis metrics), so
that a rule's ``ignore`` entries count; the definitions are the analysis' (distinct internal modules or
packages imported; Martin's instability with modules as the unit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView, PackageView, package_of
from fitness.rules.acyclic import NOUN, cycle_graphs, find_cycles, level_errors
from fitness.rules.base import (
    Option,
    OptionValues,
    RuleContext,
    RuleType,
    modules_of,
    range_errors,
    roots_of,
    subtree,
)


@dataclass(frozen=True)
class MaxFanOutOptions:
    max: int
    level: str
    modules: list[str] | None


class MaxFanOut(RuleType[MaxFanOutOptions]):
    name = "max-fan-out"
    code = "FIT108"
    summary = "No module (or package) may import more than `max` distinct internal modules (packages)."
    options: ClassVar[tuple[Option, ...]] = (
        Option("max", "int", required=True, help="the most distinct modules (packages) one may import"),
        Option("level", "str", default="modules", help="modules, or packages at the analysis' package_depth"),
        Option("modules", "modules", help="only check these modules (with subpackages), or their packages"),
    )
    example = """\
- id: small-fan-out
  type: max-fan-out
  max: 15
  modules: [shop.domain]
"""
    advice = "Split the module by responsibility, or put a facade in front of the things it uses together."

    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        return values, errors + level_errors(spec, values, ("modules", "packages")) + range_errors(
            spec, values, "max", 0
        )

    def check(self, context: RuleContext) -> list[Finding]:
        view, limit, level = context.view, self.opts.max, self.opts.level
        chosen = modules_of(view, self.opts.modules) if self.opts.modules else set(view.modules)
        findings = []
        for name, imports in _fan_out(view, level, context.package_depth, chosen):
            if len(imports) > limit:
                unit = "modules" if level == "modules" else "packages"
                findings.append(
                    self.finding(
                        f"{name} imports {len(imports)} {unit} (max {limit})",
                        (name,),
                        [(view.link(*pair),) for pair in imports],
                        fix=f"bring the {unit} {name} imports down to {limit}: split it, or use a facade",
                        data={"level": level, "fan_out": len(imports), "max": limit},
                    )
                )
        return findings


def _fan_out(
    view: ImportView, level: str, depth: int, chosen: set[str]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each module (package) with one import per module (package) it imports (the first, for packages)."""
    if level == "modules":
        return [(m, [(m, t) for t in sorted(view.succ.get(m, ()))]) for m in sorted(chosen)]
    packages = PackageView.collapse(view, depth)
    wanted = {package_of(module, depth) for module in chosen}
    return [
        (p, [packages.members[(p, q)][0] for q in sorted(packages.succ[p])])
        for p in sorted(packages.nodes & wanted)
    ]


@dataclass(frozen=True)
class MaxInstabilityOptions:
    packages: list[str]
    max: float


class MaxInstability(RuleType[MaxInstabilityOptions]):
    name = "max-instability"
    code = "FIT109"
    summary = "Packages meant to be stable must keep instability Ce/(Ca+Ce) at or below `max`."
    options: ClassVar[tuple[Option, ...]] = (
        Option("packages", "modules", required=True, help="the packages that must be stable (* allowed)"),
        Option("max", "float", default=0.3, help="the highest instability allowed, from 0 to 1"),
    )
    example = """\
- id: kernel-is-stable
  type: max-instability
  packages: [shop.kernel]
  max: 0.2
  because: everything depends on the kernel, so it must depend on little
"""
    advice = (
        "A stable package should depend on little: move its outgoing dependencies behind interfaces it "
        "owns, or move the code that needs them into a less stable package."
    )

    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        errors += range_errors(spec, values, "max", 0, 1)
        return values, errors

    def check(self, context: RuleContext) -> list[Finding]:
        view, limit = context.view, self.opts.max
        findings = []
        for package in roots_of(view, self.opts.packages):
            inside = set(subtree(view, package))
            efferent = {
                t: m for m in sorted(inside, reverse=True) for t in view.succ.get(m, ()) if t not in inside
            }
            afferent = {m for t in inside for m in view.pred.get(t, ()) if m not in inside}
            ce, ca = len(efferent), len(afferent)
            instability = ce / (ca + ce) if ca + ce else 0.0
            if instability > limit:
                findings.append(self._violation(view, package, efferent, ca, instability))
        return findings

    def _violation(
        self, view: ImportView, package: str, efferent: dict[str, str], ca: int, value: float
    ) -> Finding:
        limit, ce = self.opts.max, len(efferent)
        target = math.floor(limit * ca / (1 - limit) + 1e-9) if limit < 1 else ce
        return self.finding(
            f"{package} has instability {value:.2f} > {limit:g}: it imports {_count(ce, 'outside module')} "
            f"(Ce) and is imported by {ca} (Ca)",
            (package,),
            [(view.link(efferent[imported], imported),) for imported in sorted(efferent)],
            fix=f"depend on at most {_count(target, 'outside module')} (now {ce}): move the code that needs them "
            f"out of {package}, or put interfaces it owns in front of them",
            data={"instability": round(value, 3), "ca": ca, "ce": ce, "max": limit},
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class MaxCycleSizeOptions:
    max: int
    level: str
    depth: int | None


class MaxCycleSize(RuleType[MaxCycleSizeOptions]):
    name = "max-cycle-size"
    code = "FIT110"
    summary = "No import cycle may hold more than `max` modules (or packages)."
    options: ClassVar[tuple[Option, ...]] = (
        Option("max", "int", required=True, help="the most modules (packages) one cycle may hold"),
        Option("level", "str", default="modules", help="modules or packages"),
        Option(
            "depth", "int", help="package depth for level: packages (default: the analysis' package_depth)"
        ),
    )
    example = """\
- id: no-big-tangles
  type: max-cycle-size
  max: 5
  because: small cycles get fixed; a tangle of 50 modules never does
"""
    advice = "Break the tangle at the suggested import, then look again: each cut splits the cycle."

    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        return values, errors + level_errors(spec, values, ("modules", "packages")) + range_errors(
            spec, values, "max", 1
        )

    def check(self, context: RuleContext) -> list[Finding]:
        view, limit, level = context.view, self.opts.max, self.opts.level
        depth = self.opts.depth or context.package_depth
        findings = []
        for graph in cycle_graphs(view, level, depth, []):
            for cycle in find_cycles(view, graph):
                if len(cycle.members) > limit:
                    message = cycle.message(NOUN[level], f" (max {limit})")
                    data = {**cycle.data(level), "max": limit}
                    findings.append(self.finding(message, cycle.members, [cycle.chain], cycle.fix, data=data))
        return findings

"""Granularity gates (ADR 0006): no service under more split pressure, no pair under more merge pressure,
than the team accepts. They read the pressures from the metrics (``fitness.model.granularity``), which the
pipeline fills whenever a granularity rule is configured; ``fitness score`` shows the forces behind them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.granularity import DISINTEGRATORS, INTEGRATORS, pair_key
from fitness.model.views import ImportView
from fitness.rules.base import Need, Option, OptionsT, RuleContext, RuleType, range_errors


def _forces(values: dict[str, float], names: tuple[str, ...]) -> str:
    fired = sorted(((values[n], n) for n in names if values.get(n)), key=lambda item: (-item[0], item[1]))
    return ", ".join(f"{name.replace('_', ' ')} {score:.2f}" for score, name in fired) or "no force measured"


class _GranularityRule(RuleType[OptionsT]):
    needs: ClassVar[frozenset[Need]] = frozenset({Need.GRANULARITY})

    def check_config(self, view: ImportView) -> list[FitnessError]:
        limit = {"max": self.option_value("max")}
        return [*super().check_config(view), *range_errors(self.spec, limit, "max", 0.0, 1.0)]


@dataclass(frozen=True)
class MaxSplitPressureOptions:
    max: float
    services: list[str]


class MaxSplitPressure(_GranularityRule[MaxSplitPressureOptions]):
    name = "max-split-pressure"
    code = "FIT129"
    summary = "No service (or package, without services) may be under more split pressure than `max` (0..1)."
    options: ClassVar[tuple[Option, ...]] = (
        Option("max", "float", default=0.5, help="highest allowed split pressure (formula in the README)"),
        Option("services", "str_list", default=[], help="services to check (default: all)"),
    )
    example = """\
- id: services-stay-cohesive
  type: max-split-pressure
  max: 0.6
  services: [orders, payments]
  adr: 6
"""
    advice = "Split the service along the parts `fitness score` names, or remove the force (e.g. stop the part that changes all the time from living with the stable rest)."

    def check(self, context: RuleContext) -> list[Finding]:
        rows = context.metrics.get("services", {})
        chosen = set(self.opts.services or rows)
        findings = []
        for name, values in sorted(rows.items()):
            value = values.get("split_pressure")
            if name not in chosen or value is None or value <= self.opts.max:
                continue
            findings.append(
                self.finding(
                    f"{name} is under split pressure {value:.2f} > {self.opts.max:.2f}: "
                    f"{_forces(values, DISINTEGRATORS)} (fitness score shows the parts)",
                    (name,),
                    fix=self.advice,
                    data={"split_pressure": value},
                )
            )
        return findings


@dataclass(frozen=True)
class MaxMergePressureOptions:
    max: float
    pairs: list[str]


class MaxMergePressure(_GranularityRule[MaxMergePressureOptions]):
    name = "max-merge-pressure"
    code = "FIT130"
    summary = "No pair of services may be under more merge pressure than `max` (0..1): they are one service in two deployments."
    options: ClassVar[tuple[Option, ...]] = (
        Option("max", "float", default=0.5, help="highest allowed merge pressure (formula in the README)"),
        Option("pairs", "str_list", default=[], help="pairs to check, written 'a <-> b' (default: all)"),
    )
    example = """\
- id: services-deploy-alone
  type: max-merge-pressure
  max: 0.7
  pairs: ["orders <-> inventory"]
  adr: 6
"""
    advice = "Merge the two services, or cut the integrators one by one: shared tables first, then shared code, sync calls and what makes them change together."

    def check_config(self, view: ImportView) -> list[FitnessError]:
        errors = super().check_config(view)
        for pair in self.opts.pairs:
            if "<->" not in pair:
                errors.append(
                    FitnessError(
                        f"rule {self.spec.id!r}: pairs: write each pair as 'a <-> b', got {pair!r}",
                        self.spec.source,
                        self.spec.option_line("pairs"),
                    )
                )
        return errors

    def check(self, context: RuleContext) -> list[Finding]:
        rows = context.metrics.get("service_pairs", {})
        wanted = {pair_key(*(p.strip() for p in pair.split("<->", 1))) for pair in self.opts.pairs}
        findings = []
        for key, values in sorted(rows.items()):
            value = values.get("merge_pressure")
            if (wanted and key not in wanted) or value is None or value <= self.opts.max:
                continue
            a, _, b = key.partition(" <-> ")
            findings.append(
                self.finding(
                    f"{a} and {b} are under merge pressure {value:.2f} > {self.opts.max:.2f}: "
                    f"{_forces(values, INTEGRATORS)}",
                    (a, b),
                    fix=self.advice,
                    data={"merge_pressure": value},
                )
            )
        return findings

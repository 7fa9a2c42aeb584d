"""Co-change rule: two services (or packages) must not change together in most of their commits.

Reads the ``co_changes`` edges the git history collector wrote (code-maat's degree: shared commits /
average commits of the pair x 100). Pairs under the history thresholds (``history.min_revisions``,
``min_shared``, ``min_degree``) have no edge, so they never fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.graph import EdgeKind, NodeKind
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView
from fitness.rules.base import Need, Option, OptionValues, RuleContext, RuleType, choice_errors, range_errors

LEVELS = ("services", "packages")


@dataclass(frozen=True)
class MaxCoChangeOptions:
    max: float
    level: str
    services: list[str]


class MaxCoChange(RuleType[MaxCoChangeOptions]):
    name = "max-co-change"
    code = "FIT128"
    needs: ClassVar[frozenset[Need]] = frozenset({Need.HISTORY})
    summary = (
        "No two services (or packages) may change together in more than `max`% of their commits "
        "(git history): the must-deploy-together signal of a distributed monolith."
    )
    options: ClassVar[tuple[Option, ...]] = (
        Option("max", "float", default=50.0, help="highest allowed co-change degree, in percent"),
        Option("level", "str", default="services", help="services (default) or packages"),
        Option("services", "str_list", default=[], help="services (or packages) to check (default: all)"),
    )
    example = """\
- id: deploy-alone
  type: max-co-change
  max: 50
  level: services
  because: services that always change together must be deployed together
"""
    advice = (
        "Find what the shared commits change in both (a shared model, a contract, duplicated logic): move it "
        "to one side, put a versioned contract between them, or merge the two."
    )

    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        errors += choice_errors(spec, values, "level", LEVELS)
        errors += range_errors(spec, values, "max", 0, 100)
        return values, errors

    def check_config(self, view: ImportView) -> list[FitnessError]:
        errors = super().check_config(view)
        if self.opts.level == "services" and not view.graph.nodes(NodeKind.SERVICE):
            errors.append(
                FitnessError(
                    f"rule {self.spec.id!r} ({self.name}): no services found; declare them under "
                    "'services:', add a docker-compose.yml or Kubernetes manifests, or use level: packages",
                    self.spec.source,
                    self.spec.line,
                )
            )
        return errors

    def check(self, context: RuleContext) -> list[Finding]:
        graph = context.view.graph
        kind = NodeKind.SERVICE if self.opts.level == "services" else NodeKind.MODULE
        chosen = set(self.opts.services)
        limit = self.opts.max
        findings = []
        for edge in graph.edges(EdgeKind.CO_CHANGES):
            a, b = graph.node(edge.source), graph.node(edge.target)
            if a.kind is not kind or b.kind is not kind:
                continue
            if chosen and not (a.name in chosen and b.name in chosen):
                continue
            degree = float(edge.attrs.get("degree", 0.0))
            if degree <= limit:
                continue
            shared = edge.attrs.get("shared", 0)
            revisions = list(edge.attrs.get("revisions", [0, 0]))
            commits = "; ".join(item.text for item in edge.evidence)
            findings.append(
                self.finding(
                    f"{a.name} and {b.name} change together in {degree:g}% of their commits (max {limit:g}%): "
                    f"{shared} shared of {revisions[0]} and {revisions[1]}"
                    + (f"; e.g. {commits}" if commits else ""),
                    (a.name, b.name),
                    fix=self.advice,
                    locations=(),
                    data={"degree": degree, "shared": shared, "revisions": revisions},
                )
            )
        return findings

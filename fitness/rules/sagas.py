"""The saga rule: every compensatable step of a saga written out in code has a compensation (the FIT319
smell as a CI gate, with a ``because`` and per-service exceptions, as ``remote-calls-protected``)."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import ClassVar

from fitness.model import Finding
from fitness.model.resilience import facts_of
from fitness.model.sagas import SAGA_FIX, uncompensated_steps
from fitness.rules.base import Option, RuleContext
from fitness.rules.service_data import ServiceRule, located


@dataclass(frozen=True)
class SagaStepsCompensatedOptions:
    exceptions: list[str]
    steps: list[str]


class SagaStepsCompensated(ServiceRule[SagaStepsCompensatedOptions]):
    name = "saga-steps-compensated"
    code = "FIT132"
    summary = (
        "Every step of a saga written out in code (Eventuate Tram, Temporal, Axon, MassTransit, step "
        "lists) that comes before a compensated step has a compensation of its own; the pivot, the "
        "retriable steps after it, reads and notifications need none."
    )
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "exceptions",
            "str_list",
            default=[],
            help="services exempt from the rule (shell-style wildcards: legacy-*)",
        ),
        Option(
            "steps",
            "str_list",
            default=[],
            help="steps that need no compensation, by name as the finding shows it (wildcards: "
            "*.reserveCredit, audit_*)",
        ),
    )
    example = """\
- id: sagas-compensate
  type: saga-steps-compensated
  exceptions: [legacy-*]
  steps: ["*.awardLoyaltyPoints"]
  because: a failed order must release what it reserved (compensating transactions, Microservices Patterns 4.1)
"""
    advice = SAGA_FIX

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        findings = []
        for service in view.services:
            if any(fnmatchcase(service, pattern) for pattern in self.opts.exceptions):
                continue
            for gap in uncompensated_steps(facts_of(view, service)):
                if any(fnmatchcase(gap.step.detail, pattern) for pattern in self.opts.steps):
                    continue
                findings.append(
                    self.finding(
                        f"{service}: {gap.describe()}",
                        gap.subjects(service),
                        locations=located([gap.step.evidence, gap.undone.evidence]),
                        fix=self.advice,
                    )
                )
        return findings

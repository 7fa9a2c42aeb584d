"""FIT319: saga steps without a compensation, where a saga is written out in code (Eventuate Tram,
Temporal, Axon, MassTransit state machines, hand-written step lists; see
:mod:`fitness.collect.code.detectors.sagas`). Which steps need one is :mod:`fitness.model.sagas`."""

from __future__ import annotations

from fitness.analyze.smells import evidence_finding
from fitness.model.findings import Finding
from fitness.model.resilience import facts_of
from fitness.model.sagas import SAGA_FIX, uncompensated_steps
from fitness.model.service_view import ServiceView


def uncompensated_saga_steps(view: ServiceView, _: float | None) -> list[Finding]:
    findings = []
    for service in view.services:
        for gap in uncompensated_steps(facts_of(view, service)):
            findings.append(
                evidence_finding(
                    "FIT319",
                    "uncompensated-saga-step",
                    f"{service}: {gap.describe()}",
                    gap.subjects(service),
                    [gap.step.evidence, gap.undone.evidence],
                    SAGA_FIX,
                    {"saga": gap.name, "framework": gap.framework, "step": gap.step.detail},
                )
            )
    return findings

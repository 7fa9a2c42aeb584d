"""Flow rules between services: bounded synchronous chains, no sync cycles, no event cycles."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding
from fitness.model.algorithms import cyclic_components
from fitness.model.graph import EdgeKind
from fitness.rules.base import NoOptions, Option, RuleContext
from fitness.rules.service_data import ServiceRule, located


@dataclass(frozen=True)
class MaxSyncChainOptions:
    max: int


class MaxSyncChain(ServiceRule[MaxSyncChainOptions]):
    name = "max-sync-chain"
    code = "FIT124"
    summary = "No chain of synchronous calls between services may be longer than `max` calls."
    options: ClassVar[tuple[Option, ...]] = (
        Option("max", "int", required=True, help="most calls allowed in one chain"),
    )
    example = """\
- id: short-chains
  type: max-sync-chain
  max: 2
  because: availability multiplies along a chain (0.999^n)
"""
    advice = "Replace consequences with events, keep a local replica of the data the caller keeps asking for, and add timeouts and circuit breakers."

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        findings = []
        search = view.call_chains()
        for chain in search.chains:
            if len(chain) - 1 <= self.opts.max:
                continue
            evidence = [e for a, b in itertools.pairwise(chain) for e in view.evidence(a, b, EdgeKind.CALLS)]
            findings.append(
                self.finding(
                    f"synchronous chain of {len(chain) - 1} calls (max {self.opts.max}): {' -> '.join(chain)}; "
                    f"availability 0.999^{len(chain)} = {0.999 ** len(chain):.4f}{search.note()}",
                    tuple(chain),
                    locations=located(evidence),
                    fix=self.advice,
                    data={} if search.complete else {"complete": False},
                )
            )
        return findings


class NoServiceCycles(ServiceRule[NoOptions]):
    name = "no-service-cycles"
    code = "FIT125"
    summary = "Services must not call each other synchronously in a cycle."
    options: ClassVar[tuple[Option, ...]] = ()
    example = """\
- id: no-call-cycles
  type: no-service-cycles
"""
    advice = "Turn one direction of the cycle into events, or merge the services that cannot work apart."

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        return [
            self.finding(
                f"services call each other in a cycle: {', '.join(component)}",
                tuple(component),
                locations=located(
                    [
                        e
                        for a in component
                        for b in sorted(view.calls[a] & set(component))
                        for e in view.evidence(a, b, EdgeKind.CALLS)
                    ]
                ),
                fix=self.advice,
            )
            for component in cyclic_components(view.services, view.calls)
        ]


class NoEventCycles(ServiceRule[NoOptions]):
    name = "no-event-cycles"
    code = "FIT126"
    summary = "Services must not react to each other's events in a cycle (choreography nobody owns)."
    options: ClassVar[tuple[Option, ...]] = ()
    example = """\
- id: no-event-ping-pong
  type: no-event-cycles
"""
    advice = (
        "Let one service orchestrate the flow (a saga with compensations), or stop one side from reacting."
    )

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        flow = view.events()
        findings = []
        for component in cyclic_components(view.services, flow):
            evidence = [
                e
                for a in component
                for topic in sorted(view.publishes.get(a, ()))
                if any(topic in view.subscribes.get(b, ()) for b in component if b != a)
                for e in view.evidence(a, topic, EdgeKind.PUBLISHES)
            ]
            findings.append(
                self.finding(
                    f"event cycle between {', '.join(component)}",
                    tuple(component),
                    locations=located(evidence),
                    fix=self.advice,
                )
            )
        return findings

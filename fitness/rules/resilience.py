"""Resilience rules between services: every remote call bounded by a timeout, and protected by a circuit
breaker or retry where the team asks for one."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.evidence import Evidence
from fitness.model.resilience import WOBBLY_FIX, facts_of, has_breaker, unprotected_calls
from fitness.model.views import ImportView
from fitness.rules.base import Option, RuleContext
from fitness.rules.service_data import ServiceRule, located

REQUIREMENTS = ("timeout", "breaker")


@dataclass(frozen=True)
class RemoteCallsProtectedOptions:
    require: list[str]
    exceptions: list[str]


class RemoteCallsProtected(ServiceRule[RemoteCallsProtectedOptions]):
    name = "remote-calls-protected"
    code = "FIT131"
    summary = (
        "Every synchronous remote call has a timeout (in the call, its client or a mesh policy); with "
        "`require: [timeout, breaker]` every calling service also has a circuit breaker or retry."
    )
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "require",
            "str_list",
            default=["timeout"],
            help="what each remote call needs: timeout (a timeout or a breaker, retry or mesh policy "
            "bounding it) and/or breaker (a circuit breaker, retry library or mesh policy in the service)",
        ),
        Option(
            "exceptions",
            "str_list",
            default=[],
            help="services exempt from the rule (shell-style wildcards: legacy-*)",
        ),
    )
    example = """\
- id: no-wobbly-calls
  type: remote-calls-protected
  require: [timeout, breaker]
  exceptions: [admin-ui]
  because: one slow dependency must not hang every caller (Release It!, stability patterns)
"""
    advice = WOBBLY_FIX

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        wanted = set(self.opts.require or ["timeout"])
        findings = []
        for service in view.services:
            if any(fnmatchcase(service, pattern) for pattern in self.opts.exceptions):
                continue
            facts = facts_of(view, service)
            missing = []
            evidence: list[Evidence] = []
            if "timeout" in wanted:
                calls = unprotected_calls(facts)
                if calls:
                    sites = ", ".join(f"{c.detail} ({c.path}:{c.line})" for c in calls[:5])
                    missing.append(f"{len(calls)} remote call(s) with no timeout: {sites}")
                    evidence.extend(c.evidence for c in calls)
            if "breaker" in wanted and not has_breaker(facts):
                calls = [f for f in facts if f.kind in ("call", "bounded-call")]
                if calls:
                    missing.append(
                        f"no circuit breaker, retry or mesh policy for its {len(calls)} remote call(s)"
                    )
                    evidence.extend(c.evidence for c in calls)
            if missing:
                findings.append(
                    self.finding(
                        f"{service}: {'; '.join(missing)}",
                        (service,),
                        locations=located(evidence),
                        fix=self.advice,
                    )
                )
        return findings

    def check_config(self, view: ImportView) -> list[FitnessError]:
        errors = super().check_config(view)
        for value in self.opts.require or []:
            if value not in REQUIREMENTS:
                errors.append(
                    FitnessError(
                        f"rule {self.spec.id!r} (remote-calls-protected): require: unknown {value!r} "
                        f"(known: {', '.join(REQUIREMENTS)})",
                        self.spec.source,
                        self.spec.line,
                    )
                )
        return errors

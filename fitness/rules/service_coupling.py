"""Coupling rules between services: independence and the distributed-monolith score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding
from fitness.model.service_view import monolith_groups, monolith_score, shared_databases
from fitness.rules.base import Option, RuleContext
from fitness.rules.service_data import ServiceRule, located


@dataclass(frozen=True)
class ServicesIndependentOptions:
    services: list[str]


class ServicesIndependent(ServiceRule[ServicesIndependentOptions]):
    name = "services-independent"
    code = "FIT123"
    summary = (
        "The services must not import each other's code, write the same tables, or share a database: "
        "each can change and deploy alone."
    )
    options: ClassVar[tuple[Option, ...]] = (
        Option("services", "str_list", default=[], help="services to check (default: all)"),
    )
    example = """\
- id: deploy-alone
  type: services-independent
  services: [orders, inventory, payments]
"""
    advice = "Move shared code into a versioned library, give each table one writer, and give each service its own database."

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        chosen = set(self.opts.services or view.services)
        findings = []
        for importer, imported in view.cross_imports():
            a, b = view.module_owner[importer], view.module_owner[imported]
            if a in chosen and b in chosen:
                link = context.view.chain([importer, imported])
                findings.append(
                    self.finding(
                        f"{a} imports the code of {b}: {importer} -> {imported}",
                        (a, b, importer, imported),
                        chains=(link,),
                        fix=self.advice,
                    )
                )
        for table in view.tables():
            writers = sorted(view.writers.get(table, set()) & chosen)
            if len(writers) > 1:
                evidence = [e for s in writers for e in view.access_evidence(s, table)]
                findings.append(
                    self.finding(
                        f"{', '.join(writers)} all write table {table}",
                        (f"table:{table}", *writers),
                        locations=located(evidence),
                        fix=self.advice,
                    )
                )
        for (store, database), services in shared_databases(view).items():
            both = sorted(set(services) & chosen)
            if len(both) > 1:
                evidence = view.connect_evidence(both, store)
                findings.append(
                    self.finding(
                        f"{', '.join(both)} share database {database or store}",
                        (f"datastore:{store}/{database}", *both),
                        locations=located(evidence),
                        fix=self.advice,
                    )
                )
        return findings


@dataclass(frozen=True)
class MaxDistributedMonolithScoreOptions:
    max: float


class MaxDistributedMonolithScore(ServiceRule[MaxDistributedMonolithScoreOptions]):
    name = "max-distributed-monolith-score"
    code = "FIT127"
    summary = "No group of services may score above `max` (0..1) on the distributed-monolith signals."
    options: ClassVar[tuple[Option, ...]] = (
        Option("max", "float", default=0.5, help="highest allowed score (weights in the README)"),
    )
    example = """\
- id: not-a-distributed-monolith
  type: max-distributed-monolith-score
  max: 0.4
"""
    advice = "Merge what must deploy together, or cut the signals one by one: shared tables first, then shared code and sync cycles."

    def check(self, context: RuleContext) -> list[Finding]:
        findings = []
        for group, fired in monolith_groups(context.services):
            score = monolith_score(fired)
            if score <= self.opts.max:
                continue
            reasons = "; ".join(f"{signal} ({', '.join(why)})" for signal, why in fired.items())
            findings.append(
                self.finding(
                    f"{', '.join(group)} score {score:.2f} > {self.opts.max:.2f} as a distributed monolith: {reasons}",
                    tuple(group),
                    fix=self.advice,
                    data={"score": score, "signals": fired},
                )
            )
        return findings

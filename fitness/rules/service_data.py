"""Data rules between services: no shared database, no shared tables, one owner per table."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import ClassVar

from fitness.model import Finding, Location
from fitness.model.evidence import Evidence
from fitness.model.service_view import ServiceView, ownership, shared_databases
from fitness.rules.base import Need, Option, OptionsT, RuleContext, RuleType


def matches(pattern: str, table: str) -> bool:
    """Table names take shell-style wildcards: ``stock_*``, ``billing.*``, ``*``."""
    return fnmatchcase(table, pattern.replace("**", "*"))


def located(evidence: list[Evidence] | tuple[Evidence, ...]) -> list[Location]:
    return sorted({Location(e.path, e.line) for e in evidence if e.path})


class ServiceRule(RuleType[OptionsT]):
    """A rule about services: configuring one where no services can be found is a mistake to report."""

    needs: ClassVar[frozenset[Need]] = frozenset({Need.SERVICES})


@dataclass(frozen=True)
class NoSharedDatabaseOptions:
    allow: list[str]


class NoSharedDatabase(ServiceRule[NoSharedDatabaseOptions]):
    name = "no-shared-database"
    code = "FIT120"
    summary = "No two services may connect to the same database (same server, separate databases is allowed)."
    options: ClassVar[tuple[Option, ...]] = (
        Option("allow", "str_list", default=[], help="datastores (or datastore/database) that may be shared"),
    )
    example = """\
- id: database-per-service
  type: no-shared-database
  allow: [reporting-replica]
  because: a schema change must never need two teams
"""
    advice = "Give each service its own database or schema; move shared data behind one service's API or replicate it with events."

    def check(self, context: RuleContext) -> list[Finding]:
        findings = []
        for (store, database), services in shared_databases(context.services).items():
            if store in self.opts.allow or f"{store}/{database}" in self.opts.allow:
                continue
            evidence = context.services.connect_evidence(services, store)
            what = f"database {database!r} on {store}" if database else f"datastore {store}"
            findings.append(
                self.finding(
                    f"{', '.join(services)} share {what}",
                    (f"datastore:{store}/{database}", *services),
                    locations=located(evidence),
                    fix=self.advice,
                )
            )
        return findings


@dataclass(frozen=True)
class NoSharedTablesOptions:
    allow: list[str]
    writers_only: bool


class NoSharedTables(ServiceRule[NoSharedTablesOptions]):
    name = "no-shared-tables"
    code = "FIT121"
    summary = "A table may be used by one service only, except allow-listed common-owned reference tables."
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "allow",
            "str_list",
            default=[],
            help="tables (wildcards allowed) declared common-owned reference data",
        ),
        Option("writers_only", "bool", default=False, help="only tables written by several services violate"),
    )
    example = """\
- id: tables-are-private
  type: no-shared-tables
  allow: [countries, currencies]
  because: each table has one team that may change it
"""
    advice = "Give the table one owner and an API; or replicate the data through events (outbox on the writer, idempotent consumer on the reader)."

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        findings = []
        for table in view.tables():
            if any(matches(pattern, table) for pattern in self.opts.allow):
                continue
            writers = view.writers.get(table, set())
            users = sorted(writers | view.readers.get(table, set()))
            shared = len(writers) > 1 if self.opts.writers_only else len(users) > 1
            if not shared:
                continue
            kind = ownership(view, table)
            evidence = [e for s in users for e in view.access_evidence(s, table)]
            findings.append(
                self.finding(
                    f"table {table} is used by {', '.join(users)} ({kind} ownership; written by "
                    f"{', '.join(sorted(writers)) or 'nobody'})",
                    (f"table:{table}", *users),
                    locations=located(evidence),
                    fix=self.advice,
                    data={"ownership": kind},
                )
            )
        return findings


@dataclass(frozen=True)
class TableOwnershipOptions:
    tables: list[str]


class TableOwnership(ServiceRule[TableOwnershipOptions]):
    name = "table-ownership"
    code = "FIT122"
    summary = (
        "Every table has exactly one owner: the declared owner or its only writer; nobody else writes it."
    )
    options: ClassVar[tuple[Option, ...]] = (
        Option("tables", "str_list", default=["**"], help="tables to check (wildcards allowed)"),
    )
    example = """\
- id: one-owner-per-table
  type: table-ownership
  tables: ["**"]
"""
    advice = (
        "Name the owner in fitness.yaml (services.<name>.owns) and route the other writers through its API."
    )

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.services
        findings = []
        for table in view.tables():
            if not any(matches(pattern, table) for pattern in self.opts.tables):
                continue
            problem = _ownership_problem(view, table)
            if problem:
                evidence = [
                    e for s in sorted(view.writers.get(table, set())) for e in view.access_evidence(s, table)
                ]
                findings.append(
                    self.finding(
                        f"table {table}: {problem}",
                        (f"table:{table}",),
                        locations=located(evidence),
                        fix=self.advice,
                    )
                )
        return findings


def _ownership_problem(view: ServiceView, table: str) -> str:
    writers = sorted(view.writers.get(table, set()))
    owner = view.owners.get(table)
    if owner:
        others = [w for w in writers if w != owner]
        return f"owned by {owner} but also written by {', '.join(others)}" if others else ""
    if len(writers) > 1:
        return f"no single owner: written by {', '.join(writers)}"
    if not writers:
        readers = sorted(view.readers.get(table, set()))
        return f"no owner: nobody writes it (read by {', '.join(readers) or 'nobody'})"
    return ""

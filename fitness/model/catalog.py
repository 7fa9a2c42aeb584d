"""Codes that are not rule types (config hygiene and smells), documented for ``fitness explain``.

Rule type codes (FIT1xx) are documented by the rule classes themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeDoc:
    code: str
    name: str
    summary: str
    example: str
    advice: str


CATALOG: dict[str, CodeDoc] = {
    doc.code: doc
    for doc in (
        CodeDoc(
            "FIT002",
            "unused-ignore",
            "An ignore entry of a rule matches no import the rule would report: the exception is stale.",
            "ignore:\n  - {import: 'shop.domain.models -> shop.api.views', reason: 'legacy, ticket 42'}",
            "Delete the ignore entry; if the code changed, check the rule still says what you mean.",
        ),
        CodeDoc(
            "FIT003",
            "stale-decision",
            "A rule says `adr: N`, but decision N is missing, rejected, deprecated or superseded (the "
            "finding names the successor): the rule may have outlived its reason.",
            "rules:\n  - id: domain-is-pure\n    type: forbidden\n    adr: 4   # docs/adr/0004-*.md",
            "Point the rule at the decision that replaced it (`adr: 7`), write the missing decision "
            "(`fitness adr new`), or retire the rule.",
        ),
        CodeDoc(
            "FIT201",
            "module-cycles",
            "Modules that import each other in a cycle (a strongly connected component of the import "
            "graph). Shown with one shortest cycle and the imports whose removal breaks it.",
            "analysis:\n  module_cycles: {severity: warning}   # or false to switch off",
            "Invert a dependency (an interface in the lower module), merge the two modules, or move "
            "the shared piece to a third module both import.",
        ),
        CodeDoc(
            "FIT202",
            "package-cycles",
            "Packages (at analysis.package_depth) that depend on each other in a cycle.",
            "analysis:\n  package_depth: 2\n  package_cycles: {severity: error}",
            "Cut the nominated imports: move the shared code down a layer, or invert the dependency.",
        ),
        CodeDoc(
            "FIT203",
            "hub-like",
            "A package with fan-in and fan-out both above the median and |in - out| below a quarter "
            "of in + out (Arcan): it both depends on and is depended on by much of the system.",
            "analysis:\n  hub_like: {threshold: 0.25, severity: info}",
            "Split the package by responsibility so that what others use does not also use everything.",
        ),
        CodeDoc(
            "FIT204",
            "unstable-dependency",
            "More than 30% of a package's dependencies point to packages less stable than itself "
            "(Stable Dependencies Principle, Arcan).",
            "analysis:\n  unstable_dependency: {threshold: 0.3, severity: info}",
            "Depend in the direction of stability: extract an abstraction the unstable package implements.",
        ),
        CodeDoc(
            "FIT301",
            "shared-database",
            "Two or more services connect to the same database on the same server.",
            "analysis:\n  shared_database: {severity: warning}",
            "Give each service its own database or schema; put the shared data behind one service's API or replicate it through events.",
        ),
        CodeDoc(
            "FIT302",
            "shared-infrastructure",
            "Services use separate databases on one server: weaker coupling than a shared database (shared infrastructure).",
            "analysis:\n  shared_infrastructure: {severity: info}",
            "Fine while load and outages can be shared; separate servers when they cannot.",
        ),
        CodeDoc(
            "FIT303",
            "shared-table",
            "A table used by several services, with its Hard Parts ownership: joint (several writers), common (one writer, many readers) or none (readers only).",
            "rules:\n  - {id: tables-are-private, type: no-shared-tables, allow: [countries]}",
            "Give the table one owner and an API; replicate through events (outbox, idempotent consumer); or declare it common-owned reference data.",
        ),
        CodeDoc(
            "FIT304",
            "cross-service-access",
            "A service reads or writes a table that another service owns (declared owner, or sole writer).",
            "services:\n  inventory: {owns: [stock_items]}",
            "Ask the owner for the data through its API or its events.",
        ),
        CodeDoc(
            "FIT305",
            "service-imports",
            "A service imports modules of another service: they must change and deploy together.",
            "rules:\n  - {id: deploy-alone, type: services-independent}",
            "Move the shared code into a versioned library, or call the other service's API.",
        ),
        CodeDoc(
            "FIT306",
            "shared-library",
            "A package outside every service is imported by several services (threshold: how many).",
            "analysis:\n  shared_library: {threshold: 3}",
            "Keep shared libraries small, slow-changing and versioned.",
        ),
        CodeDoc(
            "FIT307",
            "sync-chain",
            "A chain of synchronous calls longer than the threshold (default 2 calls), with the availability product 0.999^n and the summed declared latency.",
            "analysis:\n  sync_chains: {threshold: 2}",
            "Replace consequences with events, keep a replica of the data the caller needs, add timeouts and circuit breakers.",
        ),
        CodeDoc(
            "FIT308",
            "sync-cycle",
            "Services that call each other synchronously in a cycle.",
            "rules:\n  - {id: no-call-cycles, type: no-service-cycles}",
            "Turn one direction into events, or merge the services.",
        ),
        CodeDoc(
            "FIT309",
            "event-cycle",
            "Services that react to each other's events in a cycle: choreography nobody owns.",
            "rules:\n  - {id: no-event-ping-pong, type: no-event-cycles}",
            "Orchestrate the flow (a saga), or make one side stop reacting.",
        ),
        CodeDoc(
            "FIT310",
            "hardcoded-endpoint",
            "A service calls another at an address written in its code rather than read from configuration.",
            "analysis:\n  hardcoded_endpoints: {severity: warning}",
            "Read addresses from configuration or service discovery.",
        ),
        CodeDoc(
            "FIT311",
            "distributed-monolith",
            "A group of services coupled by shared tables, a shared database, shared code, sync cycles, long chains or co-change; the score adds the weights of the signals that fired.",
            "rules:\n  - {id: not-a-distributed-monolith, type: max-distributed-monolith-score, max: 0.4}",
            "Merge what must deploy together, or cut the signals one by one, shared tables first.",
        ),
    )
}


# A smell is not reported again when a rule already reports the same subjects under one of these codes
# (an acyclic rule and the package-cycle smell on the same cycle would say the same thing twice).
COVERED_BY: dict[str, frozenset[str]] = {
    "FIT201": frozenset({"FIT106", "FIT110"}),
    "FIT202": frozenset({"FIT106", "FIT110"}),
    "FIT301": frozenset({"FIT120", "FIT123"}),
    "FIT303": frozenset({"FIT121", "FIT122"}),
    "FIT307": frozenset({"FIT124"}),
    "FIT308": frozenset({"FIT125"}),
    "FIT309": frozenset({"FIT126"}),
    "FIT311": frozenset({"FIT127"}),
}

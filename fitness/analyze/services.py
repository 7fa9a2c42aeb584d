"""Service-level smells: shared databases and tables, cross-service access and imports, sync chains and
cycles, event cycles, hard-coded endpoints, and the distributed-monolith score that combines them.

Vocabulary from Ford & Richards (Software Architecture: The Hard Parts): table ownership is *sole* (one
writer), *joint* (several writers: a smell), *common* (one writer, many readers: fine when declared) or
*none* (readers only). Every finding names its evidence lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from fitness.analyze import resilience, sagas
from fitness.analyze.smells import evidence_finding, smell_setting
from fitness.model.algorithms import cyclic_components
from fitness.model.evidence import Evidence
from fitness.model.findings import Finding, Severity
from fitness.model.graph import EdgeKind
from fitness.model.service_view import (
    ServiceView,
    monolith_groups,
    monolith_score,
    ownership,
    separate_schemas,
    shared_databases,
)
from fitness.model.thresholds import AnalysisSettings

HARD_CODED = frozenset({"code", "source-text"})


def service_smells(view: ServiceView, settings: AnalysisSettings) -> list[Finding]:
    """Every enabled service smell, sorted."""
    checks = (
        ("shared_database", _shared_databases),
        ("shared_infrastructure", _shared_infrastructure),
        ("shared_tables", _shared_tables),
        ("cross_service_access", _cross_access),
        ("service_imports", _service_imports),
        ("shared_library", _shared_library),
        ("sync_chains", _sync_chains),
        ("sync_cycles", _sync_cycles),
        ("event_cycles", _event_cycles),
        ("hardcoded_endpoints", _hardcoded),
        ("distributed_monolith", _distributed_monolith),
        ("wobbly_interactions", resilience.wobbly_interactions),
        ("dual_writes", resilience.dual_writes),
        ("unidempotent_consumers", resilience.unidempotent_consumers),
        ("remote_calls_in_loops", resilience.calls_in_loops),
        ("missing_gateway", resilience.missing_gateway),
        ("chatty_pairs", resilience.chatty_pairs),
        ("unversioned_apis", resilience.unversioned_apis),
        ("uncompensated_saga_steps", sagas.uncompensated_saga_steps),
    )
    findings: list[Finding] = []
    for name, check in checks:
        setting = smell_setting(settings, name)
        if setting.enabled:
            findings.extend(_with_severity(f, setting.severity) for f in check(view, setting.threshold))
    return sorted(findings, key=Finding.sort_key)


# -- data ---------------------------------------------------------------------------------------


def _shared_databases(view: ServiceView, _: float | None) -> list[Finding]:
    findings = []
    for (store, database), services in shared_databases(view).items():
        where = f"database {database!r} on {store}" if database else f"datastore {store} (database not named)"
        evidence = view.connect_evidence(services, store)
        findings.append(
            evidence_finding(
                "FIT301",
                "shared-database",
                f"{len(services)} services share {where}: {', '.join(services)}",
                (f"datastore:{store}/{database}", *services),
                evidence,
                "give each service its own database (or schema) and move the shared data behind one "
                "service's API, or replicate it through events",
                data={"datastore": store, "database": database, "services": services},
            )
        )
    return findings


def _shared_infrastructure(view: ServiceView, _: float | None) -> list[Finding]:
    """Same server, separate databases: weaker coupling (shared infrastructure), told apart on purpose."""
    servers: dict[str, dict[str, set[str]]] = {}
    for service, targets in view.connects.items():
        for store, database in targets:
            if view.store_roles.get(store, "database") == "database":
                servers.setdefault(store, {}).setdefault(database, set()).add(service)
    findings = []
    for (store, database), services in separate_schemas(view).items():
        evidence = view.connect_evidence(services, store)
        findings.append(
            evidence_finding(
                "FIT302",
                "shared-infrastructure",
                f"{len(services)} services use separate schemas of database {database!r} on {store}: "
                f"{', '.join(services)}",
                (f"datastore:{store}/{database}", *services),
                evidence,
                "fine while each keeps to its schema; a grant per schema makes it a rule, not a habit",
            )
        )
    for store, databases in sorted(servers.items()):
        named = {db: names for db, names in databases.items() if db}
        services = sorted({s for names in named.values() for s in names})
        if len(named) < 2 or len(services) < 2:
            continue
        layout = "; ".join(f"{db}: {', '.join(sorted(names))}" for db, names in sorted(named.items()))
        evidence = view.connect_evidence(services, store)
        findings.append(
            evidence_finding(
                "FIT302",
                "shared-infrastructure",
                f"{len(services)} services use separate databases on one server {store} ({layout})",
                (f"datastore:{store}", *services),
                evidence,
                "fine for now; separate servers when one service's load or outage must not reach the others",
            )
        )
    return findings


def _shared_tables(view: ServiceView, _: float | None) -> list[Finding]:
    findings = []
    for table in view.tables():
        writers = sorted(view.writers.get(table, set()))
        readers = sorted(view.readers.get(table, set()) - set(writers))
        users = sorted({*writers, *readers})
        if len(users) < 2:
            continue
        kind = ownership(view, table)
        detail = {
            "joint": f"written by {', '.join(writers)}",
            "common": f"written by {''.join(writers[:1])} only, read by {', '.join(readers)}",
            "none": f"read by {', '.join(readers)}, written by no service found",
        }[kind]
        advice = {
            "joint": "give the table one owner (write authority) and let the others call its API or "
            "consume its events (transactional outbox on the writer, idempotent consumer on the reader)",
            "common": "declare it common-owned reference data (allow-list it in no-shared-tables), or "
            "replicate it to the readers through events",
            "none": "find and name the owner (services.<name>.owns in fitness.yaml)",
        }[kind]
        evidence = [e for s in users for e in view.access_evidence(s, table)]
        findings.append(
            evidence_finding(
                "FIT303",
                "shared-table",
                f"table {table} is shared ({kind} ownership): {detail}",
                (f"table:{table}", *users),
                evidence,
                advice,
                data={"table": table, "ownership": kind, "writers": writers, "readers": readers},
            )
        )
    return findings


def _cross_access(view: ServiceView, _: float | None) -> list[Finding]:
    """A service touching a table that another service owns (declared owner or sole writer)."""
    findings = []
    for table in view.tables():
        owner = view.owners.get(table)
        if owner is None:
            continue
        for service in sorted((view.readers.get(table, set()) | view.writers.get(table, set())) - {owner}):
            mode = "writes" if service in view.writers.get(table, set()) else "reads"
            findings.append(
                evidence_finding(
                    "FIT304",
                    "cross-service-access",
                    f"{service} {mode} table {table}, owned by {owner}",
                    (service, f"table:{table}"),
                    view.access_evidence(service, table),
                    f"ask {owner} for the data through its API or events instead of its table",
                )
            )
    return findings


def _service_imports(view: ServiceView, _: float | None) -> list[Finding]:
    pairs: dict[tuple[str, str], list[Evidence]] = {}
    imports: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for (importer, imported), evidence in view.cross_imports().items():
        key = (view.module_owner[importer], view.module_owner[imported])
        pairs.setdefault(key, []).extend(evidence)
        imports.setdefault(key, []).append((importer, imported))
    return [
        replace(
            evidence_finding(
                "FIT305",
                "service-imports",
                f"service {a} imports the code of service {b}",
                (a, b),
                evidence,
                f"move what {a} needs from {b} into a versioned library or an API of {b}",
            ),
            imports=tuple(sorted(imports[a, b])),  # the baseline knows each import, not just the pair
        )
        for (a, b), evidence in sorted(pairs.items())
    ]


def _shared_library(view: ServiceView, threshold: float | None) -> list[Finding]:
    """A package outside every service imported by several services (reuse by library)."""
    users: dict[str, set[str]] = {}
    evidence: dict[str, list[Evidence]] = {}
    for edge in view.graph.iter_edges(EdgeKind.IMPORTS):
        importer, imported = edge.source.partition(":")[2], edge.target.partition(":")[2]
        service = view.module_owner.get(importer)
        if service and imported not in view.module_owner and edge.target.startswith("module:"):
            library = imported.split(".")[0]
            users.setdefault(library, set()).add(service)
            evidence.setdefault(library, []).extend(edge.evidence)
    limit = int(threshold or 2)
    return [
        evidence_finding(
            "FIT306",
            "shared-library",
            f"library {library} is imported by {len(names)} services: {', '.join(sorted(names))}",
            (f"library:{library}", *sorted(names)),
            evidence[library],
            "keep shared libraries small and slow-changing; version them so services upgrade on their own",
        )
        for library, names in sorted(users.items())
        if len(names) >= limit
    ]


def _sync_chains(view: ServiceView, threshold: float | None) -> list[Finding]:
    limit = int(threshold if threshold is not None else 3)
    findings = []
    search = view.call_chains()
    for chain in search.chains:
        hops = len(chain) - 1
        if hops <= limit:
            continue
        availability = 0.999 ** len(chain)
        latencies = [view.annotation(s, "latency_ms") for s in chain]
        numbers = [float(x) for x in latencies if isinstance(x, (int, float))]
        latency = f"; declared latency adds up to {sum(numbers):g} ms" if len(numbers) == len(chain) else ""
        evidence = [e for a, b in itertools.pairwise(chain) for e in view.evidence(a, b, EdgeKind.CALLS)]
        findings.append(
            evidence_finding(
                "FIT307",
                "sync-chain",
                f"synchronous chain of {hops} calls: {' -> '.join(chain)} (availability "
                f"0.999^{len(chain)} = {availability:.4f}{latency}){search.note()}",
                tuple(chain),
                evidence,
                "replace consequences with events, let the caller keep a replica of the data it keeps "
                "asking for, and put timeouts and circuit breakers on every remaining hop",
                data={
                    "hops": hops,
                    "availability": round(availability, 6),
                    **({} if search.complete else {"complete": False}),
                },
            )
        )
    return findings


def _sync_cycles(view: ServiceView, _: float | None) -> list[Finding]:
    return [
        evidence_finding(
            "FIT308",
            "sync-cycle",
            f"services call each other synchronously in a cycle: {', '.join(c)}",
            tuple(c),
            _edges_evidence(view, c, view.calls, EdgeKind.CALLS),
            "these services cannot be deployed or fail alone: turn one direction into events or merge them",
        )
        for c in cyclic_components(view.services, view.calls)
    ]


def _event_cycles(view: ServiceView, _: float | None) -> list[Finding]:
    flow = view.events()
    findings = []
    for component in cyclic_components(view.services, flow):
        evidence: list[Evidence] = []
        topics: set[str] = set()
        for a in component:
            for topic in sorted(view.publishes.get(a, ())):
                if any(topic in view.subscribes.get(b, ()) for b in component if b != a):
                    topics.add(topic)
                    evidence.extend(view.evidence(a, topic, EdgeKind.PUBLISHES))
        findings.append(
            evidence_finding(
                "FIT309",
                "event-cycle",
                f"event cycle between {', '.join(component)} (topics: {', '.join(sorted(topics))})",
                tuple(component),
                evidence,
                "nobody owns this flow: introduce an orchestrator (saga) or make one side stop reacting",
            )
        )
    return findings


def _hardcoded(view: ServiceView, _: float | None) -> list[Finding]:
    findings = []
    for source in view.services:
        for target in sorted(view.calls.get(source, ())):
            literal = _literal_evidence(view, source, target)
            if literal:
                findings.append(
                    evidence_finding(
                        "FIT310",
                        "hardcoded-endpoint",
                        f"{source} calls {target} at an address written in its code",
                        (source, target),
                        literal,
                        "read the address from configuration or service discovery",
                    )
                )
    return findings


def _literal_evidence(view: ServiceView, source: str, target: str) -> list[Evidence]:
    """Where the address of a call is written in code: the resolver's ``literal`` attribute when the
    call was resolved from facts, else (older analyses, declared graphs) evidence seen in code."""
    evidence = view.evidence(source, target, EdgeKind.CALLS)
    edge = view.graph.edge(f"service:{source}", f"service:{target}", EdgeKind.CALLS)
    written = edge.attrs.get("literal") if edge is not None else None
    if written is None:
        return [e for e in evidence if e.how in HARD_CODED]
    places = set(written)
    return [e for e in evidence if f"{e.path}:{e.line}" in places]


def _distributed_monolith(view: ServiceView, threshold: float | None) -> list[Finding]:
    limit = threshold if threshold is not None else 0.5
    findings = []
    for group, fired in monolith_groups(view):
        score = monolith_score(fired)
        if score < limit:
            continue
        reasons = "; ".join(f"{signal} ({', '.join(why)})" for signal, why in fired.items())
        findings.append(
            evidence_finding(
                "FIT311",
                "distributed-monolith",
                f"{', '.join(group)} form a distributed monolith (score {score:.2f}): {reasons}",
                tuple(group),
                [],
                "merge what must deploy together, or cut the signals one by one (tables first)",
                data={"score": score, "signals": fired},
            )
        )
    return findings


# -- helpers ------------------------------------------------------------------------------------


def _edges_evidence(
    view: ServiceView, members: Sequence[str], succ: dict[str, set[str]], kind: EdgeKind
) -> list[Evidence]:
    inside = set(members)
    return [
        e for a in members for b in sorted(succ.get(a, set()) & inside) for e in view.evidence(a, b, kind)
    ]


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return replace(finding, severity=severity)

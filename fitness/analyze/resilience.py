"""Resilience smells: wobbly interactions, dual writes without an outbox, consumers without idempotency,
remote calls in loops, clients that call many services without a gateway, chatty pairs (one caller
using many endpoints of one service) and unversioned APIs among versioned ones. The last two read URL
paths from the code lines behind each call edge, or count call sites where a line carries no path.

They read the ``interactions`` of each service node (:mod:`fitness.collect.interactions`: client
calls with or without a timeout, protections, function and loop spans, dedupe and outbox markers) and
the evidence lines of its edges: a table write and a publish whose lines lie in one function's span are
a dual write. Design guidance (Richardson, *Microservices Patterns*; Nygard, *Release It!*): a timeout on
every remote call and a circuit breaker per dependency; the transactional outbox instead of a dual
write; idempotent consumers, because delivery is at least once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from fitness.analyze.smells import evidence_finding
from fitness.model.evidence import Evidence
from fitness.model.findings import Finding
from fitness.model.graph import EdgeKind, NodeKind, node_id
from fitness.model.resilience import WOBBLY_FIX, Fact, facts_of, unprotected_calls
from fitness.model.service_view import ServiceView

_DELETE = re.compile(r"\bDELETE\s+FROM\b", re.I)
_UPDATE = re.compile(r"\bUPDATE\s+[\w.\"`]+\s+SET\s+(.+?)(?:\s+WHERE\b|[\"')]|$)", re.I)
_ASSIGNMENT = re.compile(r"(\w+)\s*=\s*([^,]+)")
CLIENT_SIDE = ("frontend", "front-end", "web", "ui", "spa", "mobile", "portal", "app", "client")
"""Words that name a client-facing component (``shop-frontend``, ``web-ui``, ``mobile-app``)."""
_URL = re.compile(r"""\b[a-z][\w+.-]*://[^/\s"'`]+(?P<path>/[^\s"'`]*)""")
_QUOTED_PATH = re.compile(r"""["'`](?P<path>/[\w{}$.-][^\s"'`]*)""")
_PLACEHOLDER = re.compile(r"\$?\{[^}/]*\}|:\w+(?=/|$)")
_VERSION = re.compile(r"/v\d+(?:\.\d+)?(?:/|$)", re.I)
_OPS_PATHS = frozenset({"health", "healthz", "ready", "readyz", "live", "livez", "metrics", "ping", "status"})
CLIENT_SOURCES = (".js", ".jsx", ".mjs", ".ts", ".tsx", ".vue", ".svelte", ".html", ".dart", ".swift")


def wobbly_interactions(view: ServiceView, _: float | None) -> list[Finding]:
    """FIT312: remote calls with no timeout in a service with no breaker, retry or mesh policy."""
    findings = []
    for service in view.services:
        calls = unprotected_calls(facts_of(view, service))
        if not calls:
            continue
        sites = ", ".join(f"{c.detail} ({c.path}:{c.line})" for c in calls[:5])
        more = f" and {len(calls) - 5} more" if len(calls) > 5 else ""
        findings.append(
            evidence_finding(
                "FIT312",
                "wobbly-interaction",
                f"{service} makes {len(calls)} remote call(s) with no timeout and has no circuit breaker, "
                f"retry or mesh policy: {sites}{more}",
                (service,),
                [c.evidence for c in calls],
                WOBBLY_FIX,
                {"calls": len(calls)},
            )
        )
    return findings


def dual_writes(view: ServiceView, _: float | None) -> list[Finding]:
    """FIT313: one function writes a table and publishes a message, and the service has no outbox."""
    cdc = _system_has_cdc(view)
    findings = []
    for service in view.services:
        facts = facts_of(view, service)
        if cdc or _has_outbox(view, service, facts):
            continue
        functions = _functions(facts)
        writes = _by_function(functions, _lines(view, service, EdgeKind.WRITES))
        publishes = _by_function(functions, _lines(view, service, EdgeKind.PUBLISHES))
        helpers = _helpers(functions, facts)
        for index, function in enumerate(functions):
            wrote, sent = list(writes.get(index, [])), list(publishes.get(index, []))
            writers, senders = {index} if wrote else set(), {index} if sent else set()
            through: list[Evidence] = []
            for call, helper in helpers.get(index, []):  # one level of same-file helpers
                more_wrote, more_sent = writes.get(helper, []), publishes.get(helper, [])
                if more_wrote or more_sent:
                    through.append(call.evidence)
                    wrote, sent = [*wrote, *more_wrote], [*sent, *more_sent]
                    writers |= {helper} if more_wrote else set()
                    senders |= {helper} if more_sent else set()
            if not wrote or not sent or (writers == senders and writers != {index} and len(writers) == 1):
                continue  # (a helper that writes and publishes on its own is reported as itself)
            tables = sorted({name for name, _ in wrote})
            topics = sorted({name for name, _ in sent})
            via = (
                f" (through {', '.join(sorted({c.text.strip().rstrip(';') for c in through}))})"
                if through
                else ""
            )
            findings.append(
                evidence_finding(
                    "FIT313",
                    "dual-write",
                    f"{service} writes {', '.join(tables)} and publishes to {', '.join(topics)} in one "
                    f"function, {function.detail} ({function.path}:{function.line}){via}, with no outbox "
                    "table or CDC: a crash between the two loses the message or sends one for a rolled-back "
                    "write",
                    (service, f"{function.path}:{function.detail}"),
                    [function.evidence, *through, *(e for _, e in wrote), *(e for _, e in sent)],
                    "use the transactional outbox pattern: write the message to an outbox table in the same "
                    "transaction as the data, and let a relay (or CDC such as Debezium) publish it",
                    {"tables": tables, "topics": topics},
                )
            )
    return findings


def unidempotent_consumers(view: ServiceView, _: float | None) -> list[Finding]:
    """FIT314: a message handler that writes with no dedupe key, inbox table or upsert in sight."""
    findings = []
    for service in view.services:
        facts = facts_of(view, service)
        if _has_inbox(view, service):
            continue
        functions = _functions(facts)
        writes = _by_function(functions, _lines(view, service, EdgeKind.WRITES))
        subscribes = _by_function(functions, _lines(view, service, EdgeKind.SUBSCRIBES))
        dedupe = [f for f in facts if f.kind == "dedupe"]
        for index, function in enumerate(functions):
            consumed = subscribes.get(index, [])
            wrote = [(t, e) for t, e in writes.get(index, []) if not _idempotent_sql(e.text)]
            if not consumed or not wrote or any(function.holds(d.path, d.line) for d in dedupe):
                continue
            topics = sorted({name for name, _ in consumed})
            tables = sorted({name for name, _ in wrote})
            findings.append(
                evidence_finding(
                    "FIT314",
                    "unidempotent-consumer",
                    f"{service} handles {', '.join(topics)} in {function.detail} ({function.path}:"
                    f"{function.line}) and writes {', '.join(tables)} with no dedupe key, inbox table or "
                    "upsert (looked for: ON CONFLICT, ON DUPLICATE KEY, INSERT IGNORE, MERGE, upsert, an "
                    "inbox or processed-messages table, idempotency or dedup keys, existsById, SETNX)",
                    (service, f"{function.path}:{function.detail}"),
                    [function.evidence, *(e for _, e in consumed), *(e for _, e in wrote)],
                    "delivery is at least once: record the message id in an inbox table in the same "
                    "transaction and skip ids already seen, or make the write an upsert keyed by the event",
                    {"topics": topics, "tables": tables},
                )
            )
    return findings


def calls_in_loops(view: ServiceView, _: float | None) -> list[Finding]:
    """FIT315: a remote client call inside a for/while loop (N+1 over the network)."""
    findings = []
    for service in view.services:
        facts = facts_of(view, service)
        loops = [f for f in facts if f.kind == "loop"]
        calls = [
            f
            for f in facts
            if f.kind in ("call", "bounded-call") and any(loop.holds(f.path, f.line) for loop in loops)
        ]
        if not calls:
            continue
        sites = ", ".join(f"{c.detail} ({c.path}:{c.line})" for c in calls[:5])
        findings.append(
            evidence_finding(
                "FIT315",
                "remote-call-in-loop",
                f"{service} makes remote calls inside loops (N+1 over the network): {sites}",
                (service,),
                [c.evidence for c in calls],
                "fetch in one batch call (an endpoint that takes many ids), or keep a local replica of the "
                "data the loop needs",
                {"calls": len(calls)},
            )
        )
    return findings


def missing_gateway(view: ServiceView, threshold: float | None) -> list[Finding]:
    """FIT316: a client-facing component (by name) calling more than ``threshold`` services directly."""
    limit = int(threshold if threshold is not None else 3)
    findings = []
    for service in view.services:
        words = service.lower().replace("_", "-").split("-")
        if not any(word in CLIENT_SIDE for word in words):
            continue
        targets = sorted(view.calls.get(service, ()))
        if len(targets) <= limit or not _from_the_client(view, service, targets):
            continue
        evidence = [e for t in targets for e in view.evidence(service, t, EdgeKind.CALLS)[:1]]
        findings.append(
            evidence_finding(
                "FIT316",
                "missing-gateway",
                f"client-facing {service} calls {len(targets)} services directly (more than {limit}): "
                f"{', '.join(targets)}",
                (service, *targets),
                evidence,
                "put an API gateway or a backend-for-frontend between the client and the services, so the "
                "client makes one call and the services can change behind it",
                {"services": targets},
            )
        )
    return findings


def chatty_pairs(view: ServiceView, threshold: float | None) -> list[Finding]:
    """FIT317: one caller using more than ``threshold`` distinct endpoints of one other service."""
    limit = int(threshold if threshold is not None else 5)
    findings = []
    for caller in view.services:
        sid = node_id(NodeKind.SERVICE, caller)
        for target in sorted(view.calls.get(caller, ())):
            edge = view.graph.edge(sid, node_id(NodeKind.SERVICE, target), EdgeKind.CALLS)
            endpoints = _endpoints(edge.evidence if edge else ())
            if len(endpoints) <= limit:
                continue
            paths = sorted(key for key in endpoints if key.startswith("/"))
            sites = len(endpoints) - len(paths)
            shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
            read = f"paths {shown}" if paths else ""
            read += (" and " if paths and sites else "") + (
                f"{sites} call site(s) with no path" if sites else ""
            )
            findings.append(
                evidence_finding(
                    "FIT317",
                    "chatty-pair",
                    f"{caller} calls {len(endpoints)} distinct endpoints of {target} (more than {limit}; an "
                    f"endpoint is the URL path in the call, or the call site where the line has no path): "
                    f"{read}",
                    (caller, target),
                    endpoints.values(),
                    "give the caller one coarser operation (a composite or batch endpoint, or a query "
                    "designed for it), or reconsider the boundary: services this chatty may be one",
                    {"endpoints": len(endpoints), "paths": paths},
                )
            )
    return findings


def unversioned_apis(view: ServiceView, _: float | None) -> list[Finding]:
    """FIT318: most API paths the services call carry a version segment, a service's paths none."""
    exposed: dict[str, dict[str, Evidence]] = {}
    for caller in view.services:
        sid = node_id(NodeKind.SERVICE, caller)
        for target in sorted(view.calls.get(caller, ())):
            edge = view.graph.edge(sid, node_id(NodeKind.SERVICE, target), EdgeKind.CALLS)
            for key, evidence in _endpoints(edge.evidence if edge else ()).items():
                if key.startswith("/") and key.strip("/").split("/")[-1].lower() not in _OPS_PATHS:
                    exposed.setdefault(target, {}).setdefault(key, evidence)
    paths = [path for found in exposed.values() for path in found]
    versioned = [path for path in paths if _VERSION.search(path)]
    if len(exposed) < 2 or len(versioned) * 2 <= len(paths):
        return []
    findings = []
    for service, found in sorted(exposed.items()):
        if any(_VERSION.search(path) for path in found):
            continue
        examples = sorted(found)
        shown = ", ".join(examples[:5]) + (f" and {len(examples) - 5} more" if len(examples) > 5 else "")
        findings.append(
            evidence_finding(
                "FIT318",
                "unversioned-api",
                f"{service}'s API paths carry no version segment ({shown}), while {len(versioned)} of the "
                f"{len(paths)} paths its system calls do (/v1/, /api/v2/)",
                (service,),
                found.values(),
                "version the API like the others (a /v1/ path segment, or a version header or media type "
                "that callers send), so it can change without breaking them",
                {"paths": examples},
            )
        )
    return findings


# -- helpers ------------------------------------------------------------------------------------


def _endpoints(evidence: Iterable[Evidence]) -> dict[str, Evidence]:
    """Distinct endpoints behind a call edge: the normalised URL path of each code line that has one
    (``/api/orders/{}``), else the call site itself (``path:line``)."""
    found: dict[str, Evidence] = {}
    for e in evidence:
        if not e.line or e.how not in ("code", "source-text"):
            continue
        path = url_path(e.text)
        found.setdefault(path or f"{e.path}:{e.line}", e)
    return found


def url_path(text: str) -> str | None:
    """The path of the first URL (or quoted absolute path) on a code line, with placeholders and numbers
    as ``{}`` and no query: ``f"http://orders:8080/api/orders/{id}?x=1"`` -> ``/api/orders/{}``."""
    match = _URL.search(text) or _QUOTED_PATH.search(text)
    if match is None:
        return None
    path = _PLACEHOLDER.sub("{}", match.group("path")).split("?", 1)[0].split("#", 1)[0]
    path = "/".join("{}" if part.isdigit() else part for part in path.split("/")).rstrip("/")
    return path if len(path) > 1 else None


def _functions(facts: Iterable[Fact]) -> list[Fact]:
    """Function spans, in file order."""
    return sorted((f for f in facts if f.kind == "function"), key=lambda f: (f.path, f.line))


def _helpers(functions: Sequence[Fact], facts: Iterable[Fact]) -> dict[int, list[tuple[Fact, int]]]:
    """Function index -> (call, callee index) for each call it makes of another function of its file
    (``local-call`` facts, given to the innermost function holding them)."""
    by_name: dict[tuple[str, str], list[int]] = {}
    for index, function in enumerate(functions):
        by_name.setdefault((function.path, function.detail), []).append(index)
    found: dict[int, list[tuple[Fact, int]]] = {}
    for call in facts:
        if call.kind != "local-call":
            continue
        holders = [i for i, f in enumerate(functions) if f.holds(call.path, call.line)]
        callees = by_name.get((call.path, call.detail), [])
        if holders and len(callees) == 1 and callees[0] not in holders:  # a unique name, not recursion
            inner = max(holders, key=lambda i: (functions[i].line, -functions[i].end))
            found.setdefault(inner, []).append((call, callees[0]))
    return found


def _lines(view: ServiceView, service: str, kind: EdgeKind) -> list[tuple[str, Evidence]]:
    """(target name, evidence) of every code line behind ``service``'s edges of ``kind``."""
    sid = node_id(NodeKind.SERVICE, service)
    found = []
    for target in sorted(view.graph.successors(sid, kind)):
        edge = view.graph.edge(sid, target, kind)
        for evidence in edge.evidence if edge else ():
            if evidence.line:
                found.append((target.partition(":")[2], evidence))
    return found


def _by_function(
    functions: Sequence[Fact], lines: Iterable[tuple[str, Evidence]]
) -> dict[int, list[tuple[str, Evidence]]]:
    """Each line given to the innermost function holding it (a lambda inside a method keeps its own)."""
    found: dict[int, list[tuple[str, Evidence]]] = {}
    for name, evidence in lines:
        holders = [i for i, f in enumerate(functions) if f.holds(evidence.path, evidence.line)]
        if holders:
            inner = max(holders, key=lambda i: (functions[i].line, -functions[i].end))
            found.setdefault(inner, []).append((name, evidence))
    return found


def _from_the_client(view: ServiceView, service: str, targets: Sequence[str]) -> bool:
    """True when the calls are made from client-side code: only browser or app sources in their
    evidence, and no gRPC (a browser cannot speak it; a server-rendered frontend already is a BFF)."""
    sid = node_id(NodeKind.SERVICE, service)
    code: list[str] = []
    for target in targets:
        edge = view.graph.edge(sid, node_id(NodeKind.SERVICE, target), EdgeKind.CALLS)
        if edge is None or edge.attrs.get("protocol") == "grpc":
            return False
        code.extend(e.path for e in edge.evidence if e.how in ("code", "source-text", "env"))
    return bool(code) and all(path.endswith(CLIENT_SOURCES) for path in code)


def _idempotent_sql(text: str) -> bool:
    """A DELETE, or an UPDATE that sets columns to values rather than from themselves
    (``SET status = 'paid'``, not ``SET quantity = quantity - 1``): doing it twice changes nothing."""
    if _DELETE.search(text):
        return True
    match = _UPDATE.search(text)
    if match is None:
        return False
    return not any(
        re.search(rf"\b{re.escape(column)}\b", value) for column, value in _ASSIGNMENT.findall(match.group(1))
    )


def _has_outbox(view: ServiceView, service: str, facts: Sequence[Fact]) -> bool:
    tables = view.tables_used().get(service, set())
    return any("outbox" in table for table in tables) or any(f.kind == "outbox" for f in facts)


def _has_inbox(view: ServiceView, service: str) -> bool:
    tables = view.tables_used().get(service, set())
    return any(word in table for table in tables for word in ("inbox", "processed", "dedup"))


def _system_has_cdc(view: ServiceView) -> bool:
    """A Debezium (CDC) connector deployed anywhere in the system publishes from the database."""
    for node in view.graph.nodes(NodeKind.SERVICE):
        images = " ".join(str(i) for i in node.attrs.get("images", ()))
        if "debezium" in images.lower() or "debezium" in node.name.lower():
            return True
    return False

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
        CodeDoc(
            "FIT312",
            "wobbly-interaction",
            "A synchronous remote call with no timeout (requests, urllib, aiohttp sessions, httpx with "
            "timeout=None; RestTemplate, WebClient, Feign without configured timeouts; Go http.Client{} "
            "without Timeout, http.Get, gRPC without a deadline; fetch without a signal, axios without "
            "timeout; .NET HttpClient without Timeout) in a service with no circuit breaker, retry or mesh "
            "policy (tenacity, pybreaker, resilience4j, Hystrix, Polly, opossum, gobreaker, Istio/Envoy).",
            "analysis:\n  wobbly_interactions: {severity: warning}\n"
            "rules:\n  - {id: no-wobbly-calls, type: remote-calls-protected, exceptions: [admin-ui]}",
            "Set a timeout on every remote call and put a circuit breaker or a retry with backoff on the "
            "dependency: one slow service must not hang its callers.",
        ),
        CodeDoc(
            "FIT313",
            "dual-write",
            "One function writes a database table and publishes a message to a broker (itself, or through "
            "functions of its file it calls, one level deep), and the service has no outbox table or CDC "
            "(Debezium): a crash between the two loses the message, or sends one for a write that rolled "
            "back.",
            "analysis:\n  dual_writes: {severity: warning}",
            "Use the transactional outbox pattern: insert the message into an outbox table in the same "
            "transaction as the data; a relay or CDC (Debezium) publishes it.",
        ),
        CodeDoc(
            "FIT314",
            "unidempotent-consumer",
            "A message handler (a function that consumes a topic or queue) writes a table with no dedupe "
            "key, inbox table or upsert in sight; delivery is at least once, so a redelivery writes twice. "
            "A heuristic (info): it looks for ON CONFLICT, ON DUPLICATE KEY, INSERT IGNORE, MERGE, upsert, "
            "inbox or processed-message tables, idempotency or dedup keys, existsById, SETNX.",
            "analysis:\n  unidempotent_consumers: {severity: info}",
            "Record each message id in an inbox table in the same transaction and skip ids seen before, or "
            "make the write an upsert keyed by the event.",
        ),
        CodeDoc(
            "FIT315",
            "remote-call-in-loop",
            "A remote client call inside a for/while loop (or forEach, a comprehension): one network round "
            "trip per item (N+1 over the network).",
            "analysis:\n  remote_calls_in_loops: {severity: warning}",
            "Fetch in one batch call (an endpoint that takes many ids), or keep a local replica of the data.",
        ),
        CodeDoc(
            "FIT316",
            "missing-gateway",
            "A client-facing component (named frontend, web, ui, spa, mobile, portal, app, client) whose "
            "client-side code (JavaScript/TypeScript, not gRPC) calls more services directly than the "
            "threshold (default 3): no API gateway or backend-for-frontend between them.",
            "analysis:\n  missing_gateway: {severity: info, threshold: 3}",
            "Put an API gateway or a backend-for-frontend in front of the services.",
        ),
        CodeDoc(
            "FIT317",
            "chatty-pair",
            "One caller uses more distinct endpoints of one other service than the threshold (default 5). "
            "An endpoint is the URL path read from the call's code line (`/api/orders/{id}` and "
            "`/api/orders/search` are two; ids and placeholders count as one); where the line has no path "
            "(a Feign method, a gRPC stub, a URL built elsewhere) each call site (file:line) counts as one, "
            "so gRPC methods are counted by call site, not by name.",
            "analysis:\n  chatty_pairs: {severity: info, threshold: 5}",
            "Give the caller one coarser operation (a composite or batch endpoint), or reconsider the "
            "boundary: two services this chatty may be one.",
        ),
        CodeDoc(
            "FIT318",
            "unversioned-api",
            "Most API paths the services of a system call carry a version segment (`/v1/`, `/api/v2/`), but "
            "a service's paths carry none. The paths are those read from the callers' code lines (URLs in "
            "the calls; health, metrics and readiness paths left out), so a service nobody calls with a "
            "literal path is not judged, and a version sent in a header or media type is not seen.",
            "analysis:\n  unversioned_apis: {severity: info}",
            "Version the API like the others (a /v1/ segment, or a version header callers send), so it can "
            "change without breaking its callers.",
        ),
        CodeDoc(
            "FIT319",
            "uncompensated-saga-step",
            "A step of a saga written out in code has no compensating transaction, though a later step of "
            "the same saga has one: the step comes before the pivot, so when a later step fails the saga "
            "undoes the others and leaves this one done. Read where sagas are explicit: Eventuate Tram "
            "(`step().invokeParticipant(...).withCompensation(...)`) and node-sagas; Temporal workflows "
            "registering compensations (Java `saga.addCompensation`, Go `AddCompensation` or a deferred "
            "activity, Python and TypeScript compensation lists); Axon sagas and MassTransit state machines "
            "(a compensating command such as ReleaseStock pairs with the step sharing its noun); "
            "hand-written step lists (`action`/`execute` with `compensate`/`undo`/`rollback`). The pivot "
            "and the retriable steps after the last compensated step need none, and so do reads, checks "
            "and notifications (validate, get, check, notify).",
            "analysis:\n  uncompensated_saga_steps: {severity: warning}\n"
            "rules:\n  - {id: sagas-compensate, type: saga-steps-compensated, exceptions: [legacy-*]}",
            "Give the step a compensating transaction that semantically undoes it (release, refund, "
            "cancel), registered with the step; or move a step that cannot be undone after the last "
            "compensatable one (as the pivot or a retriable step). Make steps and compensations idempotent.",
        ),
        CodeDoc(
            "FIT401",
            "openapi-breaking-change",
            "`fitness contracts`: an OpenAPI change that breaks clients of the base revision: a removed path, "
            "operation or success response, a field removed from a response, a new required request field or "
            "parameter, a changed type. The finding names the services that call the owner.",
            "fitness contracts . --base origin/main   # paths: /orders/{id}: get: removed",
            "Keep the old path, field or type (deprecated) until no client uses it, or publish a new API version.",
        ),
        CodeDoc(
            "FIT402",
            "protobuf-breaking-change",
            "`fitness contracts`: a protobuf change that breaks old binaries or generated code: a field removed "
            "without `reserved`, a field number changed or reused, a changed field type, a renamed package, a "
            "removed message, service or rpc. The finding names the gRPC clients.",
            "message Order {\n  reserved 3;          # was: string email = 3;\n  string id = 1;\n}",
            "Never reuse or change a field number: reserve removed numbers and names, add new fields with new "
            "numbers, publish breaking changes as a new package version (orders.v2).",
        ),
        CodeDoc(
            "FIT403",
            "avro-breaking-change",
            "`fitness contracts`: an Avro schema change old and new readers cannot resolve: a field added or "
            "removed without a default, a type changed other than by promotion, a union branch or enum symbol "
            "removed, a record renamed without an alias. The finding names the topic's subscribers.",
            '{"name": "coupon", "type": ["null", "string"], "default": null}',
            "Give added and removed fields a default; keep types (or promote int -> long); add aliases on rename.",
        ),
        CodeDoc(
            "FIT404",
            "json-schema-breaking-change",
            "`fitness contracts`: a JSON Schema (event) change that breaks consumers or producers: a removed "
            "property, a new required property, a changed type. The finding names the topic's subscribers.",
            '{"$schema": "https://json-schema.org/draft/2020-12/schema", "required": ["id"]}',
            "Add properties as optional, keep removed ones (deprecated) until no consumer reads them, or "
            "publish a new schema version.",
        ),
        CodeDoc(
            "FIT405",
            "compatible-contract-change",
            "`fitness contracts`: a contract change old clients keep working with (a new path, an optional "
            "field, a removed field whose number is reserved), listed as info.",
            "fitness contracts . --format markdown",
            "Nothing to fix; it is listed so reviewers see how the contract evolves.",
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
    "FIT312": frozenset({"FIT131"}),
    "FIT319": frozenset({"FIT132"}),
}

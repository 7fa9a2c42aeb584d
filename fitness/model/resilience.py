"""Resilience facts of a service, as the collectors attached them to its node (``interactions``), and
the judgements the smells (``fitness.analyze.resilience``) and the ``remote-calls-protected`` rule share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fitness.model.evidence import Evidence
from fitness.model.graph import NodeKind, node_id
from fitness.model.service_view import ServiceView

CLIENT_FAMILY = {  # a client -> the component-wide timeout setting that bounds it
    "resttemplate": "resttemplate",
    "webclient": "webclient",
    "feign": "feign",
    "grpc": "grpc",
    "axios": "axios",
    "httpclient": "httpclient",
    "http.Client": "httpclient",
}
WOBBLY_FIX = (
    "set a timeout on every remote call (requests `timeout=`, RestTemplate/Feign read and connect "
    "timeouts, Go `http.Client{Timeout: ...}` or a context deadline, fetch `signal: AbortSignal.timeout()`, "
    "axios `timeout`), and put a circuit breaker or a retry with backoff on the dependency (tenacity, "
    "pybreaker, resilience4j, Polly, opossum, gobreaker, or a mesh timeout and outlier detection)"
)


@dataclass(frozen=True)
class Fact:
    kind: str
    detail: str
    path: str
    line: int
    end: int
    text: str

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.path, self.line, self.text, "code")

    def holds(self, path: str, line: int) -> bool:
        return path == self.path and self.line <= line <= self.end


def facts_of(view: ServiceView, service: str) -> list[Fact]:
    """The resilience facts the collectors attached to ``service`` (none for a graph from elsewhere)."""
    sid = node_id(NodeKind.SERVICE, service)
    if sid not in view.graph:
        return []
    raw = view.graph.node(sid).attrs.get("interactions") or []
    return [Fact(str(k), str(d), str(p), int(line), int(end), str(t)) for k, d, p, line, end, t in raw]


def unprotected_calls(facts: Sequence[Fact]) -> list[Fact]:
    """Remote calls with no timeout that no component-wide timeout, breaker or mesh policy covers."""
    protections = {f.detail for f in facts if f.kind == "protection"}
    if any(p.startswith(("breaker:", "mesh:")) for p in protections):
        return []
    return [
        f
        for f in facts
        if f.kind == "call" and f"timeout:{CLIENT_FAMILY.get(f.detail, f.detail)}" not in protections
    ]


def has_breaker(facts: Sequence[Fact]) -> bool:
    return any(f.kind == "protection" and f.detail.startswith(("breaker:", "mesh:")) for f in facts)

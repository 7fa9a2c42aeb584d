"""Facts -> calls, messages and the count of what stayed unresolved.

For each component, in this order (each edge keeps its whole evidence chain, the code first):

1. settings its code reads (``SettingRef``) whose value is an address: ``frontend.py:118 reads
   BALANCES_API_ADDR`` + ``config.yaml:29 BALANCES_API_ADDR=balances:8080`` -> frontend calls
   balances. A component with no source here (an image from a registry) is taken to read every
   address setting its manifest gives it;
2. addresses written in code, ``${KEY}`` parts filled from its settings (``AddressUse``);
3. logical names (``NameUse``: Feign, discovery, registry enums) and proxy or gateway routes (``Route``);
4. gRPC contracts: a stub for a proto service that exactly one other component serves (``ProtoUse``).

Not calls: keys that name a broker, telemetry or a redirect (``KAFKA_ADDR`` goes to the datastore
collector, ``OTEL_EXPORTER_*`` is telemetry export even when a proxy forwards it; ``*_REDIRECT_URI``, ``*_CALLBACK_URL``, CORS origins are the browser's), broker
schemes and ports (``tcp://x:61616``, ``stomp``, ``amqp``), loopback without a unique publisher, and
self-calls. A referenced address setting, address template, route or name that matches no component is
``Unresolved`` (with where it was read), so nothing passes silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fitness.collect.manifests.connections import parse_connection
from fitness.collect.resolve.identity import Identities
from fitness.collect.resolve.settings import Settings, unfilled
from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind
from fitness.model.facts import Setting, SourceFacts, Unresolved, canonical_key
from fitness.model.redact import redact

RUNTIME_VARIABLES = frozenset(
    {"HOSTNAME", "HOST", "PODIP", "PODNAME", "NODENAME", "KUBERNETESSERVICEHOST", "SERVERNAME"}
)
"""Variables the platform sets itself (Kubernetes, Docker, a shell): nobody writes them down."""
_FORMAT = re.compile(r"%[-#0-9.]*[sdvqf]|(?<!\$)\{[^{}]*\}")
_PORT_PLACEHOLDER = re.compile(r":\$\{[^}]*\}")
BROKER_SCHEMES = frozenset(
    {"tcp", "ssl", "nio", "failover", "stomp", "stomp+ssl", "amqp", "amqps", "kafka", "nats", "mqtt", "sqs"}
)
BROKER_PORTS = frozenset({61616, 61613, 5672, 5671, 9092, 9093, 29092, 4222, 1883, 8883})
NOT_CALL_WORDS = (
    *("KAFKA", "AMQP", "RABBIT", "JMS", "BROKER", "STOMP", "NATS", "MQTT", "ACTIVEMQ", "BOOTSTRAP"),
    *("REDIRECT", "CALLBACK", "RETURNURL", "ORIGIN", "CORS", "ALLOWED", "LISTEN", "BIND", "ADVERTISED"),
    *("PUBLICURL", "EXTERNALURL", "ISSUER", "JWKS", "WEBHOOK"),
    *("OTEL", "OTLP", "TRACES", "TELEMETRY", "JAEGER", "ZIPKIN", "SENTRY", "STATSD", "PROMETHEUS"),
)
FRONTEND_PREFIXES = ("REACTAPP", "VUEAPP", "VITE", "NEXTPUBLIC", "NUXTPUBLIC", "NGAPP", "PUBLIC")
UI_ENDINGS = ("FRONTEND", "UI", "WEBAPP", "PORTAL", "DASHBOARD", "WEBSITE")
"""A setting naming a user interface is a link a page shows, not an API a client calls."""
ADDRESS_ENDINGS = ("ADDR", "ADDRESS", "URL", "URI", "HOST", "HOSTNAME", "ENDPOINT", "URLS", "SERVER")
CALL_SCHEMES = frozenset({"http", "https", "grpc", "grpcs", "ws", "wss", "dns", "h2c"})


@dataclass
class ComponentFacts:
    """What the resolver knows of one component: its settings, the keys its code reads, its facts."""

    name: str
    settings: Settings
    facts: SourceFacts
    has_code: bool
    refs: dict[str, Evidence] = field(default_factory=dict)  # canonical key -> first read in code

    def __post_init__(self) -> None:
        for ref in sorted(self.facts.refs):
            self.refs.setdefault(canonical_key(ref.key), ref.evidence)

    def ref(self, key: str) -> Evidence | None:
        """Where code reads the setting ``key`` (canonical): also through the prefixes front-end
        build tools add (``REACT_APP_X`` is read as ``X`` by react-env, ``VITE_X`` by import.meta.env)."""
        found = self.refs.get(key)
        if found is None:
            for prefix in FRONTEND_PREFIXES:
                if key.startswith(prefix) and key[len(prefix) :] in self.refs:
                    return self.refs[key[len(prefix) :]]
        return found


@dataclass
class _Edge:
    protocol: str
    evidence: list[Evidence]
    literal: list[Evidence] = field(default_factory=list)  # where the address is written in code


def resolve_calls(
    graph: ArchGraph, components: Iterable[ComponentFacts], identities: Identities, services: set[str]
) -> dict[str, list[Unresolved]]:
    """Add CALLS, PUBLISHES and SUBSCRIBES edges; return what each component left unresolved."""
    components = list(components)
    unresolved: dict[str, list[Unresolved]] = {}
    servers = _proto_servers(components)
    for component in sorted(components, key=lambda c: c.name):
        edges: dict[str, _Edge] = {}
        resolver = _One(component, identities, services, edges, unresolved.setdefault(component.name, []))
        resolver.settings()
        resolver.addresses()
        resolver.names_and_routes()
        resolver.protos(servers)
        for target, edge in sorted(edges.items()):
            evidence = list(dict.fromkeys(edge.evidence))
            chain = [f"{e.path}:{e.line}" for e in evidence[:8]]  # the order it was resolved in: code first
            graph.add_edge(
                f"service:{component.name}",
                f"service:{target}",
                EdgeKind.CALLS,
                evidence,
                {
                    "protocol": edge.protocol,
                    "chain": chain,
                    "literal": sorted({f"{e.path}:{e.line}" for e in edge.literal}),
                },
            )
        _messages(graph, component, unresolved[component.name])
    return unresolved


def _without_port_placeholders(value: str) -> str:
    """``_PORT_PLACEHOLDER.sub("", value)`` in linear time: no placeholder ends after the last ``}``, so
    the text after it is not searched (from every ``:${`` there the expression would scan to the end)."""
    end = value.rfind("}") + 1
    return _PORT_PLACEHOLDER.sub("", value[:end]) + value[end:]


def _proto_servers(components: list[ComponentFacts]) -> dict[str, dict[str, Evidence]]:
    servers: dict[str, dict[str, Evidence]] = {}
    for component in components:
        for use in sorted(component.facts.protos):
            if use.role == "serves":
                servers.setdefault(use.service, {}).setdefault(component.name, use.evidence)
    return servers


@dataclass
class _One:
    component: ComponentFacts
    identities: Identities
    services: set[str]
    edges: dict[str, _Edge]
    unresolved: list[Unresolved]

    def settings(self) -> None:
        component = self.component
        for key, values in sorted(component.settings.by_key.items()):
            if not _address_key(key, values):
                continue
            ref = component.ref(key)
            if ref is None and component.has_code:
                continue
            found = False
            for setting in values:
                literal = setting.evidence if setting.evidence.how == "default" else None
                for filled in component.settings.fill(setting.value):
                    chain = [*(e for e in [ref] if e is not None), setting.evidence, *filled.used]
                    found |= self._address(filled.value, setting.key, "unknown", chain, literal)
            if not found and ref is not None and any(unfilled(s.value) for s in values):
                self._unresolved("url", f"address setting {values[0].key} has no value", ref)
        for key, ref in sorted(component.refs.items()):
            if ref.how != "env" or key in RUNTIME_VARIABLES:
                continue  # only an explicit read of the environment names a setting someone must set
            if key not in component.settings.by_key and _address_key(key, []) and not self._prefixed(key):
                self._unresolved(
                    "url", f"reads address setting {key.lower()}, set by no manifest or config", ref
                )

    def addresses(self) -> None:
        for use in sorted(self.component.facts.addresses):
            hit = False
            for filled in self.component.settings.fill(use.template):
                if unfilled(_without_port_placeholders(filled.value)):
                    continue
                written = "${" not in use.template or all(u.how == "default" for u in filled.used)
                chain = [use.evidence, *filled.used]
                hit |= self._address(filled.value, "", use.protocol, chain, use.evidence if written else None)
            if not hit and unfilled(use.template):
                self._unresolved("url", f"address {redact(use.template)} not resolved", use.evidence)

    def names_and_routes(self) -> None:
        settings = self.component.settings
        for name_use in sorted(self.component.facts.names):
            for filled in settings.fill(name_use.name):
                target = self.identities.name(filled.value)
                if target is not None:
                    self._edge(target, name_use.protocol, [name_use.evidence, *filled.used])
        for route in sorted(self.component.facts.routes):
            hit = False
            for filled in settings.fill(route.template):
                chain = [route.evidence, *filled.used]
                if route.by_name:
                    target = self.identities.name(filled.value)
                    if target is not None:
                        hit = self._edge(target, "http", chain) or hit
                elif not unfilled(filled.value):
                    hit = self._address(filled.value, "", "http", chain) or hit
            if not hit:
                self._unresolved(
                    "route", f"route {route.match or '/'} -> {route.template} not resolved", route.evidence
                )

    def protos(self, servers: dict[str, dict[str, Evidence]]) -> None:
        for use in sorted(self.component.facts.protos):
            if use.role != "stub":
                continue
            owners = {
                name: ev for name, ev in servers.get(use.service, {}).items() if name != self.component.name
            }
            if len(owners) == 1:
                ((target, served),) = owners.items()
                self._edge(target, "grpc", [use.evidence, served])

    # -- helpers --------------------------------------------------------------------------------

    def _prefixed(self, key: str) -> bool:
        """``API`` read by react-env is set as ``REACT_APP_API``."""
        return any(prefix + key in self.component.settings.by_key for prefix in FRONTEND_PREFIXES)

    def _address(
        self, value: str, key: str, protocol: str, chain: list[Evidence], literal: Evidence | None = None
    ) -> bool:
        """Edges for every host ``value`` names; True when one of them is a known service.
        ``literal``: where the address is written in code rather than configured (a hard-coded endpoint)."""
        value = _without_port_placeholders(value)  # ``cart:${CART_PORT}``: the host is known, the port not
        value = _FORMAT.sub("", value)  # ``http://catalogue%s/tags``: a format filled at run time
        hit = False
        for scheme, host, port, _ in parse_connection(value.strip(), key or "SERVICE_ADDR"):
            scheme = scheme.lower()
            if scheme in BROKER_SCHEMES - {"tcp"} or (port in BROKER_PORTS) or not host:
                continue
            if scheme not in CALL_SCHEMES and scheme != "tcp":
                continue  # a datastore URL: the connection collector's
            target = self.identities.host(host, port)
            if target in self.services:
                kind = "grpc" if scheme.startswith("grpc") or "GRPC" in key.upper() else protocol
                kind = "http" if kind == "unknown" and scheme in ("http", "https") else kind
                hit = self._edge(target, kind, chain, literal) or hit
        return hit

    def _edge(
        self, target: str, protocol: str, chain: list[Evidence], literal: Evidence | None = None
    ) -> bool:
        if target == self.component.name or target not in self.services:
            return target == self.component.name
        edge = self.edges.setdefault(target, _Edge(protocol, []))
        if edge.protocol == "unknown" and protocol != "unknown":
            edge.protocol = protocol
        edge.evidence.extend(chain)
        if literal is not None:
            edge.literal.append(literal)
        return True

    def _unresolved(self, kind: str, reason: str, evidence: Evidence) -> None:
        self.unresolved.append(Unresolved(kind, reason, evidence))


def _address_key(key: str, values: list[Setting]) -> bool:
    """A setting that holds another component's address: its name says so (``*_ADDR``, ``*_URL``,
    ``*_HOST``, ``*_ENDPOINT``), or its value is a URL a client calls (``REACT_APP_BACKEND=http://x``)."""
    if any(word in key for word in NOT_CALL_WORDS) or key.endswith(UI_ENDINGS):
        return False
    if key.endswith(ADDRESS_ENDINGS):
        return True
    return any(s.value.split("://", 1)[0].lower() in CALL_SCHEMES for s in values if "://" in s.value)


def _messages(graph: ArchGraph, component: ComponentFacts, unresolved: list[Unresolved]) -> None:
    sid = f"service:{component.name}"
    for message in sorted(component.facts.messages):
        topics = [f.value for f in component.settings.fill(message.topic) if not unfilled(f.value)]
        if not topics:
            unresolved.append(Unresolved("topic", f"topic {message.topic} not resolved", message.evidence))
            continue
        for topic in dict.fromkeys(topics):
            node = graph.add_node(NodeKind.TOPIC, topic, {"broker": message.broker})
            kind = EdgeKind.PUBLISHES if message.direction == "publish" else EdgeKind.SUBSCRIBES
            graph.add_edge(sid, node, kind, [message.evidence])

"""Facts the service and data collectors return, before the pipeline assigns them to services.

Collectors read files and say what they saw, with evidence (file, line, text, how). They do not know
which service a file belongs to and never decide what is a smell: the pipeline maps files to services
and writes the facts into the ArchGraph; analyze and rules judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fitness.model.evidence import Evidence
from fitness.model.redact import redact

# -- data ---------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class TableAccess:
    """A read or write of a table. ``table`` is lower-case, schema-qualified when written so
    (``billing.invoices``); ``mode`` is ``read`` or ``write``; evidence.how says where it came from
    (``sql``, ``sql-file``, ``migration``, ``orm``)."""

    table: str
    mode: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class ModelClass:
    """An ORM model class and the table it maps (``shop.orders.models.Order`` -> ``orders``)."""

    qualname: str
    table: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class ModelUse:
    """Code using an ORM model class: ``qualname`` resolved through the file's imports
    (``from shop.orders.models import Order`` then ``Order.objects.filter()`` -> read of that model)."""

    qualname: str
    mode: str  # "read" | "write"
    evidence: Evidence


@dataclass(frozen=True, order=True)
class Unresolved:
    """Something that could not be resolved statically (dynamic SQL, a URL built at run time). The
    reason may quote what was seen, so it is redacted as evidence is (``fitness.model.redact``)."""

    kind: str  # "sql" | "url" | "topic" | ...
    reason: str
    evidence: Evidence

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", redact(self.reason))


# -- calls and messages -------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Call:
    """A synchronous call: ``host`` is the host name seen in the URL/target (``inventory``), which the
    pipeline matches against service names and aliases. ``protocol`` is ``http`` or ``grpc``."""

    host: str
    target: str  # the URL or gRPC target as written
    protocol: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class Message:
    """A publish or subscribe on a topic or queue; ``broker`` is kafka, rabbitmq, celery, nameko, redis..."""

    topic: str
    direction: str  # "publish" | "subscribe"
    broker: str
    evidence: Evidence


# -- addresses: what the resolver joins into calls ------------------------------------------------


@dataclass(frozen=True, order=True)
class Setting:
    """A configuration key defined to a value where a component reads it.

    From a manifest's env (``how="manifest"``), a config file of the component (``application.yml``,
    ``appsettings.json``, ``.env``: ``how="config"``) or a default written in code
    (``os.getenv("CART_ADDR", "cart:7070")``, ``${x.url:http://x}``: ``how="default"``). Keys are compared in
    canonical form (:func:`canonical_key`), so ``customercore.baseURL`` and ``CUSTOMERCORE_BASEURL`` meet
    (Spring's relaxed binding, .NET's ``Section__Key``)."""

    key: str
    value: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class SettingRef:
    """Code that reads a setting by key: ``os.getenv("CART_ADDR")``, ``process.env.CART_ADDR``,
    ``@Value("${customercore.baseURL}")``, ``mustMapEnv(&addr, "CART_ADDR")``."""

    key: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class AddressUse:
    """An address a component calls, as written: a literal (``http://cart:7070/x``, ``cart:7070``) or a
    template whose ``${KEY}`` parts are settings (``http://${BALANCES_API_ADDR}/balances``).
    ``protocol`` is ``http``, ``grpc``, ``ws`` or ``unknown``."""

    template: str
    protocol: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class NameUse:
    """A call to a service by its logical name, found by discovery rather than an address: a Feign
    client's ``name``, ``lb://orders`` in a gateway route, a registry lookup or a service-name enum
    constant (``Service.PERSISTENCE``), a nameko ``RpcProxy("orders")``. ``name`` may be a ``${KEY}``
    template."""

    name: str
    protocol: str
    evidence: Evidence


@dataclass(frozen=True, order=True)
class Route:
    """A reverse-proxy or gateway route of the component that holds the config: requests matching
    ``match`` (``/api/``, ``Path=/orders/**``) go to ``template`` (an address or ``${KEY}`` template, or a
    logical name when ``by_name``). nginx ``proxy_pass``, Envoy clusters, Spring Cloud Gateway, Zuul,
    Ocelot, YARP."""

    match: str
    template: str
    evidence: Evidence
    by_name: bool = False


@dataclass(frozen=True, order=True)
class ProtoUse:
    """A gRPC (or Thrift) service named in code: ``role="serves"`` where a component implements it
    (``pb.RegisterCartServiceServer``, ``extends CartServiceGrpc.CartServiceImplBase``,
    ``add_CartServiceServicer_to_server``), ``role="stub"`` where it holds a client for it
    (``pb.NewCartServiceClient``, ``CartServiceGrpc.newBlockingStub``, ``CartServiceStub(channel)``,
    ``new CartServiceClient(addr)``). ``service`` is the proto service name (``CartService``)."""

    service: str
    role: str  # "serves" | "stub"
    evidence: Evidence


@dataclass(frozen=True, order=True)
class Interaction:
    """A construct the resilience smells judge (:mod:`fitness.analyze.resilience`), seen in code or config.

    ``kind``: ``function`` (a function or method spanning lines ``evidence.line``..``end``; ``detail`` its
    name), ``loop`` (a for/while body, same span), ``call`` (a remote client call with no timeout;
    ``detail`` the client, ``client.method``), ``bounded-call`` (the same with a timeout), ``protection``
    (a circuit breaker, retry or timeout library, or a mesh policy; ``detail`` names it), ``dedupe`` (a
    dedupe key, inbox table, upsert), ``outbox`` (an outbox table or CDC connector), ``route`` (an
    endpoint served; ``detail`` its path), ``saga`` (a saga written out in code, spanning lines
    ``evidence.line``..``end``; ``detail`` ``framework:name``), ``saga-step`` (``detail`` the step) and
    ``compensation`` (``detail`` the step it undoes, ``end`` that step's line)."""

    kind: str
    detail: str
    evidence: Evidence
    end: int = 0


@dataclass
class SourceFacts:
    """Everything the source detectors saw in one component's files."""

    settings: list[Setting] = field(default_factory=list)
    refs: list[SettingRef] = field(default_factory=list)
    addresses: list[AddressUse] = field(default_factory=list)
    names: list[NameUse] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    protos: list[ProtoUse] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    tables: list[TableAccess] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)

    def extend(self, other: SourceFacts) -> None:
        for name in (
            *("settings", "refs", "addresses", "names", "routes", "protos", "messages", "tables"),
            "unresolved",
            "warnings",
            "interactions",
        ):
            getattr(self, name).extend(getattr(other, name))


def canonical_key(key: str) -> str:
    """One spelling for a setting's key, as Spring's relaxed binding and .NET's env mapping see it:
    upper case, letters and digits only.

    >>> canonical_key("customercore.baseURL"), canonical_key("CUSTOMERCORE_BASEURL")
    ('CUSTOMERCOREBASEURL', 'CUSTOMERCOREBASEURL')
    >>> canonical_key("Services__Catalog-Url"), canonical_key("my-service.url")
    ('SERVICESCATALOGURL', 'MYSERVICEURL')
    """
    return "".join(char for char in key.upper() if char.isalnum())


# -- deployment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str
    evidence: Evidence


@dataclass(frozen=True)
class DeployedService:
    """A service seen in a manifest (compose, Kubernetes) or by the folder convention.

    ``aliases`` are other host names it answers to (compose service name, container_name, hostname,
    Kubernetes Service names selecting it, network aliases). ``build`` is the source folder when known.
    ``routes`` are routes its manifest gives it (a Kubernetes Ingress: ``source="ingress"``).
    """

    name: str
    source: str  # "compose" | "kubernetes" | "ingress" | "convention" | "declared"
    evidence: Evidence
    image: str = ""
    build: str = ""
    aliases: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    env: tuple[EnvVar, ...] = ()
    ports: tuple[int, ...] = ()
    published: tuple[
        int, ...
    ] = ()  # host ports (compose ``"8100:8080"`` -> 8100): ``localhost:8100`` reaches it
    base_image: str = ""  # the final ``FROM`` of its Dockerfile when it is built here
    role: str = ""  # a role the manifest states: ``job``, ``test``, ``infra``, ``ingress``; else ""
    rank: int = 0  # how primary its manifest is (0 = the base deployment); overlays and extras rank higher
    copies: tuple[str, ...] = ()  # files and folders its Dockerfile copies in from outside its folder
    routes: tuple[Route, ...] = ()
    group: str = ""  # the group its manifest puts it in: a Kubernetes part-of label, or its namespace


@dataclass(frozen=True)
class Datastore:
    """A database or broker server: from a known image (``postgres:16``) or a connection setting.
    ``kind`` is postgres, mysql, mariadb, mongo, redis, cassandra, elasticsearch, sqlserver, kafka,
    rabbitmq, nats ...; ``role`` is ``database``, ``broker``, ``cache`` or ``infra`` (ZooKeeper, etcd...).
    ``databases`` are the databases the server is known to hold (``POSTGRES_DB``, ``CREATE DATABASE`` in an
    init script; a postgres container without ``POSTGRES_DB`` creates one named after its user)."""

    name: str
    kind: str
    role: str
    evidence: Evidence
    aliases: tuple[str, ...] = ()
    databases: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class Connection:
    """A connection setting of a service: a URL or host/port/database triple found in env vars or
    config files. Two services on the same ``host`` and ``database`` share a database; same host,
    different database is shared infrastructure only."""

    host: str
    port: int | None
    database: str
    scheme: str  # postgresql, mysql, mongodb, redis, amqp, kafka, http ...
    evidence: Evidence


@dataclass
class ManifestScan:
    services: list[DeployedService] = field(default_factory=list)
    datastores: list[Datastore] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

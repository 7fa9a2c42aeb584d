"""Facts the service and data collectors return, before the pipeline assigns them to services.

Collectors read files and say what they saw, with evidence (file, line, text, how). They do not know
which service a file belongs to and never decide what is a smell: the pipeline maps files to services
and writes the facts into the ArchGraph; analyze and rules judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fitness.model.evidence import Evidence

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
    """Something that could not be resolved statically (dynamic SQL, a URL built at run time)."""

    kind: str  # "sql" | "url" | "topic" | ...
    reason: str
    evidence: Evidence


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
    """

    name: str
    source: str  # "compose" | "kubernetes" | "convention" | "declared"
    evidence: Evidence
    image: str = ""
    build: str = ""
    aliases: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    env: tuple[EnvVar, ...] = ()
    ports: tuple[int, ...] = ()


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

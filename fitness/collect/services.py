"""Assemble services, datastores, tables and topics into the ArchGraph from what the collectors saw.

Precedence of facts: ``services:`` in fitness.yaml, then docker-compose, then Kubernetes, then the
one-folder-per-service convention. Every inferred edge keeps how it was seen (declared, manifest,
env, config, code, sql, orm ...) and where; what cannot be resolved is counted and listed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.collect.manifests.yaml_lines import walk_files
from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind
from fitness.model.servicespec import ServiceSpec

if TYPE_CHECKING:
    from fitness.model.facts import Call, Connection, Datastore, DeployedService, EnvVar, Unresolved

# The manifest and service collectors (and sqlglot) take a tenth of a second to import: a plain Python
# package pays for them only when its tree holds YAML files or service folders.
SERVICE_PARENTS = ("services", "service", "apps", "svc", "microservices", "src")

SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        "vendor",
        "dist",
        "build",
        ".tox",
        "tests",
        "test",
    }
)  # a service's tests talk to fakes and fixtures: their URLs and SQL are not the service's wiring
LOOPBACK = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1"})
MAX_FILES_PER_SERVICE = 20_000
ENV_URL = re.compile(r"URL from environment variable (\w+)")
BROKER_SCHEMES = frozenset({"amqp", "amqps", "kafka", "nats", "mqtt", "sqs"})


@dataclass
class ServiceScan:
    services: list[str] = field(default_factory=list)
    datastores: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sql_statements: int = 0


@dataclass
class _Service:
    name: str
    source: str
    evidence: Evidence
    folders: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    deployed: list[DeployedService] = field(default_factory=list)
    spec: ServiceSpec | None = None


@dataclass
class ServicePlan:
    """Services and datastores found in config and manifests, before any source file is read."""

    services: dict[str, _Service]
    stores: dict[str, Datastore]
    warnings: list[str]

    def source_roots(self, root: Path) -> list[str]:
        """Service folders that hold Python packages (the import graph needs them as source roots)."""
        found = []
        for service in self.services.values():
            for folder in service.folders:
                base = root / folder
                if base.is_dir() and any((child / "__init__.py").is_file() for child in base.iterdir()):
                    found.append(folder)
        return sorted(set(found))


def plan_services(root: Path, specs: Sequence[ServiceSpec]) -> ServicePlan:
    """Read fitness.yaml's services, docker-compose and Kubernetes manifests, and service folders."""
    if not specs and not _may_hold_services(root):
        return ServicePlan({}, {}, [])
    from fitness.collect.manifests.compose import scan_compose
    from fitness.collect.manifests.kubernetes import scan_kubernetes

    compose, kubernetes = scan_compose(root), scan_kubernetes(root)
    services = _merge_services(root, specs, [*compose.services, *kubernetes.services])
    stores = _datastores([*compose.datastores, *kubernetes.datastores])
    return ServicePlan(services, stores, [*compose.warnings, *kubernetes.warnings])


def _may_hold_services(root: Path) -> bool:
    if any(path.suffix.lower() in (".yml", ".yaml") for path, _ in walk_files(root, 8)):
        return True
    return any((root / name).is_dir() for name in SERVICE_PARENTS)


def collect_services(
    graph: ArchGraph, root: Path, plan: ServicePlan, dialect: str | None = None
) -> ServiceScan:
    """Add service, datastore, table and topic nodes and their edges to ``graph``."""
    scan = ServiceScan(warnings=list(plan.warnings))
    services, stores = plan.services, plan.stores
    if not services:
        return scan
    from fitness.collect.code.calls import scan_calls  # with sqlglot, 0.1 s to import: only when needed
    from fitness.collect.manifests.connections import connections_from_env, scan_config_connections
    from fitness.collect.sql.tables import scan_tables

    for service in services.values():
        _add_service_node(graph, service)
    _add_datastores(graph, stores.values())
    hosts = _host_index(services)
    store_hosts = {alias: store.name for store in stores.values() for alias in (store.name, *store.aliases)}
    files = {name: _files(root, service.folders) for name, service in services.items()}
    _contain_modules(graph, services)
    models: dict[str, str] = {}
    table_scans = {}
    for name in sorted(services):
        table_scans[name] = scan_tables(files[name], root, dialect)
        models.update({model.qualname: model.table for model in table_scans[name].models})
    for name, service in sorted(services.items()):
        sid = f"service:{name}"
        env = [var for deployed in service.deployed for var in deployed.env]
        connections = connections_from_env(env)
        config_connections, config_env, warnings = scan_config_connections(files[name], root)
        scan.warnings.extend(warnings)
        _connect(graph, sid, [*connections, *config_connections], store_hosts, hosts, stores)
        spec = service.spec
        for store in spec.datastores if spec else ():
            graph.add_node(NodeKind.DATASTORE, store)
            declared = Evidence("fitness.yaml", spec.line if spec else 0, f"datastores: {store}", "declared")
            graph.add_edge(sid, f"datastore:{store}", EdgeKind.CONNECTS, [declared])
        calls = scan_calls(files[name], root)
        scan.warnings.extend(calls.warnings)
        scan.unresolved.extend(_resolved_from_env(calls.unresolved, [*env, *config_env]))
        manifest_calls = _env_calls([*env, *config_env])
        _add_calls(graph, name, [*calls.calls, *manifest_calls], hosts)
        for message in calls.messages:
            topic = graph.add_node(NodeKind.TOPIC, message.topic, {"broker": message.broker})
            kind = EdgeKind.PUBLISHES if message.direction == "publish" else EdgeKind.SUBSCRIBES
            graph.add_edge(sid, topic, kind, [message.evidence])
        tables = table_scans[name]
        scan.sql_statements += tables.statements
        scan.warnings.extend(tables.warnings)
        scan.unresolved.extend(tables.unresolved)
        for access in tables.accesses:
            _access(graph, sid, access.table, access.mode, access.evidence)
        for use in tables.uses:
            if use.qualname in models:
                _access(graph, sid, models[use.qualname], use.mode, use.evidence)
    _declare_owners(graph, services)
    scan.services = sorted(services)
    scan.datastores = sorted(stores)
    scan.unresolved.sort()
    return scan


# -- services -----------------------------------------------------------------------------------


def _merge_services(
    root: Path, specs: Sequence[ServiceSpec], deployed: Sequence[DeployedService]
) -> dict[str, _Service]:
    services: dict[str, _Service] = {}
    for spec in specs:
        service = _Service(
            spec.name, "declared", Evidence("fitness.yaml", spec.line, f"services: {spec.name}", "declared")
        )
        service.folders = list(spec.paths)
        service.packages = list(spec.packages)
        service.aliases = set(spec.aliases)
        service.spec = spec
        services[spec.name] = service
    for item in deployed:
        service = services.setdefault(item.name, _Service(item.name, item.source, item.evidence))
        service.deployed.append(item)
        service.aliases.update(item.aliases)
        if item.build and not service.folders and (root / item.build).is_dir():
            service.folders = [item.build]
    if not services:
        from fitness.collect.manifests.conventions import scan_service_folders

        for item in scan_service_folders(root):
            services[item.name] = _Service(
                item.name, item.source, item.evidence, [item.build] if item.build else []
            )
    return dict(sorted(services.items()))


def _add_service_node(graph: ArchGraph, service: _Service) -> None:
    images = sorted({d.image for d in service.deployed if d.image})
    attrs = {
        "source": service.source,
        "folders": sorted(service.folders),
        "aliases": sorted(service.aliases),
        "images": images,
        "annotations": dict(service.spec.annotations) if service.spec else {},
    }
    evidence = [service.evidence, *(d.evidence for d in service.deployed)]
    graph.add_node(NodeKind.SERVICE, service.name, attrs, evidence)


def _host_index(services: dict[str, _Service]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, service in services.items():
        for host in (name, *sorted(service.aliases)):
            index.setdefault(host.lower(), name)
    return index


def resolve_host(host: str, index: dict[str, str]) -> str | None:
    """``inventory``, ``inventory:8000``, ``inventory.shop.svc.cluster.local`` -> ``inventory``."""
    bare = host.lower().split(":")[0]
    if bare in index:
        return index[bare]
    if bare.endswith(".svc.cluster.local") or bare.count(".") == 1:
        return index.get(bare.split(".")[0])
    return None


def _contain_modules(graph: ArchGraph, services: dict[str, _Service]) -> None:
    """service -> module: the module's file is in the service's folder, or under one of its packages."""
    folders = [
        (f.rstrip("/") + "/", name) for name, s in services.items() for f in s.folders if f not in ("", ".")
    ]
    packages = [(p, name) for name, s in services.items() for p in s.packages]
    for node in graph.nodes(NodeKind.MODULE):
        path = str(node.attrs.get("path", ""))
        owner = next((name for folder, name in folders if path.startswith(folder)), None)
        if owner is None:
            owner = next(
                (name for p, name in packages if node.name == p or node.name.startswith(p + ".")), None
            )
        if owner is not None:
            graph.add_edge(f"service:{owner}", node.id, EdgeKind.CONTAINS)


def _files(root: Path, folders: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        base = root / folder
        for current, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            found.extend(Path(current) / n for n in sorted(names))
            if len(found) > MAX_FILES_PER_SERVICE:
                return found
    return found


# -- datastores and connections -----------------------------------------------------------------


def _datastores(found: Iterable[Datastore]) -> dict[str, Datastore]:
    stores: dict[str, Datastore] = {}
    for store in found:
        stores.setdefault(store.name, store)
    return dict(sorted(stores.items()))


def _add_datastores(graph: ArchGraph, stores: Iterable[Datastore]) -> None:
    for store in stores:
        attrs = {
            "kind": store.kind,
            "role": store.role,
            "aliases": sorted(store.aliases),
            "databases": sorted(getattr(store, "databases", ()) or ()),
        }
        graph.add_node(NodeKind.DATASTORE, store.name, attrs, [store.evidence])


def _connect(
    graph: ArchGraph,
    sid: str,
    connections: Iterable[Connection],
    store_hosts: dict[str, str],
    service_hosts: dict[str, str],
    stores: dict[str, Datastore],
) -> None:
    for connection in connections:
        host = connection.host.lower()
        if resolve_host(host, service_hosts) is not None and host not in store_hosts:
            continue  # a URL of another service: a call, not a datastore
        if host in LOOPBACK:
            continue  # a local default (``${DB_HOST:localhost}``), not a shared server
        name = store_hosts.get(host) or store_hosts.get(host.split(".")[0])
        if name is None:
            if connection.scheme in ("http", "https", "grpc", "tcp", ""):
                continue  # no hint that this host is a datastore (tcp: a bare host:port)
            name = host
            role = (
                "broker"
                if connection.scheme in BROKER_SCHEMES
                else "cache"
                if connection.scheme == "redis"
                else "database"
            )
            graph.add_node(
                NodeKind.DATASTORE, name, {"kind": connection.scheme, "role": role, "external": True}
            )
        database = connection.database
        known = list(getattr(stores.get(name), "databases", ()) or ())
        if not database and len(known) == 1:
            database = known[0]
        graph.add_edge(
            sid, f"datastore:{name}", EdgeKind.CONNECTS, [connection.evidence], {"database": database}
        )


# -- calls and tables ---------------------------------------------------------------------------


def _env_calls(env: Iterable[EnvVar]) -> list[Call]:
    """URLs in a service's env vars and config that name a host (the calls collector reads source)."""
    from urllib.parse import urlsplit

    from fitness.collect.manifests.connections import redact
    from fitness.model.facts import Call

    calls = []
    for var in env:
        if "://" not in var.value:
            continue
        parts = urlsplit(var.value)
        if parts.scheme in ("http", "https", "grpc", "ws", "wss") and parts.hostname:
            protocol = "grpc" if parts.scheme == "grpc" else "http"
            calls.append(Call(parts.hostname, redact(var.value), protocol, var.evidence))
    return calls


def _resolved_from_env(unresolved: Iterable[Unresolved], env: Iterable[EnvVar]) -> list[Unresolved]:
    """Drop "URL from environment variable X" when the service's manifest sets X (then it is a call)."""
    names = {var.name for var in env}
    kept = []
    for item in unresolved:
        match = ENV_URL.match(item.reason)
        if item.kind == "url" and match and match.group(1) in names:
            continue
        kept.append(item)
    return kept


def _add_calls(graph: ArchGraph, name: str, calls: Iterable[Call], hosts: dict[str, str]) -> None:
    for call in calls:
        target = resolve_host(call.host, hosts)
        if target is None or target == name:
            continue
        graph.add_edge(
            f"service:{name}",
            f"service:{target}",
            EdgeKind.CALLS,
            [call.evidence],
            {"protocol": call.protocol},
        )


def _access(graph: ArchGraph, sid: str, table: str, mode: str, evidence: Evidence) -> None:
    tid = graph.add_node(NodeKind.TABLE, table.lower())
    graph.add_edge(sid, tid, EdgeKind.WRITES if mode == "write" else EdgeKind.READS, [evidence])


def _declare_owners(graph: ArchGraph, services: dict[str, _Service]) -> None:
    for name, service in services.items():
        spec = service.spec
        if spec is None:
            continue
        for table in spec.owns:
            graph.add_node(
                NodeKind.TABLE,
                table,
                {"owner": name},
                [Evidence("fitness.yaml", spec.line, f"owns: {table}", "declared")],
            )

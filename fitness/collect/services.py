"""The service side: components from config and manifests, facts from their files, one resolver.

1. **Plan** (before any source file is read): ``services:`` in fitness.yaml, then docker-compose, then
   Kubernetes, then the one-folder-per-service convention. One component has one identity across them
   (``orders.api`` and ``orders-api``; ``shop-webui`` and ``webui`` under a release prefix), with the
   other names kept as aliases. A component deployed from a registry image finds its source folder by
   name; a component whose own Dockerfile starts ``FROM mongo:5`` is a datastore.
2. **Facts**: each file of a component is read once and shared by the Python ``ast`` pass, the text
   pass and the source detectors of :mod:`fitness.collect.code.registry`; config files give settings.
3. **Roles**: service or infra (:mod:`fitness.collect.resolve.roles`), datastores by image, base image,
   port and use (a component others reach with ``mysql://`` and that has no source here is a database).
4. **Resolve** (:mod:`fitness.collect.resolve.calls`): settings into addresses into calls, topics into
   topic nodes, connections into datastore edges; what stays unresolved is counted with its location.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.collect.manifests.yaml_lines import walk_files
from fitness.collect.resolve.identity import LOOPBACK, Identities, normal
from fitness.inputs import inside
from fitness.model import ArchGraph, EdgeKind, Evidence, FitnessError, NodeKind
from fitness.model.servicespec import ServiceSpec

if TYPE_CHECKING:  # the component and fact types load with the first service (a package-only run has none)
    from fitness.collect.component import Component
    from fitness.collect.resolve.calls import ComponentFacts
    from fitness.collect.sql.tables import SqlScan
    from fitness.model.facts import Connection, Datastore, DeployedService, Unresolved

SERVICE_PARENTS = ("services", "service", "apps", "svc", "microservices", "src")
SKIP_DIRS = frozenset(
    {
        *(".git", "node_modules", ".venv", "venv", "__pycache__", "vendor", "dist", "build", ".tox"),
        *("tests", "test", "target", "bin", "obj", ".gradle", ".mvn", "coverage", "e2e"),
    }
)  # a service's tests talk to fakes and fixtures: their URLs and SQL are not the service's wiring
MAX_FILES_PER_SERVICE = 20_000
MANY_COMPONENTS = 50  # above this, each component's garbage is collected as soon as it is read
BROKER_SCHEMES = frozenset({"amqp", "amqps", "kafka", "nats", "mqtt", "sqs"})
DATABASE_SCHEMES = frozenset(
    {"postgresql", "postgres", "mysql", "mariadb", "mongodb", "redis", "sqlserver", "oracle", "cassandra"}
)
_APP_NAME = re.compile(
    r"spring\.application\.name\s*[=:]\s*(\S+)|application:\s*\n\s+name:\s*(\S+)", re.MULTILINE
)
_RUNNABLE = ("Dockerfile", "requirements.txt", "package.json", "go.mod", "pom.xml", "build.gradle")
_EMBEDDED = re.compile(r"^jdbc:(h2|hsqldb|derby|sqlite):(?:file:|tcp:)?(?!mem:)([^;?]+)", re.IGNORECASE)


@dataclass
class ServiceScan:
    services: list[str] = field(default_factory=list)
    datastores: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sql_statements: int = 0
    call_sites: int = 0
    settings: int = 0


@dataclass
class ServicePlan:
    """Services and datastores found in config and manifests, before any source file is read."""

    services: dict[str, Component]
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
    if not _may_hold_services(root, specs):
        return ServicePlan({}, {}, [])
    from fitness.collect.manifests.compose import scan_compose
    from fitness.collect.manifests.kubernetes import scan_kubernetes
    from fitness.collect.manifests.source_folders import adopt_folders

    compose, kubernetes = scan_compose(root), scan_kubernetes(root)
    if not compose.services and not kubernetes.services and not _holds_python(root):
        from fitness.collect.manifests.yaml_lines import EXAMPLE_DIRS, SKIP_DIRS

        skip = SKIP_DIRS - EXAMPLE_DIRS  # the system is deployed from its examples/ folder
        compose, kubernetes = scan_compose(root, skip), scan_kubernetes(root, skip)
    services = _merge_services(root, specs, [*compose.services, *kubernetes.services])
    stores = _datastores([*compose.datastores, *kubernetes.datastores])
    stores.update(adopt_folders(root, services, stores))
    return ServicePlan(services, dict(sorted(stores.items())), [*compose.warnings, *kubernetes.warnings])


def _holds_python(root: Path) -> bool:
    if any((root / name).is_file() for name in ("pyproject.toml", "setup.py", "setup.cfg")):
        return True
    return any((child / "__init__.py").is_file() for child in root.iterdir() if child.is_dir())


def _may_hold_services(root: Path, specs: Sequence[ServiceSpec]) -> bool:
    """Whether ``root`` shows any sign of services (declared ones, YAML manifests, service folders, two
    runnable sibling folders): without one, the service side reads nothing."""
    if specs:
        return True
    if any(path.suffix.lower() in (".yml", ".yaml") for path, _ in walk_files(root, 8)):
        return True
    if any((root / name).is_dir() for name in SERVICE_PARENTS):
        return True
    runnable = 0  # sibling folders with a Dockerfile or a dependency file of their own
    for child in root.iterdir() if root.is_dir() else ():
        if (
            child.is_dir()
            and not child.name.startswith(".")
            and any((child / n).is_file() for n in _RUNNABLE)
        ):
            runnable += 1
    return runnable >= 2


def collect_services(
    graph: ArchGraph, root: Path, plan: ServicePlan, dialect: str | None = None
) -> ServiceScan:
    """Add service, datastore, table and topic nodes and their edges to ``graph``."""
    scan = ServiceScan(warnings=list(plan.warnings))
    services, stores = plan.services, plan.stores
    if not services:
        return scan
    from fitness.collect.manifests.config_server import served_settings
    from fitness.collect.python.parse_cache import ParseCache
    from fitness.collect.resolve.calls import resolve_calls
    from fitness.collect.service_facts import component_facts, read_service_files

    files = {name: _files(root, [*service.folders, *service.copies]) for name, service in services.items()}
    seen: dict[str, str | None] = {}
    texts = {name: read_service_files(files[name], root, scan.warnings, seen) for name in services}
    served, served_files = served_settings(
        texts, {name: _app_names(service, texts[name]) for name, service in services.items()}
    )
    served_paths = {path for extra in served_files.values() for path in extra}
    for name in texts:  # a config server's files are its clients' configuration, not its own
        texts[name] = {p: text for p, text in texts[name].items() if p not in served_paths}
    for name, extra in served_files.items():
        texts[name] = {**texts[name], **extra}
    components = {}
    table_scans: dict[str, SqlScan] = {}
    # one service alone (a monolith with its database) has nothing its Python calls or tables could
    # couple it to: the two per-file ast scans, whose cost grows with the monolith, are skipped; and
    # with no broker either, it has no peer whose calls or messages need timeouts, retries or outboxes
    deep = len(services) > 1
    interacting = deep or any(store.role == "broker" for store in stores.values())
    for name, service in services.items():  # one read and one parse per file, shared by both scans
        trees = ParseCache()
        components[name] = component_facts(
            service, files[name], texts[name], root, scan.warnings, served.get(name), trees, deep, interacting
        )
        if deep:  # (sqlglot, a tenth of a second to import, loads with the first table scan)
            from fitness.collect.sql.tables import scan_tables

            table_scans[name] = scan_tables(files[name], root, dialect, texts[name], trees)
        if len(services) > MANY_COMPONENTS:
            # the pipeline pauses the cyclic collector, but parse trees and SQL expressions hold cycles
            # (parent links): collect the young generation, this component's garbage only, so memory
            # stays flat over a thousand components (200 -> 78 MiB at 1,000 services). A few components
            # hold little garbage in all, and one large one would pay a full pass for nothing.
            gc.collect(0)
    identities = Identities.build(
        [
            *((s.name, s.aliases, [p for d in s.deployed for p in d.published]) for s in services.values()),
            *((d.name, d.aliases, ()) for d in stores.values()),
        ]
    )
    connections = {name: _connections(components[name], root, scan.warnings) for name in services}
    by_use = _databases_by_use(services, files, connections, identities)
    roles = {name: _role(services[name], components[name], texts[name]) for name in services}
    for name, service in services.items():
        if name not in by_use:
            _add_service_node(graph, service, roles[name])
    _add_datastores(graph, [*stores.values(), *by_use.values()])
    _contain_modules(graph, services)
    callable_services = {name for name in services if name not in by_use}
    unresolved = resolve_calls(
        graph, [components[n] for n in sorted(callable_services)], identities, callable_services
    )
    judged = {name for name in callable_services if roles[name][0] != "infra"}
    for name in sorted(judged):  # infrastructure is drawn, not judged: what it leaves open is not listed
        sid = f"service:{name}"
        resolved = {
            ev.location
            for edge in (graph.edge(sid, t, EdgeKind.CALLS) for t in graph.successors(sid, EdgeKind.CALLS))
            if edge is not None
            for ev in edge.evidence
        }
        left = [*unresolved.get(name, []), *components[name].facts.unresolved]
        scan.unresolved.extend(u for u in left if u.evidence.location not in resolved)
    _demote_idle_proxies(graph, services, components, texts, roles, callable_services)
    _demote_idle_brokers(graph)
    store_hosts = {
        normal(alias): store.name
        for store in [*stores.values(), *by_use.values()]
        for alias in (store.name, *store.aliases)
    }
    models: dict[str, str] = {}
    accesses: dict[str, list[tuple[str, str, Evidence]]] = {}
    for name in sorted(callable_services & set(table_scans)):
        models.update({model.qualname: model.table for model in table_scans[name].models})
    for name in sorted(callable_services):
        sid = f"service:{name}"
        _connect(graph, sid, connections[name], store_hosts, identities, callable_services, stores)
        spec = services[name].spec
        for store in spec.datastores if spec else ():
            graph.add_node(NodeKind.DATASTORE, store)
            declared = Evidence("fitness.yaml", spec.line if spec else 0, f"datastores: {store}", "declared")
            graph.add_edge(sid, f"datastore:{store}", EdgeKind.CONNECTS, [declared])
        tables = table_scans.get(name)
        if tables is not None:
            scan.sql_statements += tables.statements
            scan.warnings.extend(tables.warnings)
            scan.unresolved.extend(tables.unresolved)
        accesses[name] = [
            *(
                (a.table, a.mode, a.evidence)
                for a in [*(tables.accesses if tables else ()), *components[name].facts.tables]
            ),
            *(
                (models[u.qualname], u.mode, u.evidence)
                for u in (tables.uses if tables else ())
                if u.qualname in models
            ),
        ]
        facts = components[name].facts
        scan.sql_statements += len({t.evidence.location for t in facts.tables if t.evidence.how == "sql"})
        stubs = sum(1 for use in facts.protos if use.role == "stub")
        scan.call_sites += (
            len(facts.addresses) + len(facts.names) + len(facts.routes) + stubs + len(facts.messages)
        )
        scan.settings += sum(len(v) for v in components[name].settings.by_key.values())
    _add_accesses(graph, accesses)
    _declare_owners(graph, services)
    from fitness.collect.interactions import attach_interactions

    if interacting:
        attach_interactions(
            graph, {n: components[n].facts.interactions for n in sorted(callable_services)}, texts
        )
    scan.services = sorted(callable_services)
    scan.datastores = sorted(node.name for node in graph.iter_nodes(NodeKind.DATASTORE))
    scan.unresolved = sorted(set(scan.unresolved))
    return scan


# -- services -----------------------------------------------------------------------------------


def _merge_services(
    root: Path, specs: Sequence[ServiceSpec], deployed: Sequence[DeployedService]
) -> dict[str, Component]:
    from fitness.collect.component import Component

    services: dict[str, Component] = {}
    for spec in specs:
        service = Component(
            spec.name, "declared", Evidence("fitness.yaml", spec.line, f"services: {spec.name}", "declared")
        )
        service.folders = [_inside(root, folder, spec) for folder in spec.paths]
        service.packages = list(spec.packages)
        service.aliases = set(spec.aliases)
        service.spec = spec
        services[spec.name] = service
    index: dict[str, str] = {normal(name): name for name in services}
    prefixes = _prefixes([item.name for item in deployed])
    images: dict[str, tuple[str, str]] = {}  # own image -> (component, source)
    for item in deployed:
        name = _same(item.name, index, prefixes) or _same_image(item, images) or item.name
        if _own_image(item.image):
            images.setdefault(_own_image(item.image), (name, item.source))
        service = services.setdefault(name, Component(name, item.source, item.evidence))
        index.setdefault(normal(name), name)
        service.deployed.append(item)
        service.aliases.update(item.aliases)
        if item.name != name:
            service.aliases.add(item.name)
        if (
            item.build
            and not service.folders
            and (root / item.build).is_dir()
            and inside(root / item.build, root)
        ):
            service.folders = [item.build]
        service.copies.extend(c for c in item.copies if c not in service.copies)
    if not services:
        from fitness.collect.manifests.conventions import scan_service_folders

        for item in scan_service_folders(root):
            services[item.name] = Component(
                item.name, item.source, item.evidence, [item.build] if item.build else []
            )
    return dict(sorted(services.items()))


def _own_image(image: str) -> str:
    """The image as a project's own build names it (``acme/shop-db``), or "" for a
    generic one (``postgres:16``) or one named by its tag (``demo:latest-cart``)."""
    from fitness.collect.manifests.compose import classify_image

    repo, tag = image.lower().split("@", 1)[0], ""
    last = repo.rsplit("/", 1)[-1]
    if ":" in last:
        tag = last.split(":", 1)[1]
        repo = repo[: -len(tag) - 1]
    if not repo or "$" in repo or classify_image(image) or (tag and not re.match(r"v?\d|latest$", tag)):
        return ""
    return repo


def _same_image(item: DeployedService, images: dict[str, tuple[str, str]]) -> str | None:
    """A workload of another manifest kind running the same own image: compose ``rabbitmq`` and
    Kubernetes ``shop-monitoring-rabbitmq`` both run ``acme/shop-monitoring-rabbitmq``."""
    found = images.get(_own_image(item.image)) if _own_image(item.image) else None
    return found[0] if found is not None and found[1] != item.source else None


def _prefixes(names: Iterable[str]) -> list[str]:
    """Release prefixes: ``shop-`` when three or more deployments are named ``shop-*``."""
    counts: dict[str, int] = {}
    for name in {normal(n) for n in names}:
        if "-" in name:
            prefix = name.split("-", 1)[0] + "-"
            counts[prefix] = counts.get(prefix, 0) + 1
    return sorted(prefix for prefix, count in counts.items() if count >= 3)


def _same(name: str, index: dict[str, str], prefixes: list[str]) -> str | None:
    """The component already known under another spelling of ``name``, if any."""
    key = normal(name)
    if key in index:
        return index[key]
    for prefix in prefixes:
        if key.startswith(prefix) and key[len(prefix) :] in index:
            return index[key[len(prefix) :]]
        if prefix + key in index:
            return index[prefix + key]
    return None


def _app_names(service: Component, texts: dict[str, str]) -> set[str]:
    """The names a component fetches its configuration by: its own and aliases, and
    ``spring.application.name`` from its bootstrap or application config."""
    names = {normal(service.name), *(normal(a) for a in service.aliases)}
    for path, text in texts.items():
        leaf = path.rsplit("/", 1)[-1]
        if leaf.startswith(("bootstrap", "application")) and "name" in text:
            match = _APP_NAME.search(text)
            if match is not None:
                names.add(normal((match.group(1) or match.group(2)).strip("'\"")))
    return names


def _role(service: Component, component: ComponentFacts, texts: dict[str, str]) -> tuple[str, str]:
    from fitness.collect.resolve.roles import classify

    spec_role = str(service.spec.annotations.get("role", "")) if service.spec else ""
    if spec_role:
        return spec_role, "declared in fitness.yaml"
    if service.deployed:
        roles = {d.role for d in service.deployed}
        manifest_role = next(iter(roles)) if len(roles) == 1 else ""
    else:
        manifest_role = ""
    images = sorted({i for d in service.deployed for i in (d.image, d.base_image) if i})
    build = "\n".join(text for path, text in sorted(texts.items()) if _is_build_file(path))
    routes = len(component.facts.routes)
    found = classify(service.name, images, manifest_role, build, routes)
    return found.role, found.why


def _demote_idle_proxies(
    graph: ArchGraph,
    services: dict[str, Component],
    components: dict[str, ComponentFacts],
    texts: dict[str, dict[str, str]],
    roles: dict[str, tuple[str, str]],
    names: set[str],
) -> None:
    """A proxy with no code, no routes and no caller forwards nothing anyone wrote down: infra."""
    from fitness.collect.resolve.roles import is_proxy
    from fitness.collect.service_facts import SOURCE_SUFFIXES
    from fitness.collect.source_file import suffix_of

    for name in sorted(names):
        spec = services[name].spec
        declared = spec is not None and "role" in spec.annotations
        if (
            declared
            or roles[name][0] != "service"
            or any(suffix_of(path) in SOURCE_SUFFIXES for path in texts[name])
            or components[name].facts.routes
        ):
            continue
        images = sorted({i for d in services[name].deployed for i in (d.image, d.base_image) if i})
        dockerfile = "\n".join(
            text for path, text in texts[name].items() if path.lower().endswith("dockerfile")
        )
        proxy = is_proxy(images, dockerfile, name)
        sid = f"service:{name}"
        if proxy and not graph.predecessors(sid, EdgeKind.CALLS):
            why = f"a {proxy} proxy with no routes, no code and no caller"
            graph.add_node(NodeKind.SERVICE, name, {"role": "infra", "role_why": why})


def _demote_idle_brokers(graph: ArchGraph) -> None:
    """A broker no service exchanges a message through is monitoring or leftover plumbing: infra."""
    if any(True for _ in graph.iter_nodes(NodeKind.TOPIC)):
        return
    for node in list(graph.iter_nodes(NodeKind.DATASTORE)):  # (a list: the loop replaces nodes)
        if node.attrs.get("role") == "broker":
            why = "a broker no service publishes to or consumes from"
            graph.add_node(NodeKind.DATASTORE, node.name, {"role": "infra", "role_why": why})


def _is_build_file(path: str) -> bool:
    """Build files and Spring Boot application classes: where a server's kind is declared."""
    name = path.rsplit("/", 1)[-1]
    return name.lower() in ("pom.xml", "build.gradle", "build.gradle.kts") or (
        name.endswith((".java", ".kt")) and "Application" in name
    )


def _add_service_node(graph: ArchGraph, service: Component, role: tuple[str, str]) -> None:
    images = sorted({d.image for d in service.deployed if d.image})
    attrs = {
        "source": service.source,
        "folders": sorted(service.folders),
        "aliases": sorted(service.aliases),
        "images": images,
        "annotations": dict(service.spec.annotations) if service.spec else {},
        "role": role[0],
    }
    if role[1]:
        attrs["role_why"] = role[1]
    group = next((d.group for d in sorted(service.deployed, key=lambda d: d.rank) if d.group), "")
    if group:  # a grouping its manifests state (namespace, part-of): the report boxes a group together
        attrs["group"] = group
    evidence = [service.evidence, *(d.evidence for d in service.deployed)]
    graph.add_node(NodeKind.SERVICE, service.name, attrs, evidence)


def _contain_modules(graph: ArchGraph, services: dict[str, Component]) -> None:
    """service -> module: the module's file is in the service's folder, or under one of its packages.
    Looked up by the module path's leading folders in a dict: linear in modules, not modules x services."""
    folders: dict[str, str] = {}
    for name, service in sorted(services.items()):
        for folder in service.folders:
            if folder not in ("", "."):
                folders.setdefault(folder.rstrip("/"), name)
    packages: dict[str, str] = {}
    for name, service in sorted(services.items()):
        for package in service.packages:
            packages.setdefault(package, name)
    by_folder: dict[str, str | None] = {}  # a service's modules share a few folders: look each up once
    for node in graph.nodes(NodeKind.MODULE):
        path = str(node.attrs.get("path", ""))
        folder = path[: path.rfind("/") + 1]
        if folder not in by_folder:
            by_folder[folder] = _longest_prefix(path.split("/")[:-1], folders, "/")
        owner = by_folder[folder]
        if owner is None:
            owner = _longest_prefix(node.name.split("."), packages, ".")
        if owner is not None:
            graph.add_edge(f"service:{owner}", node.id, EdgeKind.CONTAINS)


def _longest_prefix(parts: list[str], owners: dict[str, str], sep: str) -> str | None:
    """The owner of the longest leading run of ``parts`` that is a key of ``owners``."""
    for end in range(len(parts), 0, -1):
        found = owners.get(sep.join(parts[:end]))
        if found is not None:
            return found
    return None


def _inside(root: Path, folder: str, spec: ServiceSpec) -> str:
    """A declared service path, refused (exit 2, naming the config line) when it leads outside the
    analysed folder: ``paths: ['/']`` would otherwise walk the whole file system."""
    if not inside(root / folder, root):
        raise FitnessError(
            f"services.{spec.name}.paths: {folder!r} is outside the analysed folder ({root.resolve().as_posix()}); "
            "a service's paths must be folders below it",
            spec.source,
            spec.line or None,
        )
    return folder


def _files(root: Path, folders: Iterable[str]) -> list[Path]:
    from fitness.collect.manifests.compose import COMPOSE_NAME

    found: list[Path] = []
    for folder in folders:
        base = root / folder
        if not inside(base, root):  # a build context or COPY source outside the analysed folder
            continue
        if base.is_file():
            found.append(base)
            continue
        for current, dirs, names in os.walk(base):
            if current != str(base) and any(COMPOSE_NAME.match(n) for n in names):
                dirs.clear()  # a deployment of its own inside the service (a demo, a local setup)
                continue
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            found.extend(Path(current) / n for n in sorted(names))
            if len(found) > MAX_FILES_PER_SERVICE:
                return found
    return found


# -- datastores and connections -----------------------------------------------------------------


def _datastores(found: Iterable[Datastore]) -> dict[str, Datastore]:
    """One datastore per identity: the compose ``rabbitmq`` built from image ``shop-monitoring-rabbitmq``
    and the Kubernetes workload ``shop-monitoring-rabbitmq`` are one server, known by both names."""
    from dataclasses import replace

    stores: dict[str, Datastore] = {}
    names: dict[str, str] = {}
    for store in found:
        keys = [normal(n) for n in (store.name, *store.aliases)]
        known = next((names[k] for k in keys if k in names), None)
        if known is None:
            stores[store.name] = store
            known = store.name
        else:
            merged = sorted({*stores[known].aliases, *store.aliases, store.name} - {known})
            stores[known] = replace(stores[known], aliases=tuple(merged))
        for key in keys:
            names.setdefault(key, known)
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


def _connections(component: ComponentFacts, root: Path, warnings: list[str]) -> list[Connection]:
    """The datastore connections of a component's best-ranked settings (manifest env, then config)."""
    from fitness.collect.manifests.connections import connections_from_env
    from fitness.model.facts import Connection, EnvVar

    env = [
        EnvVar(setting.key, setting.value, setting.evidence)
        for values in component.settings.by_key.values()
        for setting in values
    ]
    found = connections_from_env(env)
    for var in env:
        match = _EMBEDDED.match(var.value.strip())
        if match:
            engine, path = match.group(1).lower(), match.group(2).strip()
            base = re.sub(r"[^A-Za-z0-9_-]+", "", path.rstrip("/").rsplit("/", 1)[-1]) or "db"
            found.append(Connection(f"{base}-{engine}", None, base, f"embedded-{engine}", var.evidence))
    return found


def _databases_by_use(
    services: dict[str, Component],
    files: dict[str, list[Path]],
    connections: dict[str, list[Connection]],
    identities: Identities,
) -> dict[str, Datastore]:
    """Components with no source here that others reach with a database scheme are databases."""
    from fitness.model.facts import Datastore

    found: dict[str, Datastore] = {}
    for name in sorted(connections):
        for connection in connections[name]:
            if connection.scheme not in DATABASE_SCHEMES:
                continue
            target = identities.host(connection.host, connection.port)
            if target is None or target == name or target not in services or files.get(target):
                continue
            store = services[target]
            kind = "redis" if connection.scheme == "redis" else connection.scheme
            role = "cache" if kind == "redis" else "database"
            evidence = store.evidence._replace(text=f"{store.evidence.text} (reached as {connection.scheme})")
            found.setdefault(target, Datastore(target, kind, role, evidence, tuple(sorted(store.aliases))))
    return found


def _connect(
    graph: ArchGraph,
    sid: str,
    connections: Iterable[Connection],
    store_hosts: dict[str, str],
    identities: Identities,
    services: set[str],
    stores: dict[str, Datastore],
) -> None:
    for connection in connections:
        host = connection.host.lower()
        if connection.scheme.startswith("embedded-"):
            engine = connection.scheme.split("-", 1)[1]
            graph.add_node(NodeKind.DATASTORE, host, {"kind": engine, "role": "database", "embedded": True})
            graph.add_edge(
                sid,
                f"datastore:{host}",
                EdgeKind.CONNECTS,
                [connection.evidence],
                {"database": connection.database},
            )
            continue
        name = store_hosts.get(normal(host)) or store_hosts.get(normal(host.split(".")[0]))
        if name is None and identities.host(host, connection.port) in services:
            continue  # a URL of another service: a call, not a datastore
        if host in LOOPBACK:
            continue  # a local default (``${DB_HOST:localhost}``), not a shared server
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


# -- tables -------------------------------------------------------------------------------------


def _add_accesses(graph: ArchGraph, accesses: dict[str, list[tuple[str, str, Evidence]]]) -> None:
    """Table reads and writes. A table name used by services that each keep their own, different
    database (three backends with an ``addresses`` table in three H2 files) is three tables, named
    ``addresses@<datastore>``; services on one database, or on unknown ones, share the plain name."""
    homes = {name: _home(graph, name) for name in accesses}
    users: dict[str, set[str]] = {}
    for name, items in accesses.items():
        for table, _, _ in items:
            users.setdefault(table.lower(), set()).add(name)
    grouped: dict[tuple[str, str, str], list[Evidence]] = {}  # one edge per (service, table, mode)
    for name, items in sorted(accesses.items()):
        for table, mode, evidence in items:
            key = table.lower()
            places = {homes[user] for user in users[key]}
            split = len(places) > 1 and None not in places
            table_key = f"{key}@{homes[name]}" if split else key
            grouped.setdefault((f"service:{name}", table_key, mode), []).append(evidence)
    for (sid, table, mode), evidence_list in grouped.items():  # added at once: thousands of statements
        _access(graph, sid, table, mode, evidence_list)  # on one table must not merge one by one


def _home(graph: ArchGraph, name: str) -> str | None:
    """The one database-role datastore a service connects to, or None (none, or several)."""
    sid = f"service:{name}"
    stores = {
        target[len("datastore:") :]
        for target in graph.successors(sid, EdgeKind.CONNECTS)
        if graph.node(target).attrs.get("role", "database") == "database"
    }
    return next(iter(stores)) if len(stores) == 1 else None


def _access(graph: ArchGraph, sid: str, table: str, mode: str, evidence: list[Evidence]) -> None:
    tid = graph.add_node(NodeKind.TABLE, table.lower())
    graph.add_edge(sid, tid, EdgeKind.WRITES if mode == "write" else EdgeKind.READS, evidence)


def _declare_owners(graph: ArchGraph, services: dict[str, Component]) -> None:
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

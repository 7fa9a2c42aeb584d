"""docker-compose files: deployed services, and the databases and brokers they run as known images.

Files: ``docker-compose.yml``/``.yaml``, ``compose.yml``/``.yaml`` and overrides such as
``docker-compose.override.yml`` or ``docker-compose.prod.yml``, at the root or up to three folders down
(``deploy/``, ``infra/``, ``src/``...). A service defined in several files is merged (base file first,
then its overrides), as ``docker compose -f a -f b`` would. ``${VAR:-default}`` is interpolated from the
``.env`` next to the compose file (never from this machine's environment); unknown variables stay as
written. Unknown keys are ignored; a file that is not YAML, or not a mapping at the top, is skipped with a
warning naming its file and line (it is analysed input, not our configuration), and the others are read.

A service whose image (or, when it is built, the final ``FROM`` of its Dockerfile) is in ``KNOWN_IMAGES``
becomes a ``Datastore``, with the databases the container creates (``POSTGRES_DB``, ``MYSQL_DATABASE``,
``CREATE DATABASE`` in scripts mounted on ``/docker-entrypoint-initdb.d``); every other service is a
``DeployedService``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fitness.collect.manifests.connections import env_text, parse_dotenv
from fitness.collect.manifests.yaml_lines import (
    SKIP_DIRS,
    KeyPath,
    YamlDoc,
    parse_yaml,
    read_text,
    relative,
    walk_files,
)
from fitness.inputs import read_head
from fitness.model import Evidence, FitnessError
from fitness.model.facts import Datastore, DeployedService, EnvVar, ManifestScan

KNOWN_IMAGES: dict[str, tuple[str, str]] = {
    # databases
    "postgres": ("postgres", "database"),
    "postgresql": ("postgres", "database"),
    "postgis": ("postgres", "database"),
    "pgvector": ("postgres", "database"),
    "timescaledb": ("postgres", "database"),
    "timescaledb-ha": ("postgres", "database"),
    "cockroach": ("cockroachdb", "database"),
    "mysql": ("mysql", "database"),
    "mysql-server": ("mysql", "database"),
    "percona-server": ("mysql", "database"),
    "mariadb": ("mariadb", "database"),
    "mongo": ("mongo", "database"),
    "mongodb": ("mongo", "database"),
    "mongodb-community-server": ("mongo", "database"),
    "cassandra": ("cassandra", "database"),
    "scylla": ("cassandra", "database"),
    "elasticsearch": ("elasticsearch", "database"),
    "opensearch": ("opensearch", "database"),
    "mcr.microsoft.com/mssql/server": ("sqlserver", "database"),
    "mcr.microsoft.com/azure-sql-edge": ("sqlserver", "database"),
    "mssql-server-linux": ("sqlserver", "database"),
    "oracle-xe": ("oracle", "database"),
    "oracle-free": ("oracle", "database"),
    "neo4j": ("neo4j", "database"),
    "couchdb": ("couchdb", "database"),
    "couchbase": ("couchbase", "database"),
    "clickhouse-server": ("clickhouse", "database"),
    "influxdb": ("influxdb", "database"),
    "dynamodb-local": ("dynamodb", "database"),
    "minio": ("minio", "database"),
    # brokers
    "kafka": ("kafka", "broker"),
    "cp-kafka": ("kafka", "broker"),
    "cp-server": ("kafka", "broker"),
    "redpanda": ("kafka", "broker"),
    "rabbitmq": ("rabbitmq", "broker"),
    "nats": ("nats", "broker"),
    "nats-streaming": ("nats", "broker"),
    "activemq": ("activemq", "broker"),
    "activemq-artemis": ("activemq", "broker"),
    "artemis": ("activemq", "broker"),
    "pulsar": ("pulsar", "broker"),
    "mosquitto": ("mqtt", "broker"),
    "eclipse-mosquitto": ("mqtt", "broker"),
    "emqx": ("mqtt", "broker"),
    # caches
    "redis": ("redis", "cache"),
    "redis-stack": ("redis", "cache"),
    "redis-stack-server": ("redis", "cache"),
    "valkey": ("redis", "cache"),
    "keydb": ("redis", "cache"),
    "dragonfly": ("redis", "cache"),
    "memcached": ("memcached", "cache"),
    "hazelcast": ("hazelcast", "cache"),
    # infrastructure: coordination and cloud emulators, shared but holding no application data
    "zookeeper": ("zookeeper", "infra"),
    "cp-zookeeper": ("zookeeper", "infra"),
    "etcd": ("etcd", "infra"),
    "consul": ("consul", "infra"),
    "localstack": ("localstack", "infra"),
}
"""Image name -> (kind, role). Keys are the last path component (``bitnami/postgresql`` -> ``postgresql``)
or, for images whose last component says nothing (``mcr.microsoft.com/mssql/server``), the full name.
Roles: ``database``, ``broker``, ``cache``, ``infra`` (ZooKeeper, etcd, Consul, LocalStack)."""

DATABASE_VARS = (
    "POSTGRES_DB",
    "POSTGRESQL_DATABASE",
    "MYSQL_DATABASE",
    "MARIADB_DATABASE",
    "MONGO_INITDB_DATABASE",
    "MONGODB_DATABASE",
    "POSTGRES_MULTIPLE_DATABASES",
)
"""Env vars of a database container that name the databases it creates (comma lists allowed)."""

MAX_DEPTH = 3
COMPOSE_NAME = re.compile(r"^(?:docker-)?compose(?:[._-][\w.-]+)?\.ya?ml$", re.IGNORECASE)
_ROLE_WORDS = {
    **dict.fromkeys(("test", "tests", "e2e", "it", "integration"), "test"),
    **dict.fromkeys(("observability", "monitoring", "profiling", "logging", "tracing", "metrics"), "infra"),
}
"""Words in a compose file's name that say what the services defined only there are for."""
_BASE_NAMES = frozenset({"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"})
_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_]\w*)")
_BARE_VARIABLE = re.compile(r"\$\$|\$\{(?!)([A-Za-z_]\w*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_]\w*)")  # no ${
_CREATE_DATABASE = re.compile(
    r"\bCREATE\s+DATABASE\s+(?:IF\s+NOT\s+EXISTS\s+)?[`\"\[]?([A-Za-z0-9_$-]+)", re.IGNORECASE
)
_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE | re.MULTILINE)
_INITDB = "/docker-entrypoint-initdb.d"


def classify_image(image: str) -> tuple[str, str] | None:
    """``(kind, role)`` of a known database/broker image, else None.

    >>> classify_image("docker.io/bitnami/postgresql:16@sha256:abc")
    ('postgres', 'database')
    """
    name = image.strip().lower().split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    if not name or "$" in name:
        return None
    return KNOWN_IMAGES.get(name) or KNOWN_IMAGES.get(name.rsplit("/", 1)[-1])


def find_compose_files(
    root: Path, max_depth: int = MAX_DEPTH, skip: frozenset[str] = SKIP_DIRS
) -> list[Path]:
    """Compose files under ``root``: shallow folders first, each folder's base file before its overrides."""
    found = [
        (depth, path) for path, depth in walk_files(root, max_depth, skip) if COMPOSE_NAME.match(path.name)
    ]

    def order(item: tuple[int, Path]) -> tuple[int, str, int, str]:
        depth, path = item
        name = path.name.lower()
        rank = 0 if name in _BASE_NAMES else 1 if "override" in name else 2
        return depth, str(path.parent), rank, name

    return [path for _, path in sorted(found, key=order)]


def scan_compose(root: Path, skip: frozenset[str] = SKIP_DIRS) -> ManifestScan:
    """Services and datastores of every compose file under ``root``."""
    scan = ManifestScan()
    records: dict[str, _Record] = {}
    for path in find_compose_files(root, MAX_DEPTH, skip):
        folder = relative(path.parent, root)
        owner = next(
            (r for r in records.values() if r.build not in ("", ".") and _inside(folder, r.build)), None
        )
        if owner is not None:
            scan.warnings.append(
                f"{relative(path, root)}: inside the source of service {owner.name}, read as its local setup; skipped"
            )
            continue
        try:
            _scan_file(path, root, records, scan.warnings)
        except FitnessError as error:  # analysed input: one bad file is a warning, the rest is read
            scan.warnings.append(f"{error}; skipped")
    for record in records.values():
        _extend(record, records)
    for record in records.values():
        for target, alias in record.link_aliases:
            if target in records and alias not in records[target].aliases and alias != target:
                records[target].aliases.append(alias)
    images = Counter(record.image for record in records.values() if record.image)
    for record in records.values():
        _emit(record, scan, shared_image=images[record.image] > 1)
    return scan


def _extend(record: _Record, records: dict[str, _Record]) -> None:
    """``extends: {service: base}`` (or ``extends: base``): what the base sets and the service does not.
    A base defined in another file is looked up by name among the services read (chains followed, at
    most ten deep)."""
    base_name, seen = record.extends, {record.name}
    while base_name and base_name in records and base_name not in seen and len(seen) < 10:
        base = records[base_name]
        seen.add(base_name)
        record.image = record.image or base.image
        record.build = record.build or base.build
        record.base_image = record.base_image or base.base_image
        names = {var.name for var in record.env}
        record.env = [*(var for var in base.env if var.name not in names), *record.env]
        record.ports.extend(port for port in base.ports if port not in record.ports)
        base_name = base.extends


def _inside(folder: str, parent: str) -> bool:
    return folder == parent or folder.startswith(parent.rstrip("/") + "/")


# -- one file -----------------------------------------------------------------------------------


@dataclass
class _Record:
    name: str
    evidence: Evidence
    image: str = ""
    build: str = ""
    base_image: str = ""  # the final FROM of a built service's Dockerfile
    role: str = ""  # from the name of the file(s) defining it: "test", "infra" or "" (a base file)
    rank: int = 0  # depth of the folder of the first file defining it
    published: list[int] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    extends: str = ""  # ``extends: {service: base}``
    aliases: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    link_aliases: list[tuple[str, str]] = field(default_factory=list)
    env: list[EnvVar] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    init_databases: list[str] = field(default_factory=list)


@dataclass
class _File:
    """What reading one service needs: the document, where it is, and the interpolation variables."""

    doc: YamlDoc
    path: Path
    root: Path
    display: str
    variables: dict[str, str]
    warnings: list[str]


def _scan_file(path: Path, root: Path, records: dict[str, _Record], warnings: list[str]) -> None:
    display = relative(path, root)
    text = read_text(path, display, warnings)
    if text is None:
        return
    docs = parse_yaml(text, display)
    if not docs or docs[0].data is None:
        warnings.append(f"{display}: empty compose file")
        return
    doc = docs[0]
    services, base = _services(doc)
    env_path = path.parent / ".env"
    variables: dict[str, str] = {}
    if env_path.is_file():
        dotenv = read_text(env_path, relative(env_path, root), warnings) or ""
        for name, value, _ in parse_dotenv(dotenv):  # a .env value may use the ones before it
            variables[name] = _interpolate(value, variables)
    file = _File(doc, path, root, display, variables, warnings)
    for key, spec in services.items():
        name = str(key)
        where = (*base, key)
        if not isinstance(spec, dict):
            warnings.append(f"{display}:{doc.line(where)}: service {name} is not a mapping; skipped")
            continue
        record = _read_service(file, name, spec, where)
        if name in records:
            _merge(records[name], record)
        else:
            records[name] = record


def _services(doc: YamlDoc) -> tuple[dict[Any, Any], KeyPath]:
    data = doc.data
    if not isinstance(data, dict):
        raise FitnessError("a compose file must be a mapping at the top level", doc.path, doc.line(()))
    if "services" not in data:
        legacy = data and all(isinstance(v, dict) and ("image" in v or "build" in v) for v in data.values())
        return (data, ()) if legacy else ({}, ())  # version 1 files list services at the top level
    services = data["services"]
    if services is None:
        return {}, ("services",)
    if not isinstance(services, dict):
        raise FitnessError("'services' must be a mapping", doc.path, doc.line(("services",)))
    return services, ("services",)


def _read_service(file: _File, name: str, spec: dict[Any, Any], where: KeyPath) -> _Record:
    image = _text(file, spec.get("image"))
    build, dockerfile = _build(file, spec.get("build"))
    seen = f"image {image}" if image else f"build {build}" if build else "no image or build"
    record = _Record(name, Evidence(file.display, file.doc.line(where), f"{name}: {seen}", "manifest"))
    record.image, record.build = image, build
    if dockerfile is not None:
        record.base_image = _final_from(dockerfile, file.root)
        _, _, context = _build_context(file, spec.get("build"))
        record.copies = _copied(dockerfile, file, build, context or dockerfile.parent)
    record.role = _file_role(file.path.name)
    record.rank = file.display.count("/")
    record.published = _published(file, spec.get("ports"))
    for key in ("container_name", "hostname"):
        alias = _text(file, spec.get(key))
        if alias and alias != name and alias not in record.aliases:
            record.aliases.append(alias)
    record.aliases.extend(a for a in _network_aliases(spec.get("networks")) if a not in record.aliases)
    depends = spec.get("depends_on")
    record.depends_on = _strings(list(depends) if isinstance(depends, dict) else depends)
    for link in _strings(spec.get("links")):
        target, _, alias = link.partition(":")
        record.links.append(target)
        if alias:
            record.link_aliases.append((target, alias))
    extends = spec.get("extends")
    record.extends = _text(file, extends.get("service") if isinstance(extends, dict) else extends)
    record.env = _env_files(file, spec.get("env_file"), (*where, "env_file"))
    record.env += _environment(file, spec.get("environment"), (*where, "environment"))
    record.ports = _ports(file, spec.get("ports")) + _ports(file, spec.get("expose"))
    record.init_databases = _init_databases(file, spec.get("volumes"))
    return record


def _strings(values: Any) -> list[str]:
    """The scalar items of a YAML list as text; nested lists and mappings are not read."""
    items = values if isinstance(values, list) else []
    return [str(item) for item in items if item is not None and not isinstance(item, (dict, list))]


def _text(file: _File, value: Any) -> str:
    return (
        "" if value is None or isinstance(value, (dict, list)) else _interpolate(str(value), file.variables)
    )


def _build(file: _File, build: Any) -> tuple[str, Path | None]:
    """Source folder relative to root and the Dockerfile, for ``build: ./x`` or ``{context, dockerfile}``."""
    source, dockerfile, _ = _build_context(file, build)
    return source, dockerfile


def _build_context(file: _File, build: Any) -> tuple[str, Path | None, Path | None]:
    """:func:`_build` and the build context folder."""
    if isinstance(build, dict):
        context, dockerfile = _text(file, build.get("context")) or ".", _text(file, build.get("dockerfile"))
    elif build is not None:
        context, dockerfile = _text(file, build), ""
    else:
        return "", None, None
    if "://" in context or context.startswith("git@"):
        return "", None, None
    folder = Path(os.path.normpath(file.path.parent / context))
    docker_path = Path(os.path.normpath(folder / (dockerfile or "Dockerfile")))
    source = folder
    inner = docker_path.parent
    if dockerfile and inner != folder and inner.name.lower() not in {"docker", "dockerfiles", "build", "ci"}:
        source = inner  # context ".", dockerfile "services/orders/Dockerfile": the source is services/orders
    return relative(source, file.root), docker_path, folder


def _final_from(dockerfile: Path, root: Path | None = None) -> str:
    """The image the last stage of a Dockerfile starts from, through ``FROM x AS y`` stage names."""
    text = read_head(dockerfile, 200_000, root)
    if text is None:
        return ""
    stages: dict[str, str] = {}
    image = ""
    for match in _FROM.finditer(text):
        image = stages.get(match.group(1).lower(), match.group(1))
        if match.group(2):
            stages[match.group(2).lower()] = image
    return image


_COPY = re.compile(r"^\s*(?:COPY|ADD)\s+(?!--from)(?:--\S+\s+)*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def _copied(dockerfile: Path, file: _File, source: str, context: Path) -> list[str]:
    """Files and folders (relative to the root) the Dockerfile copies from its build context that lie
    outside the service's own folder: ``COPY src/shared/tools.py src/agents`` makes them its code too."""
    text = read_head(dockerfile, 200_000, file.root)
    if text is None:
        return []
    found: list[str] = []
    for match in _COPY.finditer(text):
        parts = match.group(1).split()
        if parts and parts[0].startswith("["):
            continue  # JSON form: rare for sources outside the folder
        for item in parts[:-1]:
            if "$" in item or "*" in item or item in (".", "./"):
                continue
            target = Path(os.path.normpath(context / item))
            shown = relative(target, file.root)
            if shown.startswith("..") or not target.exists() or _inside(shown, source):
                continue
            if shown not in found:
                found.append(shown)
    return found[:20]


def _network_aliases(networks: Any) -> list[str]:
    if not isinstance(networks, dict):
        return []
    aliases: list[str] = []
    for settings in networks.values():
        if isinstance(settings, dict) and isinstance(settings.get("aliases"), list):
            aliases.extend(_strings(settings["aliases"]))
    return aliases


def _environment(file: _File, environment: Any, where: KeyPath) -> list[EnvVar]:
    """``environment`` as a list (``- K=V``) or a map (``K: V``); None -> "", numbers and bools as written."""
    pairs: list[tuple[str, str, KeyPath]] = []
    if isinstance(environment, dict):
        for key, value in environment.items():
            if isinstance(value, (dict, list)):
                file.warnings.append(
                    f"{file.display}:{file.doc.line((*where, key))}: env {key} is not a value"
                )
                continue
            text = _scalar(file.doc, value, (*where, key))
            if value is None:  # ``CART_ADDR:`` with no value: passed through from the .env
                text = file.variables.get(str(key), "")
            pairs.append((str(key), text, (*where, key)))
    elif isinstance(environment, list):
        for index, item in enumerate(environment):
            if isinstance(item, str):
                name, equals, value = item.partition("=")
                if not equals:  # ``- CART_ADDR``: passed through from the .env next to the file
                    value = file.variables.get(name.strip(), "")
                pairs.append((name.strip(), value, (*where, index)))
    env = []
    for name, value, path in pairs:
        value = _interpolate(value, file.variables)
        evidence = Evidence(file.display, file.doc.line(path), env_text(name, value), "manifest")
        env.append(EnvVar(name, value, evidence))
    return env


def _scalar(doc: YamlDoc, value: Any, path: KeyPath) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raw = doc.raw(path)
    if raw is not None:
        return raw
    return str(value).lower() if isinstance(value, bool) else str(value)


def _env_files(file: _File, env_file: Any, where: KeyPath) -> list[EnvVar]:
    entries = env_file if isinstance(env_file, list) else [] if env_file is None else [env_file]
    env = []
    for entry in entries:
        raw = entry.get("path") if isinstance(entry, dict) else entry
        if raw is None or isinstance(raw, (dict, list)):
            continue
        target = Path(os.path.normpath(file.path.parent / _interpolate(str(raw), file.variables)))
        display = relative(target, file.root)
        if not target.is_file():
            file.warnings.append(f"{file.display}:{file.doc.line(where)}: env_file {raw} not found")
            continue
        text = read_text(target, display, file.warnings)
        for name, value, line in parse_dotenv(text or ""):
            env.append(EnvVar(name, value, Evidence(display, line, env_text(name, value), "env-file")))
    return env


def _ports(file: _File, ports: Any) -> list[int]:
    """Container-side ports: ``"8080:80"`` -> 80, ``"127.0.0.1:5432:5432/tcp"`` -> 5432, ``{target: 80}``."""
    found = []
    for item in ports if isinstance(ports, list) else []:
        if isinstance(item, dict):
            item = item.get("target", "")
        text = _text(file, item).split("/", 1)[0]
        first = text.rsplit(":", 1)[-1].split("-", 1)[0].strip()
        if _is_port(first) and int(first) not in found:
            found.append(int(first))
    return found


def _is_port(text: str) -> bool:
    """ASCII digits only: ``"²".isdigit()`` is true and ``int("²")`` fails, a 5,000-digit port too."""
    return text.isascii() and text.isdigit() and len(text) <= 5


def _published(file: _File, ports: Any) -> list[int]:
    """Host ports: ``"8100:8080"`` -> 8100, ``"127.0.0.1:5432:5432"`` -> 5432, ``{published: 80}``."""
    found = []
    for item in ports if isinstance(ports, list) else []:
        if isinstance(item, dict):
            item = item.get("published", "")
            text = _text(file, item)
        else:
            parts = _text(file, item).split("/", 1)[0].split(":")
            text = parts[-2] if len(parts) >= 2 else ""
        first = text.split("-", 1)[0].strip()
        if _is_port(first) and int(first) not in found:
            found.append(int(first))
    return found


def _file_role(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", name.lower())
    return next((_ROLE_WORDS[w] for w in words if w in _ROLE_WORDS), "")


def _init_databases(file: _File, volumes: Any) -> list[str]:
    """Databases created by SQL or shell scripts mounted on /docker-entrypoint-initdb.d."""
    names: list[str] = []
    for volume in volumes if isinstance(volumes, list) else []:
        if isinstance(volume, dict):
            source, target = _text(file, volume.get("source")), _text(file, volume.get("target"))
        else:
            source, _, rest = _text(file, volume).partition(":")
            target = rest.split(":", 1)[0]
        if not target.startswith(_INITDB) or not source.startswith((".", "/")):
            continue
        mounted = file.path.parent / source
        scripts = sorted(mounted.iterdir())[:50] if mounted.is_dir() else [mounted]
        for script in scripts:
            if script.is_file() and script.suffix in {".sql", ".sh"}:
                text = read_text(script, relative(script, file.root), file.warnings) or ""
                names.extend(n for n in _CREATE_DATABASE.findall(text) if n not in names)
    return names


def _interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose interpolation: ``$$``, ``$V``, ``${V}``, ``${V:-d}``, ``${V-d}``, ``${V:+a}``, ``${V:?e}``."""
    if "$" not in value:
        return value

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        op, arg = match.group(2), match.group(3) or ""
        current = variables.get(name)
        if op in {":-", "-"}:
            return current if current is not None and (current or op == "-") else arg
        if op in {":+", "+"}:
            return arg if current is not None and (current or op == "+") else ""
        return current if current is not None else match.group(0)

    end = value.rfind("}") + 1  # no ${V} ends after the last brace: from every ${ there, _VARIABLE would
    return _VARIABLE.sub(replace, value[:end]) + _BARE_VARIABLE.sub(replace, value[end:])  # scan to the end


# -- merging and emitting -----------------------------------------------------------------------


def _merge(into: _Record, other: _Record) -> None:
    """An override file's definition on top of the base one: scalars replaced, lists extended."""
    into.image = other.image or into.image
    into.build = other.build or into.build
    into.role = into.role if into.role == other.role else ""  # in a base file too: not only a test's
    into.published.extend(port for port in other.published if port not in into.published)
    into.base_image = other.base_image or into.base_image
    for mine, theirs in (
        (into.aliases, other.aliases),
        (into.depends_on, other.depends_on),
        (into.links, other.links),
        (into.init_databases, other.init_databases),
    ):
        mine.extend(item for item in theirs if item not in mine)
    into.ports.extend(port for port in other.ports if port not in into.ports)
    into.link_aliases.extend(other.link_aliases)
    known = {(var.name, var.value) for var in into.env}
    into.env.extend(var for var in other.env if (var.name, var.value) not in known)


def _emit(record: _Record, scan: ManifestScan, shared_image: bool = False) -> None:
    known = classify_image(record.image) or classify_image(record.base_image)
    if known is not None and record.role and known[1] != "infra":
        known = (known[0], "infra")  # a database of the test or observability setup
    if known is None:
        scan.services.append(
            DeployedService(
                name=record.name,
                source="compose",
                evidence=record.evidence,
                image=record.image,
                build=record.build,
                aliases=tuple(record.aliases),
                depends_on=tuple(record.depends_on),
                links=tuple(record.links),
                env=tuple(record.env),
                ports=tuple(record.ports),
                published=tuple(record.published),
                base_image=record.base_image,
                role=record.role,
                rank=record.rank,
                copies=tuple(record.copies),
            )
        )
        return
    kind, role = known
    databases = datastore_databases(kind, record.env) + record.init_databases
    repo, _, tag = record.image.lower().split("@", 1)[0].rsplit("/", 1)[-1].partition(":")
    named_by_tag = bool(tag) and not re.match(r"v?\d|latest$", tag)  # demo:latest-kafka
    own = repo and repo != record.name and repo not in KNOWN_IMAGES and "$" not in repo
    if own and not named_by_tag and not shared_image:  # four mongo containers of one image stay four
        record.aliases.append(repo)  # a project's own image: Kubernetes names the workload after it
    scan.datastores.append(
        Datastore(
            name=record.name,
            kind=kind,
            role=role,
            evidence=record.evidence,
            aliases=tuple(record.aliases),
            databases=tuple(dict.fromkeys(databases)),
        )
    )


def datastore_databases(kind: str, env: list[EnvVar]) -> list[str]:
    """Databases a database container creates from its env (``POSTGRES_DB``; postgres defaults to the user)."""
    values = {var.name: var.value for var in env}
    names = [
        name.strip()
        for var in DATABASE_VARS
        for name in values.get(var, "").split(",")
        if name.strip() and "$" not in name
    ]
    if kind == "postgres" and not (values.get("POSTGRES_DB") or values.get("POSTGRESQL_DATABASE")):
        names.insert(0, values.get("POSTGRES_USER") or values.get("POSTGRESQL_USERNAME") or "postgres")
    return list(dict.fromkeys(names))

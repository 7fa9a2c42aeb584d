"""Connection settings: which host, port and database a service's env vars and config files point at.

Recognised values (``NAME`` is normalised: upper case, ``.``/``:``/``-`` -> ``_``, so
``spring.datasource.url`` and ``SPRING_DATASOURCE_URL`` are read the same way)::

    DATABASE_URL=postgresql://shop:secret@orders-db:5432/orders  -> orders-db, 5432, orders, postgresql
    DB_URL=postgres+asyncpg://orders-db/orders                    -> scheme postgresql (driver dropped)
    MONGO_URL=mongodb://m1:27017,m2:27017/catalog                 -> one Connection per host
    SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/orders       -> jdbc: prefix dropped
    ConnectionStrings:Catalog=Server=sqldata,1433;Database=Catalog;User Id=sa;Password=x -> sqlserver
    KAFKA_BOOTSTRAP_SERVERS=kafka1:9092,kafka2:9092               -> kafka (scheme from the name)
    DB_HOST=orders-db  DB_PORT=5432  DB_NAME=orders               -> one Connection (common prefix DB)
    PRODUCT_CATALOG_SERVICE_ADDR=productcatalog:3550              -> tcp (no hint in name or port)
    PAYMENTS_URL=http://payments:8000/api                         -> http, database ""

A bare value (no ``://``) is read only when the name says it is an address (``*_HOST``, ``*_ADDR``,
``*_SERVERS``, ``*_URL``, ``*CONNECTION*`` ...). Bind addresses (``0.0.0.0``), ``ALLOWED_HOSTS`` and the like
are not connections. Hosts still holding a placeholder (``${DB_HOST}``) are skipped. Evidence text is
``NAME=value`` with credentials redacted (``postgresql://***@orders-db:5432/orders``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fitness.collect.manifests.yaml_lines import parse_json, parse_yaml, read_text, relative, walk_files
from fitness.model import Evidence, FitnessError
from fitness.model.facts import Connection, EnvVar
from fitness.model.redact import redact

SCHEMES = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "pgsql": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mongodb": "mongodb",
    "mongo": "mongodb",
    "redis": "redis",
    "rediss": "redis",
    "valkey": "redis",
    "amqp": "amqp",
    "amqps": "amqp",
    "kafka": "kafka",
    "plaintext": "kafka",
    "sasl_plaintext": "kafka",
    "sasl_ssl": "kafka",
    "nats": "nats",
    "memcached": "memcached",
    "memcache": "memcached",
    "cassandra": "cassandra",
    "sqlserver": "sqlserver",
    "mssql": "sqlserver",
    "oracle": "oracle",
    "clickhouse": "clickhouse",
    "neo4j": "neo4j",
    "bolt": "neo4j",
    "mqtt": "mqtt",
    "pulsar": "pulsar",
    "http": "http",
    "https": "https",
    "grpc": "grpc",
    "ws": "ws",
    "wss": "wss",
    "tcp": "tcp",
}
"""URL scheme (before any ``+driver``) -> the scheme a Connection records. Other schemes are not read."""

_NAME_HINTS = (
    ("POSTGRES", "postgresql"),
    ("NPGSQL", "postgresql"),
    ("PG_", "postgresql"),
    ("MYSQL", "mysql"),
    ("MARIADB", "mysql"),
    ("MONGO", "mongodb"),
    ("REDIS", "redis"),
    ("RABBIT", "amqp"),
    ("AMQP", "amqp"),
    ("EVENTBUS", "amqp"),
    ("KAFKA", "kafka"),
    ("BOOTSTRAP_SERVERS", "kafka"),
    ("NATS", "nats"),
    ("MEMCACHE", "memcached"),
    ("CASSANDRA", "cassandra"),
    ("SQLSERVER", "sqlserver"),
    ("MSSQL", "sqlserver"),
    ("ORACLE", "oracle"),
    ("ELASTIC", "http"),
    ("OPENSEARCH", "http"),
)
_PORT_SCHEMES = {
    5432: "postgresql",
    26257: "postgresql",
    3306: "mysql",
    27017: "mongodb",
    6379: "redis",
    5672: "amqp",
    9092: "kafka",
    4222: "nats",
    11211: "memcached",
    9042: "cassandra",
    1433: "sqlserver",
    1521: "oracle",
    9200: "http",
    80: "http",
    443: "https",
}
_HOST_SUFFIXES = ("_HOST", "_HOSTNAME", "_SERVER", "_ADDR", "_ADDRESS")
_LIST_SUFFIXES = ("_HOSTS", "_SERVERS", "_ADDRS", "_ADDRESSES", "_BROKERS", "_BROKER", "_ENDPOINT", "_NODES")
_URL_SUFFIXES = ("_URL", "_URI", "_DSN", "_URLS", "_URIS")
_ADDRESS_SUFFIXES = _HOST_SUFFIXES + _LIST_SUFFIXES + _URL_SUFFIXES
_DB_SUFFIXES = ("_NAME", "_DB", "_DATABASE", "_DBNAME", "_DB_NAME", "_DATABASE_NAME", "_SCHEMA")
_NOT_CONNECTIONS = ("LISTEN", "BIND", "ADVERTISED", "ALLOWED", "CORS", "ORIGIN", "NO_PROXY", "VIRTUAL_HOST")
_BIND_HOSTS = frozenset({"0.0.0.0", "::", "*", "[::]"})
_NOT_HOSTS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "none", "null", "nil", "disabled", "enabled"}
)
_SENSITIVE = re.compile(
    r"PASSWORD|PASSWD|PWD|(?:^|_)PASS(?:_|$)|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIAL|ACCESS_KEY"
)
_HOST = re.compile(r"^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_][A-Za-z0-9_.-]*)$")
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+._-]*)://(.*)$", re.DOTALL)
_URL_START = re.compile(r"[,\s]+(?=[A-Za-z][A-Za-z0-9+._-]*://)")
_CONFIG_NAMES = re.compile(
    r"^(?:\.env(?:\..+)?|.+\.env|(?:application|bootstrap)(?:[-.].+)?\.(?:ya?ml|properties)"
    r"|appsettings(?:\..+)?\.json|config(?:[-.][\w-]+)?\.json)$",
    re.IGNORECASE,
)


def is_config_name(name: str) -> bool:
    """Whether a file called ``name`` is one of the config files whose connections are read (``.env``,
    Spring ``application*.yml|properties``, .NET ``appsettings*.json``, ``config*.json``)."""
    return _CONFIG_NAMES.match(name) is not None


_GO_DSN = re.compile(r"^(?:[^@\s]*@)?tcp\(([A-Za-z0-9_.-]+)(?::(\d+))?\)/([\w-]*)")
_PDO = re.compile(r"^(mysql|pgsql|sqlsrv|dblib|oci|firebird):(.*host=.*)$", re.IGNORECASE | re.DOTALL)
_PDO_SCHEMES = {
    "mysql": "mysql",
    "pgsql": "postgresql",
    "sqlsrv": "sqlserver",
    "dblib": "sqlserver",
    "oci": "oracle",
    "firebird": "firebird",
}
_SPRING_DEFAULT = re.compile(r"\$\{[^}:]+:([^}]*)\}")


# -- public API ---------------------------------------------------------------------------------


def connections_from_env(env: Iterable[EnvVar]) -> list[Connection]:
    """Connections named by ``env`` (one service's variables), each with evidence how ``env``."""
    return _connections(list(env), "env")


def scan_config_connections(
    files: Iterable[Path], root: Path
) -> tuple[list[Connection], list[EnvVar], list[str]]:
    """Read config files (``.env``, ``application.yml``/``.properties``, ``appsettings.json``).

    ``files`` may be every file of a service folder: only names ``find_config_files`` would pick are read
    (``.env``, ``.env.*``, ``*.env``, ``application*``/``bootstrap*`` ``.yml``/``.yaml``/``.properties``,
    ``appsettings*.json``, ``config*.json`` of Node config libraries such as nconf); the rest are ignored without a warning.

    Returns the connections found (evidence how ``config``), every setting as an EnvVar (name as written:
    ``spring.datasource.url``, ``ConnectionStrings:Catalog``; evidence how ``config``) and warnings for
    files skipped. The connections already cover those settings: do not feed them to
    ``connections_from_env`` again.
    """
    connections: list[Connection] = []
    settings: list[EnvVar] = []
    warnings: list[str] = []
    for path in files:
        if not is_config_name(path.name):
            continue
        display = relative(path, root)
        text = read_text(path, display, warnings)
        if text is None:
            continue
        try:
            entries = _config_entries(path.name.lower(), text, display)
        except FitnessError as error:
            warnings.append(f"{error}; skipped")
            continue
        found = [EnvVar(k, v, Evidence(display, line, env_text(k, v), "config")) for k, v, line in entries]
        settings.extend(found)
        connections.extend(_connections(found, "config"))
    return connections, settings, warnings


def find_config_files(root: Path, max_depth: int = 12) -> list[Path]:
    """Config files ``scan_config_connections`` reads, anywhere under ``root`` (build output skipped)."""
    return [path for path, _ in walk_files(root, max_depth) if is_config_name(path.name)]


def parse_dotenv(text: str) -> list[tuple[str, str, int]]:
    """``(name, value, line)`` of each ``NAME=value`` in a .env file (``export``, quotes, ``#`` comments)."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("export "):
            line = line[7:].lstrip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", name):
            continue
        value = value.strip()
        if value[:1] in {'"', "'"} and value[0] in value[1:]:
            value = value[1 : value.index(value[0], 1)]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        entries.append((name, value, number))
    return entries


def env_text(name: str, value: str) -> str:
    """Evidence text ``NAME=value`` for a setting, never showing a password or secret."""
    if _SENSITIVE.search(_normalise(name)):
        return f"{name}=***"
    return f"{name}={redact(value)}"


def parse_connection(value: str, name: str = "") -> list[tuple[str, str, int | None, str]]:
    """``(scheme, host, port, database)`` for each server ``value`` names; ``name`` gives hints.

    >>> parse_connection("postgresql://u:p@orders-db:5432/orders")
    [('postgresql', 'orders-db', 5432, 'orders')]
    """
    value = value.strip()
    norm = _normalise(name)
    hint = _name_hint(norm)
    if not value or len(value) > 4000:
        return []
    if value.lower().startswith("jdbc:") or _URL.match(value):
        return [found for url in _URL_START.split(value) for found in _parse_url(url)]
    dsn = _GO_DSN.match(value)
    if dsn is not None:  # Go MySQL driver: user:pw@tcp(db:3306)/orders
        return [("mysql", dsn.group(1).lower(), _port(dsn.group(2) or ""), dsn.group(3))]
    pdo = _PDO.match(value)
    if pdo is not None:  # PHP PDO: mysql:host=db;dbname=ratings
        return _parse_ado(pdo.group(2), _PDO_SCHEMES[pdo.group(1).lower()])
    if "=" in value and ";" in value:
        return _parse_ado(value, hint)
    if norm and _is_address_name(norm):
        lowered = value.lower()
        names_driver = not norm.endswith(_ADDRESS_SUFFIXES) and "CONNECTIONSTRING" not in norm
        if lowered in _NOT_HOSTS or (lowered in SCHEMES and names_driver):
            return []  # DB_CONNECTION=pgsql names a driver, DB_CONNECTION_SSL=true a switch
        hosts = _host_list(value)
        return [(hint or _PORT_SCHEMES.get(port or 0, "tcp"), host, port, "") for host, port in hosts]
    return []


# -- env and config -> connections --------------------------------------------------------------


def _connections(env: list[EnvVar], how: str) -> list[Connection]:
    by_name: dict[str, EnvVar] = {}
    for var in env:
        by_name.setdefault(_normalise(var.name), var)
    found: list[Connection] = []
    for var in env:
        norm = _normalise(var.name)
        if any(word in norm for word in _NOT_CONNECTIONS):
            continue
        parsed = parse_connection(var.value, var.name)
        used = [var]
        prefix = _split_prefix(norm, var.value)
        if prefix is not None:
            parsed, used = _with_split_parts(parsed, prefix, by_name, used)
        text = " ".join(env_text(v.name, v.value) for v in used)
        evidence = Evidence(var.evidence.path, var.evidence.line, text, how)
        for scheme, host, port, database in parsed:
            found.append(Connection(host, port, database, scheme, evidence))
    return found


def _split_prefix(norm: str, value: str) -> str | None:
    """``DB`` for ``DB_HOST=orders-db``: a bare host whose port and database may sit in siblings."""
    if "://" in value or ";" in value:
        return None
    for suffix in _HOST_SUFFIXES:
        if norm.endswith(suffix) and len(norm) > len(suffix):
            return norm[: -len(suffix)]
    return None


def _with_split_parts(
    parsed: list[tuple[str, str, int | None, str]],
    prefix: str,
    by_name: dict[str, EnvVar],
    used: list[EnvVar],
) -> tuple[list[tuple[str, str, int | None, str]], list[EnvVar]]:
    port_var = by_name.get(f"{prefix}_PORT")
    port = _port(port_var.value) if port_var else None
    db_var = next((by_name[prefix + s] for s in _DB_SUFFIXES if prefix + s in by_name), None)
    used = used + [v for v in (port_var, db_var) if v is not None]
    result = []
    for scheme, host, own_port, _ in parsed:
        final_port = own_port if own_port is not None else port
        if scheme == "tcp":
            scheme = _PORT_SCHEMES.get(final_port or 0, "tcp")
        result.append((scheme, host, final_port, db_var.value.strip() if db_var else ""))
    return result, used


def _normalise(name: str) -> str:
    norm = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")
    return re.sub(r"^PG(HOST|PORT|DATABASE)$", r"PG_\1", norm)


def _name_hint(norm: str) -> str:
    padded = f"_{norm}_"
    for word, scheme in _NAME_HINTS:
        if word in padded:
            return scheme
    return ""


def _is_address_name(norm: str) -> bool:
    if norm.endswith(_ADDRESS_SUFFIXES):
        return "_" in norm
    return "CONNECTION" in norm or norm.endswith("_CONN")


# -- value parsers ------------------------------------------------------------------------------


def _parse_url(url: str) -> list[tuple[str, str, int | None, str]]:
    if url.lower().startswith("jdbc:"):
        url = url[5:]
        if url.lower().startswith("oracle:"):
            return _parse_oracle(url)
    match = _URL.match(url.strip())
    if not match:
        return []
    scheme = SCHEMES.get(match.group(1).lower().split("+")[0])
    if scheme is None:
        return []
    rest = match.group(2)
    cut = min((i for i in (rest.find(c) for c in "/?#;") if i >= 0), default=len(rest))
    authority, tail = rest[:cut], rest[cut:]
    authority = authority.rpartition("@")[2]
    database = ""
    if scheme == "sqlserver":
        database = _ado_pairs(tail).get("databasename", "") or _ado_pairs(tail).get("database", "")
    elif scheme not in {"http", "https", "grpc", "ws", "wss", "tcp"} and tail.startswith("/"):
        database = unquote(re.split(r"[/?#;]", tail[1:], maxsplit=1)[0])
    return [(scheme, host, port, database) for host, port in _host_list(authority)]


def _parse_oracle(url: str) -> list[tuple[str, str, int | None, str]]:
    """``oracle:thin:@host:1521:SID`` or ``oracle:thin:@//host:1521/service``."""
    match = re.search(r"@(?://)?([^:/\s]+)(?::(\d+))?[:/]?([\w.$-]*)", url)
    if not match or not _HOST.match(match.group(1)):
        return []
    return [("oracle", match.group(1).lower(), _port(match.group(2) or ""), match.group(3))]


def _parse_ado(value: str, hint: str) -> list[tuple[str, str, int | None, str]]:
    """ADO.NET / Npgsql / MySqlConnector strings: ``Server=host,1433;Database=x;...``."""
    pairs = _ado_pairs(value)
    server = next((pairs[k] for k in ("server", "data source", "host", "address", "addr") if k in pairs), "")
    server = re.sub(r"^tcp:", "", server.strip(), flags=re.IGNORECASE)
    port = _port(pairs.get("port", ""))
    if "," in server and server.rsplit(",", 1)[1].strip().isdigit():
        server, raw_port = server.rsplit(",", 1)
        port = _port(raw_port)
    server = server.split("\\", 1)[0].strip()
    server = "localhost" if server in {".", "(local)"} else server
    database = pairs.get("database") or pairs.get("initial catalog") or pairs.get("dbname") or ""
    if not server or not _HOST.match(server) or server.lower() in _BIND_HOSTS:
        return []
    scheme = hint or ("postgresql" if "host" in pairs else _PORT_SCHEMES.get(port or 0, "sqlserver"))
    return [(scheme, server.lower(), port, database)]


def _ado_pairs(value: str) -> dict[str, str]:
    pairs = {}
    for part in value.split(";"):
        key, sep, val = part.partition("=")
        if sep:
            pairs[key.strip().lower()] = val.strip()
    return pairs


def _host_list(value: str) -> list[tuple[str, int | None]]:
    """``h1:9092,h2`` -> hosts and ports; StackExchange.Redis options (``password=x``) are ignored."""
    hosts = []
    for part in re.split(r"[,\s]+", value.strip()):
        if not part or "=" in part:
            continue
        host, port = part, None
        bracket = re.match(r"^(\[[^\]]+\])(?::(\d+))?$", part)
        if bracket:
            host, port = bracket.group(1), _port(bracket.group(2) or "")
        elif part.count(":") == 1:
            host, raw = part.split(":")
            port = _port(raw)
            if port is None:
                continue
        host = host.lower().rstrip(".")
        if _is_host(host):
            hosts.append((host, port))
    return hosts


def _is_host(host: str) -> bool:
    """A host name or IP address; not a bind address, a bare number or a placeholder."""
    if host in _BIND_HOSTS or not _HOST.match(host):
        return False
    return not host.replace(".", "").isdigit() or bool(re.fullmatch(r"\d+(\.\d+){3}", host))


def _port(text: str) -> int | None:
    text = text.strip()
    digits = text.isascii() and text.isdigit() and len(text) <= 5  # "²".isdigit(), but int("²") fails
    return int(text) if digits and 0 < int(text) < 65536 else None


# -- config file readers ------------------------------------------------------------------------


def config_entries(path: str, text: str) -> list[tuple[str, str, int]]:
    """``(key, value, line)`` of a YAML, properties, JSON or .env file; [] when it does not parse."""
    try:
        return _config_entries(path.rsplit("/", 1)[-1].lower(), text, path)
    except FitnessError:
        return []


def _config_entries(name: str, text: str, display: str) -> list[tuple[str, str, int]]:
    if name.endswith(".json"):
        return _json_entries(text, display)
    if name.endswith((".yml", ".yaml")):
        entries: list[tuple[str, str, int]] = []
        for doc in parse_yaml(text, display):
            entries.extend(
                (key, _spring_defaults(value), doc.line(path)) for key, value, path in _flatten(doc.data, ())
            )
        return entries
    if name.endswith(".properties"):
        return [(k, _spring_defaults(v), line) for k, v, line in _properties(text)]
    return parse_dotenv(text)


def _flatten(
    data: Any, path: tuple[str | int, ...], sep: str = ".", seen: set[int] | None = None
) -> Iterator[tuple[str, str, Any]]:
    """Leaves of nested config as ``(dotted.key, value, key path)``; scalar lists joined with commas.

    A mapping or list reached twice through YAML aliases is read once, so ``&a``/``*a`` bombs stay small.
    """
    seen = set() if seen is None else seen
    if isinstance(data, (dict, list)):
        if id(data) in seen:
            return
        seen.add(id(data))
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flatten(value, (*path, key), sep, seen)
    elif isinstance(data, list) and data and all(_is_scalar(item) for item in data):
        yield _join(path, sep), ",".join(_scalar_text(item) for item in data), path
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _flatten(item, (*path, index), sep, seen)
    elif path and data is not None:
        yield _join(path, sep), _scalar_text(data), path


def _join(path: tuple[str | int, ...], sep: str) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f"{sep}{part}" if text else str(part))
    return text


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _spring_defaults(value: str) -> str:
    """``${DB_HOST:localhost}`` -> ``localhost``; a placeholder without default stays as written.

    What ``_SPRING_DEFAULT.sub`` would give (``${A:${B:x}}`` -> ``${B:x}``), in one pass: the regular
    expression looks for the closing brace again from every ``${``, so a value of ``${`` repeated took
    hours on a 1 MB line. Here the next colon and brace are found once for all starts.
    """
    if "${" not in value:
        return value
    parts: list[str] = []
    done = 0  # value[:done] is in parts
    colon = brace = -1  # the next ':' and '}' found so far (len(value) when there is none)
    start = value.find("${")
    while start >= 0:
        if colon < start + 2:
            colon = _find(value, ":", start + 2)
        if brace < start + 2:
            brace = _find(value, "}", start + 2)
        if (
            start + 2 < colon < brace < len(value)
        ):  # a key without '}' or ':', then the default up to the brace
            parts += (value[done:start], value[colon + 1 : brace])
            done = brace + 1
            start = value.find("${", done)
        else:
            start = value.find("${", start + 1)
    return "".join(parts) + value[done:]


def _find(text: str, char: str, start: int) -> int:
    found = text.find(char, start)
    return len(text) if found < 0 else found


def _properties(text: str) -> list[tuple[str, str, int]]:
    entries = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip() if not pending else raw.lstrip()
        if not pending and (not line or line[0] in "#!"):
            continue
        if not pending:
            start = number
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending += line[:-1]
            continue
        line, pending = pending + line, ""
        match = re.match(r"^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$", line)
        if match:
            entries.append((match.group(1).replace("\\", ""), match.group(2), start))
        else:
            entries.append((line, "", start))
    return entries


def _json_entries(text: str, display: str) -> list[tuple[str, str, int]]:
    """appsettings.json (comments and trailing commas allowed, as .NET allows them); keys ``A:B``."""
    cleaned = _strip_json_comments(text)
    data = parse_json(cleaned, display)  # nested too deep for the walk below: a FitnessError too
    lines = cleaned.splitlines()
    entries = []
    for key, value, path in _flatten(data, (), ":"):
        entries.append((key, value, _json_line(lines, path)))
    return entries


def _strip_json_comments(text: str) -> str:
    token = re.compile(r'("(?:\\.|[^"\\])*")|(//[^\n]*)|(/\*.*?\*/)|(,)(\s*[}\]])', re.DOTALL)

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        if match.group(4):
            return match.group(5)
        return "\n" * match.group(0).count("\n")

    return token.sub(replace, text)


def _json_line(lines: list[str], path: tuple[str | int, ...]) -> int:
    """Line of the last key of ``path``, searching for each key after its parent's line."""
    index = 0
    for part in path:
        if isinstance(part, int):
            continue
        needle = json.dumps(part)
        for number in range(index, len(lines)):
            if needle in lines[number]:
                index = number
                break
    return index + 1

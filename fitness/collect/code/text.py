"""Endpoints written in any text file, found with regular expressions on the lines that can hold one.

This is the language-agnostic evidence (Java, Go, Node, C#, config files) and the fallback for Python:

- URLs with the schemes http, https, grpc, grpcs, ws, wss: ``http://inventory:8080/api`` -> host
  ``inventory`` (https -> protocol ``http``, wss -> ``ws``, grpcs -> ``grpc``);
- ``host[:port]`` values of keys that name an endpoint: ``INVENTORY_ADDR=inventory:50051``,
  ``inventory.url: inventory:8080``, ``"inventoryHost": "inventory"`` (suffixes URL, URI, ADDR, ADDRESS,
  HOST, HOSTNAME, ENDPOINT after ``_ . -`` or in camelCase; a bare host without port only for the HOST
  keys), also as a Kubernetes env pair (``- name: INVENTORY_ADDR`` then ``value: inventory:50051``).
  Protocol ``grpc`` when the key says GRPC, else ``unknown``. Keys naming a datastore, broker
  or telemetry backend (DB, POSTGRES, REDIS, KAFKA, AMQP, SMTP, OTEL, ...) are left to the datastore
  collector. In source files the value must be a quoted string;
- gRPC targets in source: ``grpc.Dial("inventory:50051")``, ``NewClient``, ``forTarget``,
  ``forAddress("inventory", ...)``, ``insecure_channel``, and ``"inventory:50051", grpc.credentials``.

Noise filter (never reported): loopback and wildcard hosts (localhost, 127.0.0.1, 0.0.0.0, ::1), the
documentation domains example.com/.org/.net, schema and namespace URLs (json-schema.org, w3.org,
xmlsoap.org, ``schemas.*`` hosts, ``xmlns``/``schemaLocation``/``$schema`` values, ``.xsd``/``.dtd``),
package metadata keys (homepage, repository, bugs, funding, license, author), hosts written as
templates (``${HOST}``, ``{{ .Values.host }}``, ``%s``), and whole-line comments (``#``, ``//``, ``/*``,
``*``, ``<!--``, ``;``). Evidence ``how`` is ``config`` for config files, ``source-text`` for code.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from fitness.model import Evidence
from fitness.model.facts import Call

_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?"
_END = r"(?=[\s/?#:'\"`<>),;\]}|\\%]|$)"  # ``http://catalogue%s``: the host, then a format
_URL = (
    r"(?P<scheme>(?i:https?|grpcs?|wss?))://(?:[^\s/@'\"`<>]+@)?"
    rf"(?P<host>\[[0-9A-Fa-f:.]+\]|{_HOST}){_END}(?P<rest>[^\s'\"`<>]*)"
)
_SUFFIX = re.compile(
    r"(?:[_.-](?i:url|uri|addr|address|host|hostname|endpoint)"
    r"|[a-z0-9](?:Url|URL|Uri|URI|Addr|Address|Host|Hostname|HostName|Endpoint))$"
)
# the whole value is host[:port][/path]: "Remote Server" or "Nombre de host" are prose, not hosts
# the whole value is host[:port][/path], in matching quotes or unquoted up to a comment or the end:
# "Remote Server", "Nombre de host", "L'URL ..." are prose, not hosts
_KV_VALUE = (
    rf"(?P<q>[\"'])?(?P<kvhost>{_HOST})(?::(?P<kvport>\d{{1,5}}))?(?:/[^\s\"'#,;]*)?"
    r"(?(q)(?P=q)|(?=[ \t]*(?:[#,;}\]]|$)))"
)
_KV = r"(?<![\w.$-])(?P<key>[A-Za-z_][\w.-]*)[\"']?[ \t]*(?::=|[:=])[ \t]*"
_GRPC = (
    r"(?<!net\.)\b(?:Dial|DialContext|NewClient|forTarget|forAddress|insecure_channel|secure_channel)\(\s*"
    r"(?:ctx\s*,\s*)?[\"'](?:dns:///)?(?P<ghost>" + _HOST + r")(?::(?P<gport>\d{1,5}))?[\"']"
    r"|[\"'](?P<nhost>" + _HOST + r"):(?P<nport>\d{1,5})[\"']\s*,\s*grpc\.credentials"
)
URL_PATTERN = re.compile(_URL)
CONFIG_KV_PATTERN = re.compile(rf"{_KV}{_KV_VALUE}", re.M)
SOURCE_KV_PATTERN = re.compile(rf"{_KV}(?=[\"']){_KV_VALUE}", re.M)  # in code, a string literal
GRPC_PATTERN = re.compile(_GRPC)
K8S_ENV_PATTERN = re.compile(  # the pattern runs on the name line and the line after it
    rf"-?[ \t]*name:[ \t]*[\"']?(?P<key>[A-Za-z_][\w.-]*)[\"']?[ \t]*\r?\n[ \t]*value:[ \t]*{_KV_VALUE}",
    re.M,
)
_URL_NEEDLES = ("://",)
_KV_NEEDLES = ("url", "uri", "addr", "host", "endpoint")
_GRPC_NEEDLES = ("Dial", "NewClient(", "forTarget(", "forAddress(", "_channel(", "grpc.credentials")
COMMENTS = ("#", "//", "/*", "*", "<!--", ";")
SCHEMA_HOSTS = ("json-schema.org", "w3.org", "xmlsoap.org", "purl.org", "xmlns.jcp.org", "java.sun.com")
METADATA_KEYS = frozenset(
    {"$schema", "$id", "$ref", "homepage", "repository", "bugs", "funding", "license", "author", "registry"}
    | {"documentation", "docs", "issue_tracker", "description", "summary", "changelog"}
)
_INFRA = frozenset(
    (
        *("db", "database", "postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "mongodb"),
        *("redis", "memcache", "memcached", "cache", "kafka", "rabbit", "rabbitmq", "amqp", "broker"),
        *("elastic", "elasticsearch", "opensearch", "cassandra", "nats", "sql", "mssql", "smtp", "mail"),
        *("zookeeper", "etcd", "consul", "otel", "otlp", "jaeger", "zipkin", "statsd", "sentry"),
        *("prometheus", "collector"),
    )
)
_TOKENS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_LINE_KEY = re.compile(r"""^\s*-?\s*["']?([$\w.-]+)["']?\s*[:=]""")
_NOT_HOSTS = frozenset(
    {"true", "false", "null", "none", "yes", "no", "on", "off", "nil", "undefined", "unknown", "default"}
    | {"auto", "any", "host", "hostname", "url", "uri", "addr", "address", "endpoint", "ip", "name"}
)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"})


def scan_text(
    text: str,
    path: str,
    *,
    config: bool,
    consumed: Mapping[int, Collection[str]] | None = None,
) -> list[Call]:
    """Endpoints in ``text``; a host in ``consumed[line]`` was already reported by the ``ast`` pass.

    Each pattern only runs on the lines that can match it, found with ``str.find`` (an order of
    magnitude faster than a regular expression scanning the whole file)."""
    how = "config" if config else "source-text"
    families: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
        (_URL_NEEDLES, URL_PATTERN),
        (_KV_NEEDLES, CONFIG_KV_PATTERN if config else SOURCE_KV_PATTERN),
    ]
    families.append((_KV_NEEDLES, K8S_ENV_PATTERN) if config else (_GRPC_NEEDLES, GRPC_PATTERN))
    lines: dict[int, list[re.Pattern[str]]] = {}
    lower = text.lower()
    found_lines: dict[tuple[str, ...], set[int]] = {}  # a config file's two key families share needles
    for needles, pattern in families:
        if needles not in found_lines:
            found_lines[needles] = _lines_with(text, lower, needles)
        for start in found_lines[needles]:
            lines.setdefault(start, []).append(pattern)
    found: list[Call] = []
    line, counted = 1, 0
    for start in sorted(lines):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].lstrip().startswith(COMMENTS):
            continue
        line += text.count("\n", counted, start)
        counted = start
        for pattern in lines[start]:
            stop = end if pattern is not K8S_ENV_PATTERN else _line_end(text, end + 1)
            for match in pattern.finditer(text, start, stop):
                call = _call(match, text[start : match.start()])
                at = match.start("kvhost") if match.groupdict().get("kvhost") else match.start()
                where = line + text.count("\n", start, at)
                if call is None or (consumed is not None and call[0] in consumed.get(where, ())):
                    continue
                source = text[text.rfind("\n", 0, at) + 1 : _line_end(text, at)]
                found.append(Call(*call, Evidence(path, where, source.strip()[:200], how)))
    return found


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _lines_with(text: str, lower: str, needles: tuple[str, ...]) -> set[int]:
    """Offsets of the lines holding one of ``needles`` (lower-case needles ignore case)."""
    starts: set[int] = set()
    for needle in needles:
        haystack = lower if needle.islower() else text
        at = haystack.find(needle)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            end = text.find("\n", at)
            if end < 0:
                break
            at = haystack.find(needle, end)
    return starts


def _call(match: re.Match[str], before: str) -> tuple[str, str, str] | None:
    groups = match.groupdict()
    if groups.get("scheme") is not None:
        return _url(match, before)
    if groups.get("key") is not None:
        return _key_value(groups["key"], groups["kvhost"], groups["kvport"])
    host = groups.get("ghost") or groups.get("nhost") or ""
    port = groups.get("gport") or groups.get("nport")
    if skipped_host(host):
        return None
    return host, f"{host}:{port}" if port else host, "grpc"


def _url(match: re.Match[str], before: str) -> tuple[str, str, str] | None:
    host = match.group("host")
    target = _trim(match.group(0))
    rest = target.lower()
    if skipped_host(host) or host.lower().startswith("schemas.") or rest.endswith((".xsd", ".dtd")):
        return None
    context = before.rstrip().rstrip("\"'=").rstrip().lower()
    if context.endswith(("xmlns", "schemalocation")) or re.search(r"xmlns:\w+$", context):
        return None
    key = _LINE_KEY.match(before)
    if key is not None and key.group(1).lower() in METADATA_KEYS:
        return None
    scheme = match.group("scheme").lower()
    protocol = {"https": "http", "wss": "ws", "grpcs": "grpc"}.get(scheme, scheme)
    return host, target, protocol


def _trim(target: str) -> str:
    """Drop trailing punctuation and closing brackets that the URL did not open (``(see http://x/a).``)."""
    while target:
        last = target[-1]
        if last in ".,;:!'\"\\" or (
            last in ")]}" and target.count("([{"[")]}".index(last)]) < target.count(last)
        ):
            target = target[:-1]
        else:
            break
    return target


def _key_value(key: str, host: str, port: str | None) -> tuple[str, str, str] | None:
    if _SUFFIX.search(key) is None:
        return None
    tokens = {t.lower() for t in _TOKENS.findall(key)}
    if (
        tokens & _INFRA
        or skipped_host(host)
        or host.lower() in _NOT_HOSTS
        or key.lower().endswith(host.lower())  # CONF_API_HOST = "api_host" names a setting
        or not re.search(r"[A-Za-z]", host)
    ):
        return None
    if port is None and not tokens & {"host", "hostname"}:
        return None
    protocol = "grpc" if "grpc" in tokens else "unknown"
    return host, f"{host}:{port}" if port else host, protocol


def skipped_host(host: str) -> bool:
    """Loopback, wildcard, documentation and schema hosts: never reported."""
    lower = host.lower()
    return lower in _NOISE_HOSTS or lower.endswith(_NOISE_SUFFIXES)


_NOISE_DOMAINS = ("example.com", "example.org", "example.net", *SCHEMA_HOSTS)
_NOISE_HOSTS = LOCAL_HOSTS | frozenset(_NOISE_DOMAINS)
_NOISE_SUFFIXES = tuple("." + d for d in _NOISE_DOMAINS)

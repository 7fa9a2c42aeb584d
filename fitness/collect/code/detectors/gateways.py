"""Routes of API gateways configured in the gateway's own config files.

Spring Cloud Gateway (``application*.yml``/``.properties`` and any Spring YAML/properties; also the
``spring.cloud.gateway.server.webflux``/``.server.webmvc``/``.mvc`` spellings):

- ``routes: [{id: orders, uri: lb://orders, predicates: [Path=/orders/**]}]`` -> Route("Path=/orders/**",
  "orders", by_name=True); ``uri: http://orders:8080`` or ``uri: ${ORDERS_URL}`` -> an address/template
- ``spring.cloud.gateway.routes[0].uri=lb://orders`` with ``...routes[0].predicates[0]=Path=/orders/**``
- predicates in the long form (``{name: Path, args: {patterns: [/a/**]}}``); ``forward:``/``no://op``
  URIs are local and skipped
- ``discovery.locator.enabled: true`` (a route to every registered service) -> Unresolved
- the Java/Kotlin DSL in a file using ``RouteLocatorBuilder``: ``.route("o", r -> r.path("/o/**")
  .uri("lb://orders"))``; a ``uri(ordersUri)`` argument is folded when it is a ``static final String`` or an
  ``@Value("${orders.uri}")`` field of the file, else Unresolved

Netflix Zuul: ``zuul.routes.<r>.url: http://orders:8080`` (address), ``zuul.routes.<r>.serviceId: orders``
(by name), ``zuul.routes.<r>.path`` as the match, and the short form ``zuul.routes.orders: /orders/**``
(the route's name is the service id).

Ocelot (``.json`` with ``Routes``/``ReRoutes``): ``DownstreamHostAndPorts: [{Host: orders, Port: 80}]`` with
``DownstreamScheme: http`` -> Route(UpstreamPathTemplate, "http://orders:80"); ``ServiceName: orders``
(service discovery) -> by_name.

YARP (``.json`` with ``ReverseProxy``): ``Routes.<r>.ClusterId`` + ``Routes.<r>.Match.Path`` joined to
``Clusters.<c>.Destinations.<d>.Address`` -> one Route per destination.

JSON files may hold ``//`` and ``/* */`` comments and trailing commas (as .NET reads them).
"""

from __future__ import annotations

import re
from typing import Any

from fitness.collect.code.detectors._scan import ANY_FILE, holds
from fitness.collect.code.lazy_re import lazy
from fitness.collect.manifests.yaml_lines import KeyPath, YamlDoc, parse_yaml
from fitness.collect.source_file import SourceFile
from fitness.model import Evidence, FitnessError
from fitness.model.facts import Route, SourceFacts, Unresolved

_SPRING = lazy(
    r"^spring\.cloud\.gateway(?:\.server\.web(?:flux|mvc)|\.mvc)?\.routes\[(\d+)\]\.(uri|predicates\[(\d+)\].*)$"
)
_ZUUL = lazy(r"^zuul\.routes\.([\w\-]+)(?:\.(url|path|serviceId|service-id|serviceid))?$")
_COMMENT = lazy(r"\"(?:\\.|[^\"\\])*\"|//[^\n]*|/\*.*?\*/", re.S)
_LOCATOR = lazy(r"^spring\.cloud\.gateway(?:\.server\.webflux)?\.discovery\.locator\.enabled$")
_DSL_ROUTE = lazy(r"\.?\broute\s*[({]")
_DSL_CALL = lazy(r"\b(path|uri)\s*\(\s*([^)]*)\)")
_STRING = lazy(r'"([^"\n]*)"')
_CONSTANT = lazy(
    r'\b(?:static\s+final|final\s+static|const\s+val)\s+(?:String\s+)?(\w+)\s*(?::\s*String\s*)?=\s*"([^"]*)"'
)
_VALUE_FIELD = lazy(
    r'@Value\(\s*"(\$\{[^"]+\})"\s*\)\s*(?:(?:private|final|lateinit|var|val)\s+)*(?:String\s+)?(\w+)'
)
_LOCAL = ("forward:", "no://", "classpath:", "file:")
Flat = dict[str, tuple[str, int]]  # dotted key -> (value as written, line)


_NEEDLES = ("gateway", "zuul", "Routes", "ReverseProxy", "RouteLocatorBuilder")


class GatewayRoutes:
    name: str = "gateways"
    suffixes: frozenset[str] = frozenset({".yml", ".yaml", ".properties", ".json", ".java", ".kt"})
    triggers: tuple[str, ...] = (ANY_FILE, *_NEEDLES)  # detect checks the needles (see _scan.ANY_FILE)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        if file.suffix in (".java", ".kt"):
            if "RouteLocatorBuilder" in file.text:  # one of _NEEDLES
                _dsl(file, facts)
            return
        if not holds(file.text, _NEEDLES):
            return
        if file.suffix == ".properties":
            _spring(file, _properties(file.text), facts)
            return
        text = file.text
        if file.suffix == ".json":  # JSON as YAML (for the lines); comments and tabs blanked first
            if "UpstreamPathTemplate" not in text and "ReverseProxy" not in text:
                return
            text = _COMMENT.sub(lambda m: m.group() if m.group()[0] == '"' else _blank(m.group()), text)
            text = text.replace("\t", " ")
        elif not re.search(r"^[\"']?(?:spring|zuul)\b", text, re.M):
            return
        try:
            docs = parse_yaml(text, file.path)
        except FitnessError:
            return  # not a config file this detector can read; other collectors report malformed YAML
        for doc in docs:
            if file.suffix == ".json" and isinstance(doc.data, dict):
                _ocelot(file, doc, facts)
                _yarp(file, doc, facts)
            else:
                _spring(file, _flatten(doc), facts)


def _spring(file: SourceFile, flat: Flat, facts: SourceFacts) -> None:
    """Spring Cloud Gateway and Zuul routes from a flattened Spring configuration."""
    uris: dict[str, tuple[str, int]] = {}
    predicates: dict[str, list[tuple[int, str, str]]] = {}  # route -> (index, name, value)
    zuul: dict[str, dict[str, tuple[str, int]]] = {}
    for key, (value, line) in flat.items():
        if found := _SPRING.match(key):
            route, rest = found.group(1), found.group(2)
            if rest == "uri":
                uris[route] = (value, line)
            else:
                field = rest.split(".", 1)[1] if "." in rest else ""
                predicates.setdefault(route, []).append((int(found.group(3)), field, value))
        elif _LOCATOR.match(key) and value.lower() == "true":
            reason = "gateway discovery locator routes to every registered service"
            facts.unresolved.append(Unresolved("route", reason, _evidence(file, line)))
        elif found := _ZUUL.match(key):
            zuul.setdefault(found.group(1), {})[(found.group(2) or "short").lower()] = (value, line)
    for route, (uri, line) in uris.items():
        _add(file, _predicate(predicates.get(route, [])), uri, line, facts)
    for route, fields in zuul.items():
        path = fields.get("path", fields.get("short", ("", 0)))[0]
        if "url" in fields:
            _add(file, path, *fields["url"], facts)
        else:
            service, line = fields.get("serviceid", fields.get("service-id", (route, 0)))
            line = line or fields.get("path", fields.get("short", ("", 0)))[1]
            if line:
                _add(file, path, f"lb://{service}", line, facts)


def _predicate(parts: list[tuple[int, str, str]]) -> str:
    """The ``Path`` predicate as written (``Path=/orders/**``), else the first predicate, else ""."""
    written: dict[int, str] = {}
    for index, field, value in sorted(parts):
        if field == "":
            written[index] = value
        elif field == "name":
            written[index] = value + "=" + written.get(index, "").partition("=")[2]
        elif field.startswith("args"):
            name, _, args = written.get(index, "=").partition("=")
            written[index] = f"{name}={args + ',' if args else ''}{value}"
    ordered = [written[i] for i in sorted(written)]
    return next((p for p in ordered if p.lower().startswith("path=")), ordered[0] if ordered else "")


def _add(file: SourceFile, match: str, target: str, line: int, facts: SourceFacts) -> None:
    target = target.strip()
    if not target or target.lower().startswith(_LOCAL):
        return
    evidence = _evidence(file, line)
    if target.lower().startswith("lb:"):  # lb://orders, lb:ws://orders
        name = target.split("//", 1)[-1].split("/", 1)[0]
        facts.routes.append(Route(match, name, evidence, by_name=True))
    else:
        facts.routes.append(Route(match, target, evidence))


def _dsl(file: SourceFile, facts: SourceFacts) -> None:
    """Routes of the Java/Kotlin ``RouteLocatorBuilder`` DSL, one per ``route(...)`` segment."""
    text = file.text
    known = {m.group(1): m.group(2) for m in _CONSTANT.finditer(text)}
    known.update({m.group(2): m.group(1) for m in _VALUE_FIELD.finditer(text)})
    starts = [m.start() for m in _DSL_ROUTE.finditer(text)]
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        paths: list[str] = []
        for call in _DSL_CALL.finditer(text, start, end):
            if file.line_text(call.start()).startswith(("//", "*", "/*")):
                continue
            args = call.group(2).strip()
            if call.group(1) == "path":
                paths += _STRING.findall(args) or [known.get(args, args)]
                continue
            literal = _STRING.fullmatch(args)
            uri = literal.group(1) if literal else known.get(args)
            if uri is None:
                reason = f"gateway route uri({args}) is not a constant"
                facts.unresolved.append(Unresolved("url", reason, file.evidence(call.start(), "code")))
            else:
                _add(file, "Path=" + ",".join(paths) if paths else "", uri, file.line_of(call.start()), facts)
            break


def _ocelot(file: SourceFile, doc: YamlDoc, facts: SourceFacts) -> None:
    for key in ("Routes", "ReRoutes"):
        routes = doc.data.get(key)
        for index, route in enumerate(routes if isinstance(routes, list) else ()):
            if not isinstance(route, dict) or "UpstreamPathTemplate" not in route:
                continue
            match, scheme = str(route["UpstreamPathTemplate"]), str(route.get("DownstreamScheme") or "")
            hosts = route.get("DownstreamHostAndPorts")
            for number, host in enumerate(hosts if isinstance(hosts, list) else ()):
                if isinstance(host, dict) and host.get("Host"):
                    address = f"{host['Host']}:{host['Port']}" if host.get("Port") else str(host["Host"])
                    template = f"{scheme}://{address}" if scheme else address
                    line = doc.line((key, index, "DownstreamHostAndPorts", number, "Host"))
                    facts.routes.append(Route(match, template, _evidence(file, line)))
            if isinstance(route.get("ServiceName"), str) and not hosts:
                evidence = _evidence(file, doc.line((key, index, "ServiceName")))
                facts.routes.append(Route(match, route["ServiceName"], evidence, by_name=True))


def _yarp(file: SourceFile, doc: YamlDoc, facts: SourceFacts) -> None:
    proxy = doc.data.get("ReverseProxy")
    if not isinstance(proxy, dict) or not isinstance(proxy.get("Clusters"), dict):
        return
    routes = proxy.get("Routes")
    items = (
        routes.items() if isinstance(routes, dict) else enumerate(routes if isinstance(routes, list) else ())
    )
    for key, route in items:
        if not isinstance(route, dict) or not isinstance(route.get("ClusterId"), str):
            continue
        path = (route.get("Match") or {}).get("Path", "") if isinstance(route.get("Match"), dict) else ""
        cluster = proxy["Clusters"].get(route["ClusterId"])
        destinations = cluster.get("Destinations") if isinstance(cluster, dict) else None
        evidence = _evidence(file, doc.line(("ReverseProxy", "Routes", key, "ClusterId")))
        for destination in (destinations or {}).values() if isinstance(destinations, dict) else ():
            if isinstance(destination, dict) and isinstance(destination.get("Address"), str):
                facts.routes.append(Route(str(path), destination["Address"], evidence))


def _flatten(doc: YamlDoc) -> Flat:
    """Spring's flat view of a YAML document: ``a.b[0].c`` -> (value as written, line)."""
    flat: Flat = {}

    def walk(value: Any, at: KeyPath, key: str) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, (*at, name), f"{key}.{name}" if key else str(name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*at, index), f"{key}[{index}]")
        elif value is not None:
            raw = doc.raw(at)
            flat[key] = (raw if raw is not None else str(value), doc.line(at))

    walk(doc.data, (), "")
    return flat


def _properties(text: str) -> Flat:
    flat: Flat = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and line[0] not in "#!" and (found := re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)$", line)):
            flat[found.group(1)] = (found.group(2), number)
    return flat


def _evidence(file: SourceFile, line: int) -> Evidence:
    lines = file.text.splitlines()
    return Evidence(
        file.path, line, lines[line - 1].strip()[:200] if 0 < line <= len(lines) else "", "config"
    )


def _blank(text: str) -> str:
    return "".join(c if c == "\n" else " " for c in text)


DETECTOR = GatewayRoutes()

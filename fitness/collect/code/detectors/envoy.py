"""Routes of an Envoy proxy from its static configuration (YAML or JSON with ``static_resources``).

- each ``virtual_hosts[].routes[]`` entry with ``route: { cluster: frontend }`` -> one Route per endpoint
  of that cluster: ``match`` is the route's ``prefix`` / ``path`` / ``safe_regex.regex`` (``""`` when it
  has none), ``template`` the cluster's ``socket_address`` as ``address:port_value``
  (``${FRONTEND_HOST}:${FRONTEND_PORT}`` envsubst templates kept as written); the evidence is the line
  naming the cluster in the route
- ``route: { weighted_clusters: { clusters: [{name: a}, {name: b}] } }`` -> routes to a and b
- a ``tcp_proxy`` filter's ``cluster: db`` -> Route("", address of db)
- endpoints from ``load_assignment.endpoints[].lb_endpoints[].endpoint.address.socket_address`` (v3) and
  ``hosts[].socket_address`` (v2); ``redirect`` and ``direct_response`` entries are not routes
- ``cluster_header`` routes, and clusters without static endpoints (EDS), are Unresolved
- an Envoy configuration embedded as a block string in another YAML file (a Kubernetes ConfigMap's
  ``envoy.yaml: |``) is read the same way, with the lines of the outer file
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fitness.collect.code.lazy_re import lazy
from fitness.collect.manifests.yaml_lines import KeyPath, YamlDoc, parse_yaml
from fitness.collect.source_file import SourceFile
from fitness.model import Evidence, FitnessError
from fitness.model.facts import Route, SourceFacts, Unresolved

_PLACEHOLDER = lazy(r"\$\{([A-Za-z_]\w*)\}")
_TOKEN = lazy(r"ENVSUBST_([A-Za-z_]\w*?)_END")
Endpoints = dict[str, list[str]]


class EnvoyRoutes:
    name: str = "envoy"
    suffixes: frozenset[str] = frozenset({".yaml", ".yml", ".json", ".tmpl", ".template"})
    triggers: tuple[str, ...] = ("static_resources",)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        # ${X} cannot start a YAML flow scalar ({ address: ${X} }): a plain token stands in while parsing
        text = _PLACEHOLDER.sub(r"ENVSUBST_\1_END", file.text)
        try:
            docs = parse_yaml(text, file.path)
        except FitnessError as error:
            facts.warnings.append(f"{file.path}: envoy configuration not read ({error})")
            return
        lines = file.text.splitlines()
        for doc in docs:
            _document(doc, 0, file.path, lines, facts)


def _document(doc: YamlDoc, shift: int, path: str, lines: list[str], facts: SourceFacts) -> None:
    """Routes of one parsed document; ``shift`` is the line its text starts after in the file."""

    def evidence(key_path: KeyPath) -> Evidence:
        line = doc.line(key_path) + shift
        text = lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ""
        return Evidence(path, line, _restore(text), "config")

    data = doc.data
    if not isinstance(data, dict):
        return
    if not isinstance(data.get("static_resources"), dict):
        for key_path, value in _walk(data, ()):  # an envoy.yaml held in a ConfigMap or Helm value
            if isinstance(value, str) and "static_resources" in value and "\n" in value:
                try:
                    inner = parse_yaml(value, path)
                except FitnessError:
                    continue
                for sub in inner:
                    _document(sub, doc.line(key_path) + shift, path, lines, facts)
        return
    resources = data["static_resources"]
    endpoints = _endpoints(resources.get("clusters"))
    for key_path, value in _walk(resources, ("static_resources",)):
        if not isinstance(value, dict):
            continue
        if isinstance(value.get("route"), dict) and isinstance(value.get("match"), dict):
            match = _match(value["match"])
            for cluster, cluster_path in _targets(value["route"], (*key_path, "route")):
                _emit(match, cluster, endpoints, evidence(cluster_path), facts)
            if "cluster_header" in value["route"]:
                reason = "Envoy route picks its cluster from a request header"
                facts.unresolved.append(Unresolved("url", reason, evidence((*key_path, "route"))))
        elif isinstance(value.get("cluster"), str) and "stat_prefix" in value and "route_config" not in value:
            _emit("", value["cluster"], endpoints, evidence((*key_path, "cluster")), facts)


def _emit(match: str, cluster: str, endpoints: Endpoints, evidence: Evidence, facts: SourceFacts) -> None:
    addresses = endpoints.get(cluster)
    if not addresses:
        reason = f"Envoy cluster {_restore(cluster)!r} has no static endpoints in this file"
        facts.unresolved.append(Unresolved("url", reason, evidence))
    for address in addresses or ():
        facts.routes.append(Route(_restore(match), address, evidence))


def _targets(route: dict[str, Any], at: KeyPath) -> Iterator[tuple[str, KeyPath]]:
    if isinstance(route.get("cluster"), str):
        yield route["cluster"], (*at, "cluster")
    weighted = route.get("weighted_clusters")
    if isinstance(weighted, dict) and isinstance(weighted.get("clusters"), list):
        for index, item in enumerate(weighted["clusters"]):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                yield item["name"], (*at, "weighted_clusters", "clusters", index, "name")


def _match(match: dict[str, Any]) -> str:
    for key in ("prefix", "path", "path_separated_prefix"):
        if isinstance(match.get(key), str):
            return str(match[key])
    regex = match.get("safe_regex") or {}
    return str(regex.get("regex", "")) if isinstance(regex, dict) else ""


def _endpoints(clusters: Any) -> Endpoints:
    """``address:port`` of every static endpoint, by cluster name."""
    found: Endpoints = {}
    for cluster in clusters if isinstance(clusters, list) else ():
        if not isinstance(cluster, dict) or not isinstance(cluster.get("name"), str):
            continue
        for part in (cluster.get("load_assignment"), cluster.get("hosts")):
            for _, value in _walk(part, ()):
                socket = value.get("socket_address") if isinstance(value, dict) else None
                if isinstance(socket, dict) and socket.get("address") not in (None, ""):
                    port = socket.get("port_value", socket.get("named_port", ""))
                    address = _restore(
                        f"{socket['address']}:{port}" if port != "" else str(socket["address"])
                    )
                    found.setdefault(cluster["name"], []).append(address)
    return found


def _walk(value: Any, at: KeyPath) -> Iterator[tuple[KeyPath, Any]]:
    yield at, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*at, index))


def _restore(text: str) -> str:
    return _TOKEN.sub(r"${\1}", text)


DETECTOR = EnvoyRoutes()

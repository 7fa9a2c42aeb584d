"""Kubernetes Ingress objects as routes: the cluster's entry point sends a host and path to a Service.

An Ingress is not a workload of the system: the cluster's ingress controller serves it. Its routes are
recorded as :class:`~fitness.model.facts.Route` facts of one component, ``ingress``, which the resolver
joins to the workloads the Services select, like an nginx or gateway route; its role is infrastructure,
so its edges are drawn and never judged (no cycle, chain or granularity runs through it).

Both forms are read, whatever the ``apiVersion`` says:

* ``networking.k8s.io/v1``: ``spec.defaultBackend.service.{name, port.number|port.name}`` and
  ``spec.rules[].http.paths[].backend.service...``;
* ``extensions/v1beta1`` and ``networking.k8s.io/v1beta1``: ``spec.backend.{serviceName, servicePort}``
  and ``spec.rules[].http.paths[].backend.{serviceName, servicePort}``.

A backend that is a ``resource`` (a storage bucket, say) is not a service and is skipped. The host names
of the rules are the ingress's aliases (code calling ``https://shop.example.com`` calls the ingress). As for
all infrastructure, a route to a Service no scanned workload answers to is not listed as unresolved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fitness.model import Evidence
from fitness.model.facts import Route

INGRESS_NAME = "ingress"
"""The component an Ingress's routes belong to (a workload of that name, if deployed, is the controller)."""

Where = Callable[..., tuple[str, int]]
"""(path, line) of a key path in the Ingress object."""


@dataclass
class IngressRoutes:
    routes: list[Route] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)  # the host names it answers to (aliases)


def ingress_routes(name: str, data: dict[str, Any], where: Where) -> IngressRoutes:
    """The routes of the Ingress ``name`` (``data``: the object; ``where``: the line of a key path)."""
    found = IngressRoutes()
    spec = _dict(data.get("spec"))
    for key in ("defaultBackend", "backend"):
        if key in spec:
            _add(found, name, "", _dict(spec.get(key)), ("spec", key), where)
    for r, rule in enumerate(_list(spec.get("rules"))):
        rule = _dict(rule)
        host = _text(rule.get("host"))
        if host and "*" not in host and host not in found.hosts:
            found.hosts.append(host)
        for p, item in enumerate(_list(_dict(rule.get("http")).get("paths"))):
            item = _dict(item)
            match = host + (_text(item.get("path")) or "/")
            keys = ("spec", "rules", r, "http", "paths", p, "backend")
            _add(found, name, match, _dict(item.get("backend")), keys, where)
    return found


def _add(
    found: IngressRoutes,
    name: str,
    match: str,
    backend: dict[str, Any],
    keys: tuple[str | int, ...],
    where: Where,
) -> None:
    service = _dict(backend.get("service"))
    if service:  # networking.k8s.io/v1
        target, port, keys = _text(service.get("name")), _dict(service.get("port")), (*keys, "service")
        number = port.get("number", port.get("name"))
    else:  # extensions/v1beta1, networking.k8s.io/v1beta1
        target, number = _text(backend.get("serviceName")), backend.get("servicePort")
    if not target:
        return
    port_text = str(number) if isinstance(number, int) or str(number or "").isdigit() else ""
    template = f"http://{target}:{port_text}" if port_text else f"http://{target}"
    path, line = where(*keys, "name" if service else "serviceName")
    shown = f"{target}:{number}" if number not in (None, "") else target
    text = f"Ingress {name} {match or 'default backend'} -> {shown}"
    found.routes.append(Route(match, template, Evidence(path, line, text, "manifest")))


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""

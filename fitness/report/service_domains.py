"""Domains of the service graph: which services belong together, so that a system of 80 services is drawn
as twenty labelled boxes of four (and, collapsed, as twenty nodes) instead of one tangle.

A domain is inferred by general rules, the strongest first; each service takes the first that places it:

1. declared: an ``annotations`` entry ``domain`` (or ``bounded-context``, ``group``) in fitness.yaml;
2. deployed: the group its manifests give it (the ``group`` fact: a Kubernetes ``part-of`` label or
   namespace);
3. folder: the deepest folder that holds the source folders of several services, though not of most
   (``services/orders/api`` and ``services/orders/worker`` -> ``orders``);
4. name: the shortest name prefix several services share, though not most, lengthened while it names
   the same services (``order-api``, ``order-worker`` -> ``order``; ``shop-orders-api``,
   ``shop-orders-worker`` -> ``shop-orders`` when every service starts with ``shop``).

"Not most" (at most half of the services, at least two, never all of them) keeps a prefix or a folder that every
service shares (``src/``, a company prefix) from making one box of everything. A group of one is no group.
Datastores and topics join the domain that owns them: the one their name starts with (``orders-db``), else
the one most of their users (a topic's publishers) belong to. Infrastructure stays out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fitness.model import Analysis
from fitness.model.graph import NodeKind
from fitness.report.graph_view import GraphData

DECLARED = ("domain", "bounded-context", "group")  # annotation keys, in this order
_TOKEN = re.compile(r"[-_.]")

Rule = Callable[[list[str], Mapping[str, Mapping[str, Any]], int], dict[str, str]]


def domains(analysis: Analysis, data: GraphData) -> dict[str, str]:
    """Node of ``data`` -> its domain, for every node that shares a domain with another service.

    >>> from fitness.model import ArchGraph
    >>> g = ArchGraph()
    >>> for name in ("order-api", "order-worker", "pay-api", "pay-worker", "mail"):
    ...     _ = g.add_node(NodeKind.SERVICE, name, {"role": "service"})
    >>> names = ["mail", "order-api", "order-db", "order-worker", "pay-api", "pay-worker"]
    >>> kinds = {n: "datastore" if n.endswith("db") else "service" for n in names}
    >>> domains(Analysis("s", g), GraphData("services", names, [], set(), kinds))
    {'order-api': 'order', 'order-db': 'order', 'order-worker': 'order', 'pay-api': 'pay', 'pay-worker': 'pay'}
    """
    services = [n for n in data.nodes if data.kinds.get(n) == "service" and data.roles.get(n) != "infra"]
    attrs = {node.name: node.attrs for node in analysis.graph.nodes(NodeKind.SERVICE)}
    placed: dict[str, str] = {}
    rules: tuple[Rule, ...] = (_declared, _deployed, _by_folder, _by_prefix)
    for rule in rules:
        left = [s for s in services if s not in placed]
        placed.update(rule(left, attrs, len(services)))
    sizes = Counter(placed.values())
    found = {service: domain for service, domain in placed.items() if sizes[domain] > 1}
    found.update(_owned(data, found))
    return dict(sorted(found.items()))


def _declared(services: list[str], attrs: Mapping[str, Mapping[str, Any]], total: int) -> dict[str, str]:
    found = {}
    for service in services:
        annotations = attrs.get(service, {}).get("annotations") or {}
        value = next((annotations[k] for k in DECLARED if isinstance(annotations.get(k), str)), "")
        if value.strip():
            found[service] = value.strip()
    return found


def _deployed(services: list[str], attrs: Mapping[str, Mapping[str, Any]], total: int) -> dict[str, str]:
    groups = {s: str(attrs.get(s, {}).get("group") or "") for s in services}
    return _few({s: g for s, g in groups.items() if g}, total)


def _by_folder(services: list[str], attrs: Mapping[str, Mapping[str, Any]], total: int) -> dict[str, str]:
    homes = {}
    for service in services:
        folders = sorted(str(f).strip("/") for f in attrs.get(service, {}).get("folders") or ())
        if folders and folders[0] not in ("", "."):
            homes[service] = tuple(folders[0].split("/"))
    holding = Counter(home[:depth] for home in homes.values() for depth in range(1, len(home)))
    found = {}
    for service, home in homes.items():
        fitting = [home[:d] for d in range(len(home) - 1, 0, -1) if 2 <= holding[home[:d]] <= _most(total)]
        if fitting:
            found[service] = "/".join(fitting[0])
    return {service: folder.rsplit("/", 1)[-1] for service, folder in found.items()}


def _by_prefix(services: list[str], attrs: Mapping[str, Mapping[str, Any]], total: int) -> dict[str, str]:
    tokens = {s: tuple(t for t in _TOKEN.split(s.lower()) if t) for s in services}
    sharing = Counter(t[:k] for t in tokens.values() for k in range(1, len(t) + 1))
    found = {}
    for service, parts in tokens.items():
        fitting = [k for k in range(1, len(parts) + 1) if 2 <= sharing[parts[:k]] <= _most(total)]
        if fitting:  # the shortest prefix that fits, lengthened while it names the same services
            k = fitting[0]
            while k < len(parts) and sharing[parts[: k + 1]] == sharing[parts[:k]]:
                k += 1
            found[service] = "-".join(parts[:k])
    return found


def _owned(data: GraphData, found: Mapping[str, str]) -> dict[str, str]:
    """Datastores and topics -> the domain owning them: the one their name starts with, else the one
    most of their users (for a topic: its publishers, else its subscribers) belong to, when it is one."""
    by_tokens = {tuple(_TOKEN.split(domain.lower())): domain for domain in set(found.values())}
    users: dict[str, list[str]] = {}
    for source, target, _ in data.edges:
        for store, user in ((target, source), (source, target)):
            if data.kinds.get(store) in ("datastore", "topic") and user in found:
                kind = "publisher" if store == target else "reader"
                users.setdefault(store, []).append(kind + ":" + found[user])
    owned = {}
    for node in data.nodes:
        if data.kinds.get(node) not in ("datastore", "topic") or data.roles.get(node) == "infra":
            continue
        parts = tuple(t for t in _TOKEN.split(node.lower()) if t)
        named = next((by_tokens[parts[:k]] for k in range(len(parts), 0, -1) if parts[:k] in by_tokens), None)
        owner = named or _majority(users.get(node, []), data.kinds.get(node) == "topic")
        if owner:
            owned[node] = owner
    return owned


def _majority(users: Iterable[str], topic: bool) -> str | None:
    tagged = list(users)
    if topic and any(u.startswith("publisher:") for u in tagged):
        tagged = [u for u in tagged if u.startswith("publisher:")]
    counts = Counter(u.partition(":")[2] for u in tagged).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def _few(groups: Mapping[str, str], total: int) -> dict[str, str]:
    """The groups holding at least two and at most ``_most(total)`` services."""
    sizes = Counter(groups.values())
    return {s: g for s, g in groups.items() if 2 <= sizes[g] <= _most(total)}


def _most(total: int) -> int:
    """The largest group an inferred rule may make: half of the services, at least two, never all."""
    return min(max(2, total // 2), total - 1)

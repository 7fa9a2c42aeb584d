"""One identity per component, whatever name a manifest, a URL or a discovery call gives it.

A component answers to its name and aliases (compose ``container_name``/``hostname``/network aliases,
Kubernetes Service names selecting it, the other deployments' names merged into it), compared without
case and with ``_``/``.`` read as ``-``. A host also matches through the Kubernetes DNS forms
(``cart.shop``, ``cart.shop.svc``, ``cart.shop.svc.cluster.local``), and a logical name (a Feign client,
a registry enum) also through a release prefix every deployment shares (``shop-webui`` is ``webui``).
``localhost:8100`` is the component that publishes host port 8100, when exactly one does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

LOOPBACK = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]", "host.docker.internal"})
_K8S_SUFFIXES = (".svc.cluster.local", ".svc")


def normal(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


@dataclass
class Identities:
    names: dict[str, str] = field(default_factory=dict)  # normal(name or alias) -> component
    published: dict[int, set[str]] = field(default_factory=dict)  # host port -> components
    prefixes: tuple[str, ...] = ()

    @classmethod
    def build(cls, components: Iterable[tuple[str, Iterable[str], Iterable[int]]]) -> Identities:
        index = cls()
        items = sorted(
            (name, sorted(set(aliases)), sorted(set(ports))) for name, aliases, ports in components
        )
        for name, aliases, ports in items:
            for alias in (name, *aliases):
                index.names.setdefault(normal(alias), name)
            for port in ports:
                index.published.setdefault(port, set()).add(name)
        index.prefixes = _release_prefixes([normal(n) for n in index.names])
        return index

    def host(self, host: str, port: int | None = None) -> str | None:
        """The component a host (as written in a URL or ``host:port``) names, or None."""
        bare = host.strip().strip("[]").lower().rstrip(".")
        if bare in LOOPBACK:
            owners = self.published.get(port or -1, set())
            return next(iter(owners)) if len(owners) == 1 else None
        found = self.names.get(normal(bare))
        if found is not None:
            return found
        for suffix in _K8S_SUFFIXES:
            if bare.endswith(suffix):
                return self.names.get(normal(bare[: -len(suffix)].split(".")[0]))
        if bare.count(".") == 1:  # service.namespace
            return self.names.get(normal(bare.split(".")[0]))
        return None

    def name(self, logical: str) -> str | None:
        """The component a logical name (discovery, registry, Feign ``name``) means, or None."""
        key = normal(logical)
        if key in self.names:
            return self.names[key]
        for prefix in self.prefixes:
            if prefix + key in self.names:
                return self.names[prefix + key]
        return None


def _release_prefixes(names: list[str]) -> tuple[str, ...]:
    """``shop-`` when at least three names start with it (Helm release and Kubernetes prefixes)."""
    counts = Counter(name.split("-", 1)[0] + "-" for name in names if "-" in name)
    return tuple(sorted(prefix for prefix, count in counts.items() if count >= 3))

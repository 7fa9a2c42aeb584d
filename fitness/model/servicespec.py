"""Services as the team declares them in fitness.yaml (``services:``); declared facts beat inferred ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ServiceSpec:
    """One entry of ``services:``.

    ``paths`` are folders holding the service's code (relative to the analysed root), ``packages`` the
    Python packages it owns, ``datastores`` the datastores it connects to, ``owns`` the tables it owns
    (write authority), ``aliases`` other host names it answers to, ``annotations`` free-form facts used
    by the granularity score (``scaling: high``, ``handles: [pci]``, ``latency_ms: 40``).
    """

    name: str
    paths: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    datastores: tuple[str, ...] = ()
    owns: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    annotations: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    source: str = "fitness.yaml"  # the config file it was read from (fitness.yaml or pyproject.toml)

"""The starter fitness.yaml written by ``fitness init``."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

SERVICE_RULES = """\
  # Services found: {services}
  # Datastores and brokers found: {datastores}
  - id: database-per-service
    type: no-shared-database
    because: a schema change must never need two teams
  - id: tables-have-one-writer
    type: no-shared-tables
    writers_only: true
  - id: short-sync-chains
    type: max-sync-chain
    max: 2
    because: availability multiplies along a chain of calls
  - id: no-call-cycles
    type: no-service-cycles
  - id: no-event-ping-pong
    type: no-event-cycles
  - id: not-a-distributed-monolith
    type: max-distributed-monolith-score
    max: 0.5
"""


def starter_yaml(
    source_roots: Sequence[str],
    packages: Sequence[str],
    layer_order: Sequence[str],
    services: Sequence[str] = (),
    datastores: Sequence[str] = (),
) -> str:
    """A config that names what was found, keeps packages acyclic, proposes layers (commented) and,
    when services were found, the service rules (each may fail at first: that is what init found)."""
    head = {
        "version": 1,
        "root": list(source_roots),
        "packages": list(packages),
    }
    text = [
        "# fitness.yaml: architecture rules checked by `fitness check` (see README, config reference).",
        yaml.safe_dump(head, sort_keys=False).rstrip(),
        "",
        "analysis:",
        "  package_depth: 2          # packages are compared one level below the root package",
        "",
        "rules:",
    ]
    if packages:
        text += [
            "  - id: no-package-cycles",
            "    type: acyclic",
            "    level: packages",
            "    because: packages that import each other cannot be understood or changed alone",
        ]
    if services:
        text.append(
            SERVICE_RULES.format(
                services=", ".join(services), datastores=", ".join(datastores) or "none"
            ).rstrip()
        )
    if len(layer_order) > 1:
        text += [
            "",
            "  # Proposed layers, highest first, from the current dependency order. Edit, then uncomment:",
            "  # - id: layers",
            "  #   type: layers",
            f"  #   containers: [{packages[0]}]" if len(packages) == 1 else "  #   containers: []",
            "  #   layers:",
            *[f"  #     - {name}" for name in layer_order],
        ]
    return "\n".join(text) + "\n"

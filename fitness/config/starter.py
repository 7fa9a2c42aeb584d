"""The starter fitness.yaml written by ``fitness init``."""

from __future__ import annotations

from collections.abc import Sequence

import yaml


def starter_yaml(source_roots: Sequence[str], packages: Sequence[str], layer_order: Sequence[str]) -> str:
    """A config that names what was found, keeps packages acyclic and proposes layers (commented)."""
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
        "  - id: no-package-cycles",
        "    type: acyclic",
        "    level: packages",
        "    because: packages that import each other cannot be understood or changed alone",
    ]
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

"""Coupling metrics per module, per package and for the whole system.

Definitions (all counts are of distinct internal modules or packages; self-imports are ignored):

- module ``fan_in`` / ``fan_out``: modules importing it / modules it imports; ``ca`` / ``ce`` are the same
  numbers under Martin's names.
- package ``fan_in`` / ``fan_out``: other packages importing it / other packages it imports.
- package ``ca``: modules outside the package that import a module inside it (Martin's afferent coupling).
- package ``ce``: modules outside the package that its modules import (efferent coupling, counted on the
  far side like ``ca`` so that both are in the same unit).
- ``instability`` = ce / (ca + ce); 0.0 for an isolated node (nothing depends on it and it depends on
  nothing, so nothing pushes it to change).
- ``propagation_cost`` (MacCormack et al.): the density of the visibility matrix, each node counting as
  visible from itself: the average share of the system a change can reach, from 1/n (no imports) to 1.

Fractions are rounded to 4 decimals so that the JSON is stable from run to run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from fitness.model.algorithms import reach_counts
from fitness.model.analysis import Metrics
from fitness.model.views import ImportView, PackageView, package_of

DIGITS = 4


def compute_metrics(
    view: ImportView, depth: int, packages: PackageView | None = None, full: bool = True
) -> Metrics:
    """Metrics at levels ``modules``, ``packages`` (at ``depth``) and ``system``; with ``full`` False only
    ``packages``, which the package smells read (the module rows and the propagation costs, a quarter of
    a second on 7,000 modules, are for reports that show them).

    ``packages`` may be passed in when the caller already collapsed the view (it must be at ``depth``).
    """
    if packages is None:
        packages = PackageView.collapse(view, depth)
    package_rows = package_metrics(view, packages)
    if not full:
        return {"packages": package_rows}
    module_rows = module_metrics(view)
    return {
        "modules": module_rows,
        "packages": package_rows,
        "system": {
            "modules": {
                "count": len(view.modules),
                "imports": sum(int(row["fan_out"]) for row in module_rows.values()),
                "propagation_cost": propagation_cost(view.modules, view.succ, view.strong_components()),
            },
            "packages": {
                "count": len(packages.nodes),
                "dependencies": sum(len(targets) for targets in packages.succ.values()),
                "propagation_cost": propagation_cost(
                    packages.nodes, packages.succ, packages.strong_components()
                ),
            },
        },
    }


def module_metrics(view: ImportView) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    none: set[str] = set()
    for module in sorted(view.modules):
        importers, imported = view.pred.get(module, none), view.succ.get(module, none)
        fan_in = len(importers) - (module in importers)  # a self-import is not counted
        fan_out = len(imported) - (module in imported)
        rows[module] = {
            "fan_in": fan_in,
            "fan_out": fan_out,
            "ca": fan_in,
            "ce": fan_out,
            "instability": instability(fan_in, fan_out),
        }
    return rows


def package_metrics(view: ImportView, packages: PackageView) -> dict[str, dict[str, float]]:
    """The package rows. The imports between packages are read from ``packages.members`` (the view
    collapsed, which keeps the module imports behind each package dependency), not from every module
    import again; a package nothing crosses into or out of has no set at all."""
    sizes: dict[str, int] = dict.fromkeys(packages.nodes, 0)
    for module in view.modules:
        sizes[package_of(module, packages.depth)] += 1
    afferent: dict[str, set[str]] = {}
    efferent: dict[str, set[str]] = {}
    for (source, target), pairs in packages.members.items():
        outward = efferent.setdefault(source, set())
        inward = afferent.setdefault(target, set())
        for importer, imported in pairs:
            outward.add(imported)
            inward.add(importer)
    fan_in: dict[str, int] = dict.fromkeys(packages.nodes, 0)
    for targets in packages.succ.values():
        for target in targets:
            fan_in[target] += 1
    rows: dict[str, dict[str, float]] = {}
    for package in sorted(packages.nodes):
        ca, ce = len(afferent.get(package, ())), len(efferent.get(package, ()))
        rows[package] = {
            "fan_in": fan_in[package],
            "fan_out": len(packages.succ[package]),
            "ca": ca,
            "ce": ce,
            "instability": instability(ca, ce),
            "modules": sizes[package],
        }
    return rows


def instability(ca: int, ce: int) -> float:
    """Martin's I = Ce / (Ca + Ce); 0.0 when both are 0 (an isolated node has no reason to change)."""
    return round(ce / (ca + ce), DIGITS) if ca + ce else 0.0


def propagation_cost(
    nodes: Collection[str], succ: Mapping[str, Collection[str]], components: list[list[str]] | None = None
) -> float:
    """Share of the visibility matrix (reachability, diagonal included) that is set; 0.0 when empty.
    ``components``: the strongly connected components when the caller has them (``succ`` must then
    point inside ``nodes`` only, as a view's does)."""
    if not nodes:
        return 0.0
    return round(sum(reach_counts(nodes, succ, components).values()) / len(nodes) ** 2, DIGITS)

"""Pure analysis of the import graph: metrics, cycles and package smells.

``analyze`` is what the pipeline calls. Everything here reads the model and returns data: no files, no
processes, no network, and no networkx (its import alone would cost ``fitness check`` 0.15 s).
"""

from __future__ import annotations

from fitness.analyze.cycles import module_cycles, package_cycles
from fitness.analyze.metrics import compute_metrics
from fitness.analyze.smells import hub_like, smell_setting, unstable_dependencies
from fitness.model.analysis import Metrics
from fitness.model.findings import Finding
from fitness.model.thresholds import AnalysisSettings
from fitness.model.views import ImportView, PackageView

__all__ = ["analyze", "compute_metrics"]


def analyze(
    view: ImportView,
    settings: AnalysisSettings,
    depth: int,
    full_metrics: bool = True,
    package_metrics: bool = False,
) -> tuple[Metrics, list[Finding]]:
    """Metrics and the smell findings (FIT201-FIT204), sorted.

    ``full_metrics``: every level (modules, packages, system), for JSON, the report and trend. Else the
    package level only where something reads it: the hub and unstable-dependency smells, or a rule that
    declares ``Need.METRICS`` (``package_metrics``); else none. The packages themselves are collapsed
    only for those and for the package-cycle smell (a quarter of a plain check's analysis on
    homeassistant, for an output that shows none of it).

    ``depth`` is the package depth for package metrics, package cycles and the package smells.
    """
    enabled = {
        n for n in ("package_cycles", "hub_like", "unstable_dependency") if smell_setting(settings, n).enabled
    }
    rows_wanted = full_metrics or package_metrics or bool(enabled & {"hub_like", "unstable_dependency"})
    packages = PackageView.collapse(view, depth) if rows_wanted or "package_cycles" in enabled else None
    metrics = compute_metrics(view, depth, packages, full_metrics) if rows_wanted else {}
    findings = [*module_cycles(view, settings)]
    if packages is not None:
        findings += package_cycles(view, packages, settings)
    if rows_wanted and packages is not None:
        findings += [
            *hub_like(view, packages, metrics, settings),
            *unstable_dependencies(view, packages, metrics, settings),
        ]
    return metrics, sorted(findings, key=Finding.sort_key)

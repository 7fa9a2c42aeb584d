"""Pure analysis of the import graph: metrics, cycles and package smells.

``analyze`` is what the pipeline calls. Everything here reads the model and returns data: no files, no
processes, no network, and no networkx (its import alone would cost ``fitness check`` 0.15 s).
"""

from __future__ import annotations

from fitness.analyze.cycles import module_cycles, package_cycles
from fitness.analyze.metrics import compute_metrics
from fitness.analyze.smells import hub_like, unstable_dependencies
from fitness.model.analysis import Metrics
from fitness.model.findings import Finding
from fitness.model.thresholds import AnalysisSettings
from fitness.model.views import ImportView, PackageView

__all__ = ["analyze", "compute_metrics"]


def analyze(
    view: ImportView, settings: AnalysisSettings, depth: int, full_metrics: bool = True
) -> tuple[Metrics, list[Finding]]:
    """Metrics at every level (only the package level without ``full_metrics``) and the smell findings
    (FIT201-FIT204), sorted.

    ``depth`` is the package depth for package metrics, package cycles and the package smells.
    """
    packages = PackageView.collapse(view, depth)
    metrics = compute_metrics(view, depth, packages, full_metrics)
    findings = [
        *module_cycles(view, settings),
        *package_cycles(view, packages, settings),
        *hub_like(view, packages, metrics, settings),
        *unstable_dependencies(view, packages, metrics, settings),
    ]
    return metrics, sorted(findings, key=Finding.sort_key)

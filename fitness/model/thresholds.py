"""Analysis knobs (smell severities and thresholds) with their documented defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from fitness.model.findings import Severity

# The smells the analysis reports without any rule, with their default severity and threshold.
# hub_like follows Arcan: fan-in and fan-out above the median and |in - out| < a quarter of in + out.
# unstable_dependency follows Arcan: more than 30% of a package's dependencies are less stable than it.
DEFAULT_SMELLS: dict[str, tuple[Severity, float | None]] = {
    "module_cycles": (Severity.WARNING, None),
    "package_cycles": (Severity.WARNING, None),
    "hub_like": (Severity.INFO, 0.25),
    "unstable_dependency": (Severity.INFO, 0.3),
    # Service smells (issue: services and data). Thresholds: sync_chains = most calls allowed in one
    # chain; distributed_monolith = the score (0..1) from which a group of services is reported.
    "shared_database": (Severity.WARNING, None),
    "shared_infrastructure": (Severity.INFO, None),
    "shared_tables": (Severity.WARNING, None),
    "cross_service_access": (Severity.WARNING, None),
    "service_imports": (Severity.WARNING, None),
    "shared_library": (Severity.INFO, 2),
    "sync_chains": (Severity.WARNING, 2),
    "sync_cycles": (Severity.WARNING, None),
    "event_cycles": (Severity.WARNING, None),
    "hardcoded_endpoints": (Severity.INFO, None),
    "distributed_monolith": (Severity.WARNING, 0.5),
    # Resilience smells (issue 15): missing_gateway's threshold = most services a client may call directly;
    # chatty_pairs' = most distinct endpoints (URL paths, else call sites) one caller may use of one service
    "wobbly_interactions": (Severity.WARNING, None),
    "dual_writes": (Severity.WARNING, None),
    "unidempotent_consumers": (Severity.INFO, None),
    "remote_calls_in_loops": (Severity.WARNING, None),
    "missing_gateway": (Severity.INFO, 3),
    "chatty_pairs": (Severity.INFO, 5),
    "unversioned_apis": (Severity.INFO, None),
    "uncompensated_saga_steps": (Severity.WARNING, None),
}


# Knobs some smells take besides enabled/severity/threshold, with their defaults (issue 17):
# unstable_dependency ignores instability differences up to ``tolerance`` (I=0.07 vs I=0.12 is noise);
# the cycle smells leave function-level and TYPE_CHECKING imports out with ``ignore_lazy``.
SMELL_KNOBS: dict[str, dict[str, float | bool]] = {
    "unstable_dependency": {"tolerance": 0.1},
    "module_cycles": {"ignore_lazy": False},
    "package_cycles": {"ignore_lazy": False},
}


@dataclass(frozen=True)
class SmellSettings:
    enabled: bool
    severity: Severity
    threshold: float | None = None
    tolerance: float = 0.1
    ignore_lazy: bool = False


@dataclass(frozen=True)
class AnalysisSettings:
    """``package_depth`` None means: one level below each root package (``shop.orders``)."""

    package_depth: int | None = None
    smells: dict[str, SmellSettings] = field(
        default_factory=lambda: {
            name: SmellSettings(True, severity, threshold)
            for name, (severity, threshold) in DEFAULT_SMELLS.items()
        }
    )

"""Package-level design smells after Arcan: FIT203 hub-like dependency, FIT204 unstable dependency.

Both read the package metrics (at the analysis depth) rather than recounting, so a finding's numbers are
exactly the numbers the metrics report shows.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

from fitness.model.analysis import Metrics
from fitness.model.evidence import Evidence, Location
from fitness.model.findings import Chain, Finding, Severity
from fitness.model.thresholds import DEFAULT_SMELLS, AnalysisSettings, SmellSettings
from fitness.model.views import ImportView, PackageView


def smell_setting(settings: AnalysisSettings, name: str) -> SmellSettings:
    """The configured smell, with the documented default for anything left unset."""
    severity, threshold = DEFAULT_SMELLS[name]
    setting = settings.smells.get(name) or SmellSettings(True, severity, threshold)
    if setting.threshold is None and threshold is not None:
        return dataclasses.replace(setting, threshold=threshold)
    return setting


def evidence_finding(
    code: str,
    rule: str,
    message: str,
    subjects: Sequence[str],
    evidence: Iterable[Evidence],
    fix: str,
    data: dict[str, object] | None = None,
) -> Finding:
    """A smell located at every file:line of its evidence (a warning; the caller applies the configured
    severity)."""
    locations = sorted({Location(e.path, e.line) for e in evidence if e.path})
    return Finding(
        code=code,
        rule=rule,
        severity=Severity.WARNING,
        message=message,
        subjects=tuple(subjects),
        locations=tuple(locations),
        fix=fix,
        data=dict(data or {}),
    )


def hub_like(
    view: ImportView, packages: PackageView, metrics: Metrics, settings: AnalysisSettings
) -> list[Finding]:
    """FIT203: packages that many depend on and that depend on many, in about equal measure.

    Fan-in and fan-out must both be strictly above the medians over all packages, and
    ``|fan_in - fan_out| < threshold * (fan_in + fan_out)``: a hub, not a mere library or a mere client.
    """
    setting = smell_setting(settings, "hub_like")
    rows = metrics["packages"]
    if not setting.enabled or not rows:
        return []
    threshold = float(setting.threshold or 0.0)
    medians = (
        statistics.median(row["fan_in"] for row in rows.values()),
        statistics.median(row["fan_out"] for row in rows.values()),
    )
    dependents: dict[str, list[str]] = {package: [] for package in packages.nodes}
    for source, targets in sorted(packages.succ.items()):
        for target in targets:
            dependents[target].append(source)
    findings = []
    for package, row in sorted(rows.items()):
        fan_in, fan_out = int(row["fan_in"]), int(row["fan_out"])
        if (
            fan_in > medians[0]
            and fan_out > medians[1]
            and abs(fan_in - fan_out) < threshold * (fan_in + fan_out)
        ):
            data = {
                "fan_in": fan_in,
                "fan_out": fan_out,
                "median_fan_in": medians[0],
                "median_fan_out": medians[1],
                "threshold": threshold,
                "dependents": dependents[package],
                "dependencies": sorted(packages.succ[package]),
            }
            findings.append(_hub_finding(setting, package, data, _package_file(view, package)))
    return findings


def unstable_dependencies(
    view: ImportView, packages: PackageView, metrics: Metrics, settings: AnalysisSettings
) -> list[Finding]:
    """FIT204: packages whose dependencies are mostly on packages less stable than themselves.

    A dependency ``p -> q`` with ``I(q) > I(p)`` goes against the Stable Dependencies Principle; the smell
    fires when such dependencies are more than ``threshold`` of all of ``p``'s package dependencies.
    Only dependencies across units count: a package and its own subpackages are one unit
    (``django.db -> django.db.models`` is not one). A difference up to ``tolerance`` is noise, not a
    violation: with the default 0.1, I=0.07 depending on I=0.12 does not count.
    """
    setting = smell_setting(settings, "unstable_dependency")
    rows = metrics["packages"]
    if not setting.enabled:
        return []
    threshold = float(setting.threshold or 0.0)
    findings = []
    for package in sorted(packages.nodes):
        dependencies = sorted(dep for dep in packages.succ[package] if not _one_unit(package, dep))
        own = rows[package]["instability"]
        worse = [dep for dep in dependencies if rows[dep]["instability"] > own + setting.tolerance]
        if not dependencies or len(worse) / len(dependencies) <= threshold:
            continue
        data = {
            "instability": own,
            "dependencies": len(dependencies),
            "fraction": round(len(worse) / len(dependencies), 4),
            "threshold": threshold,
            "tolerance": setting.tolerance,
            "less_stable": [{"package": dep, "instability": rows[dep]["instability"]} for dep in worse],
        }
        chains = tuple((view.link(*packages.members[(package, dep)][0]),) for dep in worse)
        findings.append(_unstable_finding(setting, package, data, chains))
    return findings


def locations_of(chains: tuple[Chain, ...]) -> tuple[Location, ...]:
    """The file:line of every link that has one, unique, in chain order: the first is the first link of
    the first chain (where SARIF results and annotations point)."""
    places = (Location(link.path, link.line) for chain in chains for link in chain if link.path)
    return tuple(dict.fromkeys(places))


def _hub_finding(
    setting: SmellSettings, package: str, data: dict[str, Any], locations: tuple[Location, ...]
) -> Finding:
    fan_in, fan_out, threshold = data["fan_in"], data["fan_out"], data["threshold"]
    total = fan_in + fan_out
    return Finding(
        code="FIT203",
        rule="hub-like",
        severity=setting.severity,
        message=(
            f"{package} is a hub: fan-in {fan_in} and fan-out {fan_out} are both above the package "
            f"medians ({data['median_fan_in']:g} and {data['median_fan_out']:g}) and balanced "
            f"(|{fan_in} - {fan_out}| = {abs(fan_in - fan_out)} is less than {threshold:g} of {total} "
            f"= {threshold * total:g})"
        ),
        subjects=(package,),
        locations=locations,
        fix=(
            f"split {package}: move what its {fan_in} dependents use away from what needs its {fan_out} "
            "dependencies, so that each part is either depended on or dependent, not both"
        ),
        data=data,
    )


def _unstable_finding(
    setting: SmellSettings, package: str, data: dict[str, Any], chains: tuple[Chain, ...]
) -> Finding:
    worse = data["less_stable"]
    listed = ", ".join(f"{dep['package']} (I={dep['instability']:.2f})" for dep in worse)
    margin = f" by more than {data['tolerance']:g}" if data["tolerance"] else ""
    return Finding(
        code="FIT204",
        rule="unstable-dependency",
        severity=setting.severity,
        message=(
            f"{package} (instability {data['instability']:.2f}) depends on {data['dependencies']} "
            f"package{'s' if data['dependencies'] != 1 else ''}, {len(worse)} of them less stable than "
            f"itself{margin} ({data['fraction']:.0%} > "
            f"{data['threshold']:.0%}): {listed}"
        ),
        subjects=(package,),
        locations=locations_of(chains),
        chains=chains,
        fix=(
            f"depend in the direction of stability: have {package} own an interface that the less stable "
            "packages implement, or move what it uses from them into a more stable package"
        ),
        data=data,
    )


def _package_file(view: ImportView, package: str) -> tuple[Location, ...]:
    """The package's own module file (its ``__init__.py``), when the package is a module."""
    path = view.path_of(package) if package in view.modules else ""
    return (Location(path),) if path else ()


def _one_unit(package: str, other: str) -> bool:
    """True when one package holds the other (``django.db`` and ``django.db.models``)."""
    return other.startswith(package + ".") or package.startswith(other + ".")

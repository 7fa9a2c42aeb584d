"""config -> collect -> analyze -> rules -> Analysis: the one function a library user calls too.

from pathlib import Path
from fitness.pipeline import run
analysis = run(Path("."))
for finding in analysis.sorted_findings():
    print(finding.code, finding.message)
"""

from __future__ import annotations

import gc
import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fitness import __version__
from fitness.analyze import analyze
from fitness.analyze.services import service_smells
from fitness.collect.git.changes import changed_files
from fitness.collect.git.history import collect_history
from fitness.collect.python.discover import discover_library_roots, discover_packages, discover_source_roots
from fitness.collect.python.imports import ImportScan, collect_imports
from fitness.collect.services import ServiceScan, collect_services, plan_services
from fitness.config import Config, load_config
from fitness.model import Analysis, ArchGraph, FitnessError, Location
from fitness.model.findings import Finding
from fitness.model.granularity import granularity_metrics
from fitness.model.history import HistorySettings, parse_since
from fitness.model.service_view import ServiceView
from fitness.model.views import ImportView
from fitness.rules import baseline
from fitness.rules.base import Need, RuleType
from fitness.rules.evaluate import build_rules, rule_needs, run_rules

CACHE_DIR = ".fitness_cache"


@dataclass(frozen=True)
class Options:
    """Command-line choices that override the config file."""

    config_path: Path | None = None
    cache: bool = True
    baseline_path: Path | None = None
    changed_since: str | None = None  # report only findings touching files changed since this git rev
    since: str | None = None  # git history window (``--since``), overrides ``history.since``
    granularity: bool = False  # score granularity even for a package-only system (``fitness score``)


def run(root: Path, options: Options | None = None, config: Config | None = None) -> Analysis:
    """Analyse ``root`` and return the Analysis (raises FitnessError on bad input).

    The cyclic garbage collector is paused meanwhile: building the graph allocates hundreds of thousands
    of small objects and no reference cycles, and the collector's passes over them cost a quarter of a
    large run. It is switched back on (if it was on) when the analysis ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(root, options, config)
    finally:
        if was_enabled:
            gc.enable()


def _run(root: Path, options: Options | None, config: Config | None) -> Analysis:
    options = options or Options()
    root = root.resolve() if root.exists() else root
    config = config or load_config(root, options.config_path)
    changed = None if options.changed_since is None else changed_files(root, options.changed_since)
    plan = plan_services(root, config.services)
    source_roots = list(config.source_roots) or _unique(
        [*discover_source_roots(root), *plan.source_roots(root), *discover_library_roots(root)]
    )
    packages = list(config.packages) or [
        name for source_root in source_roots for name in discover_packages(root, source_root)
    ]
    graph = ArchGraph()
    scan = ImportScan(packages, source_roots)
    if packages or not plan.services:  # a system of Java or Go services has no Python to scan
        scan = collect_imports(
            graph,
            root,
            source_roots,
            packages,
            exclude=config.exclude,
            include_external=config.include_external or Need.EXTERNAL_IMPORTS in rule_needs(config.rules),
            exclude_type_checking=config.exclude_type_checking_imports,
            cache_dir=root / CACHE_DIR / "grimp" if options.cache else None,
        )
    services = collect_services(graph, root, plan, config.sql_dialect)
    history = collect_history(
        graph,
        root,
        history_settings(config, options),
        config.analysis.package_depth or default_depth(packages),
        required=options.granularity or Need.HISTORY in rule_needs(config.rules),
    )
    view = ImportView.from_graph(graph)
    rules = build_rules(config.rules, view)
    depth = config.analysis.package_depth or default_depth(packages)
    metrics, smells = analyze(view, config.analysis, depth)
    if services.services:
        smells = [*smells, *service_smells(ServiceView.from_graph(graph), config.analysis)]
    granularity = _granularity(graph, config, depth, options, rules, history.summary())
    if granularity is not None:
        metrics.update(granularity_metrics(granularity))
    outcome = run_rules(rules, view, metrics, depth)
    from fitness.collect.code.calls import fold_skipped  # not at the top: it imports the call collectors

    analysis = Analysis(
        root=root.name,
        graph=graph,
        findings=[
            *_not_covered(smells, outcome.findings),
            *outcome.findings,
            *_rooted(outcome.unused_ignores, root),
            *_rooted(_decision_findings(root, config), root),
        ],
        metrics=metrics,
        summary={
            "fitness_version": __version__,
            "config": _relative_to(config.path, root),
            "source_roots": source_roots,
            "packages": packages,
            "package_depth": depth,
            "modules": scan.modules,
            "imports": scan.imports,
            "rules": [rule_summary(r) for r in rules],
            **_service_summary(services),
            "history": history.summary(),
            **({"granularity": granularity} if granularity is not None else {}),
            **_decision_summary(root, config),
        },
        warnings=fold_skipped([*scan.skipped, *services.warnings, *history.warnings]),
    )
    if options.baseline_path is not None:
        apply_baseline(analysis, options.baseline_path)
    if options.changed_since is not None and changed is not None:
        keep_changed(analysis, options.changed_since, changed)
    return analysis


def _decision_findings(root: Path, config: Config) -> list[Finding]:
    """FIT003 for rules pointing at missing, rejected or superseded ADRs (fitness.adr loads lazily)."""
    if not any(spec.adr is not None for spec in config.rules):
        return []
    from fitness.adr import decision_findings

    return decision_findings(root, config.adr, config.rules)


def _decision_summary(root: Path, config: Config) -> dict[str, Any]:
    if not any(spec.adr is not None for spec in config.rules):
        return {}
    from fitness.adr import decision_summary

    return decision_summary(root, config.adr, config.rules)


def _granularity(
    graph: ArchGraph,
    config: Config,
    depth: int,
    options: Options,
    rules: list[RuleType],
    history: dict[str, Any],
) -> dict[str, Any] | None:
    """The granularity table (``fitness.analyze.granularity``) when anyone will look at it: for a system
    of services, for ``fitness score`` and for granularity rules. A package-only ``fitness check`` skips
    it (community detection imports networkx: 0.15 s that a plain check should not pay)."""
    from fitness.model.graph import NodeKind

    wanted = (
        options.granularity
        or bool(graph.nodes(NodeKind.SERVICE))
        or any(Need.GRANULARITY in rule.requirements() for rule in rules)
    )
    if not wanted:
        return None
    from fitness.analyze.granularity import score_granularity

    return score_granularity(graph, config.granularity, depth, history)


def _service_summary(scan: ServiceScan) -> dict[str, Any]:
    """What the service collectors saw, and what they could not resolve (never silently dropped)."""
    if not scan.services:
        return {}
    return {
        "services": scan.services,
        "datastores": scan.datastores,
        "sql_statements": scan.sql_statements,
        "call_sites": scan.call_sites,
        "settings": scan.settings,
        "unresolved_counts": dict(sorted(Counter(u.kind for u in scan.unresolved).items())),
        "unresolved": [
            {"kind": u.kind, "reason": u.reason, "path": u.evidence.path, "line": u.evidence.line}
            for u in scan.unresolved
        ],
    }


def history_settings(config: Config, options: Options) -> HistorySettings:
    """``history:`` of fitness.yaml with ``--since`` over it (``fitness check`` and ``fitness score``)."""
    if options.since is None:
        return config.history
    return replace(config.history, since=parse_since_option(options.since))


def parse_since_option(text: str) -> str:
    """Validate ``--since`` (``12 months``, ``90 days``, ``2024-01-31``, ``all``); FitnessError if bad."""
    try:
        return parse_since(text).text
    except ValueError as error:
        raise FitnessError(f"--{error}") from error


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def rule_summary(rule: RuleType) -> dict[str, Any]:
    """What reporters say about a configured rule (they read the Analysis, never the rule registry)."""
    spec = rule.spec
    return {
        "id": spec.id,
        "type": spec.type,
        "code": rule.code,
        "severity": spec.severity.value,
        "because": spec.because,
        "adr": spec.adr,
        "summary": rule.summary,
        "advice": rule.advice,
    }


def keep_changed(analysis: Analysis, rev: str, changed: set[str]) -> None:
    """Keep the findings with a location or an import in a changed file (paths relative to the root).

    Runs after the baseline comparison, so findings left out here are not mistaken for fixed ones.
    """
    analysis.findings = [finding for finding in analysis.findings if _touches(finding, changed)]
    kept = {finding.fingerprint for finding in analysis.findings}
    analysis.baseline_state = {key: state for key, state in analysis.baseline_state.items() if key in kept}
    analysis.summary["changed_since"] = {"rev": rev, "files": len(changed)}


def _rooted(findings: list[Finding], root: Path) -> list[Finding]:
    """Findings located in the config file (FIT002) name it as the loader shows it (relative to the
    working directory); make those paths relative to the analysed root, like every other location."""
    return [
        replace(f, locations=tuple(Location(_relative_to(loc.path, root), loc.line) for loc in f.locations))
        for f in findings
    ]


def _touches(finding: Finding, changed: set[str]) -> bool:
    paths = {location.path for location in finding.locations}
    paths.update(link.path for chain in finding.chains for link in chain)
    return not paths.isdisjoint(changed)


def _not_covered(smells: list[Finding], violations: list[Finding]) -> list[Finding]:
    """Smells minus those a rule already reports about the same subjects (catalog.COVERED_BY)."""
    from fitness.model.catalog import COVERED_BY

    reported = {(finding.code, finding.subjects) for finding in violations}
    return [
        smell
        for smell in smells
        if not any((code, smell.subjects) in reported for code in COVERED_BY.get(smell.code, ()))
    ]


def _relative_to(path: str | None, root: Path) -> str:
    if not path:
        return ""
    return Path(os.path.relpath(Path(path).resolve(), root)).as_posix()


def default_depth(packages: list[str]) -> int:
    """One level below the deepest root package: ``shop`` -> 2 (``shop.orders``)."""
    return max((name.count(".") + 2 for name in packages), default=2)


def read_json(path: Path, invalid: str, unreadable: str) -> Any:
    """A JSON file's data; a FitnessError naming the file (and the line of a syntax error) otherwise."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise FitnessError(f"{invalid}: {error.msg}", str(path), error.lineno) from error
    except (OSError, UnicodeDecodeError) as error:
        raise FitnessError(f"{unreadable}: {error}", str(path)) from error


def apply_baseline(analysis: Analysis, path: Path) -> None:
    """Mark findings new/unchanged against the baseline file and record stale entries."""
    if not path.exists():
        raise FitnessError("baseline file not found (create it with --update-baseline)", str(path))
    data = read_json(path, "corrupt baseline", "cannot read baseline")
    known = baseline.from_document(data, str(path))
    analysis.findings, analysis.baseline_state, analysis.stale = baseline.apply(analysis.findings, known)
    analysis.warnings.extend(known.warnings())


def baseline_text(analysis: Analysis) -> str:
    """The baseline file's content for the analysis' current findings."""
    return json.dumps(baseline.to_document(analysis.findings), indent=2, sort_keys=True) + "\n"

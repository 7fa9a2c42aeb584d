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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fitness import __version__
from fitness.analyze import analyze
from fitness.collect.git.history import collect_history
from fitness.collect.python.discover import discover_packages, discover_roots
from fitness.collect.python.imports import ImportScan, collect_imports
from fitness.collect.services import ServiceScan, collect_services, plan_services
from fitness.collect.skipped import fold_skipped
from fitness.config import Config, load_config
from fitness.inputs import Unreadable, read_text
from fitness.model import Analysis, ArchGraph, FitnessError, Location
from fitness.model.findings import Finding
from fitness.model.history import HistorySettings, HistorySummary, parse_since
from fitness.model.summary import (
    ChangedSince,
    ConfiguredRule,
    DecisionSummary,
    ServiceSummary,
    Summary,
    UnresolvedItem,
)
from fitness.model.views import ImportView
from fitness.rules import baseline
from fitness.rules.base import Need, RuleType
from fitness.rules.evaluate import build_rules, rule_needs, run_rules
from fitness.rules.merge import merge_table_findings
from fitness.rules.registry import Plugins

if TYPE_CHECKING:
    from fitness.collect.service_cache import ServiceCache
    from fitness.model.granularity import GranularityTable
    from fitness.model.service_view import ServiceView

CACHE_DIR = ".fitness_cache"
MAX_JSON_BYTES = 1_000_000_000  # a saved analysis or baseline (homeassistant's full graph: 22 MB)


@dataclass(frozen=True)
class Options:
    """Command-line choices that override the config file."""

    config_path: Path | None = None
    cache: bool = True
    baseline_path: Path | None = None
    changed_since: str | None = None  # report only findings touching files changed since this git rev
    since: str | None = None  # git history window (``--since``), overrides ``history.since``
    granularity: bool = False  # score granularity even for a package-only system (``fitness score``)
    allow_plugins: bool = False  # import ``type: module:Class`` rule types (``--allow-plugins``)
    config_baseline: bool = True  # no --baseline: use the config's ``baseline:`` (not for --update-baseline)
    history: bool = False  # read git history even when no rule, score or service needs it (report, JSON)
    metrics: bool = True  # module and system metrics too (JSON, HTML, trend); False: the package level only


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
    plugins = Plugins(allow_paths=options.allow_plugins, untrusted=(str(root),))
    changed = None if options.changed_since is None else _changed_files(root, options.changed_since)
    side = _service_cache(root, config, options, known=True)
    cached = side.load() if side is not None else None
    plan = plan_services(root, config.services) if cached is None else None
    plan_roots = cached.source_roots if cached is not None else plan.source_roots(root) if plan else []
    has_services = cached.has_services if cached is not None else bool(plan and plan.services)
    source_roots = list(config.source_roots) or discover_roots(root, plan_roots)
    packages = list(config.packages) or [
        name for source_root in source_roots for name in discover_packages(root, source_root)
    ]
    graph = ArchGraph()
    scan = ImportScan(packages, source_roots)
    if packages or not has_services:  # a system of Java or Go services has no Python to scan
        scan = collect_imports(
            graph,
            root,
            source_roots,
            packages,
            exclude=config.exclude,
            include_external=config.include_external
            or Need.EXTERNAL_IMPORTS in rule_needs(config.rules, plugins),
            exclude_type_checking=config.exclude_type_checking_imports,
            cache_dir=root / CACHE_DIR / "grimp" if options.cache else None,
        )
    if cached is not None:
        cached.apply(graph)
        services = cached.scan
    else:
        assert plan is not None
        # what the service side adds is cached only where a cache is kept and either was opened or
        # will be (services found); a snapshot reads every import's evidence (refined on first read)
        keeping = options.cache and (side is not None or has_services)
        before = graph.snapshot() if keeping else None
        services = collect_services(graph, root, plan, config.sql_dialect)
        if side is None and has_services:
            side = _service_cache(root, config, options, known=False)
        if side is not None and before is not None:
            side.save(plan_roots, has_services, services, graph, before)
    required = options.granularity or Need.HISTORY in rule_needs(config.rules, plugins)
    history = collect_history(
        graph,
        root,
        history_settings(config, options),
        config.analysis.package_depth or default_depth(packages),
        required=required,
        wanted=required or options.history or bool(services.services),
    )
    view = ImportView.from_graph(graph)
    rules = build_rules(config.rules, view, plugins)
    depth = config.analysis.package_depth or default_depth(packages)
    metrics, smells = analyze(
        view,
        config.analysis,
        depth,
        full_metrics=options.metrics,
        package_metrics=Need.METRICS in rule_needs(config.rules, plugins),
    )
    service_view: ServiceView | None = None
    if services.services:
        from fitness.analyze.services import service_smells  # only a system of services loads them
        from fitness.model.service_view import ServiceView

        service_view = ServiceView.from_graph(graph)
        smells = [*smells, *service_smells(service_view, config.analysis)]
    granularity = _granularity(graph, config, depth, options, rules, history.summary(), service_view)
    if granularity is not None:
        from fitness.model.granularity import granularity_metrics

        metrics.update(granularity_metrics(granularity))
    outcome = run_rules(rules, view, metrics, depth, service_view)
    analysis = Analysis(
        root=root.name,
        graph=graph,
        findings=[
            *merge_table_findings([*_not_covered(smells, outcome.findings), *outcome.findings]),
            *_rooted(outcome.unused_ignores, root),
            *_rooted(_decision_findings(root, config), root),
        ],
        metrics=metrics,
        summary=Summary(
            fitness_version=__version__,
            config=_relative_to(config.path, root),
            source_roots=tuple(source_roots),
            packages=tuple(packages),
            package_depth=depth,
            modules=scan.modules,
            imports=scan.imports,
            rules=tuple(rule_summary(r) for r in rules),
            history=history.summary(),
            service_scan=_service_summary(services),
            granularity=granularity,
            decisions=_decision_summary(root, config),
        ),
        warnings=fold_skipped([*scan.skipped, *services.warnings, *history.warnings]),
    )
    if options.cache:
        _ignore_cache(root / CACHE_DIR)
    baseline_path = options.baseline_path or (
        configured_baseline(config) if options.config_baseline else None
    )
    if baseline_path is not None:
        apply_baseline(analysis, baseline_path)
    if options.changed_since is not None and changed is not None:
        keep_changed(analysis, options.changed_since, changed)
    return analysis


def _service_cache(root: Path, config: Config, options: Options, known: bool) -> ServiceCache | None:
    """The cross-run cache of the service side (``fitness.collect.service_cache``); none with
    ``--no-cache``. ``known``: opened before the plan, only where an earlier run stored a result (a tree
    that never had services is never hashed); else opened after a plan that found services."""
    folder = root / CACHE_DIR / "services"
    if not options.cache or (known and not folder.is_dir()):
        return None
    from fitness.collect.service_cache import ServiceCache

    return ServiceCache.open(folder, root, config, __version__)


def _changed_files(root: Path, revision: str) -> set[str]:
    from fitness.collect.git.changes import changed_files

    return changed_files(root, revision)


def _ignore_cache(folder: Path) -> None:
    """A ``.gitignore`` of ``*`` in the cache folder (as pytest and ruff do), so that ``git add -A`` never
    commits it and a pre-commit hook never sees it change. Created only if absent (never through a
    symlink); any failure is ignored: the cache works without it."""
    if not folder.is_dir():
        return
    try:
        descriptor = os.open(
            folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644
        )
    except OSError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("# created by fitness: its cache is never committed\n*\n")


def _decision_findings(root: Path, config: Config) -> list[Finding]:
    """FIT003 for rules pointing at missing, rejected or superseded ADRs (fitness.adr loads lazily)."""
    if not any(spec.adr is not None for spec in config.rules):
        return []
    from fitness.adr import decision_findings

    return decision_findings(root, config.adr, config.rules)


def _decision_summary(root: Path, config: Config) -> dict[int, DecisionSummary]:
    if not any(spec.adr is not None for spec in config.rules):
        return {}
    from fitness.adr import decision_summary

    return decision_summary(root, config.adr, config.rules)


def _granularity(
    graph: ArchGraph,
    config: Config,
    depth: int,
    options: Options,
    rules: list[RuleType[object]],
    history: HistorySummary,
    service_view: ServiceView | None = None,
) -> GranularityTable | None:
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

    return score_granularity(graph, config.granularity, depth, history, service_view)


def _service_summary(scan: ServiceScan) -> ServiceSummary | None:
    """What the service collectors saw, and what they could not resolve (never silently dropped)."""
    if not scan.services:
        return None
    return ServiceSummary(
        services=tuple(scan.services),
        datastores=tuple(scan.datastores),
        sql_statements=scan.sql_statements,
        call_sites=scan.call_sites,
        settings=scan.settings,
        unresolved=tuple(
            UnresolvedItem(u.evidence.path, u.evidence.line, u.kind, u.reason) for u in scan.unresolved
        ),
    )


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


def rule_summary(rule: RuleType[object]) -> ConfiguredRule:
    """What reporters say about a configured rule (they read the Analysis, never the rule registry)."""
    spec = rule.spec
    return ConfiguredRule(
        id=spec.id,
        type=spec.type,
        code=rule.code,
        severity=spec.severity.value,
        because=spec.because,
        adr=spec.adr,
        summary=rule.summary,
        advice=rule.advice,
    )


def keep_changed(analysis: Analysis, rev: str, changed: set[str]) -> None:
    """Keep the findings with a location or an import in a changed file (paths relative to the root).

    Runs after the baseline comparison, so findings left out here are not mistaken for fixed ones.
    """
    analysis.findings = [finding for finding in analysis.findings if _touches(finding, changed)]
    kept = {finding.fingerprint for finding in analysis.findings}
    analysis.baseline_state = {key: state for key, state in analysis.baseline_state.items() if key in kept}
    analysis.summary = replace(analysis.summary, changed_since=ChangedSince(rev, len(changed)))


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
        return json.loads(read_text(path, MAX_JSON_BYTES))  # a regular file only: a FIFO would hang the run
    except json.JSONDecodeError as error:
        raise FitnessError(f"{invalid}: {error.msg}", str(path), error.lineno) from error
    except Unreadable as error:
        raise FitnessError(f"{unreadable}: {error.why}", str(path)) from error
    except RecursionError as error:
        raise FitnessError(f"{invalid}: nested too deeply", str(path)) from error


def baseline_of(root: Path, config_path: Path | None = None) -> Path | None:
    """The baseline file the config for ``root`` names (``--update-baseline`` rewrites it), or None."""
    return configured_baseline(load_config(root.resolve() if root.exists() else root, config_path))


def configured_baseline(config: Config) -> Path | None:
    """The config's ``baseline:`` file, relative to the config file's folder; None when it names none."""
    if not config.baseline:
        return None
    folder = Path(config.path).parent if config.path else Path(config.root)
    return folder / config.baseline


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

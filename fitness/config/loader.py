"""Find and load the config: fitness.yaml, .fitness.yaml, then [tool.fitness] in pyproject.toml.

Precedence is defaults < file < command line; the command line part is applied by the caller.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from fitness.config.settings import Config
from fitness.config.source import (
    MAX_CONFIG_BYTES,
    KeyPath,
    Source,
    parse_toml,
    parse_yaml,
    read_pyproject,
    read_yaml,
)
from fitness.config.validate import Collector, suggest
from fitness.inputs import Unreadable, path_problem, read_text
from fitness.model import ConfigError, FitnessError, Severity
from fitness.model.decisions import ADR_FORMATS, ADR_STATUSES, AdrSettings, normalize_status
from fitness.model.granularity import FORCES, GRANULARITY_KEYS, GranularitySettings
from fitness.model.history import HISTORY_KEYS, HistorySettings, parse_since
from fitness.model.rulespec import IgnoreSpec, RuleSpec
from fitness.model.servicespec import ServiceSpec
from fitness.model.thresholds import DEFAULT_SMELLS, SMELL_KNOBS, AnalysisSettings, SmellSettings

CONFIG_NAMES = ("fitness.yaml", "fitness.yml", ".fitness.yaml")
TOP_KEYS = (
    "version",
    "root",
    "packages",
    "exclude",
    "baseline",
    "include_external",
    "exclude_type_checking_imports",
    "analysis",
    "rules",
    "services",
    "sql_dialect",
    "adr",
    "granularity",
    "history",
)
RULE_KEYS = ("id", "type", "severity", "because", "adr", "ignore")
SEVERITIES = tuple(severity.value for severity in Severity)


def find_config(root: Path) -> Path | None:
    """The config file that applies to ``root``, or None (then defaults apply).

    Fails closed: a fitness.yaml that is a dangling symlink, a FIFO or unreadable is returned (and then
    refused with an error by ``load_config``) rather than skipped for the defaults, and so is a
    pyproject.toml that cannot be read or parsed while it mentions fitness.
    """
    for name in CONFIG_NAMES:
        candidate = root / name
        if os.path.lexists(candidate):
            return candidate
    pyproject = root / "pyproject.toml"
    if os.path.lexists(pyproject) and _has_fitness_table(pyproject):
        return pyproject
    return None


def _has_fitness_table(path: Path) -> bool:
    """Whether a pyproject.toml holds ``tool.fitness`` in any TOML spelling (or cannot be told: then the
    loader reads it and says why it cannot)."""
    if path.is_dir():
        return False
    try:
        text = read_text(path, MAX_CONFIG_BYTES)
    except Unreadable:
        return True
    if "fitness" not in text:
        return False
    try:
        document = parse_toml(text, str(path))
    except FitnessError:
        return True
    tool = document.get("tool")
    return isinstance(tool, dict) and "fitness" in tool


def load_config(root: Path, path: Path | None = None) -> Config:
    """Load and validate the config for ``root``; raise ConfigError listing every problem.

    A config found in ``root`` must be a regular file inside it (a symlink leading out is refused); one
    named with ``--config`` (``path``) may be anywhere, but must be a regular file too.
    """
    problem = path_problem(str(root))
    if problem:
        raise FitnessError(f"not a folder name: {problem}", str(root)[:100])
    if not root.exists():
        raise FitnessError("no such folder", str(root))
    found = path is None
    if path is None:
        path = find_config(root)
    if path is None:
        return Config(root=str(root))
    display = _display(path)
    if not path.exists():
        if os.path.islink(path):
            raise FitnessError(
                f"config file is a symlink to {os.readlink(path)}, which does not exist", display
            )
        raise FitnessError("config file not found", str(path))
    inside = root if found else None
    source = (
        read_pyproject(path, display, inside)
        if path.name == "pyproject.toml"
        else read_yaml(path, display, inside)
    )
    if source is None:
        return Config(root=str(root))
    return _build(root, source)


def config_from_text(root: Path, text: str, path: Path) -> Config:
    """The config in ``text``, validated as if read from ``path`` (``fitness init`` checks what it is about
    to write with the loader ``fitness check`` will use)."""
    return _build(root, parse_yaml(text, str(path)))


def _display(path: Path) -> str:
    """Relative to the working directory when the file is below it, else absolute."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return os.path.abspath(path) if relative.startswith("..") else relative  # the link, not its target


def _build(root: Path, source: Source) -> Config:
    data = source.data
    collector = Collector(source)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([source.error((), "expected a mapping of settings at the top level")])
    collector.unknown_keys(data, TOP_KEYS, ())
    version = collector.scalar(data, "version", int, (), 1)
    if version != 1:
        collector.add(("version",), f"unsupported config version {version}; this fitness reads version 1")
    config = Config(
        root=str(root),
        path=source.path,
        source_roots=collector.path_list(data, "root", ()),
        packages=collector.str_list(data, "packages", ()),
        exclude=collector.str_list(data, "exclude", ()),
        baseline=collector.scalar(data, "baseline", str, (), None),
        include_external=collector.scalar(data, "include_external", bool, (), False),
        exclude_type_checking_imports=collector.scalar(
            data, "exclude_type_checking_imports", bool, (), False
        ),
        analysis=_analysis(collector, data.get("analysis")),
        rules=_rules(collector, data.get("rules")),
        services=_services(collector, data.get("services")),
        sql_dialect=collector.scalar(data, "sql_dialect", str, (), None),
        adr=_adr(collector, data.get("adr")),
        granularity=_granularity(collector, data.get("granularity")),
        history=_history(collector, data.get("history")),
    )
    if collector.errors:
        raise ConfigError(collector.errors)
    return config


def _adr(collector: Collector, raw: Any) -> AdrSettings:
    """``adr: {dir: docs/adr, format: nygard|madr|madr-minimal, default_status: Proposed}``."""
    if raw is None:
        return AdrSettings()
    where: KeyPath = ("adr",)
    if not isinstance(raw, dict):
        collector.add(where, "adr: expected a mapping (dir, format, default_status)")
        return AdrSettings()
    collector.unknown_keys(raw, ("dir", "format", "default_status"), where)
    folder = collector.scalar(raw, "dir", str, where, None)
    if folder is not None and not collector.path_list(raw, "dir", where):
        folder = None
    fmt = collector.scalar(raw, "format", str, where, None)
    if fmt is not None and fmt not in ADR_FORMATS:
        collector.add(
            (*where, "format"),
            f"adr.format must be one of {', '.join(ADR_FORMATS)}, got {fmt!r}{suggest(fmt, ADR_FORMATS)}",
        )
        fmt = None
    status = normalize_status(collector.scalar(raw, "default_status", str, where, "Proposed"))
    if status not in ADR_STATUSES or status == "Superseded":
        choices = [s for s in ADR_STATUSES if s != "Superseded"]
        collector.add(
            (*where, "default_status"),
            f"adr.default_status must be one of {', '.join(choices)}, got {status!r}{suggest(status, choices)}",
        )
        status = "Proposed"
    return AdrSettings(dir=folder, format=fmt, default_status=status)


def _granularity(collector: Collector, raw: Any) -> GranularitySettings:
    """``granularity: {weights: {scope: 0.8, ...}, split_threshold: 0.5, merge_threshold: 0.5, margin: 0.1}``."""
    default = GranularitySettings()
    if raw is None:
        return default
    where: KeyPath = ("granularity",)
    if not isinstance(raw, dict):
        collector.add(
            where, "granularity: expected a mapping (weights, split_threshold, merge_threshold, margin)"
        )
        return default
    collector.unknown_keys(raw, GRANULARITY_KEYS, where)
    numbers = {}
    for key in ("split_threshold", "merge_threshold", "margin"):
        value = collector.scalar(raw, key, float, where, getattr(default, key))
        numbers[key] = _unit_interval(collector, (*where, key), value, getattr(default, key))
    weights = dict(default.weights)
    table = raw.get("weights")
    if table is not None and not isinstance(table, dict):
        collector.add(
            (*where, "weights"), "granularity.weights: expected a mapping of force to weight (0..1)"
        )
    elif table:
        at: KeyPath = (*where, "weights")
        collector.unknown_keys(table, FORCES, at)
        for force in FORCES:
            value = collector.scalar(table, force, float, at, weights[force])
            weights[force] = _unit_interval(collector, (*at, force), value, weights[force])
    return GranularitySettings(weights=weights, **numbers)


def _unit_interval(collector: Collector, where: KeyPath, value: float, default: float) -> float:
    if not 0.0 <= value <= 1.0:
        collector.add(where, f"{'.'.join(map(str, where))}: must be between 0 and 1, got {value:g}")
        return default
    return value


def _history(collector: Collector, raw: Any) -> HistorySettings:
    """``history: {since: 12 months, max_commits: 50000, min_revisions: 5, min_shared: 5, min_degree: 30,
    max_changeset_size: 30, enabled: true}`` (git churn and co-change, code-maat's defaults)."""
    default = HistorySettings()
    if raw is None:
        return default
    where: KeyPath = ("history",)
    if not isinstance(raw, dict):
        collector.add(where, f"history: expected a mapping ({', '.join(HISTORY_KEYS)})")
        return default
    collector.unknown_keys(raw, HISTORY_KEYS, where)
    if isinstance(raw.get("since"), datetime.date):  # `since: 2024-01-31` unquoted is a date to YAML
        raw = {**raw, "since": raw["since"].isoformat()}
    since = collector.scalar(raw, "since", str, where, default.since)
    try:
        parse_since(since)
    except ValueError as error:
        collector.add((*where, "since"), f"history.{error}")
        since = default.since
    counts = {}
    for key in ("max_commits", "min_revisions", "min_shared", "max_changeset_size"):
        value = collector.scalar(raw, key, int, where, getattr(default, key))
        if value < 1:
            collector.add((*where, key), f"history.{key}: must be 1 or more, got {value}")
            value = getattr(default, key)
        counts[key] = value
    degree = collector.scalar(raw, "min_degree", float, where, default.min_degree)
    if not 0.0 <= degree <= 100.0:
        collector.add(
            (*where, "min_degree"), f"history.min_degree: must be a percent (0..100), got {degree:g}"
        )
        degree = default.min_degree
    enabled = collector.scalar(raw, "enabled", bool, where, True)
    return HistorySettings(enabled=enabled, since=since, min_degree=degree, **counts)


def _analysis(collector: Collector, raw: Any) -> AnalysisSettings:
    if raw is None:
        return AnalysisSettings()
    where: KeyPath = ("analysis",)
    if not isinstance(raw, dict):
        collector.add(where, "analysis: expected a mapping")
        return AnalysisSettings()
    collector.unknown_keys(raw, ("package_depth", *DEFAULT_SMELLS), where)
    depth = collector.scalar(raw, "package_depth", int, where, None)
    if depth is not None and depth < 1:
        collector.add((*where, "package_depth"), "analysis.package_depth: must be 1 or more")
    smells = {}
    for name, (severity, threshold) in DEFAULT_SMELLS.items():
        smells[name] = _smell(collector, raw.get(name), (*where, name), severity, threshold)
    return AnalysisSettings(package_depth=depth, smells=smells)


def _smell(
    collector: Collector, raw: Any, where: KeyPath, severity: Severity, threshold: float | None
) -> SmellSettings:
    """``false`` switches a smell off; a mapping may set ``severity`` and ``threshold``."""
    if raw is None or raw is True:
        return SmellSettings(True, severity, threshold)
    if raw is False:
        return SmellSettings(False, severity, threshold)
    if not isinstance(raw, dict):
        collector.add(where, f"{'.'.join(map(str, where))}: expected true, false or a mapping")
        return SmellSettings(True, severity, threshold)
    knobs = SMELL_KNOBS.get(str(where[-1]), {})
    collector.unknown_keys(raw, ("enabled", "severity", "threshold", *knobs), where)
    level = _severity(collector, raw, where, severity)
    value = collector.scalar(raw, "threshold", float, where, threshold)
    extra = {key: collector.scalar(raw, key, type(default), where, default) for key, default in knobs.items()}
    return SmellSettings(collector.scalar(raw, "enabled", bool, where, True), level, value, **extra)


def _severity(collector: Collector, raw: dict[str, Any], where: KeyPath, default: Severity) -> Severity:
    value = raw.get("severity")
    if value is None:
        return default
    if value not in SEVERITIES:
        collector.add(
            (*where, "severity"),
            f"severity must be one of {', '.join(SEVERITIES)}, got {value!r}{suggest(str(value), SEVERITIES)}",
        )
        return default
    return Severity(value)


def _rules(collector: Collector, raw: Any) -> tuple[RuleSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        collector.add(("rules",), "rules: expected a list of rules")
        return ()
    specs: list[RuleSpec] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        spec = _rule(collector, item, ("rules", index))
        if spec is None:
            continue
        if spec.id in seen:
            collector.add(
                ("rules", index, "id"),
                f"duplicate rule id {spec.id!r} (first at line {seen[spec.id]})",
            )
        seen.setdefault(spec.id, spec.line)
        specs.append(spec)
    return tuple(specs)


def _rule(collector: Collector, raw: Any, where: KeyPath) -> RuleSpec | None:
    if not isinstance(raw, dict):
        collector.add(where, f"rules[{where[-1]}]: expected a mapping with at least 'type'")
        return None
    rule_type = raw.get("type")
    if not isinstance(rule_type, str) or not rule_type:
        collector.add(where, f"rules[{where[-1]}]: missing 'type'")
        return None
    rule_id = collector.scalar(raw, "id", str, where, rule_type)
    adr = collector.scalar(raw, "adr", int, where, None)
    options = {key: value for key, value in raw.items() if key not in RULE_KEYS}
    source = collector.source
    return RuleSpec(
        id=rule_id,
        type=rule_type,
        severity=_severity(collector, raw, where, Severity.ERROR),
        because=collector.scalar(raw, "because", str, where, ""),
        adr=adr,
        ignores=_ignores(collector, raw.get("ignore"), (*where, "ignore")),
        options=options,
        option_lines={key: source.line((*where, key)) for key in options},
        line=source.line(where),
        source=source.path,
    )


def _ignores(collector: Collector, raw: Any, where: KeyPath) -> tuple[IgnoreSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        collector.add(where, "ignore: expected a list of {import: 'a -> b', reason: '...'}")
        return ()
    result = []
    for index, item in enumerate(raw):
        at = (*where, index)
        if isinstance(item, str):
            collector.add(at, f"ignore {item!r} needs a reason: write {{import: {item!r}, reason: '...'}}")
            continue
        if not isinstance(item, dict):
            collector.add(at, "ignore: expected {import: 'a -> b', reason: '...'}")
            continue
        collector.unknown_keys(item, ("import", "reason"), at)
        expression, reason = item.get("import"), item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            collector.add(at, "ignore needs a non-empty 'reason'")
            continue
        importer, arrow, imported = str(expression or "").partition("->")
        if not arrow or not importer.strip() or not imported.strip():
            collector.add(at, f"ignore import must look like 'a.b -> c.d', got {expression!r}")
            continue
        line = collector.source.line(at)
        result.append(IgnoreSpec(importer.strip(), imported.strip(), reason.strip(), line))
    return tuple(result)


SERVICE_KEYS = ("paths", "packages", "datastores", "owns", "aliases", "annotations")
ANNOTATION_TYPES: dict[str, type] = {"role": str, "scaling": str, "fault_tolerance": str, "latency_ms": float}
"""Annotations fitness reads (README); the others are free-form. ``handles`` is a name or a list of names."""


def _annotations(collector: Collector, raw: Any, where: KeyPath) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        collector.add(where, f"{'.'.join(map(str, where))}: expected a mapping")
        return {}
    annotations = dict(raw)
    for key, kind in ANNOTATION_TYPES.items():
        if key in raw and not (kind is str and isinstance(raw[key], (str, bool))):
            annotations[key] = collector.scalar(raw, key, kind, where, None)
    if "handles" in raw:
        handles = collector.str_list(raw, "handles", where)
        annotations["handles"] = list(handles)
    return {key: value for key, value in annotations.items() if value is not None}


def _services(collector: Collector, raw: Any) -> tuple[ServiceSpec, ...]:
    """``services: {orders: {paths: [services/orders], owns: [orders]}, ...}`` (a bare name is allowed)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        collector.add(("services",), "services: expected a mapping of service name to its settings")
        return ()
    specs = []
    for name in sorted(raw, key=str):
        where: KeyPath = ("services", name)
        body = raw[name] if raw[name] is not None else {}
        if not isinstance(body, dict):
            collector.add(
                where, f"services.{name}: expected a mapping (paths, packages, datastores, owns ...)"
            )
            continue
        collector.unknown_keys(body, SERVICE_KEYS, where)
        annotations = _annotations(collector, body.get("annotations"), (*where, "annotations"))
        specs.append(
            ServiceSpec(
                name=str(name),
                paths=collector.path_list(body, "paths", where),
                packages=collector.str_list(body, "packages", where),
                datastores=collector.str_list(body, "datastores", where),
                owns=tuple(t.lower() for t in collector.str_list(body, "owns", where)),
                aliases=collector.str_list(body, "aliases", where),
                annotations=dict(annotations),
                line=collector.source.line(where),
                source=collector.source.path,
            )
        )
    return tuple(specs)

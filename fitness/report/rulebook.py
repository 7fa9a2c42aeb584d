"""What the CI formats share: one entry per rule (configured or built in), and which findings they show.

Everything comes from the Analysis: configured rules from ``analysis.summary.rules`` (the pipeline
records each rule type's summary and advice there, so reporters never import the rule registry), passing
ones included; smells and config checks (FIT002, FIT2xx) get an entry when they have findings, described
by the model's catalog. An analysis JSON written before the summary carried descriptions still renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from fitness.model import Analysis, Finding, Severity
from fitness.model.catalog import CATALOG
from fitness.model.summary import ConfiguredRule
from fitness.report.options import ReportOptions


@dataclass(frozen=True)
class RuleInfo:
    """``rule`` is the id the team gave the rule (or the smell's name); ``kind`` its rule type (layers,
    forbidden ...) or, for codes that are not rule types, the catalog name (module-cycles ...)."""

    code: str
    rule: str
    kind: str
    summary: str
    advice: str = ""
    because: str = ""
    adr: int | None = None
    severity: Severity = Severity.ERROR
    configured: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.rule)

    @property
    def ident(self) -> str:
        """``FIT102/domain-is-pure``: stable across runs (GitHub groups alerts by it) and unique even when
        two rules share a type."""
        return f"{self.code}/{self.rule}"


def rulebook(analysis: Analysis) -> list[RuleInfo]:
    """Every rule the run knew about, sorted by code then rule id."""
    entries: dict[tuple[str, str], RuleInfo] = {}
    for item in analysis.summary.rules:
        info = _configured(item)
        entries.setdefault(info.key, info)
    for finding in analysis.findings:
        key = key_of(finding)
        if key not in entries:
            entries[key] = _catalogued(finding.code, finding.rule, finding.severity)
    return [entries[key] for key in sorted(entries)]


def key_of(finding: Finding) -> tuple[str, str]:
    return (finding.code, finding.rule)


def ident_of(finding: Finding) -> str:
    return f"{finding.code}/{finding.rule}"


def shown(analysis: Analysis, options: ReportOptions) -> list[Finding]:
    """The findings a report lists: all but the info ones (as text does), unless --verbose or info ones
    fail the build (``--fail-on info``)."""
    every = options.verbose or options.fail_on is Severity.INFO
    return [f for f in analysis.sorted_findings() if every or f.severity is not Severity.INFO]


def state_of(analysis: Analysis, finding: Finding) -> str | None:
    """``new`` or ``unchanged`` when a baseline was used, else None."""
    return analysis.baseline_state.get(finding.fingerprint)


def is_failing(analysis: Analysis, finding: Finding, options: ReportOptions) -> bool:
    """Whether this finding fails the build (the exit code counts exactly these)."""
    return finding.severity.at_least(options.fail_on) and state_of(analysis, finding) != "unchanged"


def repo_path(path: str, options: ReportOptions) -> str:
    """``path`` (relative to the analysed root) as seen from the working directory."""
    return f"{options.path_prefix}{path}" if path else path


def verdict(analysis: Analysis, options: ReportOptions) -> str:
    """``FAILED: 5 errors, 1 warning, 0 infos (failing on error)`` or ``passed: ...``; with a baseline
    ``passed: 0 new, 5 known, 1 stale (failing on error)``."""
    word = "FAILED" if analysis.failing(options.fail_on) else "passed"
    return f"{word}: {counts(analysis)} (failing on {options.fail_on.value})"


def counts(analysis: Analysis) -> str:
    """``5 errors, 1 warning, 0 infos``; with a baseline ``2 new (1 error, 1 warning), 5 known, 1 stale``:
    the known findings are not counted as errors, since they fail nothing."""
    if not uses_baseline(analysis):
        return severities(analysis.findings, zeros=True)
    new = [f for f in analysis.findings if state_of(analysis, f) != "unchanged"]
    known = len(analysis.findings) - len(new)
    detail = f" ({severities(new)})" if new else ""
    return f"{len(new)} new{detail}, {known} known, {len(analysis.stale)} stale"


def severities(findings: list[Finding], zeros: bool = False) -> str:
    """``2 errors, 0 warnings, 1 info`` (with ``zeros``) or ``2 errors, 1 info``."""
    tally = {severity: 0 for severity in Severity}
    for finding in findings:
        tally[finding.severity] += 1
    return ", ".join(
        f"{tally[s]} {s.value}{'' if tally[s] == 1 else 's'}" for s in reversed(Severity) if zeros or tally[s]
    )


def uses_baseline(analysis: Analysis) -> bool:
    """Whether the findings were compared with a baseline (one that matched nothing has stale entries)."""
    return bool(analysis.baseline_state or analysis.stale)


def _configured(item: ConfiguredRule) -> RuleInfo:
    doc = CATALOG.get(item.code)
    return RuleInfo(
        code=item.code,
        rule=item.id,
        kind=item.type,
        summary=item.summary or (doc.summary if doc else ""),
        advice=item.advice or (doc.advice if doc else ""),
        because=item.because,
        adr=item.adr,
        severity=_severity(item.severity),
        configured=True,
    )


def _catalogued(code: str, rule: str, severity: Severity) -> RuleInfo:
    doc = CATALOG.get(code)
    if doc is None:
        return RuleInfo(code, rule, rule, f"{code} ({rule})", severity=severity)
    return RuleInfo(code, rule, doc.name, doc.summary, doc.advice, severity=severity)


def _severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        return Severity.ERROR

"""What the CI formats share: one entry per rule (configured or built in), and which findings they show.

Everything comes from the Analysis: configured rules from ``analysis.summary["rules"]`` (the pipeline
records each rule type's summary and advice there, so reporters never import the rule registry), passing
ones included; smells and config checks (FIT002, FIT2xx) get an entry when they have findings, described
by the model's catalog. An analysis JSON written before the summary carried descriptions still renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fitness.model import Analysis, Finding, Severity
from fitness.model.catalog import CATALOG
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
    for item in analysis.summary.get("rules", []):
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
    """``FAILED: 5 errors, 1 warning, 0 infos (failing on error)`` or ``passed: ...``."""
    counts = {severity: 0 for severity in Severity}
    for finding in analysis.findings:
        counts[finding.severity] += 1
    parts = [f"{counts[s]} {s.value}{'' if counts[s] == 1 else 's'}" for s in reversed(Severity)]
    word = "FAILED" if analysis.failing(options.fail_on) else "passed"
    return f"{word}: {', '.join(parts)} (failing on {options.fail_on.value})"


def _configured(item: dict[str, Any]) -> RuleInfo:
    code = str(item.get("code", ""))
    doc = CATALOG.get(code)
    return RuleInfo(
        code=code,
        rule=str(item.get("id", "")),
        kind=str(item.get("type", "")),
        summary=str(item.get("summary") or (doc.summary if doc else "")),
        advice=str(item.get("advice") or (doc.advice if doc else "")),
        because=str(item.get("because") or ""),
        adr=item.get("adr") if isinstance(item.get("adr"), int) else None,
        severity=_severity(item.get("severity")),
        configured=True,
    )


def _catalogued(code: str, rule: str, severity: Severity) -> RuleInfo:
    doc = CATALOG.get(code)
    if doc is None:
        return RuleInfo(code, rule, rule, f"{code} ({rule})", severity=severity)
    return RuleInfo(code, rule, doc.name, doc.summary, doc.advice, severity=severity)


def _severity(value: Any) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        return Severity.ERROR

"""Plain text for a person at a terminal: each finding with its import chain (file:line) and the fix."""

from __future__ import annotations

from fitness.model import Analysis, Finding, Severity
from fitness.model.summary import Summary
from fitness.report.coverage import service_coverage as coverage_of
from fitness.report.options import ReportOptions
from fitness.report.rulebook import counts

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"
MAX_UNRESOLVED = 5  # unresolved items listed without --verbose


def render(analysis: Analysis, options: ReportOptions) -> str:
    lines: list[str] = []
    shown = [f for f in analysis.sorted_findings() if options.verbose or f.severity is not Severity.INFO]
    for finding in shown:
        block = _finding(finding, analysis.baseline_state.get(finding.fingerprint), options)
        lines.extend(block)
        if len(block) > 1:  # a known finding is one line, and they are listed without gaps
            lines.append("")
    if lines and lines[-1]:
        lines.append("")
    for entry in analysis.stale:
        lines.append(f"stale baseline entry (fixed, remove it): {entry.get('code')} {entry.get('message')}")
    if analysis.stale:
        lines.append("")
    lines.extend(service_coverage(analysis.summary, options.verbose))
    lines.append(_summary(analysis, options, hidden=len(analysis.findings) - len(shown)))
    return "\n".join(lines) + "\n"


def service_coverage(summary: Summary, verbose: bool) -> list[str]:
    """What the service collectors saw and could not resolve: printed even when the check passes, so a
    clean result on a system the tool could not read is never mistaken for a clean system."""
    coverage = coverage_of(summary)
    if coverage is None:
        return []
    out = [f"services: {coverage.line}"]
    shown = coverage.items if verbose else coverage.items[:MAX_UNRESOLVED]
    out.extend(f"    unresolved {item.kind}: {item.where()} {item.reason}" for item in shown)
    if len(coverage.items) > len(shown):
        out.append(f"    and {len(coverage.items) - len(shown)} more unresolved (use --verbose)")
    return out


def _finding(finding: Finding, state: str | None, options: ReportOptions) -> list[str]:
    where = str(finding.locations[0]) if finding.locations else "-"
    severity = finding.severity.value
    if options.color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    tag = " (in baseline)" if state == "unchanged" else ""
    out = [f"{where}: {finding.code} {severity} [{finding.rule}] {finding.message}{tag}"]
    if state == "unchanged" and not options.verbose:
        return out  # known: one line; the chains and the fix with --verbose
    for index, chain in enumerate(finding.chains):
        prefix = "    chain:" if len(finding.chains) == 1 else f"    chain {index + 1}:"
        out.append(prefix)
        for link in chain:
            at = f"{link.path}:{link.line}" if link.line else link.path
            statement = f"  `{link.text}`" if link.text else ""
            marker = f"  [{link.how}]" if link.how else ""
            out.append(f"      {link.importer} -> {link.imported}  ({at}){statement}{marker}")
    if finding.routes_note:
        out.append(f"    {finding.routes_note}")
    new_imports = finding.data.get("new_imports")
    if state == "new" and isinstance(new_imports, list) and new_imports:
        out.append(f"    new since the baseline: {', '.join(str(edge) for edge in new_imports)}")
    if finding.fix:
        out.append(f"    fix: {finding.fix}")
    if finding.because:
        out.append(f"    because: {finding.because}")
    if finding.adr is not None:
        out.append(f"    decision: ADR {finding.adr}")
    return out


def _summary(analysis: Analysis, options: ReportOptions, hidden: int) -> str:
    verdict = "FAILED" if analysis.failing(options.fail_on) else "passed"
    what = f"{analysis.summary.modules} modules, {len(analysis.summary.rules)} rules"
    line = f"{verdict}: {counts(analysis)} ({what}; failing on {options.fail_on.value})"
    if hidden:
        line += f"; {hidden} info hidden (use --verbose)"
    return line

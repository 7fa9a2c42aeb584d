"""``fitness contracts`` as text, JSON and Markdown (SARIF is ``check``'s reporter, unchanged).

Text: each change on its file and line (``(base)`` after the line of something removed, which is a line
of the base revision), the fix, then one summary line::

    proto/orders.proto:7 (base): FIT402 error [removed-field-not-reserved] field email = 3 of ...; consumers: ...
        fix: put the number (and the name) in `reserved` ...

    contracts: 2 changed files compared with HEAD~1 (3f2a9c1d0b4e): FAILED, 1 breaking change, 3 compatible
"""

from __future__ import annotations

import json

from fitness.model import Analysis, Finding, Severity
from fitness.model.contracts import ContractRun
from fitness.report import markdown
from fitness.report.options import ReportOptions


def render_text(analysis: Analysis, run: ContractRun) -> str:
    lines: list[str] = []
    for finding in analysis.findings:
        lines.extend(_finding(finding))
    if analysis.findings:
        lines.append("")
    lines.append(summary(analysis, run))
    return "\n".join(lines) + "\n"


def render_json(analysis: Analysis, run: ContractRun) -> str:
    breaking = _breaking(analysis)
    document = {
        "base": {"revision": run.base, "commit": run.commit},
        "compared": list(run.compared),
        "unchanged": run.unchanged,
        "breaking": len(breaking),
        "compatible": len(analysis.findings) - len(breaking),
        "passed": not breaking,
        "findings": [finding.to_json() for finding in analysis.findings],
        "warnings": list(run.warnings),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_markdown(analysis: Analysis, run: ContractRun, options: ReportOptions) -> str:
    """``check``'s Markdown (verdict, rule table, findings), with the contracts summary line in place of
    the modules-and-imports line, which says nothing here."""
    title, _facts, rest = markdown.render(analysis, options).split("\n\n", 2)
    return f"{title}\n\n{summary(analysis, run)}\n\n{rest}"


def summary(analysis: Analysis, run: ContractRun) -> str:
    breaking = len(_breaking(analysis))
    compatible = len(analysis.findings) - breaking
    files = len(run.compared)
    what = f"{files} changed file{'' if files == 1 else 's'} compared with {run.base} ({run.commit[:12]})"
    if run.unchanged:
        what += f", {run.unchanged} unchanged"
    verdict = "FAILED" if breaking else "passed"
    return (
        f"contracts: {what}: {verdict}, {breaking} breaking change{'' if breaking == 1 else 's'}, "
        f"{compatible} compatible"
    )


def _breaking(analysis: Analysis) -> list[Finding]:
    return [finding for finding in analysis.findings if finding.severity is Severity.ERROR]


def _finding(finding: Finding) -> list[str]:
    where = str(finding.locations[0]) if finding.locations else "-"
    if finding.data.get("line_in") == "base":
        where += " (base)"
    out = [f"{where}: {finding.code} {finding.severity.value} [{finding.rule}] {finding.message}"]
    if finding.fix:
        out.append(f"    fix: {finding.fix}")
    return out

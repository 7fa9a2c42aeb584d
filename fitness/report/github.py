"""GitHub Actions workflow commands: one annotation per finding, on the file and line that caused it.

``::error file=src/shop/domain/book.py,line=5,title=FIT102 domain-is-pure::message``; the level follows
the severity (error, warning, notice). Findings known from a baseline are not annotated (they are not
what the pull request changed). Values are escaped as the runner expects: ``%``, CR and LF in the message,
and also ``:`` and ``,`` in the properties, so no text from the analysed code can end a command early or
start a new one. The last line is the verdict, as plain log text.
"""

from __future__ import annotations

from fitness.model import Analysis, Finding, Severity
from fitness.report.options import ReportOptions
from fitness.report.rulebook import repo_path, shown, state_of, verdict

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(analysis: Analysis, options: ReportOptions) -> str:
    lines = [
        _annotation(finding, options)
        for finding in shown(analysis, options)
        if state_of(analysis, finding) != "unchanged"
    ]
    known = sum(1 for state in analysis.baseline_state.values() if state == "unchanged")
    tail = (
        f"; {known} known from the baseline, {len(analysis.stale)} fixed since"
        if known or analysis.stale
        else ""
    )
    lines.append(f"fitness {verdict(analysis, options)}{tail}")
    return "\n".join(lines) + "\n"


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding, options: ReportOptions) -> str:
    properties = []
    if finding.locations and finding.locations[0].path:
        location = finding.locations[0]
        properties.append(f"file={escape_property(repo_path(location.path, options))}")
        if location.line:
            properties.append(f"line={location.line}")
    properties.append(f"title={escape_property(f'{finding.code} {finding.rule}')}")
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(_message(finding))}"


def _message(finding: Finding) -> str:
    lines = [finding.message]
    for chain in finding.chains:
        links = []
        for link in chain:
            at = f"{link.path}:{link.line}" if link.line else link.path
            links.append(
                f"{link.importer} -> {link.imported} ({at})" if at else f"{link.importer} -> {link.imported}"
            )
        lines.append("chain: " + ", ".join(links))
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    if finding.because:
        lines.append(f"because: {finding.because}")
    return "\n".join(lines)

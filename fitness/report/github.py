"""GitHub Actions workflow commands: one annotation per finding, on the file and line that caused it.

``::error file=src/shop/domain/book.py,line=5,title=FIT102 domain-is-pure::message``; the level follows
the severity (error, warning, notice). Findings known from a baseline are not annotated (they are not
what the pull request changed). Values are escaped as the runner expects: ``%``, CR and LF in the message,
and also ``:`` and ``,`` in the properties, so no text from the analysed code can end a command early or
start a new one. For a system of services, a ``::notice`` states what the service collectors read and how
much they could not resolve, and up to 10 more notices point at unresolved call sites, addresses and SQL
statements. The last line is the verdict, as plain log text.
"""

from __future__ import annotations

from fitness.model import Analysis, Finding, Severity
from fitness.report.coverage import service_coverage
from fitness.report.options import ReportOptions
from fitness.report.rulebook import repo_path, shown, state_of, verdict

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
MAX_UNRESOLVED = 10  # unresolved items annotated (GitHub shows few annotations of each level per step)


def render(analysis: Analysis, options: ReportOptions) -> str:
    lines = [
        _annotation(finding, options)
        for finding in shown(analysis, options)
        if state_of(analysis, finding) != "unchanged"
    ]
    lines.extend(_coverage(analysis, options))
    lines.append(f"fitness {verdict(analysis, options)}")
    return "\n".join(lines) + "\n"


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _coverage(analysis: Analysis, options: ReportOptions) -> list[str]:
    """One notice with the service coverage counts, then a notice at the file and line of each of the
    first MAX_UNRESOLVED unresolved items; nothing for a system without services."""
    coverage = service_coverage(analysis.summary)
    if coverage is None:
        return []
    more = len(coverage.items) - MAX_UNRESOLVED
    text = coverage.line + (
        f"; {MAX_UNRESOLVED} annotated, {more} more in the text report" if more > 0 else ""
    )
    lines = [f"::notice title={escape_property('fitness service coverage')}::{escape_data(text)}"]
    for item in coverage.items[:MAX_UNRESOLVED]:
        properties = []
        if item.path:
            properties.append(f"file={escape_property(repo_path(item.path, options))}")
            if item.line > 0:
                properties.append(f"line={item.line}")
        properties.append(f"title={escape_property(f'unresolved {item.kind}')}")
        lines.append(f"::notice {','.join(properties)}::{escape_data(item.reason)}")
    return lines


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
    if finding.routes_note:
        lines.append(finding.routes_note)
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    if finding.because:
        lines.append(f"because: {finding.because}")
    return "\n".join(lines)

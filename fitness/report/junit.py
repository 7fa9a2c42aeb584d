"""JUnit XML for CI test dashboards (GitLab, Jenkins, Azure, CircleCI): rules as tests.

A ``<testsuite>`` per rule type (``layers``, ``forbidden`` ..., and one per smell or config check such as
``module-cycles`` or ``unused-ignore``), a ``<testcase>`` per rule, passing rules included, and a
``<failure>`` per violation that fails the build (the same findings the exit code counts: at or above
``--fail-on``, not known from a baseline). The failure body holds the finding as the text report shows
it, import chain with file:line included. Findings that do not fail (below ``--fail-on``, known from the
baseline, or fixed since it) are listed in the test case's ``<system-out>``.

For a system of services, a last suite ``service-coverage`` without test cases holds the service
coverage: counts as ``<properties>``, unresolved call sites, addresses and SQL statements (file:line) in its
``<system-out>``. It has nothing to fail, so it never turns a pass into a failure.

Counts follow junitparser: ``failures`` counts ``<failure>`` elements, ``tests`` counts test cases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from fitness.model import Analysis, Finding
from fitness.report.coverage import Coverage, service_coverage
from fitness.report.options import ReportOptions
from fitness.report.rulebook import RuleInfo, is_failing, key_of, repo_path, rulebook, shown, state_of

COVERAGE_SUITE = "service-coverage"  # the suite holding what the service collectors could not resolve
# Characters XML 1.0 cannot hold, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(analysis: Analysis, options: ReportOptions) -> str:
    failures: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    passing: dict[tuple[str, str], list[str]] = defaultdict(list)
    for finding in shown(analysis, options):
        if is_failing(analysis, finding, options):
            failures[key_of(finding)].append(finding)
        else:
            passing[key_of(finding)].append(_note(analysis, finding, options))
    for entry in analysis.stale:
        key = (str(entry.get("code", "")), str(entry.get("rule", "")))
        passing[key].append(f"fixed since the baseline (remove the stale entry): {entry.get('message', '')}")
    suites: dict[str, list[RuleInfo]] = defaultdict(list)
    for info in rulebook(analysis):
        suites[info.kind].append(info)
    root = ET.Element(
        "testsuites", _counts("fitness", [i for k in sorted(suites) for i in suites[k]], failures)
    )
    for kind in sorted(suites):
        infos = sorted(suites[kind], key=lambda i: (i.rule, i.code))
        suite = ET.SubElement(root, "testsuite", _counts(kind, infos, failures))
        for info in infos:
            _testcase(suite, info, failures.get(info.key, []), passing.get(info.key, []), options)
    coverage = service_coverage(analysis.summary)
    if coverage is not None:
        _coverage_suite(root, coverage, options)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _counts(
    name: str, infos: list[RuleInfo], failures: dict[tuple[str, str], list[Finding]]
) -> dict[str, str]:
    failed = sum(len(failures.get(info.key, [])) for info in infos)
    return {
        "name": name,
        "tests": str(len(infos)),
        "failures": str(failed),
        "errors": "0",
        "skipped": "0",
        "time": "0",
    }


def _testcase(
    suite: ET.Element, info: RuleInfo, failed: list[Finding], notes: list[str], options: ReportOptions
) -> None:
    attributes: dict[str, Any] = {"name": info.rule, "classname": f"fitness.{info.kind}", "time": "0"}
    first = next((loc for f in failed for loc in f.locations if loc.path), None)
    if first is not None:
        attributes["file"] = repo_path(first.path, options)
        if first.line:
            attributes["line"] = str(first.line)
    case = ET.SubElement(suite, "testcase", attributes)
    for finding in failed:
        failure = ET.SubElement(
            case,
            "failure",
            {"message": _clean(finding.message), "type": f"{finding.code} {finding.severity.value}"},
        )
        failure.text = _clean("\n".join(_body(finding, options)))
    if notes:
        ET.SubElement(case, "system-out").text = _clean("\n".join(notes))


def _coverage_suite(root: ET.Element, coverage: Coverage, options: ReportOptions) -> None:
    """A suite without test cases (it can fail nothing): the service coverage counts as ``<properties>``,
    the counts line and every unresolved item with its file:line in ``<system-out>``."""
    suite = ET.SubElement(root, "testsuite", _counts(COVERAGE_SUITE, [], {}))
    properties = ET.SubElement(suite, "properties")
    values = [
        *((name, str(value)) for name, value in coverage.numbers.items()),
        *((f"unresolved.{kind}", str(n)) for kind, n in coverage.by_kind.items()),
    ]
    for name, value in values:
        ET.SubElement(properties, "property", {"name": _clean(name), "value": value})
    lines = [f"services: {coverage.line}"]
    lines.extend(
        f"unresolved {item.kind}: {item.where(options.path_prefix) or '-'} {item.reason}"
        for item in coverage.items
    )
    ET.SubElement(suite, "system-out").text = _clean("\n".join(lines))


def _body(finding: Finding, options: ReportOptions) -> list[str]:
    where = repo_path(str(finding.locations[0]), options) if finding.locations else "-"
    lines = [f"{where}: {finding.code} {finding.severity.value} [{finding.rule}] {finding.message}"]
    for index, chain in enumerate(finding.chains):
        lines.append("chain:" if len(finding.chains) == 1 else f"chain {index + 1}:")
        for link in chain:
            at = (
                f"{repo_path(link.path, options)}:{link.line}" if link.line else repo_path(link.path, options)
            )
            statement = f"  `{link.text}`" if link.text else ""
            lines.append(f"  {link.importer} -> {link.imported}  ({at}){statement}")
    if finding.routes_note:
        lines.append(finding.routes_note)
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    if finding.because:
        lines.append(f"because: {finding.because}")
    if finding.adr is not None:
        lines.append(f"decision: ADR {finding.adr}")
    return lines


def _note(analysis: Analysis, finding: Finding, options: ReportOptions) -> str:
    why = "known from the baseline" if state_of(analysis, finding) == "unchanged" else "below --fail-on"
    where = f"{repo_path(str(finding.locations[0]), options)}: " if finding.locations else ""
    return f"{where}{finding.code} {finding.severity.value} ({why}): {finding.message}"


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)

"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): one run, one rule per configured rule.

Choices, and why:

- ``ruleId`` is ``CODE/rule-id`` (``FIT102/domain-is-pure``). Code scanning groups alerts by rule id and
  needs it stable across runs; the code alone would merge two ``forbidden`` rules with different reasons,
  the rule id alone could collide with a smell's name. Every configured rule gets a descriptor, passing
  ones too, with the rule type's summary, the team's ``because`` and the fix as help text.
- Paths are relative to the analysed root, with ``path_prefix`` in front when the root is a folder below
  the working directory, under ``uriBaseId: %SRCROOT%`` (the repository root in CI): code scanning maps
  relative URIs from the repository root.
- ``partialFingerprints`` carries the finding's fingerprint (code + rule + subjects + the imports behind it,
  no line numbers), so an alert survives code moving around and a new import is a new alert.
- With a baseline, results carry ``baselineState`` (new / unchanged), and stale baseline entries become
  ``absent`` results of kind ``pass``.
- Import chains become ``codeFlows``: each import a step with its file and line.
- For a system of services, ``properties.serviceCoverage`` holds what the service collectors read and
  how much they could not resolve, and each unresolved call site, address or SQL statement is a ``note``
  in ``invocations[0].toolExecutionNotifications`` at its file and line (not a result: it breaks no rule).

Deterministic: sorted keys, results in finding order, no timestamps or absolute paths.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fitness import __version__
from fitness.model import Analysis, Finding, Severity
from fitness.model.findings import Chain
from fitness.report.coverage import Coverage, UnresolvedItem, service_coverage
from fitness.report.options import ReportOptions
from fitness.report.rulebook import RuleInfo, ident_of, repo_path, rulebook, shown, state_of

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
BASE_ID = "%SRCROOT%"
FINGERPRINT_KEY = "fitness/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(analysis: Analysis, options: ReportOptions) -> str:
    rules = rulebook(analysis)
    version = analysis.summary.fitness_version or __version__  # the fitness that analysed
    index = {info.ident: position for position, info in enumerate(rules)}
    with_baseline = bool(analysis.baseline_state or analysis.stale)
    results = [_result(analysis, f, index, options, with_baseline) for f in shown(analysis, options)]
    results.extend(_absent(entry, index, analysis, options) for entry in _sorted_stale(analysis))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "fitness",
                "fullName": "fitness architecture fitness functions",
                "version": version,
                "semanticVersion": version,
                "rules": [_descriptor(info) for info in rules],
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"summary": _summary(analysis, options)},
    }
    coverage = service_coverage(analysis.summary)
    if coverage is not None:
        run["properties"]["serviceCoverage"] = _coverage(coverage)
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(item, options) for item in coverage.items],
            }
        ]
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _descriptor(info: RuleInfo) -> dict[str, Any]:
    title = f"{info.rule} ({info.kind}, {info.code})" if info.configured else f"{info.kind} ({info.code})"
    full = info.summary + (f" Why: {info.because}" if info.because else "")
    help_lines = [info.summary]
    if info.because:
        help_lines.append(f"Why: {info.because}")
    if info.advice:
        help_lines.append(f"Fix: {info.advice}")
    if info.adr is not None:
        help_lines.append(f"Decision: ADR {info.adr}")
    help_lines.append(f"More: fitness explain {info.code}")
    tags = list(dict.fromkeys(tag for tag in ("architecture", info.code, info.kind) if tag))
    return {
        "id": info.ident,
        "name": info.rule,
        "shortDescription": {"text": title},
        "fullDescription": {"text": full},
        "help": {"text": "\n".join(help_lines), "markdown": "\n\n".join(help_lines)},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {"tags": tags, "precision": "very-high", "configured": info.configured},
    }


def _result(
    analysis: Analysis, finding: Finding, index: dict[str, int], options: ReportOptions, with_baseline: bool
) -> dict[str, Any]:
    ident = ident_of(finding)
    text = finding.message + (f" (because: {finding.because})" if finding.because else "")
    result: dict[str, Any] = {
        "ruleId": ident,
        "ruleIndex": index[ident],
        "kind": "fail",
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"subjects": list(finding.subjects), "fix": finding.fix, "adr": finding.adr},
    }
    if finding.routes_note:
        result["properties"]["routes"] = finding.routes_note
    locations = [_location(loc.path, loc.line, options) for loc in finding.locations if loc.path]
    if locations:
        result["locations"] = locations
    flows = [_flow(chain, options) for chain in finding.chains if any(link.path for link in chain)]
    if flows:
        result["codeFlows"] = flows
    if with_baseline:
        result["baselineState"] = state_of(analysis, finding) or "new"
    return result


def _absent(
    entry: dict[str, Any], index: dict[str, int], analysis: Analysis, options: ReportOptions
) -> dict[str, Any]:
    """A stale baseline entry: fixed since the baseline was written (kind pass, level none)."""
    ident = f"{entry.get('code', '')}/{entry.get('rule', '')}"
    result: dict[str, Any] = {
        "ruleId": ident,
        "kind": "pass",
        "level": "none",
        "message": {"text": f"fixed since the baseline (remove the stale entry): {entry.get('message', '')}"},
        "partialFingerprints": {FINGERPRINT_KEY: str(entry.get("fingerprint", ""))},
        "baselineState": "absent",
        "properties": {"subjects": [str(s) for s in entry.get("subjects", [])]},
    }
    if ident in index:
        result["ruleIndex"] = index[ident]
    if analysis.summary.config:
        result["locations"] = [_location(analysis.summary.config, 0, options)]
    return result


def _location(path: str, line: int, options: ReportOptions, message: str = "") -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(repo_path(path, options)), "uriBaseId": BASE_ID}
    }
    if line > 0:
        physical["region"] = {"startLine": line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location


def _flow(chain: Chain, options: ReportOptions) -> dict[str, Any]:
    steps = []
    for link in chain:
        text = f"{link.importer} imports {link.imported}" + (f": {link.text}" if link.text else "")
        if link.path:
            steps.append({"location": _location(link.path, link.line, options, text)})
        else:
            steps.append({"location": {"message": {"text": text}}})
    summary = " -> ".join([chain[0].importer, *(link.imported for link in chain)])
    return {"message": {"text": summary}, "threadFlows": [{"locations": steps}]}


def _uri(path: str) -> str:
    """A relative URI reference: POSIX separators, and the characters a URI cannot hold percent-encoded."""
    return quote(path.replace("\\", "/"), safe="/")


def _sorted_stale(analysis: Analysis) -> list[dict[str, Any]]:
    return sorted(analysis.stale, key=lambda e: (str(e.get("code", "")), str(e.get("fingerprint", ""))))


def _summary(analysis: Analysis, options: ReportOptions) -> dict[str, Any]:
    return {
        "modules": analysis.summary.modules,
        "imports": analysis.summary.imports,
        "failing": len(analysis.failing(options.fail_on)),
        "fail_on": options.fail_on.value,
    }


def _coverage(coverage: Coverage) -> dict[str, Any]:
    numbers = coverage.numbers
    return {
        "text": coverage.line,
        "services": numbers["services"],
        "datastores": numbers["datastores"],
        "callSites": numbers["call_sites"],
        "sqlStatements": numbers["sql_statements"],
        "settings": numbers["settings"],
        "unresolved": numbers["unresolved"],
        "unresolvedByKind": dict(coverage.by_kind),
    }


def _notification(item: UnresolvedItem, options: ReportOptions) -> dict[str, Any]:
    """An unresolved call site, address or SQL statement: a note of the run, at its file and line."""
    notification: dict[str, Any] = {
        "level": "note",
        "message": {"text": f"unresolved {item.kind}: {item.reason}"},
        "properties": {"kind": item.kind},
    }
    if item.path:
        notification["locations"] = [_location(item.path, item.line, options)]
    return notification

"""GitLab Code Quality JSON: the merge-request widget and the changed-lines markers.

An array of issues, each ``{description, check_name, fingerprint, severity, location: {path, lines}}``.
GitLab compares the report of the merge request with the target branch's by fingerprint, so known
violations stay quiet without a baseline; the fingerprint is the finding's (code + rule + subjects +
the imports behind it).
Findings without a file are placed on the config file, or left out when there is none.
"""

from __future__ import annotations

import json
from typing import Any

from fitness.model import Analysis, Severity
from fitness.report.options import ReportOptions
from fitness.report.rulebook import ident_of, repo_path, shown

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(analysis: Analysis, options: ReportOptions) -> str:
    issues: list[dict[str, Any]] = []
    seen: set[str] = set()
    config = analysis.summary.config
    for finding in shown(analysis, options):
        location = next((loc for loc in finding.locations if loc.path), None)
        path, line = (location.path, max(location.line, 1)) if location else (config, 1)
        if not path:
            continue
        fingerprint = finding.fingerprint
        while fingerprint in seen:  # two findings on the same subjects: keep fingerprints unique
            fingerprint = f"{fingerprint}+"
        seen.add(fingerprint)
        issues.append(
            {
                "type": "issue",
                "check_name": ident_of(finding),
                "description": f"{finding.code} [{finding.rule}] {finding.message}",
                "categories": ["Complexity"],
                "fingerprint": fingerprint,
                "severity": SEVERITIES[finding.severity],
                "location": {"path": repo_path(path, options), "lines": {"begin": line}},
            }
        )
    return json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

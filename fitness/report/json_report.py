"""The whole Analysis as JSON (the format ``fitness report --from`` and baselines build on)."""

from __future__ import annotations

import json

from fitness.model import Analysis
from fitness.report.options import ReportOptions


def render(analysis: Analysis, options: ReportOptions) -> str:
    document = analysis.to_json()
    document["passed"] = not analysis.failing(options.fail_on)
    document["fail_on"] = options.fail_on.value
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

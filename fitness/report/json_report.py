"""The Analysis as JSON: findings, summary, metrics and the graph, compact by default (modules and imports
counted, not listed: see ``fitness.model.analysis``) or full (``--graph full``, what ``fitness report
--from`` renders)."""

from __future__ import annotations

import json

from fitness.model import Analysis
from fitness.report.options import ReportOptions


def render(analysis: Analysis, options: ReportOptions) -> str:
    document = analysis.to_json(graph=options.graph)
    document["passed"] = not analysis.failing(options.fail_on)
    document["fail_on"] = options.fail_on.value
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

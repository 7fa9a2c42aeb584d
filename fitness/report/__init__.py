"""Reporters: pure functions of a saved Analysis. Only the CLI writes their output anywhere.

Adding a format means one module with ``render(analysis, options) -> str`` and one line in FORMATS.
"""

from __future__ import annotations

from collections.abc import Callable

from fitness.model import Analysis
from fitness.report import json_report, text
from fitness.report.options import ReportOptions

Renderer = Callable[[Analysis, ReportOptions], str]

FORMATS: dict[str, Renderer] = {
    "json": json_report.render,
    "text": text.render,
}

__all__ = ["FORMATS", "Renderer", "ReportOptions"]

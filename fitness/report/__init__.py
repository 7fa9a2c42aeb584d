"""Reporters: pure functions of a saved Analysis. Only the CLI writes their output anywhere.

Adding a format means one module with ``render(analysis, options) -> str`` and one line in FORMATS.
"""

from __future__ import annotations

from collections.abc import Callable

from fitness.model import Analysis
from fitness.report import codequality, github, json_report, junit, markdown, sarif, text
from fitness.report.options import ReportOptions

Renderer = Callable[[Analysis, ReportOptions], str]

FORMATS: dict[str, Renderer] = {
    "codequality": codequality.render,
    "github": github.render,
    "json": json_report.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "sarif": sarif.render,
    "text": text.render,
}

__all__ = ["FORMATS", "Renderer", "ReportOptions"]

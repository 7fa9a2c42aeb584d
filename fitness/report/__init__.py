"""Reporters: pure functions of a saved Analysis. Only the CLI writes their output anywhere.

Adding a format means one module with ``render(analysis, options) -> str`` and one line in ``_MODULES``.
A format's module is imported when it is first rendered: a check writes one format, not seven.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from fitness.model import Analysis
from fitness.report.options import ReportOptions

Renderer = Callable[[Analysis, ReportOptions], str]

_MODULES = {
    "codequality": "codequality",
    "github": "github",
    "json": "json_report",
    "junit": "junit",
    "markdown": "markdown",
    "sarif": "sarif",
    "text": "text",
}


class _Formats(Mapping[str, Renderer]):
    """Format name -> renderer, the module loaded on first use."""

    def __getitem__(self, name: str) -> Renderer:
        module = importlib.import_module(f"fitness.report.{_MODULES[name]}")
        render: Renderer = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATS: Mapping[str, Renderer] = _Formats()

__all__ = ["FORMATS", "Renderer", "ReportOptions"]

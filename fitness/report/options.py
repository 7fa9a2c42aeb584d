"""Options shared by reporters (what the command line chose)."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.model import Severity


@dataclass(frozen=True)
class ReportOptions:
    fail_on: Severity = Severity.ERROR
    verbose: bool = False
    color: bool = False

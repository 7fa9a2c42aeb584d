"""Options shared by reporters (what the command line chose)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fitness.model import Severity

if TYPE_CHECKING:
    from fitness.model.trend import TrendPoint


@dataclass(frozen=True)
class ReportOptions:
    """``path_prefix`` is where the analysed root sits below the working directory (``services/orders/``,
    or empty): formats read by tools that resolve paths from the repository root (SARIF, GitHub
    annotations, JUnit and Code Quality file attributes) put it in front of every path, so that
    ``fitness check services/orders`` still annotates the right files.

    ``graph`` is how much of the graph the JSON carries: ``compact`` (services, datastores, tables and topics;
    modules and imports counted) or ``full`` (every node and edge with its evidence)."""

    fail_on: Severity = Severity.ERROR
    verbose: bool = False
    color: bool = False
    path_prefix: str = ""
    graph: str = "compact"
    trend: tuple[TrendPoint, ...] = ()  # ``report --trend FILE``: drawn as charts, oldest first

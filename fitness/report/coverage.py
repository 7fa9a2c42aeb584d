"""What the service collectors read and could not resolve, for every format: one counts line and the
unresolved items (kind, reason, file:line), from ``Analysis.summary.service_scan``.

Nothing passes silently: each reporter states these counts, passing or not, so a clean result on a system
the tool could not read is never mistaken for a clean system. A summary without services (a package-only
system) has no coverage: reporters then print nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass

from fitness.model.summary import Summary, UnresolvedItem

__all__ = ["Coverage", "UnresolvedItem", "service_coverage"]


@dataclass(frozen=True)
class Coverage:
    """``line`` is the sentence every format shows; ``numbers`` the same counts for machine formats;
    ``items`` every unresolved item, sorted by file, line, kind and reason."""

    line: str
    numbers: dict[str, int]
    by_kind: dict[str, int]
    items: list[UnresolvedItem]

    @property
    def unresolved(self) -> int:
        return self.numbers["unresolved"]


def service_coverage(summary: Summary) -> Coverage | None:
    """The coverage of ``summary``, or None when the system has no services."""
    scan = summary.service_scan
    if scan is None:
        return None
    by_kind = scan.by_kind
    numbers = {
        "services": len(scan.services),
        "datastores": len(scan.datastores),
        "call_sites": scan.call_sites,
        "sql_statements": scan.sql_statements,
        "settings": scan.settings,
        "unresolved": sum(by_kind.values()),
    }
    kinds = ", ".join(f"{n} {kind}" for kind, n in by_kind.items())
    line = (
        f"{numbers['services']} services, {numbers['datastores']} datastores, "
        f"{numbers['call_sites']} call sites and {numbers['sql_statements']} SQL statements read; "
        f"{numbers['unresolved']} unresolved" + (f" ({kinds})" if kinds else "")
    )
    return Coverage(line, numbers, by_kind, sorted(scan.unresolved))

"""What the service collectors read and could not resolve, for every format: one counts line and the
unresolved items (kind, reason, file:line), from ``Analysis.summary`` (``pipeline._service_summary``).

Nothing passes silently: each reporter states these counts, passing or not, so a clean result on a system
the tool could not read is never mistaken for a clean system. A summary without ``services`` (a
package-only system) has no coverage: reporters then print nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class UnresolvedItem:
    """A call site, address or SQL statement the collectors could not resolve statically."""

    path: str
    line: int
    kind: str
    reason: str

    def where(self, prefix: str = "") -> str:
        """``path:line`` (just the path without a line), ``prefix`` in front of a path (``path_prefix``)."""
        path = f"{prefix}{self.path}" if self.path else ""
        return f"{path}:{self.line}" if path and self.line > 0 else path


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


def service_coverage(summary: Mapping[str, Any]) -> Coverage | None:
    """The coverage of ``summary``, or None when the system has no services."""
    services = summary.get("services")
    if not isinstance(services, list):
        return None
    items = sorted(_item(raw) for raw in summary.get("unresolved") or [] if isinstance(raw, Mapping))
    raw_counts = summary.get("unresolved_counts")
    by_kind = (
        {str(kind): _int(n) for kind, n in sorted(raw_counts.items(), key=lambda kv: str(kv[0]))}
        if isinstance(raw_counts, Mapping) and raw_counts
        else _count_kinds(items)
    )
    datastores = summary.get("datastores")
    numbers = {
        "services": len(services),
        "datastores": len(datastores) if isinstance(datastores, list) else 0,
        "call_sites": _int(summary.get("call_sites")),
        "sql_statements": _int(summary.get("sql_statements")),
        "settings": _int(summary.get("settings")),
        "unresolved": sum(by_kind.values()),
    }
    kinds = ", ".join(f"{n} {kind}" for kind, n in by_kind.items())
    line = (
        f"{numbers['services']} services, {numbers['datastores']} datastores, "
        f"{numbers['call_sites']} call sites and {numbers['sql_statements']} SQL statements read; "
        f"{numbers['unresolved']} unresolved" + (f" ({kinds})" if kinds else "")
    )
    return Coverage(line, numbers, by_kind, items)


def _item(raw: Mapping[str, Any]) -> UnresolvedItem:
    return UnresolvedItem(
        str(raw.get("path") or ""),
        _int(raw.get("line")),
        str(raw.get("kind") or ""),
        str(raw.get("reason") or ""),
    )


def _count_kinds(items: list[UnresolvedItem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return dict(sorted(counts.items()))


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0

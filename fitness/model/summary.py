"""``Analysis.summary``: what one run read and configured, typed, for reporters (which read nothing else).

Its JSON form (``summary`` in ``fitness check --format json``) is a flat object, keys sorted on writing::

    {"fitness_version": "0.9.0", "config": "fitness.yaml", "source_roots": ["src"], "packages": ["shop"],
     "package_depth": 2, "modules": 40, "imports": 97, "rules": [{"id", "type", "code", "severity",
     "because", "adr", "summary", "advice"}], "history": {...},
     # a system of services only: what the service collectors read and could not resolve
     "services": [...], "datastores": [...], "call_sites": 14, "sql_statements": 9, "settings": 5,
     "unresolved_counts": {"sql": 1}, "unresolved": [{"kind", "reason", "path", "line"}],
     # only when computed: the granularity table, the ADRs the rules enforce, --changed-since
     "granularity": {...}, "decisions": {"7": {"title", "status", "path", "rules"}},
     "changed_since": {"rev": "main", "files": 3}}

``from_json`` reads what an older fitness wrote: a missing key gets its default, a missing optional part
stays None, so ``fitness report --from`` renders any schema-2 file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fitness.model import json_values
from fitness.model.history import HistorySummary

if TYPE_CHECKING:  # loaded by from_json: a run that scores no granularity never needs it
    from fitness.model.granularity import GranularityTable


@dataclass(frozen=True)
class ConfiguredRule:
    """A rule of the config as reporters describe it (its type's summary and advice), so that they never
    import the rule registry."""

    id: str
    type: str
    code: str
    severity: str = "error"
    because: str = ""
    adr: int | None = None
    summary: str = ""
    advice: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type,
            "code": self.code,
            "severity": self.severity,
            "because": self.because,
            "adr": self.adr,
            "summary": self.summary,
            "advice": self.advice,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ConfiguredRule:
        adr = data.get("adr")
        return cls(
            id=json_values.text(data.get("id")),
            type=json_values.text(data.get("type")),
            code=json_values.text(data.get("code")),
            severity=json_values.text(data.get("severity"), "error"),
            because=json_values.text(data.get("because")),
            adr=adr if isinstance(adr, int) and not isinstance(adr, bool) else None,
            summary=json_values.text(data.get("summary")),
            advice=json_values.text(data.get("advice")),
        )


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

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "reason": self.reason, "path": self.path, "line": self.line}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> UnresolvedItem:
        return cls(
            json_values.text(data.get("path")),
            json_values.integer(data.get("line")),
            json_values.text(data.get("kind")),
            json_values.text(data.get("reason")),
        )


@dataclass(frozen=True)
class ServiceSummary:
    """What the service collectors read, and every item they could not resolve (in the order found;
    reporters sort them), so a clean result on a system the tool could not read is never mistaken for
    a clean system."""

    services: tuple[str, ...]
    datastores: tuple[str, ...] = ()
    sql_statements: int = 0
    call_sites: int = 0
    settings: int = 0
    unresolved: tuple[UnresolvedItem, ...] = ()

    @property
    def by_kind(self) -> dict[str, int]:
        """Unresolved items by kind, sorted by kind (``unresolved_counts`` in the JSON)."""
        return dict(sorted(Counter(item.kind for item in self.unresolved).items()))

    def to_json(self) -> dict[str, object]:
        return {
            "services": list(self.services),
            "datastores": list(self.datastores),
            "sql_statements": self.sql_statements,
            "call_sites": self.call_sites,
            "settings": self.settings,
            "unresolved_counts": self.by_kind,
            "unresolved": [item.to_json() for item in self.unresolved],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ServiceSummary | None:
        """None when ``data`` (the whole summary) has no services: a package-only system. The counts are
        not read back: they are the count of ``unresolved`` by kind."""
        if not isinstance(data.get("services"), list):
            return None
        return cls(
            services=json_values.strings(data.get("services")),
            datastores=json_values.strings(data.get("datastores")),
            sql_statements=json_values.integer(data.get("sql_statements")),
            call_sites=json_values.integer(data.get("call_sites")),
            settings=json_values.integer(data.get("settings")),
            unresolved=tuple(
                UnresolvedItem.from_json(item) for item in json_values.records(data.get("unresolved"))
            ),
        )


@dataclass(frozen=True)
class DecisionSummary:
    """An ADR that configured rules enforce (``adr:``): its title, status and file, and those rules."""

    title: str
    status: str
    path: str
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "status": self.status, "path": self.path, "rules": list(self.rules)}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> DecisionSummary:
        return cls(
            json_values.text(data.get("title")),
            json_values.text(data.get("status")),
            json_values.text(data.get("path")),
            json_values.strings(data.get("rules")),
        )


@dataclass(frozen=True)
class ChangedSince:
    """``--changed-since``: the revision, and how many files changed since it."""

    rev: str
    files: int

    def to_json(self) -> dict[str, object]:
        return {"rev": self.rev, "files": self.files}


@dataclass(frozen=True)
class Summary:
    """What one run read and configured. The optional parts are None (and left out of the JSON) when the
    run did not produce them: ``service_scan`` for a package-only system, ``granularity`` when nobody
    asked for the table, ``changed_since`` without ``--changed-since``; ``decisions`` is empty when no
    rule names an ADR."""

    fitness_version: str = ""
    config: str = ""  # the config file, relative to the analysed root; "" when discovered
    source_roots: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    package_depth: int = 2
    modules: int = 0
    imports: int = 0
    rules: tuple[ConfiguredRule, ...] = ()
    history: HistorySummary | None = None
    service_scan: ServiceSummary | None = None
    granularity: GranularityTable | None = None
    decisions: Mapping[int, DecisionSummary] = field(default_factory=dict)
    changed_since: ChangedSince | None = None

    @property
    def services(self) -> tuple[str, ...]:
        return self.service_scan.services if self.service_scan is not None else ()

    @property
    def datastores(self) -> tuple[str, ...]:
        return self.service_scan.datastores if self.service_scan is not None else ()

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "fitness_version": self.fitness_version,
            "config": self.config,
            "source_roots": list(self.source_roots),
            "packages": list(self.packages),
            "package_depth": self.package_depth,
            "modules": self.modules,
            "imports": self.imports,
            "rules": [rule.to_json() for rule in self.rules],
        }
        if self.service_scan is not None:
            data.update(self.service_scan.to_json())
        if self.history is not None:
            data["history"] = self.history.to_json()
        if self.granularity is not None:
            data["granularity"] = self.granularity.to_json()
        if self.decisions:
            data["decisions"] = {str(number): self.decisions[number].to_json() for number in self.decisions}
        if self.changed_since is not None:
            data["changed_since"] = self.changed_since.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Summary:
        history = data.get("history")
        granularity = data.get("granularity")
        changed = json_values.mapping(data.get("changed_since"))
        depth = json_values.integer(data.get("package_depth"), 2)
        return cls(
            fitness_version=json_values.text(data.get("fitness_version")),
            config=json_values.text(data.get("config")),
            source_roots=json_values.strings(data.get("source_roots")),
            packages=json_values.strings(data.get("packages")),
            package_depth=depth if depth > 0 else 2,
            modules=json_values.integer(data.get("modules")),
            imports=json_values.integer(data.get("imports")),
            rules=tuple(ConfiguredRule.from_json(item) for item in json_values.records(data.get("rules"))),
            history=HistorySummary.from_json(history) if isinstance(history, Mapping) else None,
            service_scan=ServiceSummary.from_json(data),
            granularity=_granularity(granularity),
            decisions={
                int(number): DecisionSummary.from_json(record)
                for number, record in json_values.mapping(data.get("decisions")).items()
                if str(number).isdigit() and isinstance(record, Mapping)
            },
            changed_since=(
                ChangedSince(json_values.text(changed.get("rev")), json_values.integer(changed.get("files")))
                if changed
                else None
            ),
        )


def _granularity(data: object) -> GranularityTable | None:
    if not isinstance(data, Mapping):
        return None
    from fitness.model.granularity import GranularityTable

    return GranularityTable.from_json(data)

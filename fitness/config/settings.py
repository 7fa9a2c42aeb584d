"""The validated configuration: frozen values, no behaviour. Defaults live here and only here."""

from __future__ import annotations

from dataclasses import dataclass, field

from fitness.model.decisions import AdrSettings
from fitness.model.granularity import GranularitySettings
from fitness.model.history import HistorySettings
from fitness.model.rulespec import RuleSpec
from fitness.model.servicespec import ServiceSpec
from fitness.model.thresholds import AnalysisSettings


@dataclass(frozen=True)
class Config:
    """Everything ``fitness.yaml`` says. ``path`` is None when running on defaults only."""

    root: str
    path: str | None = None
    source_roots: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    baseline: str | None = None  # known violations, relative to the config file (``fitness init`` writes it)
    include_external: bool = False
    exclude_type_checking_imports: bool = False
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    rules: tuple[RuleSpec, ...] = ()
    services: tuple[ServiceSpec, ...] = ()
    sql_dialect: str | None = None
    adr: AdrSettings = field(default_factory=AdrSettings)
    granularity: GranularitySettings = field(default_factory=GranularitySettings)
    history: HistorySettings = field(default_factory=HistorySettings)

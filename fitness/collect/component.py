"""One deployable component as the service plan sees it, shared by the plan and the fact collectors."""

from __future__ import annotations

from dataclasses import dataclass, field

from fitness.model import Evidence
from fitness.model.facts import DeployedService
from fitness.model.servicespec import ServiceSpec


@dataclass
class Component:
    """A deployable the plan found: its names, folders, deployments and what fitness.yaml says of it."""

    name: str
    source: str
    evidence: Evidence
    folders: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    deployed: list[DeployedService] = field(default_factory=list)
    spec: ServiceSpec | None = None
    copies: list[str] = field(default_factory=list)  # shared code its image is built with

"""The source detectors: one module per framework or construct, listed once here.

A detector reads one :class:`SourceFile` and appends facts (settings, setting references, addresses,
names, routes, messages) to a :class:`SourceFacts`; it never decides which service a file belongs to
nor what is a smell — the resolver joins facts into edges. Adding a detector is one new module under
``fitness/collect/code/detectors/`` with a module-level ``DETECTOR`` and one line in ``DETECTOR_MODULES``.

A detector declares which files it reads (``suffixes``: ``.java``, or whole lower-case file names such
as ``nginx.conf``) and cheap ``triggers``: substrings of which at least one must be in the text, so
that most files are never searched with a regular expression. The detectors' time on one file is
capped (``FILE_SECONDS``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Protocol

from fitness.collect.skipped import Skipped
from fitness.collect.source_file import SourceFile
from fitness.collect.time_cap import batch_of_caps, time_cap
from fitness.model.facts import SourceFacts

DETECTOR_MODULES: tuple[str, ...] = (
    "setting_refs",  # env and config reads, defaults in code (every language)
    "connection_literals",  # datastore URLs, DSNs and client hosts written in code (lowest-ranked settings)
    "nginx",  # nginx proxy_pass/grpc_pass/upstream, Apache ProxyPass/BalancerMember routes
    "envoy",  # Envoy static_resources routes -> cluster endpoints
    "gateways",  # Spring Cloud Gateway, Zuul, Ocelot, YARP routes
    "discovery",  # calls by logical name: Feign, lb://, registry lookups, service-name enums
    "grpc",  # gRPC servers and stubs (ProtoUse), dialled gRPC addresses
    "thrift",  # Thrift clients and processors (ProtoUse)
    "kafka",  # Kafka producers/consumers: Spring Kafka, plain clients, Go, C#, Node (Message)
    "jms_amqp",  # JMS, Spring AMQP, RabbitMQ (Go, Node, .NET, MassTransit), STOMP (Message)
    "stream_bindings",  # Spring Cloud Stream bindings in application.yml/properties (Message)
    "message_constants",  # topic/queue constants used from other files (Setting Class.NAME)
    "orm_entities",  # ORM entity -> table mappings: JPA, EF Core, GORM, Sequelize, TypeORM, Prisma, AR
    "orm_writes",  # ORM writes naming their entity: Spring Data, JPA, EF Core, GORM, Sequelize, Prisma...
    "sql_strings",  # SQL/JPQL string literals in Go, JVM, C#, JS/TS, Rust, Ruby, PHP (TableAccess)
    "resilience",  # client calls and timeouts, breakers, function and loop spans, dedupe, outbox
    "sagas",  # saga steps and their compensations: Eventuate, Temporal, Axon, MassTransit, step lists
)
"""Modules under ``fitness.collect.code.detectors``, each defining ``DETECTOR``."""
FILE_SECONDS = 3.0
"""Time the detectors may take on one file (the slowest real file seen takes 0.2 s): a regular expression
that is quadratic on a hostile file (``${`` repeated over a 1 MB line) is stopped there, and the file is
skipped and counted (:class:`fitness.collect.skipped.Skipped`)."""
SLOW = "too slow to read"
INTERACTION_DETECTORS = frozenset({"resilience", "sagas"})
"""Detectors of how a component talks to its peers (timeouts, retries, outboxes, sagas): a component with
no peer (a service alone with its database, and no broker) is not read by them."""


class Detector(Protocol):
    name: str
    suffixes: frozenset[str]
    triggers: tuple[str, ...]

    def detect(self, file: SourceFile, facts: SourceFacts) -> None: ...


@dataclass(frozen=True)
class Registry:
    detectors: tuple[Detector, ...]

    def run(self, files: Iterable[SourceFile], interactions: bool = True) -> SourceFacts:
        """Every detector on every file it reads; a detector that fails on a file is a warning.
        ``interactions`` False: the :data:`INTERACTION_DETECTORS` are left out."""
        facts = SourceFacts()
        detectors = [d for d in self.detectors if interactions or d.name not in INTERACTION_DETECTORS]
        named = _Names(detectors)
        readers: dict[tuple[str, str | None], list[Detector]] = {}  # (suffix, name) -> its readers
        with batch_of_caps():
            for file in files:
                name = file.name.lower()
                key = (file.suffix, name if named.matter(name) else None)  # most names matter to none
                if key not in readers:
                    readers[key] = [d for d in detectors if _reads_kind(d, *key)]
                chosen = _triggered(readers[key], file.text)
                if chosen:  # most files of a large component have none: no timer to set
                    _detect(chosen, file, facts)
        return facts


def _detect(detectors: list[Detector], file: SourceFile, facts: SourceFacts) -> None:
    """``detectors`` on ``file``, under one time cap."""
    found = _lengths(facts)
    with time_cap(FILE_SECONDS) as cap:
        for detector in detectors:
            try:
                detector.detect(file, facts)
            except Exception as error:  # a construct nobody foresaw must not stop the analysis
                facts.warnings.append(
                    f"{file.path}: {detector.name} detector failed ({type(error).__name__}: {error})"
                )
    if cap.expired:  # what the file gave before the timer is dropped: the same answer at any speed
        for name, length in found.items():
            del getattr(facts, name)[length:]
        facts.warnings.append(Skipped(file.path, SLOW, f"over {FILE_SECONDS:g} s to read"))


class _Names:
    """Which file names some detector reads by name (``nginx.conf``), so that the readers of the other
    files are found once per suffix, not once per file."""

    def __init__(self, detectors: list[Detector]) -> None:
        plain = [d.suffixes for d in detectors if type(d.suffixes) is frozenset]
        self.listed: frozenset[str] = frozenset().union(*plain)
        self.custom = [d.suffixes for d in detectors if type(d.suffixes) is not frozenset]

    def matter(self, name: str) -> bool:
        return name in self.listed or any(name in suffixes for suffixes in self.custom)


def _triggered(detectors: list[Detector], text: str) -> list[Detector]:
    """The ``detectors`` with a trigger in ``text``, in order; a trigger several of them share (a line
    break, a quote, ``env``) is looked for once."""
    present: dict[str, bool] = {}
    chosen = []
    for detector in detectors:
        for trigger in detector.triggers:
            hit = present.get(trigger)
            if hit is None:
                hit = present[trigger] = trigger in text
            if hit:
                chosen.append(detector)
                break
    return chosen


_LISTS = tuple(f.name for f in fields(SourceFacts) if f.name != "tables")
"""The lists of :class:`SourceFacts` a file's facts are appended to, but ``tables``, which the ORM
detectors' entity index keeps in step with itself (it may take out an earlier entry): left as the
index has it."""


def _lengths(facts: SourceFacts) -> dict[str, int]:
    """The length of each of :data:`_LISTS` of ``facts``."""
    return {name: len(getattr(facts, name)) for name in _LISTS}


def _reads(detector: Detector, file: SourceFile) -> bool:
    return _reads_kind(detector, file.suffix, file.name.lower())


def _reads_kind(detector: Detector, suffix: str, name: str | None) -> bool:
    """Whether ``detector`` reads a file of ``suffix`` and lower-case ``name`` (None: a name no detector
    lists)."""
    suffixes = detector.suffixes
    return suffix in suffixes or (name is not None and name in suffixes) or "*" in suffixes


_REGISTRY: Registry | None = None


def registry() -> Registry:
    """The registry of every detector in ``DETECTOR_MODULES`` (imported once)."""
    global _REGISTRY
    if _REGISTRY is None:
        modules = [importlib.import_module(f"fitness.collect.code.detectors.{m}") for m in DETECTOR_MODULES]
        _REGISTRY = Registry(tuple(module.DETECTOR for module in modules))
    return _REGISTRY

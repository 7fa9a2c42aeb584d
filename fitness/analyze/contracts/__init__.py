"""Contract evolution: compare two revisions of each contract and turn the differences into findings.

``compare`` gives the changes of one file (``ContractChange``, breaking or not); ``contract_findings``
makes each a Finding: FIT401 (OpenAPI), FIT402 (protobuf), FIT403 (Avro), FIT404 (JSON Schema) for a
breaking change, as an error that names the consumers of the contract (``consumers``); FIT405 (info) for a
compatible one. A finding's line is in the working tree, or in the base revision for something removed
(``data["line_in"]``).
"""

from __future__ import annotations

from fitness.analyze.contracts.avro import compare_avro
from fitness.analyze.contracts.consumers import Consumers, consumers_of
from fitness.analyze.contracts.openapi import compare_openapi
from fitness.analyze.contracts.protobuf import compare_proto
from fitness.analyze.contracts.schemas import Located, Policy, compare
from fitness.model import ArchGraph, Finding, Location, Severity
from fitness.model.contracts import ContractChange, ContractDoc, ContractPair, ProtoFile

BREAKING_CODES = {"openapi": "FIT401", "protobuf": "FIT402", "avro": "FIT403", "json-schema": "FIT404"}
COMPATIBLE_CODE = "FIT405"
EVENT_SCHEMA = Policy(
    "property",
    "property",
    removed_breaks=True,
    new_required_breaks=True,
    removed_fix="keep the property (deprecated) until no consumer reads it, or publish a new schema version",
    required_fix="make the new property optional: events already written, and producers on the old schema, "
    "do not have it",
)

__all__ = ["BREAKING_CODES", "COMPATIBLE_CODE", "compare", "compare_pair", "contract_findings"]


def compare_pair(pair: ContractPair) -> list[ContractChange]:
    """The changes from ``pair.base`` to ``pair.head``; a whole file removed or added is one change."""
    if pair.head is None:
        what = f"{pair.kind} contract {pair.path} deleted"
        fix = "keep the contract until no consumer uses it, or move it (a moved file is compared where it is now)"
        return [ContractChange("removed-contract", pair.path, what, 1, True, fix, True)]
    if pair.base is None:
        return [
            ContractChange("added-contract", pair.path, f"{pair.kind} contract {pair.path} added", 1, False)
        ]
    base, head = pair.base, pair.head
    if isinstance(base, ProtoFile) and isinstance(head, ProtoFile):
        return compare_proto(base, head)
    if not isinstance(base, ContractDoc) or not isinstance(head, ContractDoc):
        return []
    if pair.kind == "openapi":
        return compare_openapi(base, head)
    if pair.kind == "avro":
        return compare_avro(base, head)
    return compare(base, Located(base.data, ()), head, Located(head.data, ()), "", EVENT_SCHEMA)


def contract_findings(
    changes: list[tuple[ContractPair, ContractChange]], graph: ArchGraph | None, base: str
) -> list[Finding]:
    """Findings for ``changes``; ``graph`` (the analysis of the working tree) names the consumers of a
    broken contract, None when no change breaks (then nobody is looked up)."""
    found: dict[str, Consumers] = {}
    findings = []
    for pair, change in changes:
        data: dict[str, object] = {
            "contract": pair.kind,
            "change": change.kind,
            "element": change.element,
            "base": base,
            "line_in": "base" if change.in_base else "working tree",
        }
        message = change.message
        if change.breaking:
            if graph is not None and pair.path not in found:
                found[pair.path] = consumers_of(pair, graph)
            consumers = found.get(pair.path, Consumers(None, ()))
            message = f"{message}; {consumers.note()}"
            data["owner"] = consumers.owner
            data["consumers"] = [consumer.to_json() for consumer in consumers.found]
        findings.append(
            Finding(
                code=BREAKING_CODES[pair.kind] if change.breaking else COMPATIBLE_CODE,
                rule=change.kind,
                severity=Severity.ERROR if change.breaking else Severity.INFO,
                message=message,
                subjects=(pair.path, change.element),
                locations=(Location(pair.path, change.line),),
                fix=change.fix,
                data=data,
            )
        )
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple[object, ...]:
    location = finding.locations[0]
    return (-finding.severity.rank, location.path, location.line, finding.rule, finding.message)

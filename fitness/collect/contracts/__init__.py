"""Contracts in two revisions: the working tree, and the base revision read from git (never checked out).

``read_contracts`` pairs every contract file of either side (``files.kind_of`` says what a contract is)
and parses both revisions into ``fitness.model.contracts``; ``fitness.analyze.contracts`` compares them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fitness.collect.contracts.files import candidate, candidate_files, kind_of, parse_contract
from fitness.collect.contracts.revisions import Base, base_files, read_base, resolve_base
from fitness.collect.manifests.yaml_lines import read_text
from fitness.model import FitnessError
from fitness.model.contracts import ContractPair

__all__ = ["Base", "ContractScan", "read_contracts", "resolve_base"]


@dataclass
class ContractScan:
    """The contract files of both revisions (``unchanged``: the same text on both sides, not compared)."""

    base: Base
    pairs: list[ContractPair] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_contracts(root: Path, base: Base) -> ContractScan:
    """Every contract below ``root`` now or in ``base``. A contract of the working tree that cannot be
    read (a ``.proto`` or ``.avsc`` with a syntax error) is a FitnessError; one of the base revision, or a
    YAML/JSON file that looks like a contract but does not parse, is a warning and not compared."""
    scan = ContractScan(base)
    head: dict[str, tuple[str, str]] = {}
    for path in candidate_files(root):
        text = read_text(root / path, path, scan.warnings)
        kind = None if text is None else _kind(path, text, scan.warnings, strict=True)
        if text is not None and kind is not None:
            head[path] = (kind, text)
    wanted = sorted({*head, *(path for path in base_files(root, base) if candidate(path))})
    old = read_base(root, base, wanted, scan.warnings)
    for path in wanted:
        kind, text = head.get(path, (None, None))
        base_text = old.get(path)
        base_kind = None if base_text is None else _kind(path, base_text, scan.warnings, strict=False)
        kind = kind or base_kind
        if kind is None:
            continue
        if text is not None and text == base_text:
            scan.unchanged.append(path)
            continue
        pair = _pair(path, kind, text, base_text if base_kind == kind else None, base, scan.warnings)
        if pair is not None:
            scan.pairs.append(pair)
    return scan


def _kind(path: str, text: str, warnings: list[str], strict: bool) -> str | None:
    try:
        return kind_of(path, text)
    except FitnessError as error:
        if strict and path.lower().endswith((".proto", ".avsc")):
            raise
        warnings.append(f"{error} (looks like a contract, not compared)")
        return None


def _pair(
    path: str, kind: str, text: str | None, base_text: str | None, base: Base, warnings: list[str]
) -> ContractPair | None:
    head = None if text is None else parse_contract(path, kind, text)
    try:
        old = None if base_text is None else parse_contract(path, kind, base_text)
    except FitnessError as error:
        warnings.append(f"{error} (in {base.label}: not compared)")
        return None
    return ContractPair(path, kind, old, head)

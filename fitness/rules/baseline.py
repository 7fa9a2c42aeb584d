"""Baseline of known violations: fail only on new findings, list the ones that went away.

The baseline stores fingerprints (code + rule id + subjects, no line numbers), so moving code around does
not make a known violation look new. Pure functions: reading and writing the file is the caller's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fitness.model import Finding, FitnessError

BASELINE_VERSION = 1


def to_document(findings: Iterable[Finding]) -> dict[str, Any]:
    """The baseline document for ``findings``: sorted, one entry per fingerprint, deterministic."""
    entries: dict[str, dict[str, Any]] = {}
    for finding in findings:
        entries.setdefault(
            finding.fingerprint,
            {
                "fingerprint": finding.fingerprint,
                "code": finding.code,
                "rule": finding.rule,
                "subjects": list(finding.subjects),
                "message": finding.message,
            },
        )
    return {
        "version": BASELINE_VERSION,
        "findings": [entries[key] for key in sorted(entries, key=lambda k: _order(entries[k]))],
    }


def from_document(data: Any, source: str) -> dict[str, dict[str, Any]]:
    """Fingerprint -> entry; a FitnessError naming the file for anything that is not a baseline."""
    version = data.get("version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > BASELINE_VERSION:
        raise FitnessError(
            f"baseline written by a newer fitness (version {version}; this one reads up to "
            f"{BASELINE_VERSION}): upgrade fitness, or rewrite the baseline with --update-baseline",
            source,
        )
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise FitnessError("not a fitness baseline (expected 'version' and 'findings')", source)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FitnessError(f"baseline version {version!r} is not supported (expected 1)", source)
    known: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise FitnessError(f"baseline entry {index} has no fingerprint", source)
        known[entry["fingerprint"]] = entry
    return known


def compare(
    findings: Iterable[Finding], known: dict[str, dict[str, Any]]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """``(state per fingerprint: 'new' | 'unchanged', stale baseline entries)``."""
    states: dict[str, str] = {}
    for finding in findings:
        states[finding.fingerprint] = "unchanged" if finding.fingerprint in known else "new"
    stale = [entry for key, entry in sorted(known.items()) if key not in states]
    return states, stale


def _order(entry: dict[str, Any]) -> tuple[str, str, list[str]]:
    return (str(entry["code"]), str(entry["rule"]), list(entry["subjects"]))

"""Baseline of known violations: fail only on new findings, list the ones that went away.

An entry records a finding by its fingerprint: the code, the rule id, the subjects and, for findings about
imports between module groups (``domain -> adapters``), the module imports behind it (``Finding.imports``,
``a -> b``), never line numbers. So moving code keeps a finding known, and a new import between packages
that already had one is new, even when the two packages were already in the baseline:

- a finding is *unchanged* when its fingerprint is in the baseline, or when an entry has the same code,
  rule and subjects (``key``) and every one of its imports (an import fixed since is fine);
- else it is *new* (``data["new_imports"]`` names the imports the baseline did not have);
- an entry whose key no finding has any more is *stale* (fixed).

A finding that folds several violations (``shop.utils`` importing five apps, ``Finding.parts``) is
recorded as its parts, one entry each, exactly as when each was a finding of its own: it is unchanged
when every part is, and new when one part is (a new import, or an app it did not reach before); so
folding changes no baseline file (ADR 12).

Version 1 files (fitness before the imports were hashed) have only the key: they are still read, match by
key, and ``Baseline.warnings`` asks for ``--update-baseline``, which migrates them and says (``update_messages``)
which entries it drops. Pure functions: reading and writing the file is the caller's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from fitness.model import Finding, FitnessError
from fitness.model.findings import Part
from fitness.model.patterns import within

BASELINE_VERSION = 2
MAX_LISTED = 10  # dropped entries named one by one by --update-baseline
MAX_PARTS_NAMED = 3  # parts of a fold named beside a new import


@dataclass(frozen=True)
class Baseline:
    """A baseline file read back: its format version and its entries by fingerprint."""

    version: int
    entries: dict[str, dict[str, Any]]
    source: str = ""

    def key_of(self, entry: dict[str, Any]) -> str:
        """Code + rule + subjects hashed (a version 1 fingerprint is exactly that)."""
        return (
            str(entry.get("key") or entry["fingerprint"]) if self.version >= 2 else str(entry["fingerprint"])
        )

    def warnings(self) -> list[str]:
        if self.version >= BASELINE_VERSION:
            return []
        return [
            f"{self.source}: baseline version {self.version} matches findings by rule and subjects only, so a "
            "new import between modules already in it stays hidden; rewrite it with --update-baseline "
            f"--baseline {self.source}"
        ]


def to_document(findings: Iterable[Finding]) -> dict[str, Any]:
    """The baseline document for ``findings``: sorted, one entry per fingerprint, deterministic."""
    entries: dict[str, dict[str, Any]] = {}
    for part in (part for finding in findings for part in finding.identities()):
        entry: dict[str, Any] = {
            "fingerprint": part.fingerprint,
            "key": part.subject_key,
            "code": part.code,
            "rule": part.rule,
            "subjects": list(part.subjects),
            "message": part.message,
        }
        if part.imports:
            entry["imports"] = _edges(part.imports)
        entries.setdefault(part.fingerprint, entry)
    return {
        "version": BASELINE_VERSION,
        "findings": [entries[key] for key in sorted(entries, key=lambda k: _order(entries[k]))],
    }


def from_document(data: Any, source: str) -> Baseline:
    """The baseline in ``data``; a FitnessError naming the file for anything that is not a baseline."""
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
        raise FitnessError(f"baseline version {version!r} is not supported (expected 1 or 2)", source)
    known: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise FitnessError(f"baseline entry {index} has no fingerprint", source)
        imports = entry.get("imports", [])
        if not isinstance(imports, list) or not all(isinstance(item, str) for item in imports):
            raise FitnessError(f"baseline entry {index}: 'imports' must be a list of 'a -> b'", source)
        known[entry["fingerprint"]] = entry
    return Baseline(version, known, source)


def compare(findings: Iterable[Finding], known: Baseline) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """``(state per fingerprint: 'new' | 'unchanged', stale baseline entries)``."""
    _, states, stale = apply(list(findings), known)
    return states, stale


def apply(
    findings: list[Finding], known: Baseline
) -> tuple[list[Finding], dict[str, str], list[dict[str, Any]]]:
    """The findings (a new one whose key was known names its ``new_imports`` in ``data``), the state of
    each fingerprint, and the stale entries."""
    by_key: dict[str, set[str]] = {}
    for entry in known.entries.values():
        by_key.setdefault(known.key_of(entry), set()).update(entry.get("imports", []))
    states: dict[str, str] = {}
    marked: list[Finding] = []
    for finding in findings:
        missing: dict[str, list[str]] = {}  # new import -> the parts (their last subject) it is new in
        fresh = False
        for part in finding.identities():
            known_part, new_edges = _match(part, known, by_key, folded=bool(finding.parts))
            fresh = fresh or not known_part
            for edge in new_edges:
                missing.setdefault(edge, []).append(part.subjects[-1] if part.subjects else "")
        state = "new" if fresh else "unchanged"
        if missing:
            finding = replace(finding, data={**finding.data, "new_imports": _named(missing, finding)})
        states[finding.fingerprint] = "new" if states.get(finding.fingerprint) == "new" else state
        marked.append(finding)
    keys = {part.subject_key for finding in findings for part in finding.identities()}
    stale = [entry for fingerprint, entry in sorted(known.entries.items()) if known.key_of(entry) not in keys]
    return marked, states, stale


def _match(
    part: Part, known: Baseline, by_key: dict[str, set[str]], *, folded: bool
) -> tuple[bool, list[str]]:
    """Whether the baseline knows ``part``, and its imports the baseline did not have: those of a part
    with a known key, and, in a fold, every import of a part it did not know at all (the app newly
    reached is then named beside each)."""
    key = part.subject_key
    if part.fingerprint in known.entries or (key in by_key and known.version < 2):
        return True, []
    if key not in by_key:
        return False, _edges(part.imports) if folded else []
    missing = [edge for edge in _edges(part.imports) if edge not in by_key[key]]
    return not missing, missing


def _named(missing: dict[str, list[str]], finding: Finding) -> list[str]:
    """The new imports, sorted; in a fold, each followed by the parts it is new in, the one it imports
    first (``(to shop.orders and 2 more)``)."""
    if not finding.parts:
        return sorted(missing)
    named = []
    for edge in sorted(missing):
        imported = edge.rpartition(" -> ")[2]
        parts = sorted(set(missing[edge]), key=lambda part: (not within(imported, part), part))
        more = f" and {len(parts) - MAX_PARTS_NAMED} more" if len(parts) > MAX_PARTS_NAMED else ""
        named.append(f"{edge} (to {', '.join(parts[:MAX_PARTS_NAMED])}{more})")
    return named


def update_messages(findings: list[Finding], previous: Baseline) -> list[str]:
    """What ``--update-baseline`` tells the user about the file it replaces with ``to_document(findings)``:
    that it was migrated from an older format, and every entry dropped because no finding has it any
    more (never silently)."""
    messages = []
    if previous.version < BASELINE_VERSION:
        messages.append(
            f"migrated {previous.source} from baseline version {previous.version} (rule and subjects) to "
            f"version {BASELINE_VERSION} (rule, subjects and the imports behind each finding)"
        )
    _, _, dropped = apply(findings, previous)
    if dropped:
        messages.append(
            f"dropped {len(dropped)} baseline entr{'y' if len(dropped) == 1 else 'ies'} that no finding "
            "matches any more (fixed):"
        )
        ordered = sorted(dropped, key=lambda entry: _order(entry))
        messages.extend(f"  {_describe(entry)}" for entry in ordered[:MAX_LISTED])
        if len(dropped) > MAX_LISTED:
            messages.append(f"  and {len(dropped) - MAX_LISTED} more")
    return messages


def _edges(imports: Iterable[tuple[str, str]]) -> list[str]:
    return sorted({f"{importer} -> {imported}" for importer, imported in imports})


def _describe(entry: dict[str, Any]) -> str:
    subjects = ", ".join(str(subject) for subject in entry.get("subjects", []))
    return (
        f"{entry.get('code', '?')} [{entry.get('rule', '?')}] {subjects}: {entry.get('message', '')}".rstrip()
    )


def _order(entry: dict[str, Any]) -> tuple[str, str, list[str], str]:
    return (
        str(entry.get("code", "")),
        str(entry.get("rule", "")),
        [str(s) for s in entry.get("subjects", [])],
        str(entry.get("fingerprint", "")),
    )

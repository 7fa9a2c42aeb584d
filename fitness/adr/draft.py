"""``fitness adr draft FINDING``: a Proposed ADR pre-filled from one finding of ``fitness check``.

The finding is picked by a selector, tried in this order:

- a fingerprint or its first characters (``48f3ea71``; four at least), as ``fitness check --format json``
  prints them;
- ``CODE:what``, where ``what`` is the rule id or one of the finding's subjects
  (``FIT102:domain-is-pure``, ``FIT201:shop.orders.models``);
- a bare code or rule id (``FIT201``, ``domain-is-pure``) when only one finding has it.

The draft holds the evidence (every import of every chain, with file:line), the options that kind of
smell allows with their trade-offs (``remedies.py``), and the rule to add once the team has decided.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from fitness.adr.remedies import SmellKind, kind_of
from fitness.model import Finding, FitnessError
from fitness.model.thresholds import DEFAULT_SMELLS

UNDECIDED = "(to be decided)"


def select(findings: Sequence[Finding], selector: str) -> Finding:
    """The one finding ``selector`` names; a clear error when none or several match."""
    wanted = selector.strip()
    hits: list[Finding] = []
    if re.fullmatch(r"[0-9a-fA-F]{4,16}", wanted):
        hits = [f for f in findings if f.fingerprint.startswith(wanted.lower())]
    if not hits and ":" in wanted:
        code, _, what = wanted.partition(":")
        hits = [
            f
            for f in findings
            if f.code.upper() == code.strip().upper()
            and (not what.strip() or what.strip() in (f.rule, *f.subjects, ",".join(f.subjects)))
        ]
    elif not hits:
        hits = [f for f in findings if wanted.upper() == f.code.upper() or wanted == f.rule]
    unique = {finding.fingerprint: finding for finding in hits}
    if len(unique) == 1:
        return next(iter(unique.values()))
    if not unique:
        raise FitnessError(
            f"no finding matches {selector!r} ({len(findings)} findings); use a fingerprint from "
            "`fitness check --format json` (8 characters are enough) or CODE:rule-or-subject"
        )
    shown = "; ".join(_short(f) for f in sorted(unique.values(), key=Finding.sort_key)[:5])
    more = f"; and {len(unique) - 5} more" if len(unique) > 5 else ""
    raise FitnessError(f"{selector!r} matches {len(unique)} findings, pick one by fingerprint: {shown}{more}")


def title(finding: Finding) -> str:
    kind = kind_of(finding.code, finding.rule)
    subjects = list(finding.subjects)
    if len(subjects) > 3:
        subject = f"{', '.join(subjects[:3])} and {len(subjects) - 3} more"
    else:
        subject = " and ".join(subjects) if subjects else finding.rule
    return kind.title.format(subject=subject, message=finding.message)


def values(finding: Finding, number: int, fmt: str = "nygard") -> dict[str, Any]:
    """Template values (see templates.py) for the draft of ``finding`` numbered ``number``.

    The rule to add goes under Consequences (Nygard) or Confirmation (MADR, whose Consequences are the
    chosen option's good and bad).
    """
    kind = kind_of(finding.code, finding.rule)
    snippet = rule_snippet(finding, number, kind)
    enforce = (
        "Once decided, keep the decision true with this rule in fitness.yaml (`fitness check` fails the "
        f"build when it breaks, and `fitness adr show {number}` says whether it holds):\n\n"
        f"```yaml\n{snippet}```"
    )
    return {
        "context": _context(finding, kind),
        "decision": (
            f"{UNDECIDED} Choose one of the options below, write the choice and its reasons here, then "
            f"`fitness adr status {number} accepted`."
        ),
        "consequences": enforce if fmt == "nygard" else "",
        "confirmation": enforce,
        "drivers": [text for text in (finding.because, kind.problem) if text],
        "options": [
            {"title": r.title, "description": r.description, "good": list(r.good), "bad": list(r.bad)}
            for r in kind.remedies
        ],
        "chosen": UNDECIDED,
        "because": "(the reason, once the team has decided)",
        "more": f"Drafted by `fitness adr draft {finding.fingerprint}` from finding {finding.code} "
        f"[{finding.rule}].",
    }


def rule_snippet(finding: Finding, number: int, kind: SmellKind | None = None) -> str:
    """The fitness.yaml text that enforces the decision (or links the existing rule to it)."""
    kind = kind or kind_of(finding.code, finding.rule)
    if _is_rule(finding):
        link = finding.chains[0][-1] if finding.chains and finding.chains[0] else None
        lines = [
            f"  - id: {finding.rule}   # the existing rule: link it to this decision",
            f"    adr: {number}",
        ]
        if link is not None:
            expression = json.dumps(f"{link.importer} -> {link.imported}")
            lines += [
                "    # only if the decision is to keep this import:",
                f'    # ignore: [{{import: {expression}, reason: "ADR {number}"}}]',
            ]
        return "\n".join(lines) + "\n"
    because = json.dumps(f"{title(finding)} (ADR {number})")
    breakers = finding.data.get("breakers")
    if (
        kind.name == "cycle"
        and finding.code == "FIT201"
        and isinstance(breakers, list)
        and len(breakers) == 1
    ):
        source, target = breakers[0]
        return _rule(
            f"{_last(source)}-does-not-import-{_last(target)}",
            "forbidden",
            number,
            because,
            [f"source_modules: [{source}]", f"forbidden_modules: [{target}]"],
        )
    if kind.name == "cycle" and finding.code == "FIT202" and finding.subjects:
        depth = finding.subjects[0].count(".") + 1
        return _rule("no-package-cycles", "acyclic", number, because, ["level: packages", f"depth: {depth}"])
    if kind.name == "cycle" and finding.subjects:
        container = _common_parent(finding.subjects)
        extra = [f"containers: [{container}]"] if container else []
        return _rule("no-module-cycles", "acyclic", number, because, ["level: modules", *extra])
    if kind.name == "instability" and finding.subjects and "instability" in finding.data:
        limit = round(float(finding.data["instability"]), 2)
        options = [f"packages: [{finding.subjects[0]}]", f"max: {limit}   # lower it as the fix lands"]
        return _rule(
            f"{_last(finding.subjects[0])}-stays-stable", "max-instability", number, because, options
        )
    if kind.name == "hub" and finding.subjects and "fan_out" in finding.data:
        options = [
            "level: packages",
            f"modules: [{finding.subjects[0]}]",
            f"max: {finding.data['fan_out']}   # lower it as the split lands",
        ]
        return _rule(f"{_last(finding.subjects[0])}-fan-out", "max-fan-out", number, because, options)
    setting = finding.rule.replace("-", "_")
    setting = setting if setting in DEFAULT_SMELLS else f"{setting}s"
    if setting in DEFAULT_SMELLS:
        return f"analysis:\n  {setting}: {{severity: error}}   # fail the build on any new {finding.rule}\n"
    return f"  - id: {finding.rule}   # the rule or detector that reported it: link it to this decision\n    adr: {number}\n"


# -- helpers ---------------------------------------------------------------------------------------


def _context(finding: Finding, kind: SmellKind) -> str:
    parts = [
        f"`fitness check` reports {finding.code} ({finding.severity.value}, rule `{finding.rule}`, "
        f"fingerprint `{finding.fingerprint}`):",
        f"> {finding.message}",
    ]
    if finding.because:
        parts.append(f"The rule exists because {finding.because}.")
    parts.append(kind.problem)
    if finding.chains:
        evidence = ["Evidence, each import with its file and line:", ""]
        for index, chain in enumerate(finding.chains, start=1):
            evidence.append(f"{index}. chain of {len(chain)} import{'s' * (len(chain) != 1)}:")
            for link in chain:
                where = f"{link.path}:{link.line}" if link.line else link.path or "?"
                statement = f": `{link.text}`" if link.text else ""
                evidence.append(f"   - `{link.importer}` -> `{link.imported}` at {where}{statement}")
        parts.append("\n".join(evidence))
    elif finding.locations:
        parts.append("Where: " + ", ".join(str(location) for location in finding.locations))
    details = _details(finding.data)
    if details:
        parts.append("Details:\n\n" + details)
    if finding.fix:
        parts.append(f"fitness suggests: {finding.fix}")
    return "\n\n".join(parts)


def _details(data: dict[str, Any]) -> str:
    lines = []
    for key in sorted(data):
        value = data[key]
        if key == "breakers" and isinstance(value, list):
            shown = ", ".join(" -> ".join(map(str, pair)) for pair in value if isinstance(pair, list))
        elif isinstance(value, list):
            shown = ", ".join(_compact(item) for item in value)
        else:
            shown = _compact(value)
        lines.append(f"- {key}: {shown}")
    return "\n".join(lines)


def _compact(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return " -> ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _rule(rule_id: str, rule_type: str, number: int, because: str, options: list[str]) -> str:
    lines = [f"  - id: {rule_id}", f"    type: {rule_type}", *(f"    {option}" for option in options)]
    lines += [f"    because: {because}", f"    adr: {number}"]
    return "\n".join(lines) + "\n"


def _is_rule(finding: Finding) -> bool:
    """Reported by a rule of fitness.yaml (FIT1xx, custom types), not by a smell detector."""
    return finding.code.startswith("FIT1") or not finding.code.startswith("FIT")


def _last(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.rsplit(".", 1)[-1].lower()).strip("-") or "module"


def _common_parent(names: Sequence[str]) -> str:
    split = [name.split(".") for name in names]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if len(common) == min(len(parts) for parts in split):
        common = common[:-1]
    return ".".join(common)


def _short(finding: Finding) -> str:
    return f"{finding.fingerprint[:8]} {finding.code} [{finding.rule}] {finding.message}"

"""One problem, one finding: the violations of one rule by one importer folded into one finding.

A rule about pairs (``forbidden``, ``independence``, ``layers``) finds one violation per (importer,
imported) pair, so a utility package that imports eight apps was eight findings, each with its own
chains (issue 17: 42 of the 45 findings on one 20-app project). The problem is one: that package
depends on the apps. So the violations of a rule that share their importer become one finding about
it, which lists what it imports, most imports first, with the count of each::

    FIT102 error [shared-code] shop.utils imports 2 forbidden modules and reaches 1 more:
        shop.orders (3 imports), shop.billing (1); through other modules: shop.catalog
        fix: cut the 5 imports out of shop.utils that lead to them (4 direct, 1 through other
        modules); first, cut the import ...

Each violation stays a ``Part`` of the fold, with the fingerprint it had as a finding of its own: the
baseline records the parts, so a new import, or an app reached for the first time, is still new, and a
baseline written before the fold still matches (ADR 12). An importer with one violation is left as it
was, so rules that never fold look the same as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from fitness.model import Finding, Location
from fitness.model.findings import Chain, Part
from fitness.rules.chains import MAX_CHAINS, edge_to_cut

MAX_FOLDED_CHAINS = 2 * MAX_CHAINS  # a fold shows one chain per part, up to this many


class Noun(NamedTuple):
    """What an importer must not use, singular and plural: ``Noun("higher layer", "higher layers")``."""

    one: str
    many: str


@dataclass(frozen=True)
class Target:
    """One module a folded finding's importer reaches: ``direct`` imports of it, ``routes`` in all."""

    name: str
    direct: int
    routes: int

    def to_json(self) -> dict[str, object]:
        return {"module": self.name, "direct": self.direct, "routes": self.routes}


def fold_by_importer(findings: Sequence[Finding], noun: Noun) -> list[Finding]:
    """``findings`` (of one rule, subjects ``(importer, imported)``, ``data["direct"]`` the imports
    straight into the imported side) with those of one importer folded into one; ``noun`` names what
    the importer must not use (``Noun("forbidden module", "forbidden modules")``). Sorted by subjects."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.subjects[0], []).append(finding)
    folded = [
        without_count(group[0]) if len(group) == 1 else _fold(importer, group, noun)
        for importer, group in groups.items()
    ]
    return sorted(folded, key=lambda finding: finding.subjects)


def without_count(finding: Finding) -> Finding:
    """A violation left alone: as it was, without the count ``data["direct"]`` kept for folding."""
    if "direct" not in finding.data:
        return finding
    return replace(finding, data={k: v for k, v in finding.data.items() if k != "direct"})


def describe(importer: str, targets: Sequence[Target], noun: Noun) -> str:
    """``shop.utils imports 2 forbidden modules and reaches 1 more: shop.orders (3 imports), shop.billing
    (1); through other modules: shop.catalog``."""
    direct = [target for target in targets if target.direct]
    through = [target.name for target in targets if not target.direct]
    listed = ", ".join(
        f"{target.name} ({_count(target.direct, 'import', 'imports') if index == 0 else target.direct})"
        for index, target in enumerate(direct)
    )
    if not direct:
        return f"{importer} reaches {_count(len(through), *noun)} through other modules: {', '.join(through)}"
    head = f"{importer} imports {_count(len(direct), *noun)}"
    if not through:
        return f"{head}: {listed}"
    return f"{head} and reaches {len(through)} more: {listed}; through other modules: {', '.join(through)}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _fold(importer: str, group: list[Finding], noun: Noun) -> Finding:
    group = sorted(group, key=lambda finding: finding.subjects)
    targets = sorted(
        (
            Target(f.subjects[-1], int(f.data.get("direct", 0)), len(f.imports) or len(f.chains))
            for f in group
        ),
        key=lambda target: (-target.direct, -target.routes, target.name),
    )
    chains = _chains(group)
    imports = tuple(sorted({pair for finding in group for pair in finding.imports}))
    first = group[0]
    shared = {
        key: value
        for key, value in first.data.items()
        if key != "direct" and all(f.data.get(key) == value for f in group)
    }
    return Finding(
        code=first.code,
        rule=first.rule,
        severity=max((f.severity for f in group), key=lambda severity: severity.rank),
        message=describe(importer, targets, noun),
        subjects=(importer, *sorted(f.subjects[-1] for f in group)),
        locations=tuple(dict.fromkeys(Location(c[0].path, c[0].line) for c in chains if c and c[0].path)),
        chains=tuple(chains),
        fix=_fix(importer, imports, targets, chains),
        because=first.because,
        adr=first.adr,
        data={**shared, "targets": [target.to_json() for target in targets]},
        imports=imports,
        parts=tuple(Part(f.code, f.rule, f.subjects, f.message, f.imports) for f in group),
    )


def _chains(group: Sequence[Finding]) -> list[Chain]:
    """The shortest chain of each part first, then the others, shortest first; at least ``MAX_CHAINS``
    and at most ``MAX_FOLDED_CHAINS``, deduplicated, shortest first."""
    limit = min(max(MAX_CHAINS, len(group)), MAX_FOLDED_CHAINS)
    firsts = sorted((f.chains[0] for f in group if f.chains), key=_chain_order)
    rest = sorted((chain for f in group for chain in f.chains[1:]), key=_chain_order)
    picked: dict[Chain, None] = {}
    for chain in [*firsts, *rest]:
        if len(picked) >= limit:
            break
        picked.setdefault(chain)
    return sorted(picked, key=_chain_order)


def _chain_order(chain: Chain) -> tuple[int, list[tuple[str, str]]]:
    return len(chain), [(link.importer, link.imported) for link in chain]


def _fix(
    importer: str, imports: Sequence[tuple[str, str]], targets: Sequence[Target], chains: list[Chain]
) -> str:
    """How many imports the fix removes: every route starts with an import out of the importer, so
    cutting those (or moving the code behind them) ends the finding."""
    direct = sum(target.direct for target in targets)
    direct = min(direct, len(imports))  # nested targets could count an import twice
    how = f"{direct} direct" if direct else "none direct"
    if len(imports) > direct:
        how += f", {len(imports) - direct} through other modules"
    start = edge_to_cut(chains)
    return f"cut the {len(imports)} imports out of {importer} that lead to them ({how})" + (
        f"; first, {start}" if start else ""
    )

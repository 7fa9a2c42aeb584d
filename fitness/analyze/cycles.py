"""FIT201 module cycles and FIT202 package cycles: one finding per strongly connected component.

A finding names every member (``subjects``, so its fingerprint survives edits elsewhere), shows one
shortest cycle as the witness chain, and nominates a few imports whose removal breaks the whole tangle.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from fitness.analyze.smells import locations_of, smell_setting
from fitness.model.algorithms import bounded_shortest_cycle, cyclic_components, nominate_cycle_breakers
from fitness.model.findings import Chain, ChainLink, Finding, Severity
from fitness.model.graph import EdgeKind, NodeKind, node_id
from fitness.model.thresholds import AnalysisSettings
from fitness.model.views import ImportView, PackageView

MAX_LISTED = 10  # breakers spelled out in the fix text; data["breakers"] always has them all
MAX_WHERE = 3  # import locations spelled out per package dependency

# A cut, as shown to the user: the edge, the first few module imports behind it, and how many there are.
Cut = tuple[tuple[str, str], list[ChainLink], int]


def module_cycles(view: ImportView, settings: AnalysisSettings) -> list[Finding]:
    """FIT201: every import cycle between modules."""
    setting = smell_setting(settings, "module_cycles")
    if not setting.enabled:
        return []

    def weight(importer: str, imported: str) -> int:
        return import_statements(view, importer, imported)

    findings = []
    for component in cyclic_components(view.modules, view.succ):
        witness = bounded_shortest_cycle(component, view.succ)
        breakers, complete = nominate_cycle_breakers(component, view.succ, weight)
        cuts = [(pair, [view.link(*pair)], 1) for pair in breakers]
        findings.append(
            _cycle_finding(
                ("FIT201", "module-cycles", "module"),
                setting.severity,
                component,
                witness,
                view.chain(witness),
                cuts,
                complete,
            )
        )
    return findings


def package_cycles(view: ImportView, packages: PackageView, settings: AnalysisSettings) -> list[Finding]:
    """FIT202: every import cycle between packages at the analysis depth.

    Each package dependency is shown by its first underlying module import; cutting one means cutting
    every module import behind it, so the breakers prefer dependencies with few import statements.
    """
    setting = smell_setting(settings, "package_cycles")
    if not setting.enabled:
        return []

    weights: dict[tuple[str, str], int] = {}

    def weight(source: str, target: str) -> int:
        if (source, target) not in weights:
            pairs = packages.members[(source, target)]
            weights[source, target] = sum(import_statements(view, a, b) for a, b in pairs)
        return weights[source, target]

    findings = []
    for component in cyclic_components(packages.nodes, packages.succ):
        witness = bounded_shortest_cycle(component, packages.succ)
        chain = tuple(view.link(*packages.members[edge][0]) for edge in itertools.pairwise(witness))
        breakers, complete = nominate_cycle_breakers(component, packages.succ, weight)
        cuts = [
            (pair, [view.link(*m) for m in packages.members[pair][:MAX_WHERE]], len(packages.members[pair]))
            for pair in breakers
        ]
        findings.append(
            _cycle_finding(
                ("FIT202", "package-cycles", "package"),
                setting.severity,
                component,
                witness,
                chain,
                cuts,
                complete,
            )
        )
    return findings


def import_statements(view: ImportView, importer: str, imported: str) -> int:
    """How many import statements make ``importer`` import ``imported`` (at least 1)."""
    edge = view.graph.edge(
        node_id(NodeKind.MODULE, importer), node_id(NodeKind.MODULE, imported), EdgeKind.IMPORTS
    )
    return max(1, len(edge.evidence)) if edge is not None else 1


def cycle_message(noun: str, size: int, witness: Sequence[str]) -> str:
    """``cycle of 3 modules: a -> b -> c -> a``; a bigger tangle names its shortest loop."""
    loop = " -> ".join(witness)
    what = f"{size} {noun}{'s' if size != 1 else ''}"
    if size == len(witness) - 1:
        return f"cycle of {what}: {loop}"
    return f"cycle of {what}; shortest loop: {loop}"


def breaker_advice(noun: str, cuts: list[Cut], complete: bool) -> str:
    """Plain-English advice naming the imports to cut, with their file:line."""
    one, many = ("import", "imports") if noun == "module" else ("package dependency", "package dependencies")
    count = f"{len(cuts)} {one if len(cuts) == 1 else many}"
    listed = "; ".join(_describe(*cut) for cut in cuts[:MAX_LISTED])
    if len(cuts) > MAX_LISTED:
        listed += f"; and {len(cuts) - MAX_LISTED} more (all in data.breakers)"
    head = f"break the cycle by removing {count}: {listed}."
    if not complete:
        head = (
            f"start untangling by removing these {count}: {listed}. The search for breakers stopped "
            "early on this large tangle; it needs more cuts than these."
        )
    return (
        f"{head} Rather than deleting an import, invert it (an interface in the imported {noun}) or move "
        f"the shared code to a {noun} both can import."
    )


def _cycle_finding(
    ids: tuple[str, str, str],
    severity: Severity,
    component: list[str],
    witness: list[str],
    chain: Chain,
    cuts: list[Cut],
    complete: bool,
) -> Finding:
    code, rule, noun = ids
    return Finding(
        code=code,
        rule=rule,
        severity=severity,
        message=cycle_message(noun, len(component), witness),
        subjects=tuple(sorted(component)),
        locations=locations_of((chain,)),
        chains=(chain,),
        fix=breaker_advice(noun, cuts, complete),
        data={
            "size": len(component),
            "breakers": [[a, b] for (a, b), _, _ in cuts],
            "complete": complete,
        },
    )


def _describe(pair: tuple[str, str], links: list[ChainLink], count: int) -> str:
    """``a -> b (a.py:3)``, or ``p -> q (5 imports: p/x.py:1, p/y.py:2, p/z.py:7, +2 more)``."""
    places = [f"{link.path}:{link.line}" if link.line else link.path for link in links if link.path]
    if count > len(links):
        places.append(f"+{count - len(links)} more")
    shown = ", ".join(places)
    edge = f"{pair[0]} -> {pair[1]}"
    if count > 1:
        return f"{edge} ({count} imports: {shown})"
    return f"{edge} ({shown})" if shown else edge

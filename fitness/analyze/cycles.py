"""FIT201 module cycles and FIT202 package cycles: one finding per strongly connected component.

A finding names every member (``subjects``, so its fingerprint survives edits elsewhere), shows one
shortest cycle as the witness chain, and nominates a few imports whose removal breaks the whole tangle.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Mapping, Sequence

from fitness.analyze.smells import locations_of, smell_setting
from fitness.model.algorithms import (
    bounded_shortest_cycle,
    cyclic_components,
    nominate_cycle_breakers,
    stability_weight,
)
from fitness.model.evidence import Location
from fitness.model.findings import Finding, Severity
from fitness.model.thresholds import AnalysisSettings
from fitness.model.views import ImportView, PackageView

MAX_LISTED = 10  # breakers spelled out in the fix text; data["breakers"] always has them all
MAX_WHERE = 3  # import statements spelled out per package dependency

Edge = tuple[str, str]
# A cut, as shown to the user: the edge and the import statements behind it.
Cut = tuple[Edge, list[Location]]
Ids = tuple[str, str, str]  # code, rule, noun


def module_cycles(view: ImportView, settings: AnalysisSettings) -> list[Finding]:
    """FIT201: every import cycle between modules."""
    setting = smell_setting(settings, "module_cycles")
    if not setting.enabled:
        return []
    ids = ("FIT201", "module-cycles", "module")
    view = view.without_lazy() if setting.ignore_lazy else view
    return [
        _cycle_finding(view, ids, setting.severity, component, view.succ, lambda edge: [edge])
        for component in cyclic_components(view.modules, view.succ, view.strong_components())
    ]


def package_cycles(view: ImportView, packages: PackageView, settings: AnalysisSettings) -> list[Finding]:
    """FIT202: every import cycle between packages at the analysis depth.

    Each package dependency is shown by its first underlying module import; cutting one means cutting
    every import statement behind it, so the breakers prefer dependencies with few statements.
    """
    setting = smell_setting(settings, "package_cycles")
    if not setting.enabled:
        return []
    ids = ("FIT202", "package-cycles", "package")
    if setting.ignore_lazy:
        view = view.without_lazy()
        packages = PackageView.collapse(view, packages.depth)
    return [
        _cycle_finding(view, ids, setting.severity, component, packages.succ, packages.members.__getitem__)
        for component in cyclic_components(packages.nodes, packages.succ, packages.strong_components())
    ]


def cycle_message(noun: str, size: int, witness: Sequence[str], cuts: int = 0) -> str:
    """``cycle of 3 modules: a -> b -> c -> a; 1 import to cut``; a bigger tangle names its shortest loop."""
    loop = " -> ".join(witness)
    what = f"{size} {noun}{'s' if size != 1 else ''}"
    tail = ""  # the fix names the imports to cut; data["cuts"] counts them and ranks the cycles
    if size == len(witness) - 1:
        return f"cycle of {what}: {loop}{tail}"
    return f"cycle of {what}; shortest loop: {loop}{tail}"


def breaker_advice(
    noun: str, cuts: list[Cut], complete: bool, notes: Mapping[Edge, str] | None = None
) -> str:
    """Plain-English advice naming the imports to cut, with their file:line; ``notes`` adds what a
    re-export needs instead (``ImportView.reexport_note``)."""
    one, many = ("import", "imports") if noun == "module" else ("package dependency", "package dependencies")
    count = f"{len(cuts)} {one if len(cuts) == 1 else many}"
    notes = notes or {}
    listed = "; ".join(_describe(*cut) + notes.get(cut[0], "") for cut in cuts[:MAX_LISTED])
    if len(cuts) > MAX_LISTED:
        listed += f"; and {len(cuts) - MAX_LISTED} more (--format json lists them all)"
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
    view: ImportView,
    ids: Ids,
    severity: Severity,
    component: list[str],
    succ: Mapping[str, Collection[str]],
    behind: Callable[[Edge], list[Edge]],
) -> Finding:
    """One finding for one cyclic component; ``behind`` maps an edge to its module imports."""
    code, rule, noun = ids
    places: dict[Edge, list[Location]] = {}

    def where(edge: Edge) -> list[Location]:
        if edge not in places:
            places[edge] = view.statements(behind(edge))
        return places[edge]

    witness = bounded_shortest_cycle(component, succ)
    chain = tuple(view.link(*behind(edge)[0]) for edge in itertools.pairwise(witness))
    breakers, complete = nominate_cycle_breakers(
        component,
        succ,
        stability_weight(component, succ, lambda a, b: max(1, len(where((a, b))))),
        strongly_connected=True,  # a component of cyclic_components
    )
    cuts = sum(max(1, len(where(pair))) for pair in breakers)
    return Finding(
        code=code,
        rule=rule,
        severity=severity,
        message=cycle_message(noun, len(component), witness, cuts),
        subjects=tuple(sorted(component)),
        locations=locations_of((chain,)),
        chains=(chain,),
        fix=breaker_advice(
            noun,
            [(pair, where(pair)) for pair in breakers],
            complete,
            {pair: view.reexport_note(*behind(pair)[0]) for pair in breakers},
        ),
        data={
            "size": len(component),
            "breakers": [list(pair) for pair in breakers],
            "complete": complete,
            "cuts": cuts,
        },
    )


def _describe(edge: Edge, places: list[Location]) -> str:
    """``a -> b (a.py:3)``, or ``p -> q (5 imports: p/x.py:1, p/x.py:9, p/y.py:2, +2 more)``."""
    arrow = f"{edge[0]} -> {edge[1]}"
    shown = [str(place) for place in places[:MAX_WHERE]]
    if len(places) > MAX_WHERE:
        shown.append(f"+{len(places) - MAX_WHERE} more")
    if len(places) > 1:
        return f"{arrow} ({len(places)} imports: {', '.join(shown)})"
    return f"{arrow} ({shown[0]})" if shown else arrow

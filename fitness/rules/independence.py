"""``independence``: none of the modules may import another, directly or indirectly (import-linter's contract).

As in import-linter, a chain from one listed module to another that passes through a third listed module is
reported as two violations (first -> third, third -> second), not as a third one. The violations of one
importer are one finding (``fitness.rules.fold``): ``gis imports 2 modules it must be independent of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations
from typing import ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.patterns import within
from fitness.model.views import ImportView
from fitness.rules.base import Option, RuleContext, RuleType, _error, roots_of, subtree
from fitness.rules.chains import MAX_CHAINS, Group, GroupReach, Routes, edge_to_cut
from fitness.rules.fold import Noun, fold_by_importer

INDEPENDENT = Noun("module it must be independent of", "modules it must be independent of")


@dataclass(frozen=True)
class IndependenceOptions:
    modules: list[str]
    allow_indirect: bool


class Independence(RuleType[IndependenceOptions]):
    name = "independence"
    code = "FIT103"
    summary = "The modules (each with its subpackages) must not import each other, directly or indirectly."
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "modules",
            "modules",
            required=True,
            help="modules that must be independent of each other (* and ** allowed, e.g. shop.*)",
        ),
        Option("allow_indirect", "bool", default=False, help="only direct imports are violations"),
    )
    example = """\
- id: apps-are-independent
  type: independence
  modules: [shop.orders, shop.billing, shop.catalog]
  because: each app can be extracted into its own service
"""
    advice = (
        "Move what both sides need into a shared lower module, or let them talk through an event or an "
        "interface owned by neither."
    )

    def check_config(self, view: ImportView) -> list[FitnessError]:
        errors = super().check_config(view)
        roots = roots_of(view, self.opts.modules)
        for outer in roots:
            for inner in roots:
                if inner != outer and within(inner, outer):
                    message = (
                        f"modules: {inner!r} is inside {outer!r}; a module cannot be independent of itself"
                    )
                    errors.append(_error(self.spec, "modules", message))
        return errors

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.view
        groups = [
            Group(root, "", frozenset(subtree(view, root))) for root in roots_of(view, self.opts.modules)
        ]
        findings = []
        if self.opts.allow_indirect:
            for (a, b), imports in sorted(_direct_imports(view, groups).items()):
                pairs = sorted(imports)
                routes = Routes([view.chain(pair) for pair in pairs[:MAX_CHAINS]], tuple(pairs))
                findings.append(self._violation(groups[a], groups[b], routes))
        else:
            reach = GroupReach(view, groups)
            for a, b in permutations(range(len(groups)), 2):
                if reach.reaches(a, b):
                    findings.append(self._violation(groups[a], groups[b], reach.routes(a, b)))
        return fold_by_importer(findings, INDEPENDENT)

    def _violation(self, importer: Group, imported: Group, routes: Routes) -> Finding:
        chains = routes.chains
        verb = "imports" if len(chains[0]) == 1 else "reaches"
        return self.finding(
            f"{importer.name} {verb} {imported.name}; they must be independent",
            (importer.name, imported.name),
            chains,
            fix=edge_to_cut(chains),
            imports=routes.ways_in,
            data={"direct": sum(1 for _, module in routes.ways_in if module in imported.members)},
        )


def _direct_imports(view: ImportView, groups: list[Group]) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """The imports from one group into another, by (importer group, imported group): one pass."""
    owner = {module: index for index, group in enumerate(groups) for module in group.members}
    result: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for index, group in enumerate(groups):
        for module in group.members:
            for imported in view.succ.get(module, ()):
                other = owner.get(imported, index)
                if other != index:
                    result.setdefault((index, other), []).append((module, imported))
    return result

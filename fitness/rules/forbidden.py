"""``forbidden``: some modules must not import others, directly or (by default) indirectly.

One finding per source module: the forbidden modules it imports or reaches are folded into it, with the
imports behind each (``fitness.rules.fold``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding
from fitness.rules.base import Option, RuleContext, RuleType, modules_of
from fitness.rules.chains import edge_to_cut, routes_between
from fitness.rules.fold import Noun, fold_by_importer


@dataclass(frozen=True)
class ForbiddenOptions:
    source_modules: list[str]
    forbidden_modules: list[str]
    allow_indirect: bool


class Forbidden(RuleType[ForbiddenOptions]):
    name = "forbidden"
    code = "FIT102"
    summary = "Source modules must not import forbidden modules (indirect chains count unless allowed)."
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "source_modules",
            "modules",
            required=True,
            help="modules (and their subpackages) that must not import",
        ),
        Option("forbidden_modules", "modules", required=True, help="modules they must not reach"),
        Option("allow_indirect", "bool", default=False, help="only direct imports are violations"),
    )
    example = """\
- id: domain-is-pure
  type: forbidden
  source_modules: [shop.domain]
  forbidden_modules: [shop.api, shop.adapters.**]
  because: the domain must not know how it is delivered
"""
    advice = "Invert the dependency (an interface in the source, implemented by the forbidden side) or move the shared code."

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.view
        findings = []
        for source in self.opts.source_modules:
            sources = modules_of(view, [source])
            for forbidden in self.opts.forbidden_modules:
                targets = modules_of(view, [forbidden])
                routes = routes_between(view, sources, targets, direct_only=self.opts.allow_indirect)
                chains = routes.chains
                if not chains:
                    continue
                kind = "imports" if len(chains[0]) == 1 else "reaches"
                direct = sum(1 for _, imported in routes.ways_in if imported in targets)
                findings.append(
                    self.finding(
                        f"{source} {kind} forbidden {forbidden}",
                        (source, forbidden),
                        chains,
                        fix=edge_to_cut(chains),
                        imports=routes.ways_in,
                        data={"direct": direct},
                    )
                )
        return fold_by_importer(findings, Noun("forbidden module", "forbidden modules"))

"""``allowed-only``: the source modules may import only themselves and an explicit allow-list.

The opposite of ``forbidden``: instead of naming what is off limits, name everything that is allowed, so
that a new dependency has to be added to the rule (and reviewed) before it can be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding
from fitness.model.findings import ChainLink
from fitness.rules.base import Need, Option, RuleContext, RuleType, modules_of


@dataclass(frozen=True)
class AllowedOnlyOptions:
    source_modules: list[str]
    allowed_modules: list[str]
    allow_external: bool


class AllowedOnly(RuleType[AllowedOnlyOptions]):
    name = "allowed-only"
    code = "FIT104"
    summary = "Source modules may import only each other and the allowed modules (direct imports)."
    needs: ClassVar[frozenset[Need]] = frozenset({Need.EXTERNAL_IMPORTS})  # for allow_external: false
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "source_modules", "modules", required=True, help="modules (with subpackages) that are restricted"
        ),
        Option("allowed_modules", "modules", default=[], help="what they may import besides themselves"),
        Option("allow_external", "bool", default=True, help="third-party imports are allowed"),
    )
    example = """\
- id: domain-depends-on-kernel-only
  type: allowed-only
  source_modules: [shop.domain]
  allowed_modules: [shop.kernel, shop.utils.money]
  allow_external: false
  because: the domain is plain Python on top of the shared kernel
"""
    advice = (
        "Depend on something in the allow-list instead (often an interface the source owns), or, if the "
        "new dependency is intended, add it to allowed_modules in review."
    )

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.view
        sources = modules_of(view, self.opts.source_modules)
        allowed = sources | modules_of(view, self.opts.allowed_modules)
        findings = []
        for importer in sorted(sources):
            for imported in sorted(view.succ.get(importer, set()) - allowed):
                findings.append(self._violation(view.link(importer, imported), "module"))
            if not self.opts.allow_external:
                for name in sorted(view.external.get(importer, ())):
                    findings.append(self._violation(view.link(importer, name), "third-party module"))
        return findings

    def _violation(self, link: ChainLink, what: str) -> Finding:
        where = f" ({link.path}:{link.line})" if link.line else ""
        return self.finding(
            f"{link.importer} imports {what} {link.imported}, which is not in its allow-list",
            (link.importer, link.imported),
            [(link,)],
            fix=f"remove the import {link.importer} -> {link.imported}{where}, or allow {link.imported}",
        )

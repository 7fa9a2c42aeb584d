"""``no-external``: some modules must not import some third-party packages (by top-level name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.rulespec import RuleSpec
from fitness.rules.base import Need, Option, OptionValues, RuleContext, RuleType, _error, modules_of


@dataclass(frozen=True)
class NoExternalOptions:
    modules: list[str] | None
    forbidden: list[str]


class NoExternal(RuleType[NoExternalOptions]):
    name = "no-external"
    code = "FIT107"
    summary = "Modules must not import the forbidden third-party packages."
    needs: ClassVar[frozenset[Need]] = frozenset({Need.EXTERNAL_IMPORTS})
    options: ClassVar[tuple[Option, ...]] = (
        Option("modules", "modules", help="modules (with subpackages) to check; default: all"),
        Option(
            "forbidden",
            "str_list",
            required=True,
            help="top-level names of third-party packages, as imported (e.g. requests, django, yaml)",
        ),
    )
    example = """\
- id: domain-has-no-frameworks
  type: no-external
  modules: [shop.domain]
  forbidden: [django, sqlalchemy, requests]
  because: the domain must run and be tested without infrastructure
"""
    advice = (
        "Reach the third-party package through an adapter outside these modules (a port defined here, "
        "implemented there), or move the code that needs it out."
    )

    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        forbidden = values.get("forbidden")
        for name in forbidden if isinstance(forbidden, list) else ():
            if not isinstance(name, str) or not name.isidentifier():
                message = (
                    f"forbidden: {name!r} is not a top-level package name (write 'django', not 'django.db')"
                )
                errors.append(_error(spec, "forbidden", message))
        return values, errors

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.view
        forbidden = set(self.opts.forbidden)
        sources = modules_of(view, self.opts.modules) if self.opts.modules else view.modules
        findings = []
        for importer in sorted(sources & view.external.keys()):
            for name in sorted(view.external[importer] & forbidden):
                link = view.link(importer, name)
                where = f" ({link.path}:{link.line})" if link.line else ""
                findings.append(
                    self.finding(
                        f"{importer} imports third-party {name}, which is forbidden here",
                        (importer, name),
                        [(link,)],
                        fix=f"remove the import {importer} -> {name}{where} (use an adapter outside these modules)",
                    )
                )
        return findings

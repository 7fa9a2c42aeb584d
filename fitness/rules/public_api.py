"""``public-api``: code outside a package may import it only through its interface modules.

``interface: [api, types]`` makes ``pkg.api`` and ``pkg.types`` (and their submodules) public; ``__init__``
(the default) stands for the package module itself. ``(name)`` marks an interface module that some of the
packages may not have. Imports inside the package are not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding, FitnessError
from fitness.model.patterns import within
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView
from fitness.rules.base import Option, OptionValues, RuleContext, RuleType, _error, roots_of, subtree

PACKAGE_ITSELF = "__init__"


@dataclass(frozen=True)
class PublicApiOptions:
    packages: list[str]
    interface: list[str]


class PublicApi(RuleType[PublicApiOptions]):
    name = "public-api"
    code = "FIT105"
    summary = "Modules outside a package may import it only through its interface modules."
    options: ClassVar[tuple[Option, ...]] = (
        Option("packages", "modules", required=True, help="packages with a public interface (* allowed)"),
        Option(
            "interface",
            "str_list",
            default=[PACKAGE_ITSELF],
            help="public modules, relative to each package; __init__ = the package itself; (name) = optional",
        ),
    )
    example = """\
- id: apps-have-an-api
  type: public-api
  packages: [shop.*]
  interface: [__init__, api, (types)]
  because: other apps use shop.<app>.api; everything else may change without notice
"""
    advice = (
        "Import the name from the package's interface (re-export it there if it is meant to be public), "
        "or move the code that needs the internals into the package."
    )

    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        interface = values.get("interface")
        for entry in interface if isinstance(interface, list) else ():
            name = _name(entry) if isinstance(entry, str) else ""
            if name != PACKAGE_ITSELF and not all(part.isidentifier() for part in name.split(".")):
                errors.append(_error(spec, "interface", f"interface: {entry!r} is not a module name"))
        return values, errors

    def check_config(self, view: ImportView) -> list[FitnessError]:
        errors = super().check_config(view)
        for package in roots_of(view, self.opts.packages):
            for entry in self.opts.interface:
                name = _name(entry)
                if name != entry or name == PACKAGE_ITSELF or f"{package}.{name}" in view.modules:
                    continue
                message = f"interface: {package} has no module {name!r}; write ({name}) if it is optional"
                errors.append(_error(self.spec, "interface", message))
        return errors

    def check(self, context: RuleContext) -> list[Finding]:
        view = context.view
        findings: dict[tuple[str, ...], Finding] = {}
        for package in roots_of(view, self.opts.packages):
            public = self._interface(view, package)
            for imported in subtree(view, package):
                if imported in public:
                    continue
                for importer in sorted(view.pred.get(imported, ())):
                    if not within(importer, package):
                        finding = self._violation(view, package, importer, imported)
                        findings.setdefault(finding.subjects, finding)
        return [findings[key] for key in sorted(findings)]

    def _interface(self, view: ImportView, package: str) -> set[str]:
        public: set[str] = set()
        for entry in self.opts.interface:
            name = _name(entry)
            public.update([package] if name == PACKAGE_ITSELF else subtree(view, f"{package}.{name}"))
        return public

    def _violation(self, view: ImportView, package: str, importer: str, imported: str) -> Finding:
        link = view.link(importer, imported)
        names = [_name(entry) for entry in self.opts.interface]
        shown = ", ".join(package if name == PACKAGE_ITSELF else f"{package}.{name}" for name in names)
        where = f" ({link.path}:{link.line})" if link.line else ""
        return self.finding(
            f"{importer} imports {imported}, which is private to {package} (public: {shown})",
            (importer, imported),
            [(link,)],
            fix=f"import it from {shown} instead{where}, or make it part of {package}'s interface",
            data={"package": package},
        )


def _name(entry: str) -> str:
    """``(types)`` -> ``types``: the parentheses only mark an interface module as optional."""
    return entry[1:-1].strip() if entry.startswith("(") and entry.endswith(")") else entry

"""Codes that are not rule types (config hygiene and smells), documented for ``fitness explain``.

Rule type codes (FIT1xx) are documented by the rule classes themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeDoc:
    code: str
    name: str
    summary: str
    example: str
    advice: str


CATALOG: dict[str, CodeDoc] = {
    doc.code: doc
    for doc in (
        CodeDoc(
            "FIT002",
            "unused-ignore",
            "An ignore entry of a rule matches no import the rule would report: the exception is stale.",
            "ignore:\n  - {import: 'shop.domain.models -> shop.api.views', reason: 'legacy, ticket 42'}",
            "Delete the ignore entry; if the code changed, check the rule still says what you mean.",
        ),
        CodeDoc(
            "FIT201",
            "module-cycles",
            "Modules that import each other in a cycle (a strongly connected component of the import "
            "graph). Shown with one shortest cycle and the imports whose removal breaks it.",
            "analysis:\n  module_cycles: {severity: warning}   # or false to switch off",
            "Invert a dependency (an interface in the lower module), merge the two modules, or move "
            "the shared piece to a third module both import.",
        ),
        CodeDoc(
            "FIT202",
            "package-cycles",
            "Packages (at analysis.package_depth) that depend on each other in a cycle.",
            "analysis:\n  package_depth: 2\n  package_cycles: {severity: error}",
            "Cut the nominated imports: move the shared code down a layer, or invert the dependency.",
        ),
        CodeDoc(
            "FIT203",
            "hub-like",
            "A package with fan-in and fan-out both above the median and |in - out| below a quarter "
            "of in + out (Arcan): it both depends on and is depended on by much of the system.",
            "analysis:\n  hub_like: {threshold: 0.25, severity: info}",
            "Split the package by responsibility so that what others use does not also use everything.",
        ),
        CodeDoc(
            "FIT204",
            "unstable-dependency",
            "More than 30% of a package's dependencies point to packages less stable than itself "
            "(Stable Dependencies Principle, Arcan).",
            "analysis:\n  unstable_dependency: {threshold: 0.3, severity: info}",
            "Depend in the direction of stability: extract an abstraction the unstable package implements.",
        ),
    )
}

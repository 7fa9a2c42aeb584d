"""A tiny in-memory project builder for rule tests: ``kit.view("shop.a:3 -> shop.b", ...)``.

Every module named gets its ancestors; a module with children is a package (``shop/__init__.py``), the
others are ``shop/a.py``. ``importer:line -> imported`` records ``import imported`` at that line;
``importer:line -> !requests`` is a third-party import.
"""

from __future__ import annotations

from typing import Any

import pytest

from fitness.model import ArchGraph, ChainLink, EdgeKind, Evidence, Finding, NodeKind
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView
from fitness.rules.base import RuleContext, RuleType


class Kit:
    def view(self, *imports: str, modules: tuple[str, ...] = ()) -> ImportView:
        parsed = [self._parse(text) for text in imports]
        names = set(modules)
        for importer, _, imported in parsed:
            names.add(importer)
            if not imported.startswith("!"):
                names.add(imported)
        for name in list(names):
            parts = name.split(".")
            names.update(".".join(parts[:end]) for end in range(1, len(parts)))
        graph = ArchGraph()
        for name in sorted(names):
            package = any(other.startswith(name + ".") for other in names)
            graph.add_node(NodeKind.MODULE, name, {"path": self.path(name, package), "is_package": package})
        for importer, line, imported in parsed:
            target = imported.lstrip("!")
            kind = NodeKind.EXTERNAL if imported.startswith("!") else NodeKind.MODULE
            if kind is NodeKind.EXTERNAL:
                graph.add_node(kind, target)
            evidence = Evidence(self.path_in(graph, importer), line, f"import {target}")
            graph.add_edge(f"module:{importer}", f"{kind.value}:{target}", EdgeKind.IMPORTS, [evidence])
        return ImportView.from_graph(graph)

    @staticmethod
    def path(name: str, package: bool) -> str:
        base = name.replace(".", "/")
        return f"{base}/__init__.py" if package else f"{base}.py"

    @staticmethod
    def path_in(graph: ArchGraph, module: str) -> str:
        return str(graph.node(f"module:{module}").attrs["path"])

    @staticmethod
    def _parse(text: str) -> tuple[str, int, str]:
        left, _, imported = (part.strip() for part in text.partition("->"))
        importer, _, line = left.partition(":")
        return importer, int(line or 1), imported

    def spec(self, rule_type: type[RuleType], **options: Any) -> RuleSpec:
        lines = {key: 10 + index for index, key in enumerate(options)}
        return RuleSpec(
            id="r", type=rule_type.name, options=options, option_lines=lines, line=9, source="fitness.yaml"
        )

    def rule(self, rule_type: type[RuleType], view: ImportView, **options: Any) -> RuleType:
        spec = self.spec(rule_type, **options)
        values, errors = rule_type.parse_options(spec)
        assert not errors, [str(error) for error in errors]
        rule = rule_type(spec, values)
        problems = rule.check_config(view)
        assert not problems, [str(problem) for problem in problems]
        return rule

    def run(
        self, rule_type: type[RuleType], view: ImportView, depth: int = 2, **options: Any
    ) -> list[Finding]:
        findings = self.rule(rule_type, view, **options).check(RuleContext(view, {}, depth))
        for finding in findings:
            assert finding.code == rule_type.code
            assert finding.rule == "r"
        return findings

    def errors(self, rule_type: type[RuleType], view: ImportView, **options: Any) -> list[str]:
        """Config errors as ``line: message`` (parse errors, else check_config errors)."""
        spec = self.spec(rule_type, **options)
        values, errors = rule_type.parse_options(spec)
        if not errors:
            errors = rule_type(spec, values).check_config(view)
        return [f"{error.line}: {error.message}" for error in errors]

    def link(self, importer: str, imported: str, line: int = 1, package: bool = False) -> ChainLink:
        """The expected link for ``importer:line -> imported`` (importer a plain module unless told)."""
        path = self.path(importer, package)
        return ChainLink(importer, imported, path, line, f"import {imported}")

    @staticmethod
    def pairs(findings: list[Finding]) -> list[tuple[str, ...]]:
        """The subjects of each violation, sorted: the parts of a folded finding one by one."""
        return sorted(part.subjects for finding in findings for part in finding.identities())


@pytest.fixture
def kit() -> Kit:
    return Kit()

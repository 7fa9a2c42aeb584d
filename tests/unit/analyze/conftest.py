"""Tiny in-memory import graphs for the analyze tests."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

import pytest

from fitness.model.evidence import Evidence
from fitness.model.graph import ArchGraph, EdgeKind, NodeKind
from fitness.model.views import ImportView

# An import: (importer, imported) or (importer, imported, number of import statements).
Import = tuple[str, str] | tuple[str, str, int]
ViewOf = Callable[..., ImportView]


def path_of(module: str) -> str:
    return module.replace(".", "/") + ".py"


def build_view(imports: Iterable[Import], modules: Iterable[str] = (), first_line: int = 1) -> ImportView:
    """Every name mentioned becomes a module at ``a/b/c.py``; statement k of an import sits on a line
    that is unique within the importer's file, counting from ``first_line``."""
    edges = [(item[0], item[1], item[2] if len(item) == 3 else 1) for item in imports]
    graph = ArchGraph()
    names = set(modules) | {name for a, b, _ in edges for name in (a, b)}
    for name in sorted(names):
        graph.add_node(NodeKind.MODULE, name, {"path": path_of(name), "is_package": False})
    next_line: dict[str, int] = {}
    for importer, imported, statements in edges:
        evidence = []
        for _ in range(statements):
            line = next_line.get(importer, first_line)
            next_line[importer] = line + 1
            evidence.append(Evidence(path_of(importer), line, f"import {imported}"))
        graph.add_edge(f"module:{importer}", f"module:{imported}", EdgeKind.IMPORTS, evidence)
    return ImportView.from_graph(graph)


def random_imports(seed: int, nodes: int, edges: int, prefix: str = "m") -> list[tuple[str, str]]:
    """A reproducible random import graph without self-imports (names sort in index order)."""
    rng = random.Random(seed)
    names = [f"{prefix}{i:03d}" for i in range(nodes)]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < edges:
        a, b = rng.sample(names, 2)
        pairs.add((a, b))
    return sorted(pairs)


@pytest.fixture
def view_of() -> ViewOf:
    return build_view


@pytest.fixture
def random_graph() -> Callable[..., list[tuple[str, str]]]:
    return random_imports

"""Derived views of the ArchGraph. Views are computed, never stored twice.

``ImportView`` is the module import graph by plain module name (``shop.api``, not ``module:shop.api``),
which is what import rules and metrics want. ``PackageView`` collapses it to packages at a depth.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fitness.model.algorithms import strongly_connected_components
from fitness.model.evidence import Location
from fitness.model.findings import Chain, ChainLink
from fitness.model.graph import ArchGraph, EdgeKind, NodeKind, node_id

# Evidence.how of an import that does not run when its module loads (fitness.collect.python.lazy).
LAZY_KINDS = frozenset({"lazy", "type-checking"})


@dataclass
class ImportView:
    """Module import graph of the analysed packages.

    ``succ``/``pred`` hold internal imports only; ``external`` maps a module to the third-party
    distributions' top-level modules it imports (when externals were collected).
    """

    graph: ArchGraph
    modules: frozenset[str]
    succ: dict[str, set[str]]
    pred: dict[str, set[str]]
    external: dict[str, set[str]]
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _components: list[list[str]] | None = field(default=None, repr=False)

    @classmethod
    def from_graph(cls, graph: ArchGraph) -> ImportView:
        """The view of ``graph``'s modules, read from its successor map (one set per importer, not one
        edge object per import: 40,000 of them on a large package)."""
        modules = frozenset(node.name for node in graph.iter_nodes(NodeKind.MODULE))
        succ: dict[str, set[str]] = {module: set() for module in modules}
        pred: dict[str, set[str]] = {module: set() for module in modules}
        external: dict[str, set[str]] = {}
        prefix = NodeKind.MODULE.value + ":"
        cut = len(prefix)
        for source_id, targets in graph.adjacency(EdgeKind.IMPORTS).items():
            source = source_id[cut:]
            internal = {target[cut:] for target in targets if target.startswith(prefix)}
            succ[source] = internal
            for target in internal:
                pred[target].add(source)
            if len(internal) < len(targets):  # third-party imports (external:<name>), when collected
                external[source] = {t.partition(":")[2] for t in targets if not t.startswith(prefix)}
        view = cls(graph, modules, succ, pred, external)
        for module in modules:
            parent = module.rpartition(".")[0]
            if parent:
                view._children.setdefault(parent, []).append(module)
        return view

    def strong_components(self) -> list[list[str]]:
        """``strongly_connected_components(modules, succ)``, found once per view (a view is never
        changed once built): the metrics and the cycle smells both need them."""
        if self._components is None:
            self._components = strongly_connected_components(self.modules, self.succ)
        return self._components

    def is_package(self, module: str) -> bool:
        return bool(self.graph.node(node_id(NodeKind.MODULE, module)).attrs.get("is_package"))

    def path_of(self, module: str) -> str:
        return str(self.graph.node(node_id(NodeKind.MODULE, module)).attrs.get("path", ""))

    def children(self, module: str) -> list[str]:
        return sorted(self._children.get(module, []))

    def descendants(self, package: str) -> list[str]:
        """``package`` and every module below it, sorted."""
        prefix = package + "."
        return sorted(m for m in self.modules if m == package or m.startswith(prefix))

    def link(self, importer: str, imported: str) -> ChainLink:
        """The import ``importer -> imported`` with its first evidence (file:line and statement)."""
        target_kind = NodeKind.MODULE if imported in self.modules else NodeKind.EXTERNAL
        edge = self.graph.edge(
            node_id(NodeKind.MODULE, importer), node_id(target_kind, imported), EdgeKind.IMPORTS
        )
        if edge is None or not edge.evidence:
            return ChainLink(importer, imported)
        eager = [e for e in edge.evidence if e.how not in LAZY_KINDS]
        first = (eager or edge.evidence)[0]
        return ChainLink(importer, imported, first.path, first.line, first.text, "" if eager else first.how)

    def is_lazy(self, importer: str, imported: str) -> bool:
        """True when every statement of the import is inside a function or under TYPE_CHECKING."""
        edge = self.graph.edge(
            node_id(NodeKind.MODULE, importer), node_id(NodeKind.MODULE, imported), EdgeKind.IMPORTS
        )
        return edge is not None and bool(edge.evidence) and all(e.how in LAZY_KINDS for e in edge.evidence)

    def reexport_note(self, importer: str, imported: str) -> str:
        """For ``pkg -> pkg.x`` imported by ``pkg/__init__.py`` (a re-export: ``from .x import y``), the
        fix that keeps the package's API: move the import, do not delete it. Empty for any other edge."""
        if importer.startswith(imported + ".") and self._reexports(imported):
            return (
                f" (an import through the re-exports of {self.path_of(imported)}: keep the re-export, "
                f"and move the import instead: import the name from the module of {imported} that defines it)"
            )
        if not imported.startswith(importer + ".") or not self.is_package(importer):
            return ""
        return (
            f" (a re-export in {self.path_of(importer)}: keep it, and move the import instead: the modules "
            f"of {importer} that import it for this name import it from {imported} directly)"
        )

    def _reexports(self, package: str) -> bool:
        """True when the package's ``__init__`` imports its own submodules (re-exports their names)."""
        return self.is_package(package) and any(
            t.startswith(package + ".") for t in self.succ.get(package, ())
        )

    def without_lazy(self) -> ImportView:
        """The view without the imports inside functions or under TYPE_CHECKING (``ignore_lazy``)."""
        succ = {m: {t for t in targets if not self.is_lazy(m, t)} for m, targets in self.succ.items()}
        pred: dict[str, set[str]] = {module: set() for module in self.modules}
        for source, targets in succ.items():
            for target in targets:
                pred[target].add(source)
        return ImportView(self.graph, self.modules, succ, pred, self.external, self._children)

    def statements(self, imports: Iterable[tuple[str, str]]) -> list[Location]:
        """The distinct file:line of the import statements behind module imports, sorted.

        ``from shop import a, b`` is one statement behind two imports: cutting it costs one edit.
        Cycle breakers weigh edges by this, so rules and smells nominate the same cuts.
        """
        places: set[Location] = set()
        for importer, imported in imports:
            edge = self.graph.edge(
                node_id(NodeKind.MODULE, importer), node_id(NodeKind.MODULE, imported), EdgeKind.IMPORTS
            )
            places.update(item.location for item in (edge.evidence if edge else ()))
        return sorted(places)

    def chain(self, path: Iterable[str]) -> Chain:
        """``[a, b, c]`` -> the links a->b and b->c with their evidence."""
        nodes = list(path)
        return tuple(self.link(a, b) for a, b in itertools.pairwise(nodes))


def package_of(module: str, depth: int) -> str:
    """``package_of("shop.orders.api.views", 2) == "shop.orders"``."""
    return ".".join(module.split(".")[:depth])


@dataclass
class PackageView:
    """Imports collapsed to packages at ``depth``; ``members`` keeps the module imports behind each edge."""

    depth: int
    nodes: set[str]
    succ: dict[str, set[str]]
    members: dict[tuple[str, str], list[tuple[str, str]]]
    _components: list[list[str]] | None = field(default=None, repr=False)

    def strong_components(self) -> list[list[str]]:
        """``strongly_connected_components(nodes, succ)``, found once per view (see ImportView's)."""
        if self._components is None:
            self._components = strongly_connected_components(self.nodes, self.succ)
        return self._components

    @classmethod
    def collapse(cls, view: ImportView, depth: int) -> PackageView:
        return cls.collapse_succ(view.modules, view.succ, depth)

    @classmethod
    def collapse_succ(
        cls, modules: Iterable[str], succ: Mapping[str, Iterable[str]], depth: int
    ) -> PackageView:
        owner = {module: package_of(module, depth) for module in modules}
        nodes = set(owner.values())
        package_succ: dict[str, set[str]] = {node: set() for node in nodes}
        members: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for importer, targets in succ.items():
            source = owner[importer]
            for imported in targets:
                target = owner[imported]
                if target == source:
                    continue
                package_succ[source].add(target)
                members.setdefault((source, target), []).append((importer, imported))
        for pairs in members.values():
            pairs.sort()
        return cls(depth, nodes, package_succ, members)

"""``layers``: a lower layer must not import a higher one, directly or indirectly (import-linter's contract).

Semantics follow import-linter/grimp so that both tools report the same violations: for each container,
every (importer layer, imported layer) pair that the layering forbids is checked for import chains that do
not pass through any *other* layer of that container (a chain through a third layer is reported as its own
pair). ``a | b`` are independent siblings, ``a : b`` siblings that may import each other, ``(a)`` an
optional layer; a closed layer (grimp's ``closed=True``) must not be bypassed by the layers above it.
The upward violations of one layer are one finding (``fitness.rules.fold``): ``shop.domain imports 2
higher layers``; sibling and closed-layer violations stay one finding per pair.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from fitness.model import Finding, FitnessError, Location
from fitness.model.patterns import compile_pattern
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView
from fitness.rules.base import Option, OptionValues, RuleContext, RuleType, _error, roots_of, subtree
from fitness.rules.chains import Group, GroupReach, Routes, edge_to_cut
from fitness.rules.fold import Noun, fold_by_importer, without_count

CLOSED_LINE = re.compile(r"-{3,}\Z")


@dataclass(frozen=True)
class Level:
    """One entry of ``layers``: one or more sibling layers, by name relative to the container."""

    tails: tuple[str, ...]
    optional: frozenset[str] = frozenset()
    independent: bool = True
    closed: bool = False

    def label(self, container: str) -> str:
        return (" | " if self.independent else " : ").join(_join(container, tail) for tail in self.tails)


@dataclass(frozen=True)
class _Pair:
    """A forbidden direction: group ``importer`` must not reach group ``imported``."""

    importer: int
    imported: int
    kind: str  # "upward", "sibling" or "closed"
    closed: str = ""  # for "closed": the closed layer that is bypassed


@dataclass(frozen=True)
class LayersOptions:
    layers: list[Level]  # parsed from the option by ``parse_levels``
    containers: list[str] | None
    exhaustive: bool
    exhaustive_ignores: list[str]


class Layers(RuleType[LayersOptions]):
    name = "layers"
    code = "FIT101"
    summary = "Layers (top first) may import only the layers below them, directly or indirectly."
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "layers",
            "any",
            required=True,
            help="layers, top first: 'name', 'a | b' (independent siblings), 'a : b' (siblings that may "
            "import each other), '(name)' (optional); mark a layer closed with {name: ..., closed: true} "
            "or a '---' line right below it",
        ),
        Option(
            "containers",
            "modules",
            help="parent modules of the layers (* and ** allowed); without "
            "containers the layer names are absolute module names",
        ),
        Option("exhaustive", "bool", default=False, help="every child of each container must be a layer"),
        Option("exhaustive_ignores", "str_list", default=[], help="children exempt from `exhaustive`"),
    )
    example = """\
- id: layered-orders
  type: layers
  containers: [shop.orders, shop.billing]
  layers:
    - api
    - {name: services, closed: true}
    - domain | events
    - (utils)
  exhaustive: true
  exhaustive_ignores: [conftest]
  because: api goes through the services; the domain knows nothing above it
"""
    advice = (
        "Move the code the lower layer needs down (into that layer or below it), or invert the dependency "
        "with an interface defined in the lower layer and implemented above it."
    )

    # -- configuration ------------------------------------------------------------------------
    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        values, errors = super().parse_options(spec)
        if values.get("layers") is not None:
            levels, problems = parse_levels(values["layers"])
            errors.extend(_error(spec, "layers", problem) for problem in problems)
            values["layers"] = levels
        if values.get("exhaustive") is True and not values.get("containers"):
            errors.append(_error(spec, "exhaustive", "exhaustive: only supported with `containers`"))
        return values, errors

    def check_config(self, view: ImportView) -> list[FitnessError]:
        errors = super().check_config(view)
        if errors:
            return errors
        for container in self._containers(view):
            for level in self.opts.layers:
                for tail in level.tails:
                    if tail not in level.optional and not subtree(view, _join(container, tail)):
                        errors.append(self._missing(view, container, tail))
        return errors

    def _missing(self, view: ImportView, container: str, tail: str) -> FitnessError:
        module = _join(container, tail)
        names = [child.rpartition(".")[2] for child in view.children(container)] if container else []
        close = difflib.get_close_matches(tail, names, n=1) if container else []
        close = close or difflib.get_close_matches(module, sorted(view.modules), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        where = f" in container {container!r}" if container else ""
        message = f"layers: no module {module!r} (layer {tail!r}{where}); write ({tail}) if it is optional"
        return _error(self.spec, "layers", message + hint)

    def _containers(self, view: ImportView) -> list[str]:
        return roots_of(view, self.opts.containers) if self.opts.containers else [""]

    # -- evaluation ---------------------------------------------------------------------------
    def check(self, context: RuleContext) -> list[Finding]:
        view = context.view
        groups: list[Group] = []
        pairs: list[_Pair] = []
        for container in self._containers(view):
            indexes = self._add_groups(view, container, groups)
            pairs.extend(_forbidden_pairs(indexes, self.opts.layers, container))
        reach = GroupReach(view, groups)
        findings: dict[tuple[str, ...], Finding] = {}
        for pair in pairs:
            if reach.reaches(pair.importer, pair.imported):
                finding = self._violation(groups, pair, reach.routes(pair.importer, pair.imported))
                findings.setdefault(finding.subjects, finding)
        upward = [f for f in findings.values() if f.data.get("kind") == "upward"]
        kept = [without_count(f) for f in findings.values() if f.data.get("kind") != "upward"]
        kept.extend(fold_by_importer(upward, Noun("higher layer", "higher layers")))
        kept.extend(self._undeclared(view))
        return sorted(kept, key=lambda finding: finding.subjects)

    def _add_groups(self, view: ImportView, container: str, groups: list[Group]) -> list[list[int]]:
        """Register the container's existing layers as groups; return their indexes, level by level."""
        levels = []
        for level in self.opts.layers:
            indexes = []
            for tail in level.tails:
                members = subtree(view, _join(container, tail))
                if members:
                    indexes.append(len(groups))
                    groups.append(Group(_join(container, tail), container, frozenset(members)))
            levels.append(indexes)
        return levels

    def _violation(self, groups: Sequence[Group], pair: _Pair, routes: Routes) -> Finding:
        chains = routes.chains
        importer, imported = groups[pair.importer].name, groups[pair.imported].name
        verb = "imports" if chains and len(chains[0]) == 1 else "reaches"
        if pair.kind == "upward":
            message = f"{importer} {verb} higher layer {imported}"
        elif pair.kind == "sibling":
            message = f"{importer} {verb} its independent sibling {imported}"
        else:
            message = f"{importer} {verb} {imported}, bypassing closed layer {pair.closed}"
        members = groups[pair.imported].members
        direct = sum(1 for _, module in routes.ways_in if module in members)
        data = {"container": groups[pair.importer].scope, "kind": pair.kind, "direct": direct}
        return self.finding(
            message, (importer, imported), chains, fix=edge_to_cut(chains), data=data, imports=routes.ways_in
        )

    def _undeclared(self, view: ImportView) -> list[Finding]:
        if not self.opts.exhaustive:
            return []
        declared = {tail for level in self.opts.layers for tail in level.tails}
        declared.update(self.opts.exhaustive_ignores)
        findings = []
        for container in self._containers(view):
            for child in view.children(container):
                if child.rpartition(".")[2] in declared:
                    continue
                path = view.path_of(child)
                findings.append(
                    self.finding(
                        f"{child} is not a layer of {container} (the layers are exhaustive)",
                        (child,),
                        fix=f"add {child.rpartition('.')[2]!r} to `layers` or to `exhaustive_ignores`",
                        locations=[Location(path)] if path else [],
                        data={"container": container, "kind": "undeclared"},
                    )
                )
        return findings


def _forbidden_pairs(levels: Sequence[Sequence[int]], meta: Sequence[Level], container: str) -> list[_Pair]:
    """grimp's illegal permutations: lower -> higher, independent siblings, and bypasses of closed layers."""
    pairs: list[_Pair] = []
    for index, level in enumerate(levels):
        for module in level:
            pairs.extend(_Pair(lower, module, "upward") for below in levels[index + 1 :] for lower in below)
            if meta[index].independent:
                pairs.extend(_Pair(module, sibling, "sibling") for sibling in level if sibling != module)
            closed = ""
            for above in range(index - 1, -1, -1):
                if closed:
                    pairs.extend(_Pair(higher, module, "closed", closed) for higher in levels[above])
                if meta[above].closed:
                    closed = meta[above].label(container)
    return pairs


def parse_levels(raw: object) -> tuple[list[Level], list[str]]:
    """The ``layers`` option as Levels, and what is wrong with it (messages without the rule prefix)."""
    entries = [raw] if isinstance(raw, str) else raw
    if not isinstance(entries, list):
        return [], ["layers: expected a list of layers, top first"]
    levels: list[Level] = []
    problems: list[str] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str) and CLOSED_LINE.match(entry.strip()):
            if not levels or levels[-1].closed:
                problems.append(f"layers[{index}]: a '---' line must follow the layer it closes")
            else:
                levels[-1] = Level(levels[-1].tails, levels[-1].optional, levels[-1].independent, True)
            continue
        level = _parse_level(entry, f"layers[{index}]", problems)
        if level is not None:
            levels.append(level)
    seen: set[str] = set()
    for tail in (tail for level in levels for tail in level.tails):
        if tail in seen:
            problems.append(f"layers: {tail!r} is listed more than once")
        seen.add(tail)
    return levels, problems


def _parse_level(entry: object, where: str, problems: list[str]) -> Level | None:
    closed = False
    if isinstance(entry, dict):
        name, flag = entry.get("name"), entry.get("closed", False)
        if set(entry) - {"name", "closed"} or not isinstance(name, str) or not isinstance(flag, bool):
            problems.append(f"{where}: expected {{name: <layer>, closed: true|false}}")
            return None
        entry, closed = name, flag
    if not isinstance(entry, str):
        problems.append(f"{where}: expected a layer name or {{name: <layer>, closed: true}}")
        return None
    if "|" in entry and ":" in entry:
        problems.append(f"{where}: {entry!r} mixes '|' and ':'; use one separator per line")
        return None
    parts = [part.strip() for part in entry.split("|" if "|" in entry else ":")]
    tails, optional = [], set()
    for part in parts:
        name = part[1:-1].strip() if part.startswith("(") and part.endswith(")") else part
        if name != part:
            optional.add(name)
        if not _valid_name(name):
            problems.append(f"{where}: {part!r} is not a module name (wildcards are not allowed in layers)")
            return None
        tails.append(name)
    return Level(tuple(tails), frozenset(optional), independent=":" not in entry, closed=closed)


def _valid_name(name: str) -> bool:
    if not name or "*" in name:
        return False
    try:
        compile_pattern(name)
    except FitnessError:
        return False
    return all(part.isidentifier() for part in name.split("."))


def _join(container: str, tail: str) -> str:
    return f"{container}.{tail}" if container else tail

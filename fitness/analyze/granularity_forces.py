"""The disintegrators of one service (or package), each a score 0..1 with its evidence.

Heuristics, documented in the README ("Granularity: split, keep or merge"):

- **scope and function**: the service's modules are grouped into *units* (a module directly in the
  service's root package, or a sub-package below it with everything inside). Units linked by imports (in
  either direction) form parts. Two or more parts of at least ``MIN_PART`` modules are the candidate
  split; score ``min(1, 2 * (1 - largest part's share of modules))`` (two equal parts: 1). When the units
  are all connected and there are at least ``MIN_UNITS_FOR_COMMUNITIES``, modularity communities
  (the Clauset-Newman-Moore greedy of networkx's ``greedy_modularity_communities``, reimplemented merge
  for merge in ``fitness.model.algorithms.greedy_modularity``; deterministic) take the place of parts and
  the score is multiplied by ``min(1, Q / 0.6)`` (Q: the partition's modularity; below 0.3 no split).
- **code volatility** (git history): the part (or unit) with the most commits against its share of the
  modules: ``(commit share - module share) / (1 - module share)``; needs ``MIN_COMMITS`` commits.
  Module commits are summed, so a commit touching two modules counts twice.
- **scalability**, **fault tolerance**, **security**: declared in ``services.<name>.annotations``
  (``scaling: high|medium|low``, ``fault_tolerance: isolate|high|medium``, ``handles: [pci, pii, ...]``).
  Security is also inferred (0.5) from modules named after card data or secrets (``SENSITIVE``) when
  they are only part of the service; those modules are the candidate part.
- **extensibility**: the model has no classes, so variants are found by module names: ``EXTENSIBLE_MIN``
  or more sibling modules sharing a ``prefix_`` or ``_suffix`` (``stripe_provider.py``,
  ``paypal_provider.py`` ...), or as many modules in a package named like a variant container
  (``providers``, ``plugins``, ``backends`` ...). Score ``min(1, n / 8)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fitness.model.granularity import ForceScore, SplitPart

MIN_PART = 2
MIN_UNITS_FOR_COMMUNITIES = 6
MIN_MODULARITY = 0.3
STRONG_MODULARITY = 0.6
MIN_COMMITS = 5
EXTENSIBLE_MIN = 4
SENSITIVE = frozenset(
    {
        "pci",
        "card",
        "cards",
        "cardholder",
        "vault",
        "kyc",
        "ssn",
        "secrets",
        "tokenization",
        "tokenizer",
        "pan",
    }
)
VARIANT_CONTAINERS = frozenset(
    {"providers", "plugins", "adapters", "handlers", "strategies", "backends", "gateways", "connectors"}
    | {"integrations", "channels", "drivers", "exporters", "importers"}
)
SCALING = {"high": 1.0, "medium": 0.5, "low": 0.0, "none": 0.0}
FAULT_TOLERANCE = {"isolate": 1.0, "critical": 1.0, "high": 1.0, "medium": 0.5, "low": 0.0, "none": 0.0}
HANDLES = {"pci": 1.0, "phi": 1.0, "pii": 0.7, "secrets": 0.7, "credentials": 0.7}


@dataclass
class Force:
    """One force: ``score`` None means it could not be measured (``note`` says why)."""

    score: float | None
    evidence: list[str] = field(default_factory=list)
    note: str = ""
    part: list[str] = field(default_factory=list)  # modules this force would cut out (disintegrators)

    def scored(self) -> ForceScore:
        """The force as the granularity table shows it (score rounded to 3 decimals)."""
        return ForceScore(
            None if self.score is None else round(self.score, 3), tuple(self.evidence), self.note
        )


@dataclass
class Part:
    name: str
    modules: list[str]
    why: str = ""

    def scored(self) -> SplitPart:
        return SplitPart(self.name, tuple(self.modules), self.why)


def units_of(modules: Sequence[str], edges: Mapping[str, set[str]]) -> dict[str, list[str]]:
    """``unit -> modules``: a root package's direct modules are units, a sub-package is one unit.

    An empty root ``__init__`` (no import in or out inside the service) is left out.
    """
    inside = set(modules)
    roots = sorted(m for m in inside if m.rpartition(".")[0] not in inside)
    units: dict[str, list[str]] = {}
    for module in sorted(inside):
        root = next((r for r in roots if module == r or module.startswith(r + ".")), module)
        if module == root:
            linked = edges.get(module, set()) & inside or any(module in edges.get(o, ()) for o in inside)
            if not linked and any(m.startswith(root + ".") for m in inside):
                continue
            unit = module
        else:
            unit = root + "." + module[len(root) + 1 :].split(".")[0]
        units.setdefault(unit, []).append(module)
    return units


def scope(
    units: dict[str, list[str]],
    edges: Mapping[str, set[str]],
    communities: Callable[[list[str], dict[tuple[str, str], int]], tuple[list[list[str]], float]],
) -> tuple[Force, list[Part]]:
    """Scope and function: the parts the service falls apart into (see the module docstring)."""
    owner = {m: unit for unit, members in units.items() for m in members}
    links: dict[tuple[str, str], int] = {}
    for module, unit in owner.items():
        for target in edges.get(module, ()):
            other = owner.get(target)
            if other is not None and other != unit:
                key = (min(unit, other), max(unit, other))
                links[key] = links.get(key, 0) + 1
    groups = _components(sorted(units), links)
    modularity = 1.0
    size = {unit: len(members) for unit, members in units.items()}
    big = [g for g in groups if sum(size[u] for u in g) >= MIN_PART]
    how = "no import links them"
    if len(big) < 2 and len(units) >= MIN_UNITS_FOR_COMMUNITIES and groups:
        largest = max(groups, key=lambda g: (sum(size[u] for u in g), g))
        found, modularity = communities(largest, {k: v for k, v in links.items() if k[0] in largest})
        big = [g for g in found if sum(size[u] for u in g) >= MIN_PART]
        how = f"import communities, modularity {modularity:.2f}"
        if modularity < MIN_MODULARITY:
            big = []
    if len(big) < 2:
        return Force(0.0, note="its modules hang together"), []
    total = sum(size[u] for g in big for u in g)
    largest_share = max(sum(size[u] for u in g) for g in big) / total
    score = min(1.0, 2 * (1 - largest_share)) * min(1.0, modularity / STRONG_MODULARITY)
    parts = [Part(_part_name(g), sorted(m for u in g for m in units[u]), how) for g in big]
    parts.sort(key=lambda p: (-len(p.modules), p.name))
    evidence = [f"part {p.name}: {len(p.modules)} modules ({', '.join(p.modules[:6])})" for p in parts]
    return Force(score, [f"{len(parts)} parts ({how})", *evidence]), parts


def volatility(
    groups: list[tuple[str, list[str]]], commits: Mapping[str, int], available: bool, reason: str
) -> Force:
    """Code volatility: churn concentrated in one group of modules (see the module docstring)."""
    if not available:
        return Force(None, note=f"git history unavailable: {reason}")
    per_group = [(sum(commits.get(m, 0) for m in modules), name, modules) for name, modules in groups]
    total = sum(c for c, _, _ in per_group)
    modules_total = sum(len(m) for _, _, m in per_group)
    if len(per_group) < 2 or total < MIN_COMMITS:
        return Force(0.0, note=f"{total} commits in {len(per_group)} part(s): too few to compare")
    hot_commits, name, modules = max(per_group, key=lambda g: (g[0], -len(g[2]), g[1]))
    commit_share, module_share = hot_commits / total, len(modules) / modules_total
    score = max(0.0, min(1.0, (commit_share - module_share) / (1 - module_share)))
    evidence = [
        f"{name}: {hot_commits} of {total} commits ({commit_share:.0%}) in {len(modules)} of "
        f"{modules_total} modules ({module_share:.0%})"
    ]
    return Force(score, evidence, part=list(modules) if score > 0 else [])


def declared(annotations: Mapping[str, Any], key: str, table: Mapping[str, float]) -> Force:
    """A force declared in the service's annotations (``scaling: high``)."""
    value = annotations.get(key)
    if value is None:
        return Force(0.0, note=f"not declared (annotations.{key})")
    if isinstance(value, bool):
        score = 1.0 if value else 0.0
    elif isinstance(value, (int, float)):
        score = max(0.0, min(1.0, float(value)))
    else:
        score = table.get(str(value).lower(), 0.5)
    return Force(score, [f"fitness.yaml: {key}: {value}"])


def security(annotations: Mapping[str, Any], modules: Sequence[str], paths: Mapping[str, str]) -> Force:
    """Declared ``handles: [pci, pii]``, or inferred from module names (see the module docstring)."""
    handles = annotations.get("handles")
    items = [handles] if isinstance(handles, str) else list(handles or [])
    if items:
        score = max(HANDLES.get(str(item).lower(), 0.5) for item in items)
        return Force(score, [f"fitness.yaml: handles: [{', '.join(map(str, items))}]"])
    sensitive = [m for m in modules if _tokens(m.split(".")[-1]) & SENSITIVE]
    if not sensitive or len(sensitive) == len(modules):
        return Force(0.0, note="no declared or plainly sensitive part (annotations.handles)")
    return Force(
        0.5,
        [f"{m} ({paths.get(m, '')}) looks like it handles sensitive data (inferred)" for m in sensitive],
        part=sensitive,
    )


def extensibility(modules: Sequence[str]) -> Force:
    """Many sibling variants of one abstraction, found by module names (see the module docstring)."""
    by_parent: dict[str, list[str]] = {}
    for module in modules:
        parent, _, _ = module.rpartition(".")
        by_parent.setdefault(parent, []).append(module)
    best: tuple[int, str, list[str]] = (0, "", [])
    for parent, siblings in sorted(by_parent.items()):
        names = {m: m.rpartition(".")[2] for m in siblings if m != parent}
        families: dict[str, list[str]] = {}
        for module, name in names.items():
            parts = name.split("_")
            if len(parts) > 1:
                families.setdefault(f"*_{parts[-1]}", []).append(module)
                families.setdefault(f"{parts[0]}_*", []).append(module)
        if parent.rpartition(".")[2] in VARIANT_CONTAINERS:
            families[f"{parent}.*"] = [m for m in names if names[m] != "base"]
        for pattern, members in sorted(families.items()):
            if len(members) > best[0]:
                best = (len(members), f"{pattern} in {parent}", sorted(members))
    count, where, members = best
    if count < EXTENSIBLE_MIN:
        return Force(0.0, note=f"fewer than {EXTENSIBLE_MIN} sibling variants")
    return Force(
        min(1.0, count / 8), [f"{count} sibling variants {where}: {', '.join(members[:8])}"], part=members
    )


def _tokens(name: str) -> set[str]:
    return set(name.lower().split("_"))


def _part_name(units: list[str]) -> str:
    names = sorted(units)
    return " + ".join(names[:3]) + (f" + {len(names) - 3} more" if len(names) > 3 else "")


def _components(nodes: list[str], links: Mapping[tuple[str, str], int]) -> list[list[str]]:
    parent = {node: node for node in nodes}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for node in nodes:
        groups.setdefault(find(node), []).append(node)
    return sorted(groups.values())

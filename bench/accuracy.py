"""Accuracy of the service-side analysis against the labelled corpus (../shared/corpus/labels.yaml).

    .venv/bin/python bench/accuracy.py [--corpus PATH] [--system NAME] [--json FILE] [--write-floor FILE]

Runs the analysis out of the box (no fitness.yaml, ``Options(cache=False)`` so nothing is written into the
corpus) on every system folder of the corpus and compares the graph and the findings with the labels.
The corpus is ``--corpus PATH``, else ``$FITNESS_CORPUS``, else ``../shared/corpus`` next to the repository.
It prints precision and recall per system and kind, then over all systems (micro-averaged: the counts of
every system are added before dividing), then every miss (false negative, with the label's evidence) and
every false edge (false positive, with the tool's evidence ``path:line``). A measurement, not a gate: exit
0, or 2 when the corpus (or the named system) is missing. The floors live in bench/accuracy_floor.json and
are enforced by tests/functional/test_corpus_accuracy.py.

Scoring rules
-------------
- **Name mapping.** ``normalise(name)`` = lowercase, ``_`` and ``.`` replaced by ``-``. A tool node maps to a
  label name when normalise(label) equals normalise(node.name) or normalise of any of its
  ``attrs["aliases"]``. Label names are the union of ``services``, ``infra`` and ``datastores`` of the system;
  a node mapping to several label names stands for each of them. Service names in finding subjects are
  looked up as ``service:<name>`` nodes (for their aliases), else mapped by the name alone.
- **roles.** Label class: service / infra / datastore (the list the name is in). Tool class: a service node's
  ``attrs["role"]`` (default ``service``; ``infra``, ``external``); a datastore node is ``datastore`` unless its
  role is ``infra``. TP = label names whose mapped tool node has the label's class; FN = label names not found
  or found only with another class (the note says which); FP = service/datastore nodes mapping to no label
  name, or mapping with a wrong class. Unmapped nodes with role ``external`` are not counted.
- **Infra exclusion** (calls, uses, async). A tool edge with an end that maps to a label ``infra`` name, or
  whose node has the tool class infra and maps to no label name, is not scored at all; label rows with an
  ``infra`` end are dropped too. Any other tool edge with an end mapping to no label name is FP (listed with
  the unmapped name).
- **calls.** Tool CALLS edges vs label ``calls`` rows ``[caller, callee, evidence, note]``, as (caller, callee).
- **uses.** Tool CONNECTS edges (service -> datastore) vs label ``uses`` rows ``[service, datastore, ...]``;
  connections to a broker (datastore role ``broker``) are not uses: the labels list them as async links.
- **async.** For every topic node, every producer (PUBLISHES source) and consumer (SUBSCRIBES source) with
  producer != consumer gives a triple (producer, consumer, topic); compared with label ``async`` rows
  ``[producer, consumer, topic, ev1, ev2]``, topics normalised (the topic node's aliases count too).
- **shared_database.** FIT301 findings: the services are the subjects not starting with ``datastore:``; scored
  as unordered service pairs within each group (duplicates across groups count once) against the pairs of
  the label groups ``[[svc, ...], note]``. A group through infra (a member mapping to a label infra name, or
  an unmapped node whose tool class is infra) is wholly false: all its pairs are FP.
- **sync_cycles.** FIT308 findings, unordered pairs of each cycle's services (subjects), same rules.
- Precision = TP / (TP + FP), 1.0 when TP + FP = 0; recall = TP / (TP + FN), 1.0 when TP + FN = 0.
  ``overall`` adds the counts of calls, uses, async, shared_database and sync_cycles; ``overall_with_roles``
  adds roles as well.
- **Evidence agreement** (informational): for matched calls and uses, whether the tool's evidence paths
  include the file of the label's evidence.
- A system whose analysis raises FitnessError (or whose folder is missing) is an error row and is scored as
  an empty graph: every label is a miss. A folder without labels is listed and skipped.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fitness.model import ArchGraph, EdgeKind, Evidence, Finding, FitnessError, Node, NodeKind

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
FLOOR_FILE = REPO / "bench" / "accuracy_floor.json"

KINDS = ("roles", "calls", "uses", "async", "shared_database", "sync_cycles")
EDGE_KINDS = KINDS[1:]
OVERALL = "overall"
OVERALL_ROLES = "overall_with_roles"
FIGURES = (*KINDS, OVERALL, OVERALL_ROLES)
AGREEMENT_KINDS = ("calls", "uses")
ALL = "all"
FLOOR_COMMENT = (
    "micro-averaged precision/recall over the corpus that tests/functional/test_corpus_accuracy.py enforces; "
    "raise them as the tool improves (bench/accuracy.py --write-floor FILE writes today's, rounded down)"
)

_JOIN = {"calls": " -> ", "uses": " -> ", "async": " -> ", "shared_database": " + ", "sync_cycles": " + "}
_LINE = re.compile(r":\d+(-\d+)?$")


# -- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Item:
    """One scored fact: ``key`` is (name,) for roles, a pair or a (producer, consumer, topic) triple."""

    key: tuple[str, ...]
    evidence: tuple[str, ...] = ()
    note: str = ""

    def show(self, kind: str) -> str:
        if kind == "async":
            return f"{self.key[0]} -> {self.key[1]} on {self.key[2]}"
        return _JOIN.get(kind, " ").join(self.key)

    def to_json(self) -> dict[str, Any]:
        return {"key": list(self.key), "evidence": list(self.evidence), "note": self.note}


@dataclass
class KindScore:
    tp: list[Item] = field(default_factory=list)
    fp: list[Item] = field(default_factory=list)
    fn: list[Item] = field(default_factory=list)
    agree: int = 0  # matched calls/uses whose tool evidence includes the label's evidence file

    def counts(self) -> Counts:
        return Counts(len(self.tp), len(self.fp), len(self.fn), self.agree)


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.agree + other.agree)

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


def ratio(hits: int, total: int) -> float:
    return 1.0 if total == 0 else hits / total


@dataclass
class SystemResult:
    name: str
    scores: dict[str, KindScore] = field(default_factory=dict)
    error: str | None = None
    labelled: bool = True

    def counts(self, figure: str) -> Counts:
        kinds = {OVERALL: EDGE_KINDS, OVERALL_ROLES: KINDS}.get(figure, (figure,))
        total = Counts()
        for kind in kinds:
            if kind in self.scores:
                total = total + self.scores[kind].counts()
        return total


@dataclass
class Report:
    corpus: str
    systems: list[SystemResult] = field(default_factory=list)

    def counts(self, figure: str, system: str | None = None) -> Counts:
        total = Counts()
        for result in self.systems:
            if system is None or result.name == system:
                total = total + result.counts(figure)
        return total

    def items(self, figure: str, which: str) -> list[tuple[str, str, Item]]:
        """(system, kind, item) of every miss (``which="fn"``) or false edge (``"fp"``) of a figure."""
        kinds = {OVERALL: EDGE_KINDS, OVERALL_ROLES: KINDS}.get(figure, (figure,))
        return [
            (result.name, kind, item)
            for result in self.systems
            for kind in KINDS
            if kind in kinds and kind in result.scores
            for item in getattr(result.scores[kind], which)
        ]

    def to_json(self) -> dict[str, Any]:
        systems: dict[str, Any] = {}
        for result in self.systems:
            entry: dict[str, Any] = {"error": result.error, "labelled": result.labelled}
            if result.labelled:
                entry["figures"] = {figure: result.counts(figure).to_json() for figure in FIGURES}
                entry["kinds"] = {
                    kind: {
                        "true": [item.to_json() for item in score.tp],
                        "misses": [item.to_json() for item in score.fn],
                        "false": [item.to_json() for item in score.fp],
                        **({"evidence_agree": score.agree} if kind in AGREEMENT_KINDS else {}),
                    }
                    for kind, score in sorted(result.scores.items())
                }
            systems[result.name] = entry
        return {
            ALL: {figure: self.counts(figure).to_json() for figure in FIGURES},
            "evidence_agreement": {
                kind: {"agree": self.counts(kind).agree, "matched": self.counts(kind).tp}
                for kind in AGREEMENT_KINDS
            },
            "systems": systems,
        }


# -- names ------------------------------------------------------------------------------------------


def normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def tool_class(node: Node) -> str:
    """service / infra / external (service nodes) or datastore / infra (datastore nodes)."""
    role = str(node.attrs.get("role", "service"))
    if node.kind is NodeKind.DATASTORE:
        return "infra" if role == "infra" else "datastore"
    return role


class Names:
    """The label names of one system, their classes, and the mapping of tool nodes onto them."""

    def __init__(self, labels: Mapping[str, Any]) -> None:
        self.classes: dict[str, str] = {}
        for section, cls in (("services", "service"), ("infra", "infra"), ("datastores", "datastore")):
            for name in labels.get(section) or ():
                self.classes.setdefault(str(name), cls)
        self._by_norm = {normalise(name): name for name in sorted(self.classes)}

    def map_name(self, name: str) -> list[str]:
        found = self._by_norm.get(normalise(name))
        return [found] if found else []

    def map_node(self, node: Node) -> list[str]:
        candidates = [node.name, *(str(alias) for alias in node.attrs.get("aliases") or ())]
        return sorted({name for candidate in candidates for name in self.map_name(candidate)})

    def is_infra(self, name: str) -> bool:
        return self.classes.get(name) == "infra"

    def resolve(self, node: Node) -> tuple[list[str], bool]:
        """(label names, excluded): excluded when the node is infra by the labels or, unmapped, by the tool."""
        mapped = self.map_node(node)
        excluded = any(self.is_infra(name) for name in mapped) or (not mapped and tool_class(node) == "infra")
        return mapped, excluded


def _where(evidence: Iterable[Evidence]) -> tuple[str, ...]:
    return tuple(sorted({str(item.location) for item in evidence}))


def _file(location: str) -> str:
    return _LINE.sub("", location)


# -- scoring ----------------------------------------------------------------------------------------


def score_roles(names: Names, graph: ArchGraph) -> KindScore:
    score = KindScore()
    found: dict[str, set[str]] = {}
    right: set[str] = set()
    for node in [*graph.nodes(NodeKind.SERVICE), *graph.nodes(NodeKind.DATASTORE)]:
        cls = tool_class(node)
        mapped = names.map_node(node)
        evidence = _where(node.evidence)[:2]
        if not mapped:
            if cls != "external":
                score.fp.append(Item((node.name,), evidence, f"{node.id} ({cls}) maps to no label name"))
            continue
        for name in mapped:
            found.setdefault(name, set()).add(cls)
            if names.classes[name] == cls:
                right.add(name)
            else:
                note = f"{node.id} is {cls}, label says {names.classes[name]}"
                score.fp.append(Item((name,), evidence, note))
    for name, cls in sorted(names.classes.items()):
        if name in right:
            score.tp.append(Item((name,), (), cls))
        elif name in found:
            score.fn.append(Item((name,), (), f"label {cls}, tool says {', '.join(sorted(found[name]))}"))
        else:
            score.fn.append(Item((name,), (), f"label {cls}, no tool node"))
    score.fp.sort()
    return score


def _compare(
    tool: Mapping[tuple[str, ...], set[Evidence]],
    unmapped: Iterable[Item],
    labels: Mapping[tuple[str, ...], tuple[tuple[str, ...], str]],
    agreement: bool = False,
) -> KindScore:
    """Score keyed tool facts (with their evidence) against keyed labels (evidence, note)."""
    score = KindScore()
    for key in sorted(tool):
        where = _where(tool[key])
        if key in labels:
            evidence, note = labels[key]
            if agreement:
                files = {item.path for item in tool[key]}
                agrees = all(_file(location) in files for location in evidence)
                score.agree += agrees
                note = "evidence agrees" if agrees else "label evidence file not in tool evidence"
            score.tp.append(Item(key, where, note))
        else:
            score.fp.append(Item(key, where))
    score.fp.extend(unmapped)
    score.fp.sort()
    score.fn = sorted(Item(key, labels[key][0], labels[key][1]) for key in labels if key not in tool)
    return score


def _unmapped(
    keys: Sequence[tuple[Node, list[str]]], extra: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], str]:
    """The key of a tool fact with an unmapped end (the tool's name stands in) and its note."""
    key = tuple(mapped[0] if mapped else node.name for node, mapped in keys) + extra
    missing = sorted({node.name for node, mapped in keys if not mapped})
    return key, "unmapped: " + ", ".join(missing)


def score_edges(names: Names, graph: ArchGraph, kind: EdgeKind, rows: Iterable[Sequence[Any]]) -> KindScore:
    """calls (CALLS vs ``calls``) and uses (CONNECTS vs ``uses``): (source, target) pairs."""
    labels: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}
    for row in rows:
        source, target = str(row[0]), str(row[1])
        if names.is_infra(source) or names.is_infra(target):
            continue
        evidence = (str(row[2]),) if len(row) > 2 else ()
        labels[(source, target)] = (evidence, str(row[3]) if len(row) > 3 else "")
    tool: dict[tuple[str, ...], set[Evidence]] = {}
    unmapped: list[Item] = []
    for edge in graph.edges(kind):
        ends = [graph.node(edge.source), graph.node(edge.target)]
        if kind is EdgeKind.CONNECTS and ends[1].attrs.get("role") == "broker":
            continue  # the labels model a broker through async links, not as a use
        resolved = [names.resolve(node) for node in ends]
        if any(excluded for _, excluded in resolved):
            continue
        if not all(mapped for mapped, _ in resolved):
            key, note = _unmapped([(node, mapped) for node, (mapped, _) in zip(ends, resolved, strict=True)])
            unmapped.append(Item(key, _where(edge.evidence), note))
            continue
        for source, target in itertools.product(resolved[0][0], resolved[1][0]):
            tool.setdefault((source, target), set()).update(edge.evidence)
    return _compare(tool, unmapped, labels, agreement=True)


def _topic_key(topic: Node, label_topics: set[str]) -> str:
    candidates = [normalise(str(name)) for name in [topic.name, *(topic.attrs.get("aliases") or ())]]
    return next((name for name in candidates if name in label_topics), candidates[0])


def score_async(names: Names, graph: ArchGraph, rows: Iterable[Sequence[Any]]) -> KindScore:
    labels: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}
    for row in rows:
        producer, consumer = str(row[0]), str(row[1])
        if names.is_infra(producer) or names.is_infra(consumer):
            continue
        labels[(producer, consumer, normalise(str(row[2])))] = (tuple(str(ev) for ev in row[3:5]), "")
    label_topics = {key[2] for key in labels}
    tool: dict[tuple[str, ...], set[Evidence]] = {}
    unmapped: list[Item] = []
    for topic in graph.nodes(NodeKind.TOPIC):
        topic_key = _topic_key(topic, label_topics)
        producers = sorted(graph.predecessors(topic.id, EdgeKind.PUBLISHES))
        consumers = sorted(graph.predecessors(topic.id, EdgeKind.SUBSCRIBES))
        for producer, consumer in itertools.product(producers, consumers):
            if producer == consumer:
                continue
            evidence = {
                *_edge_evidence(graph, producer, topic.id, EdgeKind.PUBLISHES),
                *_edge_evidence(graph, consumer, topic.id, EdgeKind.SUBSCRIBES),
            }
            ends = [graph.node(producer), graph.node(consumer)]
            resolved = [names.resolve(node) for node in ends]
            if any(excluded for _, excluded in resolved):
                continue
            if not all(mapped for mapped, _ in resolved):
                pairs = [(node, mapped) for node, (mapped, _) in zip(ends, resolved, strict=True)]
                key, note = _unmapped(pairs, (topic_key,))
                unmapped.append(Item(key, _where(evidence), note))
                continue
            for source, target in itertools.product(resolved[0][0], resolved[1][0]):
                if source != target:
                    tool.setdefault((source, target, topic_key), set()).update(evidence)
    return _compare(tool, unmapped, labels)


def _edge_evidence(graph: ArchGraph, source: str, target: str, kind: EdgeKind) -> tuple[Evidence, ...]:
    edge = graph.edge(source, target, kind)
    return edge.evidence if edge else ()


def finding_groups(findings: Iterable[Finding], code: str) -> list[tuple[list[str], tuple[str, ...], str]]:
    """(services, evidence, note) of every finding with ``code`` (FIT301: subjects minus ``datastore:...``)."""
    groups = []
    for finding in sorted(findings, key=Finding.sort_key):
        if finding.code != code:
            continue
        services = [s for s in finding.subjects if not s.startswith("datastore:")]
        where = tuple(sorted({str(location) for location in finding.locations}))
        stores = [s for s in finding.subjects if s.startswith("datastore:")]
        groups.append((services, where, f"{code} {' '.join(stores)}".strip()))
    return groups


def score_groups(
    names: Names,
    graph: ArchGraph,
    groups: Iterable[tuple[Sequence[str], tuple[str, ...], str]],
    rows: Iterable[Sequence[Any]],
    elsewhere: Iterable[Sequence[Any]] = (),
) -> KindScore:
    """shared_database and sync_cycles: unordered service pairs within each group.

    ``elsewhere`` are label groups of another kind (``shared_server_separate_db``) only named in the notes
    of false pairs, to tell a near miss from nonsense.
    """
    labels: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}
    for row in rows:
        members = sorted({str(name) for name in row[0]})
        if any(names.is_infra(name) for name in members):
            continue
        for pair in itertools.combinations(members, 2):
            labels[pair] = ((), str(row[1]) if len(row) > 1 else "")
    other = {
        pair
        for row in elsewhere
        for pair in itertools.combinations(sorted({str(name) for name in row[0]}), 2)
    }
    tool: dict[tuple[str, ...], set[Evidence]] = {}
    where: dict[tuple[str, ...], set[str]] = {}
    false: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
    for services, evidence, note in groups:
        members: list[tuple[str, bool]] = []  # (label name or tool name, mapped)
        through_infra: list[str] = []
        for service in services:
            node_key = f"service:{service}"
            if node_key in graph:
                mapped, excluded = names.resolve(graph.node(node_key))
            else:
                mapped = names.map_name(service)
                excluded = any(names.is_infra(name) for name in mapped)
            if excluded:
                through_infra.append(service)
            if mapped:
                members.extend((name, True) for name in mapped)
            else:
                members.append((service, False))
        for (a, a_mapped), (b, b_mapped) in itertools.combinations(sorted(set(members)), 2):
            if a == b:
                continue
            pair = (a, b)
            if through_infra or not (a_mapped and b_mapped):
                why = (
                    f"through infra: {', '.join(sorted(through_infra))}"
                    if through_infra
                    else "unmapped: " + ", ".join(n for n, ok in ((a, a_mapped), (b, b_mapped)) if not ok)
                )
                notes, places = false.setdefault(pair, (set(), set()))
                notes.add(f"{note}; {why}")
                places.update(evidence)
            else:
                tool.setdefault(pair, set())
                where.setdefault(pair, set()).update(evidence)
    score = KindScore()
    for pair in sorted(tool):
        location = tuple(sorted(where[pair]))
        if pair in labels:
            score.tp.append(Item(pair, location, labels[pair][1]))
        else:
            hint = " (labelled shared_server_separate_db)" if pair in other else ""
            score.fp.append(Item(pair, location, f"not labelled{hint}"))
    for pair, (notes, places) in sorted(false.items()):
        if pair not in tool:  # a pair also found in a sound group is scored there
            score.fp.append(Item(pair, tuple(sorted(places)), "; ".join(sorted(notes))))
    score.fp.sort()
    found = {item.key for item in score.tp}
    score.fn = sorted(Item(pair, (), labels[pair][1]) for pair in labels if pair not in found)
    return score


def score_system(
    labels: Mapping[str, Any], graph: ArchGraph, findings: Iterable[Finding]
) -> dict[str, KindScore]:
    """Every kind's score of one system's analysis against its labels (``labels.yaml`` ``systems.<name>``)."""
    names = Names(labels)
    findings = list(findings)
    return {
        "roles": score_roles(names, graph),
        "calls": score_edges(names, graph, EdgeKind.CALLS, labels.get("calls") or ()),
        "uses": score_edges(names, graph, EdgeKind.CONNECTS, labels.get("uses") or ()),
        "async": score_async(names, graph, labels.get("async") or ()),
        "shared_database": score_groups(
            names,
            graph,
            finding_groups(findings, "FIT301"),
            labels.get("shared_database") or (),
            labels.get("shared_server_separate_db") or (),
        ),
        "sync_cycles": score_groups(
            names, graph, finding_groups(findings, "FIT308"), labels.get("sync_cycles") or ()
        ),
    }


# -- the corpus -------------------------------------------------------------------------------------


def corpus_path(cli: str | None = None) -> Path:
    """``--corpus``, else ``$FITNESS_CORPUS``, else ../shared/corpus next to the repository."""
    return Path(cli or os.environ.get("FITNESS_CORPUS") or DEFAULT_CORPUS)


def load_labels(corpus: Path) -> dict[str, Any]:
    data = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8")) or {}
    return dict(data.get("systems") or {})


def analyse(system_dir: Path) -> tuple[ArchGraph, list[Finding], str | None]:
    """The analysis out of the box; an empty graph and the message when it raises FitnessError."""
    from fitness.pipeline import Options, run

    try:
        analysis = run(system_dir, Options(cache=False))
    except FitnessError as error:
        return ArchGraph(), [], str(error)
    return analysis.graph, list(analysis.findings), None


def system_names(corpus: Path) -> list[str]:
    folders = {p.name for p in corpus.iterdir() if p.is_dir() and not p.name.startswith(".")}
    return sorted(folders | set(load_labels(corpus)))


def score_corpus(corpus: Path, system: str | None = None) -> Report:
    """Analyse and score every system (or one) of the corpus."""
    labels = load_labels(corpus)
    report = Report(str(corpus))
    for name in system_names(corpus):
        if system is not None and name != system:
            continue
        folder = corpus / name
        if name not in labels:
            report.systems.append(SystemResult(name, error="no labels in labels.yaml", labelled=False))
            continue
        if folder.is_dir():
            graph, findings, error = analyse(folder)
        else:
            graph, findings, error = ArchGraph(), [], f"folder {folder} missing"
        report.systems.append(SystemResult(name, score_system(labels[name], graph, findings), error))
    return report


# -- output -----------------------------------------------------------------------------------------


def floor2(value: float) -> float:
    """Round down to 2 decimals (0.29 stays 0.29 despite 0.29 * 100 == 28.999...)."""
    return math.floor(round(value * 100, 6)) / 100


def current_floors(report: Report) -> dict[str, dict[str, float]]:
    return {
        figure: {
            "precision": floor2(report.counts(figure).precision),
            "recall": floor2(report.counts(figure).recall),
        }
        for figure in FIGURES
    }


def _row(system: str, figure: str, counts: Counts) -> str:
    return (
        f"{system:<22} {figure:<20} {counts.tp:>4} {counts.fp:>4} {counts.fn:>4}"
        f" {counts.precision:>9.3f} {counts.recall:>7.3f}"
    )


def render(report: Report) -> str:
    lines = [
        f"accuracy of the service analysis against {report.corpus}/labels.yaml (out of the box)",
        "",
        f"{'system':<22} {'kind':<20} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}",
    ]
    for result in report.systems:
        if result.error:
            lines.append(f"{result.name:<22} error: {result.error}")
        if not result.labelled:
            continue
        for figure in FIGURES:
            lines.append(_row(result.name, figure, result.counts(figure)))
        lines.append("")
    for figure in FIGURES:
        lines.append(_row("ALL (micro)", figure, report.counts(figure)))
    agreement = ", ".join(
        f"{kind} {report.counts(kind).agree}/{report.counts(kind).tp}" for kind in AGREEMENT_KINDS
    )
    lines += ["", f"evidence agreement (matched edges whose tool evidence has the label's file): {agreement}"]
    for title, which, source in (
        ("misses (false negatives)", "fn", "label"),
        ("false (false positives)", "fp", "tool"),
    ):
        found = report.items(OVERALL_ROLES, which)
        lines += ["", f"{title}: {len(found)}"]
        for system, kind, item in found:
            evidence = f"  [{source} {', '.join(item.evidence)}]" if item.evidence else ""
            note = f"  ({item.note})" if item.note else ""
            lines.append(f"  {system} {kind}: {item.show(kind)}{evidence}{note}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", help="corpus folder (default $FITNESS_CORPUS or ../shared/corpus)")
    parser.add_argument("--system", help="score one system only")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--write-floor", metavar="FILE", help="write today's figures, rounded down, as floors"
    )
    args = parser.parse_args(argv)
    corpus = corpus_path(args.corpus)
    if not (corpus / "labels.yaml").is_file():
        print(f"accuracy: corpus not found: {corpus} (no labels.yaml; set --corpus or FITNESS_CORPUS)")
        return 2
    if args.system is not None and args.system not in system_names(corpus):
        print(f"accuracy: no system {args.system!r} in {corpus}")
        return 2
    report = score_corpus(corpus, args.system)
    sys.stdout.write(render(report))
    if args.json:
        _write_json(Path(args.json), report.to_json())
    if args.write_floor:
        _write_json(Path(args.write_floor), {"comment": FLOOR_COMMENT, "floors": current_floors(report)})
    return 0


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

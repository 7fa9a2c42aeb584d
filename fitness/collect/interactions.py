"""The resilience facts of each component, written onto its service node (``interactions`` attribute).

Only what a judgement can use is kept, so the model stays small on large systems: every call,
protection, dedupe and outbox fact; a loop only when a client call is inside it; a function only when a
fact of the component or an evidence line of its calls, messages or table writes lies inside it. Spans
(:mod:`fitness.collect.code.spans`) are looked for only in the files that hold such a line. Each
fact is ``[kind, detail, path, line, end, text]`` (lists, so the model reads back from JSON unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fitness.collect.code.spans import spans
from fitness.model import ArchGraph, EdgeKind, NodeKind
from fitness.model.facts import Interaction

SPANS = frozenset({"function", "loop"})
LOCAL_CALL = "local-call"
_EDGES = (EdgeKind.CALLS, EdgeKind.PUBLISHES, EdgeKind.SUBSCRIBES, EdgeKind.WRITES, EdgeKind.READS)


def attach_interactions(
    graph: ArchGraph, found: Mapping[str, Iterable[Interaction]], texts: Mapping[str, Mapping[str, str]]
) -> None:
    """``found``: each component's facts; ``texts``: its files (path -> text), for the spans."""
    for name, interactions in found.items():
        sid = f"service:{name}"
        if sid not in graph:
            continue
        facts = [f for f in interactions if f.kind not in SPANS and f.kind != LOCAL_CALL]
        points = {(f.evidence.path, f.evidence.line) for f in facts}
        calls = {(f.evidence.path, f.evidence.line) for f in facts if f.kind in ("call", "bounded-call")}
        for kind in _EDGES:
            for target in graph.successors(sid, kind):
                edge = graph.edge(sid, target, kind)
                points.update((e.path, e.line) for e in edge.evidence if e.line) if edge else None
        by_path: dict[str, list[int]] = {}
        for path, line in points:
            by_path.setdefault(path, []).append(line)
        files = texts.get(name, {})
        for path in sorted(by_path):
            if path in files:
                facts.extend(spans(path, files[path]))
        facts = sorted(set(facts))
        call_lines: dict[str, list[int]] = {}
        for path, line in calls:
            call_lines.setdefault(path, []).append(line)
        # a call of a same-file function that holds a point is kept, and so is the function making it:
        # one level of helpers (a handler calling ``self._save()`` and ``self._publish()``)
        helpers = {
            (f.evidence.path, f.detail)
            for f in facts
            if f.kind == "function" and _holds(by_path.get(f.evidence.path, ()), f)
        }
        local = {f for f in facts if f.kind == LOCAL_CALL and (f.evidence.path, f.detail) in helpers}
        for call in sorted(local):
            by_path[call.evidence.path].append(call.evidence.line)
        kept = [
            [f.kind, f.detail, f.evidence.path, f.evidence.line, f.end, f.evidence.text]
            for f in facts
            if (f.kind not in SPANS and f.kind != LOCAL_CALL)
            or (f.kind == LOCAL_CALL and f in local)
            or (
                f.kind in SPANS
                and _holds((call_lines if f.kind == "loop" else by_path).get(f.evidence.path, ()), f)
            )
        ]
        if kept:
            graph.add_node(NodeKind.SERVICE, name, {"interactions": kept})


def _holds(lines: Iterable[int], span: Interaction) -> bool:
    return any(span.evidence.line <= line <= span.end for line in lines)

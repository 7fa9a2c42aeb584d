"""The longest simple chain of calls from each entry service: iterative, linear on a DAG, bounded elsewhere.

The longest simple path is NP-hard in general, so the search is split by what the graph allows:

- a service from which no cycle can be reached gets its longest chain by dynamic programming in one
  pass over the graph, sinks first (exact, linear: a chain of 5,000 services costs 5,000 steps);
- from a service that can reach a cycle, a depth-first search with an explicit stack tries every simple
  path through the cyclic part, handing over to the precomputed chains as soon as it leaves that part.
  It is exact while it stays within ``max_work`` steps, and stops there otherwise: ``complete`` is then
  False and the chains found so far are returned, so callers can say the search was cut short.

No recursion anywhere, so the depth of the graph never meets Python's recursion limit.

>>> longest_chains({"a": {"b"}, "b": {"c"}, "c": set()}).chains
[['a', 'b', 'c']]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from fitness.model.algorithms import cyclic_components, strongly_connected_components

MAX_WORK = 200_000  # search steps, and separately chain elements written out: a fraction of a second
MIN_SHARE = 1_000  # search steps an entry may use even when many entries share what is left


@dataclass(frozen=True)
class ChainSearch:
    """The longest chains (longest first), and whether the search finished within its work cap."""

    chains: list[list[str]]
    complete: bool = True
    max_work: int = MAX_WORK

    def note(self) -> str:
        """What a finding says when the search was cut short ("" when it finished)."""
        if self.complete:
            return ""
        return f"; the chain search stopped after {self.max_work:,} steps, so longer chains may exist"


def longest_chains(calls: Mapping[str, Collection[str]], max_work: int = MAX_WORK) -> ChainSearch:
    """The longest simple call chain starting at each entry service (one nobody calls), cycles cut.

    When every service is called by another, the entries are the first service (by name) of each cycle
    that no service outside it calls. Chains come longest first, then by name; ties between equally
    long chains go to the first child in sorted order, at every step.
    """
    succ = _successors(calls)
    called = {child for children in succ.values() for child in children}
    entries = [node for node in succ if node not in called] or _first_of_source_cycles(succ)
    loopy = _reaching_cycles(succ)
    length, after = _acyclic_longest(succ, loopy)
    search = [max_work]  # steps of the depth-first search through the cyclic part
    output = [max_work]  # chain elements written out
    chains: list[tuple[str, ...]] = []
    complete = True
    queue = sorted(entries, key=lambda node: node in loopy)  # the cheap, exact ones first
    for index, entry in enumerate(queue):
        if search[0] <= 0 or output[0] <= 0:
            complete = False
            break
        if entry in loopy:
            # a fair share of what is left, but enough for a real search: one tangle cannot starve the rest
            granted = max(search[0] // (len(queue) - index), min(search[0], MIN_SHARE))
            share = [granted]
            prefix, tail, finished = _search(entry, succ, loopy, length, share)
            search[0] -= granted - share[0]
            complete = complete and finished
        else:
            prefix, tail = [], entry
        chain = [*prefix, *(_unroll(tail, after) if tail is not None else ())]
        output[0] -= len(chain)
        chains.append(tuple(chain))
    # No chain is inside another: an entry is never called from outside its own cycle, so it can
    # only be the first service of a chain, and each entry starts one chain.
    longest_first = sorted(chains, key=lambda chain: (-len(chain), chain))
    return ChainSearch([list(chain) for chain in longest_first], complete, max_work)


def _successors(calls: Mapping[str, Collection[str]]) -> dict[str, list[str]]:
    """Every service (callers and called) -> the services it calls, sorted; self-calls left out."""
    succ: dict[str, list[str]] = {}
    for node in sorted(calls):
        succ[node] = sorted(child for child in calls[node] if child != node)
    for children in list(succ.values()):
        for child in children:
            succ.setdefault(child, [])
    return dict(sorted(succ.items()))


def _first_of_source_cycles(succ: Mapping[str, list[str]]) -> list[str]:
    """When every service is called: the first service (sorted) of each cycle nobody outside it calls.

    Starting from every member of a ring of services would list the same ring once per member.
    """
    components = strongly_connected_components(succ, succ)
    component_of = {member: index for index, component in enumerate(components) for member in component}
    called_from_outside = {
        component_of[child]
        for node, children in succ.items()
        for child in children
        if component_of[child] != component_of[node]
    }
    return [component[0] for index, component in enumerate(components) if index not in called_from_outside]


def _reaching_cycles(succ: Mapping[str, list[str]]) -> set[str]:
    """Services from which a cycle can be reached (members of cycles included): a BFS over callers."""
    pred: dict[str, list[str]] = {node: [] for node in succ}
    for node, children in succ.items():
        for child in children:
            pred[child].append(node)
    reached = {member for component in cyclic_components(succ, succ) for member in component}
    queue = deque(reached)
    while queue:
        for caller in pred[queue.popleft()]:
            if caller not in reached:
                reached.add(caller)
                queue.append(caller)
    return reached


def _acyclic_longest(
    succ: Mapping[str, list[str]], loopy: set[str]
) -> tuple[dict[str, int], dict[str, str | None]]:
    """For every service outside ``loopy``: the length (in services) of its longest chain, and the next
    service on it (the first in sorted order among the longest), computed sinks first (Kahn's order)."""
    waiting = {node: len(children) for node, children in succ.items() if node not in loopy}
    pred: dict[str, list[str]] = {node: [] for node in waiting}
    for node in waiting:
        for child in succ[node]:
            pred[child].append(node)
    length: dict[str, int] = {}
    after: dict[str, str | None] = {}
    ready = deque(node for node, count in waiting.items() if count == 0)
    while ready:
        node = ready.popleft()
        best, pick = 1, None
        for child in succ[node]:
            if length[child] + 1 > best:
                best, pick = length[child] + 1, child
        length[node], after[node] = best, pick
        for caller in pred[node]:
            waiting[caller] -= 1
            if waiting[caller] == 0:
                ready.append(caller)
    return length, after


def _unroll(start: str, after: Mapping[str, str | None]) -> Iterator[str]:
    node: str | None = start
    while node is not None:
        yield node
        node = after[node]


def _search(
    entry: str,
    succ: Mapping[str, list[str]],
    loopy: set[str],
    length: Mapping[str, int],
    budget: list[int],
) -> tuple[list[str], str | None, bool]:
    """Depth-first over simple paths from ``entry`` (an explicit stack, sorted children): the longest
    found as ``(prefix, tail, finished)``, where ``tail`` (if any) starts a precomputed acyclic chain
    and ``finished`` is False when ``budget`` ran out first.

    The best path is copied only when it is about to change, so a long walk costs its length once.
    """
    best: tuple[list[str], str | None] = ([entry], None)
    best_length = 1
    path, on_path = [entry], {entry}
    stack = [iter(succ[entry])]
    pending: tuple[bool, str | None] = (False, None)  # (current path + tail is the best, tail)
    while stack and budget[0] > 0:
        child = next(stack[-1], None)
        if child is None or child not in loopy:
            if child is not None:
                budget[0] -= 1
                if len(path) + length[child] > best_length:
                    best_length, pending = len(path) + length[child], (True, child)
                continue
            if pending[0]:
                best, pending = (path.copy(), pending[1]), (False, None)
                budget[0] -= len(path)
            stack.pop()
            on_path.discard(path.pop())
            continue
        if child in on_path:
            continue
        budget[0] -= 1
        if pending[0] and pending[1] is not None:  # the record is path + tail: keep it before moving on
            best, pending = (path.copy(), pending[1]), (False, None)
            budget[0] -= len(path)
        path.append(child)
        on_path.add(child)
        stack.append(iter(succ[child]))
        if len(path) > best_length:
            best_length, pending = len(path), (True, None)
    if pending[0]:
        best = (path.copy(), pending[1])
    return best[0], best[1], not stack

from __future__ import annotations

import random
from collections import deque

import pytest

from fitness.analyze.metrics import compute_metrics, instability, propagation_cost
from fitness.model.algorithms import reach_counts

# app.api.views -> app.api.schemas -> app.core.models -> app.util
#              \-> app.core.services -/---------------------/
LAYERED = [
    ("app.api.views", "app.api.schemas"),
    ("app.api.views", "app.core.services"),
    ("app.api.schemas", "app.core.models"),
    ("app.core.services", "app.core.models"),
    ("app.core.services", "app.util"),
    ("app.core.models", "app.util"),
]


@pytest.fixture
def layered(view_of):
    return compute_metrics(view_of(LAYERED, modules=["app.lonely"]), depth=2)


def test_module_metrics_are_martins_numbers(layered):
    rows = layered["modules"]
    assert rows["app.api.views"] == {"fan_in": 0, "fan_out": 2, "ca": 0, "ce": 2, "instability": 1.0}
    assert rows["app.api.schemas"] == {"fan_in": 1, "fan_out": 1, "ca": 1, "ce": 1, "instability": 0.5}
    assert rows["app.core.services"]["instability"] == 0.6667
    assert rows["app.core.models"] == {"fan_in": 2, "fan_out": 1, "ca": 2, "ce": 1, "instability": 0.3333}
    assert rows["app.util"] == {"fan_in": 2, "fan_out": 0, "ca": 2, "ce": 0, "instability": 0.0}
    assert rows["app.lonely"]["instability"] == 0.0  # isolated: documented as 0, not a division error


def test_package_metrics_count_modules_across_the_boundary(layered):
    rows = layered["packages"]
    assert sorted(rows) == ["app.api", "app.core", "app.lonely", "app.util"]
    # ce counts the outside modules imported (services, models), not the package edges (1).
    assert rows["app.api"] == {
        "fan_in": 0,
        "fan_out": 1,
        "ca": 0,
        "ce": 2,
        "instability": 1.0,
        "modules": 2,
    }
    # services -> models stays inside app.core and counts for nothing.
    assert rows["app.core"] == {
        "fan_in": 1,
        "fan_out": 1,
        "ca": 2,
        "ce": 1,
        "instability": 0.3333,
        "modules": 2,
    }
    assert rows["app.util"] == {
        "fan_in": 1,
        "fan_out": 0,
        "ca": 2,
        "ce": 0,
        "instability": 0.0,
        "modules": 1,
    }


def test_system_metrics_and_propagation_cost_by_hand(layered):
    # Reach (self included): views 5, schemas 3, services 3, models 2, util 1, lonely 1 -> 15 / 36.
    # Packages: api 3, core 2, util 1, lonely 1 -> 7 / 16.
    assert layered["system"] == {
        "modules": {"count": 6, "imports": 6, "propagation_cost": 0.4167},
        "packages": {"count": 4, "dependencies": 2, "propagation_cost": 0.4375},
    }


def test_depth_one_collapses_everything_into_one_package(view_of):
    metrics = compute_metrics(view_of(LAYERED), depth=1)
    assert metrics["packages"] == {
        "app": {"fan_in": 0, "fan_out": 0, "ca": 0, "ce": 0, "instability": 0.0, "modules": 5}
    }
    assert metrics["system"]["packages"] == {"count": 1, "dependencies": 0, "propagation_cost": 1.0}


def test_self_imports_are_not_coupling(view_of):
    metrics = compute_metrics(view_of([("a", "a"), ("a", "b")]), depth=1)
    assert metrics["modules"]["a"] == {"fan_in": 0, "fan_out": 1, "ca": 0, "ce": 1, "instability": 1.0}
    assert metrics["system"]["modules"]["imports"] == 1


def test_instability_edges():
    assert instability(0, 0) == 0.0
    assert instability(0, 5) == 1.0
    assert instability(2, 1) == 0.3333


def test_every_value_is_a_plain_rounded_number(view_of, random_graph):
    metrics = compute_metrics(view_of(random_graph(3, 40, 90, prefix="p.q")), depth=2)
    for level in metrics.values():
        for row in level.values():
            for value in row.values():
                assert type(value) in (int, float)
                assert round(value, 4) == value


def _brute_force_cost(nodes: list[str], succ: dict[str, set[str]]) -> float:
    total = 0
    for node in nodes:
        seen, queue = {node}, deque([node])
        while queue:
            for child in succ.get(queue.popleft(), ()):
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
        total += len(seen)
    return total / len(nodes) ** 2


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_propagation_cost_matches_brute_force(seed):
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(60)]
    succ: dict[str, set[str]] = {node: set() for node in nodes}
    for _ in range(rng.choice([30, 70, 120])):  # from mostly acyclic to one big tangle
        a, b = rng.sample(nodes, 2)
        succ[a].add(b)
    assert propagation_cost(nodes, succ) == round(_brute_force_cost(nodes, succ), 4)


def test_reach_counts_ignore_edges_leaving_the_node_set():
    succ = {"a": {"b", "outside"}, "b": {"a"}, "c": {"a"}}
    assert reach_counts(["a", "b", "c"], succ) == {"a": 2, "b": 2, "c": 3}
    assert propagation_cost([], {}) == 0.0


def test_propagation_cost_scales_to_a_large_codebase():
    rng = random.Random(7)
    nodes = [f"m{i}" for i in range(7000)]
    succ: dict[str, set[str]] = {node: set() for node in nodes}
    for _ in range(60000):
        low, high = sorted(rng.sample(range(7000), 2))
        importer, imported = (high, low) if rng.random() < 0.97 else (low, high)  # a few upward imports
        succ[nodes[importer]].add(nodes[imported])
    cost = propagation_cost(nodes, succ)
    assert 0 < cost <= 1


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_reach_counts_of_many_separate_parts_match_brute_force(seed):
    """Bit positions are numbered per weakly connected part: parts of rings, chains and tangles,
    with edges between some of them, still count exactly what a BFS reaches."""
    rng = random.Random(seed)
    nodes = [f"p{part}.m{i}" for part in range(40) for i in range(rng.randint(1, 8))]
    succ: dict[str, set[str]] = {node: set() for node in nodes}
    for _ in range(len(nodes)):
        a = rng.choice(nodes)
        near = [n for n in nodes if n.split(".")[0] == a.split(".")[0]]
        succ[a].add(rng.choice(near if rng.random() < 0.9 else nodes))
    counts = reach_counts(nodes, succ)
    for node in nodes:
        seen, queue = {node}, deque([node])
        while queue:
            for child in succ.get(queue.popleft(), ()):
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
        assert counts[node] == len(seen)

"""``greedy_modularity`` against networkx: the same communities and the same modularity, bit for bit."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from networkx.algorithms import community

from fitness.analyze.granularity import modularity_communities
from fitness.model.algorithms import greedy_modularity


def _networkx(nodes: list[str], links: dict[tuple[str, str], int]) -> tuple[list[list[str]], float]:
    """What ``modularity_communities`` computed with networkx before it had its own implementation."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    for (a, b), weight in sorted(links.items()):
        graph.add_edge(a, b, weight=weight)
    if graph.number_of_edges() == 0:
        return [[n] for n in sorted(nodes)], 0.0
    found = community.greedy_modularity_communities(graph, weight="weight")
    groups = sorted(sorted(c) for c in found)
    return groups, float(community.modularity(graph, [set(g) for g in groups], weight="weight"))


def _random_graph(seed: int) -> tuple[list[str], dict[tuple[str, str], int]]:
    rng = random.Random(seed)
    names = sorted({f"svc.{rng.choice('abxyz')}{rng.randint(0, 60)}" for _ in range(rng.randint(1, 45))})
    if rng.random() < 0.3:  # a ring or a chain of equal weights: ties everywhere
        pairs = list(zip(names, names[1:] + names[:1], strict=True))
        return names, {(min(a, b), max(a, b)): 1 for a, b in pairs if a != b}
    density, heaviest = rng.choice([0.05, 0.1, 0.2, 0.5, 1.0]), rng.choice([1, 1, 3, 9])
    links = {
        (a, b): rng.randint(1, heaviest)
        for index, a in enumerate(names)
        for b in names[index + 1 :]
        if rng.random() < density
    }
    return names, links


@pytest.mark.parametrize("block", range(8))
def test_same_communities_and_modularity_as_networkx(block):
    for seed in range(block * 150, (block + 1) * 150):
        nodes, links = _random_graph(seed)
        expected = _networkx(nodes, links)
        found = greedy_modularity(nodes, links)
        assert found == expected, seed
        assert repr(found[1]) == repr(expected[1]), seed  # the same float, not a close one


def test_two_cliques_joined_by_one_link_are_two_communities():
    left, right = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
    links = {(x, y): 1 for group in (left, right) for i, x in enumerate(group) for y in group[i + 1 :]}
    links[("a1", "b1")] = 1
    groups, quality = modularity_communities([*left, *right], links)
    assert groups == [left, right]
    assert quality == _networkx([*left, *right], links)[1]
    assert quality > 0.3


def test_no_links_leaves_every_node_alone():
    assert greedy_modularity(["b", "a"], {}) == ([["a"], ["b"]], 0.0)

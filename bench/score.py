"""Time the granularity scoring of a synthetic 500-service system built in memory (no files, no git).

    .venv/bin/python bench/score.py [--services 500] [--modules 12]

Each service gets ``--modules`` modules in two import clusters, churn on every module, a table it writes
(every tenth table also written by its neighbour), calls to two other services, imports of a neighbour's
code, and co-change with its neighbour. Prints the wall time of ``score_granularity``; the target
(issue 5) is under 5 s for 500 services.
"""

from __future__ import annotations

import argparse
import random
import time

from fitness.analyze.granularity import score_granularity
from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind
from fitness.model.history import HistorySummary


def build(services: int, modules: int) -> ArchGraph:
    rng = random.Random(5)
    g = ArchGraph()
    names = [f"svc{i:03d}" for i in range(services)]
    for index, name in enumerate(names):
        g.add_node(NodeKind.SERVICE, name, {"annotations": {"scaling": "high"} if index % 7 == 0 else {}})
        mods = [f"{name}.m{j:02d}" for j in range(modules)]
        for module in mods:
            g.add_node(
                NodeKind.MODULE,
                module,
                {
                    "path": module.replace(".", "/") + ".py",
                    "churn": {"commits": rng.randint(0, 30), "lines": 10, "authors": 2},
                },
            )
            g.add_edge(f"service:{name}", f"module:{module}", EdgeKind.CONTAINS)
        half = modules // 2
        for j in range(modules - 1):
            if j + 1 != half or index % 2:  # odd services: one link, so community detection runs
                g.add_edge(
                    f"module:{mods[j]}", f"module:{mods[j + 1]}", EdgeKind.IMPORTS, [Evidence("x.py", 1)]
                )
        g.add_node(NodeKind.TABLE, f"t{index}")
        g.add_edge(f"service:{name}", f"table:t{index}", EdgeKind.WRITES)
    for index, name in enumerate(names):
        other = names[(index + 1) % services]
        if index % 10 == 0:
            g.add_edge(f"service:{other}", f"table:t{index}", EdgeKind.WRITES)
        for target in rng.sample(names, 2):
            if target != name:
                g.add_edge(f"service:{name}", f"service:{target}", EdgeKind.CALLS)
        g.add_edge(f"module:{name}.m00", f"module:{other}.m01", EdgeKind.IMPORTS, [Evidence("x.py", 2)])
        a, b = sorted((name, other))
        g.add_edge(f"service:{a}", f"service:{b}", EdgeKind.CO_CHANGES, attrs={"degree": 40.0, "shared": 6})
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--modules", type=int, default=12)
    args = parser.parse_args()
    graph = build(args.services, args.modules)
    start = time.perf_counter()
    table = score_granularity(graph, history=HistorySummary(available=True))
    elapsed = time.perf_counter() - start
    verdicts = {v: sum(r.verdict == v for r in table.services) for v in ("split", "keep", "merge")}
    print(
        f"{args.services} services x {args.modules} modules, {len(table.pairs)} pairs: "
        f"{elapsed:.2f} s ({verdicts})"
    )


if __name__ == "__main__":
    main()

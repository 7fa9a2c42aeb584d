"""Benchmark: git history (churn + co-change) of a synthetic repository.

Target (issue 5): 50,000 commits over 5,000 files in under 20 s and 500 MiB.

    .venv/bin/python bench/history.py                 # 50,000 commits, 5,000 files, in a temp folder
    .venv/bin/python bench/history.py --commits 5000 --keep /tmp/hist

The repository is written with ``git fast-import`` (seconds, not the hours ``git commit`` would take):
50 packages of 100 modules, 10 services of 5 packages each; every commit touches 1-8 files, and one pair
of packages (``pkg00``/``pkg01``) changes together often, so co-change has something to find. Commits are
ten minutes apart, so the whole history falls inside the default 12-month window. Timed: the collector
(``git log`` + parsing + renames + filters) and writing churn and co-change into the graph.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from fitness.collect.git.history import collect_history
from fitness.model import ArchGraph, EdgeKind, NodeKind
from fitness.model.history import HistorySettings

PACKAGES = 50
SERVICES = 10


def build(root: Path, commits: int, files: int, seed: int = 5) -> None:
    """A repository of ``commits`` commits over ``files`` files, written with git fast-import."""
    rng = random.Random(seed)
    per_package = max(1, files // PACKAGES)
    paths = [f"pkg{p:02}/mod{m:03}.py" for p in range(PACKAGES) for m in range(per_package)]
    inits = [f"pkg{p:02}/__init__.py" for p in range(PACKAGES)]
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(root)], check=True)
    start = 1_700_000_000
    chunks: list[bytes] = []
    for index in range(commits):
        stamp = start + index * 600
        if index == 0:
            touched = inits + paths[:20]
        elif rng.random() < 0.1:  # the coupled pair
            touched = [rng.choice(paths[:per_package]), rng.choice(paths[per_package : 2 * per_package])]
        else:
            touched = rng.sample(paths, rng.randint(1, 8))
        body = [
            b"commit refs/heads/main\n",
            f"author Dev{index % 17} <dev{index % 17}@example.invalid> {stamp} +0000\n".encode(),
            f"committer Dev{index % 17} <dev{index % 17}@example.invalid> {stamp} +0000\n".encode(),
            f"data {len(f'change {index}')}\nchange {index}\n".encode(),
        ]
        for path in touched:
            content = f"# {path}\nVERSION = {index}\n".encode()
            body.append(f"M 644 inline {path}\ndata {len(content)}\n".encode() + content + b"\n")
        chunks.append(b"".join(body) + b"\n")
    subprocess.run(
        ["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(chunks), check=True, timeout=600
    )
    subprocess.run(["git", "-C", str(root), "reset", "--quiet", "--hard"], check=True)


def graph_for(files: int) -> ArchGraph:
    graph = ArchGraph()
    per_package = max(1, files // PACKAGES)
    for p in range(PACKAGES):
        graph.add_node(NodeKind.MODULE, f"pkg{p:02}", {"path": f"pkg{p:02}/__init__.py", "is_package": True})
        for m in range(per_package):
            graph.add_node(NodeKind.MODULE, f"pkg{p:02}.mod{m:03}", {"path": f"pkg{p:02}/mod{m:03}.py"})
    per_service = PACKAGES // SERVICES
    for s in range(SERVICES):
        folders = [f"pkg{p:02}" for p in range(s * per_service, (s + 1) * per_service)]
        graph.add_node(NodeKind.SERVICE, f"svc{s}", {"folders": folders})
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--files", type=int, default=5_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the repository here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "repo"
        started = time.perf_counter()
        if not (root / ".git").exists():
            build(root, args.commits, args.files)
        built = time.perf_counter() - started
        graph = graph_for(args.files)
        started = time.perf_counter()
        scan = collect_history(graph, root, HistorySettings(), depth=1, progress=False)
        took = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    git = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    edges = graph.edges(EdgeKind.CO_CHANGES)
    print(f"repository: {args.commits} commits over {args.files} files (built in {built:.1f} s)")
    print(f"history:    {took:.2f} s; {scan.summary().commits} commits analysed, skipped {scan.skipped}")
    print(f"co-change:  {len(edges)} pairs {scan.co_changes}")
    print(f"memory:     fitness {own:.0f} MiB peak RSS, git {git:.0f} MiB (largest child, incl. fast-import)")


if __name__ == "__main__":
    main()

"""Speed of the service side against the floor: reading the system's files once.

    .venv/bin/python bench/service_speed.py [--corpus ../shared/corpus] [--system opentelemetry-demo] [--runs 7]

Paired in one run, medians of ``--runs``: (a) walk the system and read every file once (bytes, decoded
as UTF-8), skipping the folders the collectors skip; (b) the whole service-side collection: the plan
(compose, Kubernetes, Helm, conventions) and ``collect_services`` (every detector, config files, the
resolver, SQL). The ratio b / a is the figure the README reports (target: <= 2.0). The analysis is
in-process and writes nothing into the corpus.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fitness.collect.services import SKIP_DIRS, collect_services, plan_services  # noqa: E402
from fitness.model import ArchGraph  # noqa: E402


def read_once(root: Path) -> int:
    """Every file under ``root`` read and decoded once; returns the bytes read."""
    total = 0
    for current, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        for name in names:
            try:
                data = Path(current, name).read_bytes()
            except OSError:
                continue
            data.decode("utf-8", errors="replace")
            total += len(data)
    return total


def collect(root: Path) -> int:
    """The service side of one analysis; returns the number of edges it made."""
    graph = ArchGraph()
    collect_services(graph, root, plan_services(root, []))
    return len(graph.edges())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    parser.add_argument("--system", default="opentelemetry-demo")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    root = (args.corpus / args.system).resolve()
    if not root.is_dir():
        print(f"service_speed: no system at {root}", file=sys.stderr)
        return 2
    reads, collects = [], []
    size = edges = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        size = read_once(root)
        reads.append(time.perf_counter() - start)
        start = time.perf_counter()
        edges = collect(root)
        collects.append(time.perf_counter() - start)
    read, work = statistics.median(reads), statistics.median(collects)
    print(f"{args.system}: {size / 1e6:.1f} MB read once in {read * 1000:.0f} ms (median of {args.runs})")
    print(f"service-side collection ({edges} edges) in {work * 1000:.0f} ms: ratio {work / read:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

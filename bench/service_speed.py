"""Speed of the service side against the floor: reading the system's files once.

    .venv/bin/python bench/service_speed.py [--corpus ../shared/corpus] [--system opentelemetry-demo] [--runs 7]

Paired in one run, medians of ``--runs``: (a) walk the system and read every file once (bytes, decoded
as UTF-8), skipping the folders the collectors skip; (b) the whole service-side collection, cold: the
plan (compose, Kubernetes, Helm, conventions) and ``collect_services`` (every detector, config files,
the resolver, SQL); (c) the same from the cross-run cache (``fitness.collect.service_cache``), as a
second ``fitness check`` or ``fitness report`` of an unchanged tree meets it: every file read and hashed
to make the key, the stored result read and added to the import side's graph. The ratios b / a and
c / a are the figures the README reports (target: <= 2.0). The system is copied to a temporary folder
(the cache is written there, and into a temporary XDG_CACHE_HOME); nothing is written into the corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fitness import __version__, pipeline  # noqa: E402
from fitness.collect.service_cache import ServiceCache  # noqa: E402
from fitness.collect.services import SKIP_DIRS, collect_services, plan_services  # noqa: E402
from fitness.config import load_config  # noqa: E402
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


def import_side(root: Path) -> str:
    """The graph as the pipeline has it just before the service side runs (JSON), and the cache filled."""
    before: list[str] = []
    real = pipeline.collect_services

    def spy(graph: ArchGraph, *args: object, **kwargs: object) -> object:
        before.append(json.dumps(graph.to_json()))
        return real(graph, *args, **kwargs)  # type: ignore[arg-type]

    pipeline.collect_services = spy  # type: ignore[assignment]
    try:
        pipeline.run(root, pipeline.Options(cache=True))
    finally:
        pipeline.collect_services = real
    return before[0]


def cached(root: Path, graph_json: str) -> int:
    """The service side from the cache: key, load, and apply onto the import side's graph."""
    graph = ArchGraph.from_json(json.loads(graph_json))
    config = load_config(root, None)  # the pipeline reads it whatever the service side does
    start = time.perf_counter()
    side = ServiceCache.open(root / pipeline.CACHE_DIR / "services", root, config, __version__)
    hit = side.load() if side is not None else None
    if hit is None:
        sys.exit("service_speed: the cache did not hit")
    hit.apply(graph)
    cached.seconds = time.perf_counter() - start  # type: ignore[attr-defined]
    return len(graph.edges())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    parser.add_argument("--system", default="opentelemetry-demo")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    source = (args.corpus / args.system).resolve()
    if not source.is_dir():
        print(f"service_speed: no system at {source}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch, "xdg"))
        root = Path(scratch, args.system)
        shutil.copytree(source, root, symlinks=True)
        graph_json = import_side(root)
        reads, collects, hits = [], [], []
        size = edges = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            size = read_once(root)
            reads.append(time.perf_counter() - start)
            start = time.perf_counter()
            edges = collect(root)
            collects.append(time.perf_counter() - start)
            cached(root, graph_json)
            hits.append(cached.seconds)  # type: ignore[attr-defined]
    read, work, hit = statistics.median(reads), statistics.median(collects), statistics.median(hits)
    print(f"{args.system}: {size / 1e6:.1f} MB read once in {read * 1000:.0f} ms (median of {args.runs})")
    print(f"service-side collection, cold ({edges} edges) in {work * 1000:.0f} ms: ratio {work / read:.2f}x")
    print(f"service-side collection from the cache in {hit * 1000:.0f} ms: ratio {hit / read:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

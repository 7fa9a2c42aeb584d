"""``fitness trend``: the analysis repeated on commits sampled over history, one row of metrics each.

Each sample's tree is exported with ``git archive`` into a temporary folder (the user's checkout is
never touched) and analysed with the configuration of today, so every point is judged alike. Samples
run in parallel worker processes; a sample that cannot be analysed keeps its one-line error.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from fitness.collect.git.samples import Sample, export_tree, sample_commits
from fitness.config import Config, load_config
from fitness.model import FitnessError
from fitness.model.history import parse_since
from fitness.model.trend import TrendPoint, measure
from fitness.pipeline import Options, run

Progress = Callable[[int, int, Sample], None]


def trend(
    root: Path,
    options: Options,
    since: str = "12 months",
    every: str = "month",
    limit: int = 120,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[TrendPoint]:
    """One point per sampled commit, oldest first."""
    try:
        window = parse_since(since)
    except ValueError as error:
        raise FitnessError(f"--since: {error}") from error
    root = root.resolve()
    samples = sample_commits(root, window, every, limit)
    config = load_config(root, options.config_path)
    sample_options = replace(options, cache=False, changed_since=None, baseline_path=None)
    workers = max(1, min(jobs or (os.cpu_count() or 1), len(samples), 8))
    points: dict[str, TrendPoint] = {}
    if workers == 1:
        for done, sample in enumerate(samples, 1):
            points[sample.sha] = measure_sample(root, sample, sample_options, config)
            if progress:
                progress(done, len(samples), sample)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(measure_sample, root, sample, sample_options, config): sample
                for sample in samples
            }
            for done, future in enumerate(as_completed(futures), 1):
                sample = futures[future]
                points[sample.sha] = future.result()
                if progress:
                    progress(done, len(samples), sample)
    return [points[sample.sha] for sample in samples]


def measure_sample(root: Path, sample: Sample, options: Options, config: Config) -> TrendPoint:
    """Export one commit's tree and analyse it (in a worker process: its own garbage, its own crash)."""
    day = sample.day.isoformat()
    with tempfile.TemporaryDirectory(prefix="fitness-trend-") as folder:
        tree = Path(folder) / root.name
        try:
            export_tree(root, sample.sha, tree)
            analysis = run(tree, options, replace(config, root=str(tree)))
        except FitnessError as error:
            return TrendPoint(sample.sha, day, sample.subject, error=str(error).replace(str(tree), "."))
        except RecursionError:
            return TrendPoint(sample.sha, day, sample.subject, error="nested too deeply to analyse")
    point = measure(analysis, sample.sha, day, sample.subject)
    del analysis
    gc.collect()  # a worker analyses commit after commit, with the collector off (fitness.__main__)
    return point


def terminal_progress() -> Progress | None:
    """A one-line progress counter on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, sample: Sample) -> None:
        end = "\n" if done == total else ""
        print(f"\rtrend: {done}/{total} {sample.day} {sample.sha[:8]}", end=end, file=sys.stderr, flush=True)

    return show

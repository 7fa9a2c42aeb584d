"""Concurrent `fitness adr new` on one real git repository: no number taken twice, no record lost or
overwritten (issue 16: 0 duplicate numbers in 100 concurrent runs).

    .venv/bin/python bench/adr_concurrency.py [--processes 100] [--rounds 1] [--keep DIR]

Makes a git repository in a temporary folder, runs ``fitness adr init``, then starts ``--processes``
``fitness adr new "Decision <i>"`` processes at once and waits for all. Checks that every process exited
0 and printed its own path, that the numbers are 2..N+1 with none twice, that each record on disk holds
the decision its process was asked for (none overwritten), that the index lists every record and that
``fitness adr lint`` passes. Prints one line per round and exits 1 when any check failed. The suite runs
the same check with 20 processes (tests/functional/test_adr_safety.py); 100 take 20-40 s of CPU, too
long for it. ``make bench-adr`` runs this with the defaults.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FITNESS = Path(sys.executable).with_name("fitness")
DATE = "2025-02-03"


def run_round(root: Path, processes: int) -> list[str]:
    """One round on a fresh repository at ``root``; the problems found (none: empty)."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "start"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
            cwd=root,
            check=True,
        )
    subprocess.run([str(FITNESS), "adr", "init", "--date", DATE], cwd=root, check=True, capture_output=True)
    runs = [
        subprocess.Popen(
            [str(FITNESS), "adr", "new", f"Decision {i}", "--date", DATE],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    problems: list[str] = []
    paths: dict[int, Path] = {}
    for i, run in enumerate(runs):
        out, err = run.communicate(timeout=600)
        if run.returncode != 0:
            problems.append(f"process {i}: exit {run.returncode}: {err.strip()[:200]}")
            continue
        paths[i] = Path(out.strip())
    numbers = [int(path.name[:4]) for path in paths.values()]
    if sorted(numbers) != list(range(2, processes + 2)):
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        problems.append(f"numbers are not 2..{processes + 1} once each (twice: {duplicates})")
    folder = root / "docs/adr"
    records = sorted(folder.glob("[0-9][0-9][0-9][0-9]-*.md"))
    if len(records) != processes + 1:
        problems.append(f"{len(records)} records on disk, expected {processes + 1}")
    for i, path in sorted(paths.items()):
        record = path if path.is_absolute() else root / path
        title = re.search(r"^# \d+\. (.*)$", record.read_text(), re.M) if record.is_file() else None
        if title is None or title.group(1) != f"Decision {i}":
            problems.append(f"process {i}: {path} holds {title.group(1) if title else 'nothing'!r}")
    index = (folder / "README.md").read_text()
    missing = [p.name for p in records if f"]({p.name})" not in index]
    if missing:
        problems.append(f"index misses {len(missing)} records, e.g. {missing[:3]}")
    lint = subprocess.run([str(FITNESS), "adr", "lint"], cwd=root, capture_output=True, text=True)
    if lint.returncode != 0:
        problems.append(f"adr lint: exit {lint.returncode}: {lint.stdout.strip()[:200]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="make the repositories here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="fitness-adr-concurrency-"))
    failed = False
    try:
        for round_number in range(1, args.rounds + 1):
            started = time.perf_counter()
            problems = run_round(base / f"round-{round_number}", args.processes)
            seconds = time.perf_counter() - started
            verdict = "ok" if not problems else f"{len(problems)} problems"
            print(
                f"round {round_number}: {args.processes} concurrent `adr new` in {seconds:.1f} s: {verdict}"
            )
            for problem in problems[:10]:
                print(f"  {problem}")
            failed = failed or bool(problems)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

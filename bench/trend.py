"""`fitness trend` over 24 monthly samples of a real code base (target: under 30 s).

    .venv/bin/python bench/trend.py [--months 24] [--runs 3]

Stdlib only. Uses the pinned django corpus of bench/run.py (bench/corpora/django, installed on first
use by `bench/run.py --corpus django`) and builds under bench/work/trend/repo (gitignored) a git
repository with one commit per month: the first commit holds django without its contrib apps, each
later month adds one more contrib app (while there are any) and every month edits a module, so every sample is a real, different tree (883 modules at the
end). Then it times `fitness trend --since all` (medians of --runs; the exit code must be 0) and
prints the figure and the last lines of the output.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpora" / "django" / "django"
WORK = HERE / "work" / "trend" / "repo"
FITNESS = Path(sys.executable).with_name("fitness")
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(*args: str, date: str | None = None) -> None:
    env = {**ENV, **({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})}
    subprocess.run(["git", *args], cwd=WORK, env=env, check=True, capture_output=True)


def build(months: int) -> None:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    git("init", "--quiet", "--initial-branch=main")
    apps = sorted(p.name for p in (CORPUS / "contrib").iterdir() if p.is_dir() and p.name != "__pycache__")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "static", "templates", "locale")
    shutil.copytree(CORPUS, WORK / "django", ignore=shutil.ignore_patterns("contrib", "__pycache__", "*.pyc"))
    (WORK / "django" / "contrib").mkdir()
    shutil.copy(CORPUS / "contrib" / "__init__.py", WORK / "django" / "contrib" / "__init__.py")
    for month in range(months):
        year, index = divmod(month, 12)
        if month and apps:
            app = apps.pop(0)
            shutil.copytree(CORPUS / "contrib" / app, WORK / "django" / "contrib" / app, ignore=ignore)
        (WORK / "django" / "_bench_month.py").write_text(f"MONTH = {month + 1}\n")  # every tree differs
        git("add", "--all")
        git(
            "commit", "--quiet", "-m", f"month {month + 1}", date=f"{2024 + year}-{index + 1:02d}-15T12:00:00"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"trend: no corpus at {CORPUS}; run `.venv/bin/python bench/run.py --corpus django` first")
        return 2
    build(args.months)
    walls = []
    out = ""
    for _ in range(args.runs):
        start = time.perf_counter()
        done = subprocess.run(
            [str(FITNESS), "trend", ".", "--since", "all"], cwd=WORK, capture_output=True, text=True
        )
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            print(f"trend: fitness exited {done.returncode}: {done.stderr.strip()}")
            return 1
        out = done.stdout
    print("\n".join(out.strip().splitlines()[-4:]))
    median = statistics.median(walls)
    print(f"{args.months} monthly samples on {os.cpu_count()} CPUs: median {median:.1f} s (target < 30 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Service and table collection on a generated 500-service monorepo (issue target: < 30 s, < 1 GiB).

    .venv/bin/python bench/services.py [--services 500] [--runs 3]

Each service gets a docker-compose entry (with DATABASE_URL and a URL of the next service), 20 Python
modules (imports between them, one HTTP call, one Kafka publish) and 10 SQL statements (5 in code,
5 in a .sql file). Every 10th service shares the previous one's database, so the smells have work to do.
The script writes the monorepo under bench/work/monorepo (gitignored), runs `fitness check` on it with
/usr/bin/time, and prints the median wall time and peak memory.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work" / "monorepo"
FITNESS = Path(sys.executable).with_name("fitness")


def generate(count: int) -> None:
    """Write the monorepo (deterministic: same count, same bytes)."""
    if WORK.exists():
        shutil.rmtree(WORK)
    compose = ["services:"]
    for index in range(count):
        name = f"svc{index:03d}"
        database = f"svc{index - 1:03d}" if index % 10 == 9 else name
        compose += [
            f"  {name}:",
            f"    build: ./services/{name}",
            "    environment:",
            f"      DATABASE_URL: postgresql://u:p@db-{database}:5432/{database}",
            f"      NEXT_URL: http://svc{(index + 1) % count:03d}:8000",
            f"  db-{name}:",
            "    image: postgres:16",
            "    environment:",
            f"      POSTGRES_DB: {name}",
        ]
        package = WORK / "services" / name / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        for module in range(20):
            body = [
                f"from {name} import m{(module + 1) % 20:02d}",
                "import requests",
                "from kafka import KafkaProducer",
            ]
            if module == 0:
                body += [
                    "from sqlalchemy import text",
                    "",
                    "def work(db):",
                    *[
                        f'    db.execute(text("SELECT * FROM {name}_t{t} JOIN {database}_t{t + 1} USING (id)"))'
                        for t in range(3)
                    ],
                    f'    db.execute(text("INSERT INTO {name}_t0 (id) VALUES (1)"))',
                    f'    db.execute(text("UPDATE {database}_t1 SET x = 1"))',
                    f'    requests.get("http://svc{(index + 1) % count:03d}:8000/items", timeout=1)',
                    f'    KafkaProducer().send("{name}-events", b"x")',
                ]
            (package / f"m{module:02d}.py").write_text("\n".join(body) + "\n")
        sql = "\n".join(f"CREATE TABLE {name}_t{t} (id INT PRIMARY KEY, x INT);" for t in range(5))
        (package.parent / "schema.sql").write_text(sql + "\n")
    (WORK / "docker-compose.yml").write_text("\n".join(compose) + "\n")
    (WORK / "fitness.yaml").write_text(
        "version: 1\n"
        f"root: [{', '.join(f'services/svc{i:03d}' for i in range(count))}]\n"
        "rules:\n  - {id: db, type: no-shared-database}\n  - {id: chain, type: max-sync-chain, max: 3}\n"
    )


def measure(runs: int) -> tuple[float, float, str]:
    times, peaks, tail = [], [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", str(FITNESS), "check", str(WORK), "--no-cache"],
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):  # 0 clean, 1 violations; anything else (3: a crash) is no timing
            raise SystemExit(f"fitness check failed with exit code {done.returncode}:\n{done.stderr[-2000:]}")
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
        tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    return statistics.median(times), max(peaks), tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    generate(args.services)
    median, peak, tail = measure(args.runs)
    print(
        f"{args.services} services: median {median:.2f} s, peak {peak:.0f} MiB (targets: < 30 s, < 1024 MiB)"
    )
    print(f"  fitness: {tail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

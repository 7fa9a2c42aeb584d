"""Cost of one hostile SQL file: time and peak memory of `fitness check` on a 2 MB .sql file.

    .venv/bin/python bench/sql_cost.py [--runs 3] [--keep DIR]

Builds a small service system (compose, two Python services) in a temporary folder with ``db/dump.sql``:
about 2 MB of thousands of INSERT statements (single and multi-row), some DDL, and a few huge statements
(an INSERT of thousands of rows, a deeply nested SELECT, a long CASE expression). Runs the installed
``fitness check --no-cache`` on it under ``/usr/bin/time -f %M`` and prints the median wall time and the
peak RSS, next to the same system without the SQL file (the floor), and with a dump of the same size
whose statements all differ (each names its own table: none can share another's parse). Targets
(issue 16): under 2 s and under 200 MB. Not a timed test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FITNESS = Path(sys.executable).with_name("fitness")
TARGET_BYTES = 2 * 1024 * 1024 - 4096


def dump_sql(distinct: bool = False) -> str:
    """About 2 MB of SQL: ordinary statements, then a few huge ones. ``distinct``: no two statements alike
    but for their literals (each names another table), the worst case for the reader."""
    parts = [
        "CREATE TABLE orders (id bigint primary key, customer text, total numeric(10, 2), note text);",
        "CREATE TABLE order_lines (id bigint primary key, order_id bigint references orders(id), sku text);",
        "CREATE INDEX order_lines_order ON order_lines (order_id);",
    ]
    huge_rows = ", ".join(f"({i}, 'customer {i}', {i}.50, 'bulk')" for i in range(12_000))
    nested = "SELECT * FROM orders WHERE id IN (" * 400 + "SELECT 1" + ")" * 400
    case = "SELECT CASE " + " ".join(f"WHEN id = {i} THEN 'v{i}'" for i in range(8_000)) + " END FROM orders"
    huge = [f"INSERT INTO orders (id, customer, total, note) VALUES {huge_rows};", nested + ";", case + ";"]
    size = sum(len(p) + 1 for p in parts) + sum(len(h) + 1 for h in huge)
    i = 0
    while size < TARGET_BYTES:
        if distinct:
            line = f"INSERT INTO lines_{i} (id, order_id, sku) VALUES ({i}, {i // 3}, 'sku-{i}');"
        elif i % 3 == 0:
            line = f"INSERT INTO order_lines (id, order_id, sku) VALUES ({i}, {i // 3}, 'sku-{i}');"
        elif i % 3 == 1:
            line = f"INSERT INTO orders (id, customer, total, note) VALUES ({i}, 'c{i}', {i}.99, 'note {i}');"
        else:
            line = f"UPDATE orders SET note = 'changed {i}' WHERE id = {i - 1};"
        parts.append(line)
        size += len(line) + 1
        i += 1
    middle = len(parts) // 2
    return "\n".join(parts[:middle] + huge + parts[middle:]) + "\n"


def make_system(root: Path, with_sql: bool, distinct: bool = False) -> None:
    """Two services on one database (a lone service's tables are not scanned)."""
    compose = ["services:"]
    for name in ("orders", "billing"):
        (root / f"services/{name}/{name}").mkdir(parents=True)
        (root / f"services/{name}/{name}/__init__.py").write_text("")
        (root / f"services/{name}/{name}/app.py").write_text(
            "import os\n\nDB = os.getenv('DATABASE_URL')\n\n\ndef load(cursor):\n"
            "    cursor.execute('SELECT id FROM orders')\n"
        )
        (root / f"services/{name}/Dockerfile").write_text("FROM python:3.12\n")
        compose += [
            f"  {name}:",
            f"    build: ./services/{name}",
            "    environment:",
            "      DATABASE_URL: postgresql://shop-db:5432/shop",
        ]
    compose += ["  shop-db:", "    image: postgres:16", ""]
    (root / "docker-compose.yml").write_text("\n".join(compose))
    if with_sql:
        (root / "services/orders/db").mkdir()
        (root / "services/orders/db/dump.sql").write_text(dump_sql(distinct))


def measure(root: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in kB, exit code) of one `fitness check --no-cache`."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", str(FITNESS), "check", str(root), "--no-cache"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    peak, user, system = done.stderr.strip().splitlines()[-1].split()
    return seconds, float(user) + float(system), int(peak), done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the systems here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="fitness-sql-cost-"))
    try:
        rows = []
        cases = (
            ("without the SQL file", "floor", False, False),
            ("with the 2 MB SQL file", "with-sql", True, False),
            ("every statement unlike", "distinct", True, True),
        )
        for name, folder, with_sql, distinct in cases:
            root = base / folder
            shutil.rmtree(root, ignore_errors=True)
            make_system(root, with_sql, distinct)
            runs = [measure(root) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            rows.append((name, seconds, cpu, peak, {r[3] for r in runs}))
        sql = base / "with-sql/services/orders/db/dump.sql"
        print(
            f"{sql.stat().st_size / 1e6:.2f} MB of SQL, median of {args.runs} runs (load average {_load()})"
        )
        for name, seconds, cpu, peak, codes in rows:
            print(
                f"  {name:24} {seconds:6.2f} s wall  {cpu:6.2f} s CPU  {peak / 1024:7.1f} MB peak RSS  "
                f"exit {sorted(codes)}"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()

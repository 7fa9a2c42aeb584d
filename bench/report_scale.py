"""The HTML report at scale (issue 14): an 80-service system and a 1,000-module project in real Chromium.

    .venv/bin/python bench/report_scale.py [--services 80] [--runs 3] [--corpus bench/corpora/django]

Writes an 80-service docker-compose monorepo under bench/work/services80 (gitignored; deterministic:
four tiers of services calling down, each with its database, events between domains, a few shared tables,
and Prometheus, Grafana, Jaeger and an OpenTelemetry collector as infrastructure), then for it and for the
corpus (django, run `bench/run.py --corpus django` first to install it): the median wall time of
`fitness check` and of `fitness report` (warm cache, and cold with --no-cache) and their ratio, the time
Chromium takes to open each page from file:// with the network off (navigation start to the load event,
scripts run), and a screenshot of the first graph at its default zoom in reports/screenshots/ (and, when
it opens on collapsed domains, one of the first domain expanded). check and report run interleaved and
the ratio is the median of paired ratios: on a shared machine the load moves between runs.
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
REPO = HERE.parent
WORK = HERE / "work"
FITNESS = Path(sys.executable).with_name("fitness")
SHOTS = REPO / "reports" / "screenshots"
DOMAINS = [
    "orders", "payments", "catalog", "inventory", "shipping", "users", "accounts", "billing", "cart",
    "search", "reviews", "pricing", "promotions", "notifications", "returns", "loyalty", "fraud",
    "warehouse", "suppliers", "invoices",
]  # fmt: skip
TIERS = ["gateway", "api", "core", "store"]  # each domain has one service per tier: 20 x 4 = 80
INFRA = {
    "prometheus": "prom/prometheus:v2.53.0",
    "grafana": "grafana/grafana:11.1.0",
    "jaeger": "jaegertracing/all-in-one:1.58",
    "otel-collector": "otel/opentelemetry-collector-contrib:0.104.0",
}


def generate(count: int, root: Path) -> Path:
    """Write the system (same count, same bytes); returns its folder."""
    if root.exists():
        shutil.rmtree(root)
    names = [f"{DOMAINS[i % len(DOMAINS)]}-{TIERS[i // len(DOMAINS) % len(TIERS)]}" for i in range(count)]
    compose = ["services:", "  kafka:", "    image: bitnami/kafka:3.7"]
    for name, image in INFRA.items():
        compose += [f"  {name}:", f"    image: {image}"]
    compose += ["  grafana-ui:", "    image: grafana/grafana:11.1.0", "    depends_on: [prometheus]"]
    for index, name in enumerate(names):
        domain, tier = name.rsplit("-", 1)
        level = TIERS.index(tier)
        below = [n for n in names if TIERS.index(n.rsplit("-", 1)[1]) == level + 1]
        targets = sorted({below[(index * 7 + k * 3) % len(below)] for k in range(3)}) if below else []
        database = f"{domain}-db" if index % 9 else f"{DOMAINS[(index + 1) % len(DOMAINS)]}-db"
        compose += [
            f"  {name}:",
            f"    build: ./services/{name}",
            "    environment:",
            f"      DATABASE_URL: postgresql://u:p@{database}:5432/{database.replace('-', '_')}",
            "      KAFKA_BOOTSTRAP_SERVERS: kafka:9092",
            "      OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4317",
        ]
        package = root / "services" / name / name.replace("-", "_")
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        table = f"{domain}_{tier}"
        shared = f"{DOMAINS[(index + 3) % len(DOMAINS)]}_core" if index % 11 == 0 else table
        body = [
            "import os",
            "",
            "import requests",
            "from kafka import KafkaConsumer, KafkaProducer",
            "from sqlalchemy import create_engine, text",
            "",
            'engine = create_engine(os.environ["DATABASE_URL"])',
            'producer = KafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])',
            "",
            "",
            "def handle(order_id: int) -> None:",
            *[f'    requests.get("http://{target}:8000/items", timeout=1)' for target in targets],
            "    with engine.begin() as db:",
            f'        db.execute(text("SELECT * FROM {table} WHERE id = :id"), {{"id": order_id}})',
            f'        db.execute(text("UPDATE {shared} SET seen = 1"))',
            f'    producer.send("{domain}-{tier}-events", b"x")',
        ]
        if tier == "core":
            source = DOMAINS[(index + 5) % len(DOMAINS)]
            body += ["", "", "def listen() -> None:", f'    KafkaConsumer("{source}-api-events")']
        (package / "handlers.py").write_text("\n".join(body) + "\n")
        (package / "models.py").write_text(f"from {name.replace('-', '_')} import handlers\n")
    for domain in DOMAINS:
        compose += [f"  {domain}-db:", "    image: postgres:16"]
    (root / "docker-compose.yml").write_text("\n".join(compose) + "\n")
    (root / "fitness.yaml").write_text(
        "version: 1\nrules:\n  - {id: db, type: no-shared-database}\n  - {id: chain, type: max-sync-chain, max: 2}\n"
        "  - {id: owners, type: table-ownership}\n"
    )
    return root


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(FITNESS), *args], capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"fitness {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def speed(target: Path, page: Path, runs: int) -> None:
    """check and report interleaved (which goes first alternates), so both see the same machine load;
    the ratio is the median of the runs' own report/check ratios."""
    subprocess.run([str(FITNESS), "check", str(target)], capture_output=True, check=False)  # warm the cache
    for label, extra in (("warm", []), ("cold", ["--no-cache"])):
        checks, reports, ratios = [], [], []
        for run in range(runs):
            check = ["check", str(target), *extra]
            report = ["report", str(target), "-o", str(page), *extra]
            if run % 2:
                report_wall, check_wall = timed(report), timed(check)
            else:
                check_wall, report_wall = timed(check), timed(report)
            checks.append(check_wall)
            reports.append(report_wall)
            ratios.append(report_wall / check_wall)
        print(
            f"  {label}: check {statistics.median(checks):.2f} s, report {statistics.median(reports):.2f} s, "
            f"ratio {statistics.median(ratios):.2f}x (median of {runs} paired runs)"
        )


def open_in_chromium(page: Path, shot: Path) -> None:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        opens = []
        errors: list[str] = []
        for _ in range(3):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
            tab = context.new_page()
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.goto(page.as_uri())
            opens.append(tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
            if errors:
                raise SystemExit(f"errors in {page}: {errors}")
        graph = tab.locator("section.graph").first
        graph.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        graph.screenshot(path=str(shot))
        size = tab.locator("section.graph .gv-stage:visible svg text").first.evaluate(
            "e => e.getBoundingClientRect().height"
        )
        domain = graph.locator(".gv-stage:visible g.node.nk-domain").first
        if domain.count():  # a domain expanded: the services view, focused on its box
            domain.click()
            graph.locator(".gv-info button", has_text="expand").click()
            graph.screenshot(path=str(shot.with_name(shot.stem + "-expanded.png")))
        browser.close()
    print(
        f"  opens in {statistics.median(opens):.2f} s (median of 3, load event); first label "
        f"{size:.0f} px high; {page.stat().st_size / 1e6:.2f} MB; screenshot {shot.relative_to(REPO)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=80)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpora" / "django")
    args = parser.parse_args()
    system = generate(args.services, WORK / f"services{args.services}")
    targets = [(system, f"services{args.services}")]
    if args.corpus.is_dir():
        targets.append((args.corpus, args.corpus.name))
    for target, name in targets:
        page = WORK / f"report-{name}.html"
        print(f"{name}:")
        speed(target, page, args.runs)
        open_in_chromium(page, SHOTS / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

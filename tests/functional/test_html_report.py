"""The HTML report in a real browser: Debian's chromium (``/usr/bin/chromium``) driven by Playwright.

``make test`` installs chromium when it is missing; never ``playwright install``. The page is opened
from file:// with the network off: no console errors, every graph drawn and visible, the findings
filter works, and a system whose names carry script payloads runs none of them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.functional.conftest import EXAMPLES, REPO, run_fitness

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = REPO / "docs" / "report-screenshot.png"

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    'x"><img src=x onerror="window.__pwned=2;document.title=\'pwned\'">',
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (make test installs it)")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed (make test installs it)")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def open_page(browser: Any, report: Path, width: int = 1280) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    return page, errors


def test_shop_report_draws_every_graph_and_filters_findings(browser: Any, tmp_path: Path) -> None:
    report = tmp_path / "shop.html"
    result = run_fitness("report", str(EXAMPLES / "shop"), "-o", str(report), "--no-cache")
    assert result.returncode == 0, result.stderr
    page, errors = open_page(browser, report)

    graphs = page.locator("section.graph")
    assert graphs.count() >= 3  # services, packages, modules
    for index in range(graphs.count()):
        svg = graphs.nth(index).locator("svg")
        assert svg.count() == 1 and svg.is_visible()
        assert svg.bounding_box()["height"] > 50
    assert page.locator("#matrix tr.shared").count() >= 1
    assert page.locator("#dsm table.dsm").is_visible()

    findings = page.locator("li.finding")
    total = findings.count()
    page.select_option("select[data-filter=severity]", "warning")
    warnings = page.locator("li.finding:visible")
    assert 0 < warnings.count() < total
    assert all(w == "warning" for w in warnings.evaluate_all("els => els.map(e => e.dataset.severity)"))
    assert page.locator("#shown-count").text_content() == str(warnings.count())
    page.select_option("select[data-filter=severity]", "")
    page.select_option("select[data-filter=service]", "payments")
    assert 0 < page.locator("li.finding:visible").count() < total
    page.select_option("select[data-filter=service]", "")
    assert page.locator("li.finding:visible").count() == total

    page.locator("#metrics table.sortable th", has_text="fan_in").first.click()
    first = page.locator("#metrics table.sortable tbody tr").first.locator("td").nth(0).text_content()
    assert first

    granularity = page.locator("#granularity tbody tr")  # issue 17: the service and forces columns filled
    cells = granularity.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")
    assert sorted(row[0] for row in cells) == ["inventory", "notifications", "orders", "payments"]
    assert all(row[1] in ("split", "keep", "merge") and row[2] for row in cells)
    assert page.locator("#granularity").is_visible()

    page.screenshot(path=str(tmp_path / "shop.png"), full_page=True)
    assert errors == []


def test_screenshot_for_the_readme(browser: Any, tmp_path: Path) -> None:
    """The README's picture: the top of the shop's report (refreshed by every run)."""
    report = tmp_path / "shop.html"
    assert run_fitness("report", str(EXAMPLES / "shop"), "-o", str(report), "--no-cache").returncode == 0
    page, errors = open_page(browser, report)
    page.screenshot(path=str(tmp_path / "top.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1500})
    if os.environ.get("FITNESS_UPDATE_SCREENSHOT"):  # refresh the README's picture on purpose only
        SCREENSHOT.write_bytes((tmp_path / "top.png").read_bytes())
    assert errors == []


def test_names_from_the_analysed_system_never_run_as_script(browser: Any, tmp_path: Path) -> None:
    system = hostile_system(tmp_path / "hostile")
    report = tmp_path / "hostile.html"
    result = run_fitness("report", str(system), "-o", str(report), "--no-cache")
    assert result.returncode == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert "__pwned" in text  # the payloads are on the page, as text
    page, _ = open_page(browser, report)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "fitness · hostile"
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2  # the page's own data and script, nothing injected
    shown = page.locator("body").inner_text()
    for payload in PAYLOADS:
        assert payload.split(">")[0] in shown or payload in shown
    assert page.locator("section.graph svg").count() >= 1


def hostile_system(root: Path) -> Path:
    """Two services named like payloads, sharing a table and a database, publishing to a payload topic,
    with a payload in an SQL string literal."""
    (root / "a" / "app").mkdir(parents=True)
    (root / "b" / "other").mkdir(parents=True)
    (root / "a" / "app" / "__init__.py").write_text("")
    (root / "b" / "other" / "__init__.py").write_text("")
    table = PAYLOADS[0].replace("1", "3")
    (root / "a" / "app" / "main.py").write_text(
        "import os\n"
        "from kafka import KafkaProducer\n"
        "from sqlalchemy import create_engine, text\n\n"
        'engine = create_engine(os.environ["DATABASE_URL"])\n'
        'producer = KafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])\n\n\n'
        "def go() -> None:\n"
        "    with engine.begin() as db:\n"
        f"        db.execute(text('INSERT INTO \"{table}\" (a) VALUES (1)'))\n"
        f"        db.execute(text({'SELECT ' + repr(PAYLOADS[1]) + ' FROM x'!r}))\n"
        f"    producer.send({PAYLOADS[0].replace('1', '6')!r}, {{'a': 1}})\n"
    )
    (root / "b" / "other" / "main.py").write_text(
        "import os\n"
        "from sqlalchemy import create_engine, text\n\n"
        'engine = create_engine(os.environ["DATABASE_URL"])\n\n\n'
        "def go() -> None:\n"
        "    with engine.begin() as db:\n"
        f"        db.execute(text('UPDATE \"{table}\" SET a = 2'))\n"
    )
    first, second = (name.replace('"', '\\"') for name in PAYLOADS)
    (root / "docker-compose.yml").write_text(
        "services:\n"
        f'  "{first}":\n'
        "    build: ./a\n"
        "    environment:\n"
        "      DATABASE_URL: postgresql://u:p@db:5432/main\n"
        "      KAFKA_BOOTSTRAP_SERVERS: kafka:9092\n"
        f'  "{second}":\n'
        "    build: ./b\n"
        "    environment:\n"
        "      DATABASE_URL: postgresql://u:p@db:5432/main\n"
        "  db:\n    image: postgres:16\n"
        "  kafka:\n    image: bitnami/kafka:3.7\n"
    )
    (root / "fitness.yaml").write_text(
        "version: 1\nrules:\n"
        "  - id: database-per-service\n    type: no-shared-database\n"
        "  - id: one-owner-per-table\n    type: table-ownership\n"
    )
    return root


def node(page: Any, graph: str, name: str) -> Any:
    """The SVG node of ``graph`` whose title is exactly ``name``."""
    return (
        page.locator(f"#{graph} .gv-stage:visible g.node")
        .filter(has=page.locator("title", has_text=name))
        .filter(has_not_text=name + "-")
        .first
    )


def test_graphs_search_focus_filter_and_highlight_a_finding(browser: Any, tmp_path: Path) -> None:
    report = tmp_path / "shop.html"
    assert run_fitness("report", str(EXAMPLES / "shop"), "-o", str(report), "--no-cache").returncode == 0
    requests: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    services = page.locator("#graph-services")

    services.locator(".gv-search").fill("inventory")  # search finds and marks the node
    assert services.locator("g.node.match").count() == 1
    assert "1 node match" in services.locator(".gv-info").text_content()
    services.locator("button[data-act=reset]").click()
    assert services.locator("g.node.match").count() == 0

    kafka = node(page, "graph-services", "kafka")  # infrastructure (the broker): hidden until asked for
    assert kafka.count() == 1 and kafka.is_hidden()
    services.locator("input.gv-infra").check()
    assert kafka.is_visible()
    services.locator("input.gv-infra").uncheck()
    assert kafka.is_hidden()

    node(page, "graph-services", "orders").click()  # focus: one hop around orders, the rest hidden
    assert services.locator("g.node.focus").count() == 1
    assert node(page, "graph-services", "payments").is_visible()
    assert node(page, "graph-services", "notifications").is_hidden()
    panel = services.locator(".gv-panel")
    assert panel.is_visible() and "calls" in panel.text_content() and ".py:" in panel.text_content()
    services.locator(".gv-hops").select_option("3")
    assert node(page, "graph-services", "notifications").is_visible()
    services.locator("button[data-act=reset]").click()
    assert services.locator("g.node.out").count() == 0

    chain = page.locator("li.finding[data-rule=short-sync-chains]").first  # orders -> ... -> notifications
    chain.locator("button.locate").click()
    assert services.locator("g.node.hl").count() == 4
    assert services.locator("g.edge.hl").count() == 3

    box = services.locator(".svg.zoomable").bounding_box()  # wheel zoom changes the view box
    before = services.locator(".gv-stage:visible svg").get_attribute("viewBox")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    assert services.locator(".gv-stage:visible svg").get_attribute("viewBox") != before
    assert errors == []
    assert all(url.startswith("file://") for url in requests) and len(requests) == 1


def test_a_large_project_opens_on_packages_with_module_detail_on_demand(browser: Any, tmp_path: Path) -> None:
    root = tmp_path / "big"
    names = [
        f"big.{p}.m{m:02d}" for p in ("api", "core", "db", "web", "tests", "migrations") for m in range(30)
    ]
    for index, name in enumerate(names):
        path = root / Path(*name.split("."))
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        target = names[(index * 7 + 3) % len(names)]
        path.with_suffix(".py").write_text(f"import {target}\n")
    (root / "big" / "__init__.py").touch()
    report = tmp_path / "big.html"
    result = run_fitness("report", str(root), "-o", str(report), "--no-cache")
    assert result.returncode == 0, result.stderr
    page, errors = open_page(browser, report)
    packages = page.locator("#graph-packages")
    assert packages.locator(".gv-depth").input_value() == "0"  # the aggregated view first
    assert node(page, "graph-packages", "big.api").is_visible()
    assert page.locator("#module-detail .gv").count() == 0
    page.locator("button.show-detail").click()
    detail = page.locator("#module-detail section.graph")
    titles = detail.locator("h2").all_text_contents()
    assert titles and not any("tests" in t or "migrations" in t for t in titles)
    assert detail.first.locator(".gv-stage:visible svg").is_visible()
    packages.locator(".gv-depth").select_option("1")  # expand: the modules themselves
    assert node(page, "graph-packages", "big.api.m00").is_visible()
    assert errors == []


def domain_system(root: Path, count: int = 9) -> Path:
    """``count`` domains of four services (gateway, api, core, store) in docker-compose, each with its own
    database; every service calls the next tier at home and in the next domain, so three calls go from
    each domain to the next and the domains form a ring."""
    domains = [f"dom{chr(97 + i)}" for i in range(count)]
    tiers = ["gateway", "api", "core", "store"]
    compose = ["services:"]
    for d, domain in enumerate(domains):
        for t, tier in enumerate(tiers):
            name = f"{domain}-{tier}"
            targets = [f"{x}-{tiers[t + 1]}" for x in (domain, domains[(d + 1) % count])] if t < 3 else []
            package = root / "services" / name / name.replace("-", "_")
            package.mkdir(parents=True)
            (package / "__init__.py").write_text("")
            (package / "main.py").write_text(
                "import os\n\nimport requests\nfrom sqlalchemy import create_engine\n\n"
                'engine = create_engine(os.environ["DATABASE_URL"])\n\n\ndef go() -> None:\n'
                + "".join(f'    requests.get("http://{x}:8000/items", timeout=1)\n' for x in targets)
                + "    engine.connect()\n"
            )
            compose += [
                f"  {name}:",
                f"    build: ./services/{name}",
                "    environment:",
                f"      DATABASE_URL: postgresql://u:p@{domain}-db:5432/{domain}",
            ]
        compose += [f"  {domain}-db:", "    image: postgres:16"]
    (root / "docker-compose.yml").write_text("\n".join(compose) + "\n")
    return root


def test_a_large_service_system_opens_on_its_domains_which_expand_and_collapse(
    browser: Any, tmp_path: Path
) -> None:
    system = domain_system(tmp_path / "domains")
    report = tmp_path / "domains.html"
    result = run_fitness("report", str(system), "-o", str(report), "--no-cache")
    assert result.returncode in (0, 1), result.stderr
    again = tmp_path / "again.html"
    assert run_fitness("report", str(system), "-o", str(again)).returncode in (0, 1)
    assert again.read_bytes() == report.read_bytes()  # same system, same bytes (boxes and all)

    page, errors = open_page(browser, report)
    services = page.locator("#graph-services")
    assert services.locator(".gv-depth option:checked").text_content() == "domains (collapsed)"
    domains = services.locator(".gv-stage:visible g.node.nk-domain")
    assert domains.count() == 9 and node(page, "graph-services", "doma").is_visible()
    edges = services.locator(".gv-stage:visible g.edge")  # the ring: 9 bundles of 3 calls each
    assert edges.count() == 9
    assert edges.locator("text").all_text_contents() == ["3"] * 9
    assert all(t.endswith("(3 calls)") for t in edges.locator("title").all_text_contents())

    services.locator(".gv-search").fill("domc-core")  # a member's name finds its domain
    assert services.locator("g.node.match").count() == 1
    services.locator("button[data-act=reset]").click()

    node(page, "graph-services", "doma").click()  # expand: the services view, focused on doma's box
    services.locator(".gv-info button", has_text="expand doma").click()
    assert services.locator(".gv-depth option:checked").text_content() == "services only"
    assert services.locator(".gv-stage:visible g.cluster").count() == 9
    focused = services.locator(".gv-stage:visible g.cluster.focus")
    assert focused.count() == 1 and focused.locator("text").first.text_content() == "doma"
    shown = services.locator(".gv-stage:visible g.node:not(.out)").locator("title").all_text_contents()
    assert {f"doma-{t}" for t in ("gateway", "api", "core", "store")} | {"doma-db"} <= set(shown)
    assert "domd-core" not in shown  # two domains away: hidden while doma is in focus
    assert services.locator(".gv-stage:visible g.cluster.out").count() >= 6

    services.locator(".gv-info button", has_text="collapse doma").click()  # and back
    assert services.locator(".gv-depth option:checked").text_content() == "domains (collapsed)"
    assert services.locator(".gv-stage:visible g.node.focus title").text_content() == "doma"

    services.locator(".gv-depth").select_option("1")  # a click on a box focuses it
    box = services.locator(".gv-stage:visible g.cluster").filter(has=page.locator("text", has_text="domb"))
    box.locator("text").first.click()
    assert "domb: 5 nodes in the box" in services.locator(".gv-info").text_content()
    assert errors == []

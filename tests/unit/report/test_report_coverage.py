"""Service coverage in every format: the counts of what the service collectors read and could not
resolve, with locations, passing or not; nothing new for a package-only system."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

import pytest
from junitparser import JUnitXml

from fitness.model import Analysis
from fitness.model.graph import NodeKind
from fitness.model.summary import ServiceSummary, UnresolvedItem
from fitness.report import FORMATS, ReportOptions, codequality, github, html, junit, markdown, sarif, text
from fitness.report.coverage import service_coverage
from tests.unit.report.test_report_sarif import validate

LINE = (
    "3 services, 2 datastores, 14 call sites and 9 SQL statements read; 3 unresolved (1 sql, 1 topic, 1 url)"
)
SERVICES = ["billing", "orders", "shipping"]
UNRESOLVED = [  # as pipeline._service_summary writes it: in the scan's order, not by location
    {"kind": "url", "reason": "URL built at run time: f'{base}/x'", "path": "orders/client.py", "line": 12},
    {"kind": "topic", "reason": "topic <b>name</b> & co", "path": "billing/events.py", "line": 3},
    {"kind": "sql", "reason": "table name is not a literal: name", "path": "orders/db.py", "line": 40},
]


def with_services(analysis: Analysis, unresolved: list[dict[str, Any]] | None = None) -> Analysis:
    items = UNRESOLVED if unresolved is None else unresolved
    for name in SERVICES:
        analysis.graph.add_node(NodeKind.SERVICE, name)
    scan = ServiceSummary(
        services=tuple(SERVICES),
        datastores=("orders-db", "billing-db"),
        call_sites=14,
        sql_statements=9,
        settings=5,
        unresolved=tuple(UnresolvedItem.from_json(item) for item in items),
    )
    analysis.summary = replace(analysis.summary, service_scan=scan)
    return analysis


@pytest.fixture
def services(empty: Analysis) -> Analysis:
    """A passing system of services with three unresolved items."""
    return with_services(empty)


def test_the_helper_counts_and_sorts_by_location(services: Analysis, full: Analysis) -> None:
    assert service_coverage(full.summary) is None
    coverage = service_coverage(services.summary)
    assert coverage is not None
    assert coverage.line == LINE
    assert coverage.unresolved == 3 and coverage.numbers["settings"] == 5
    assert [item.where() for item in coverage.items] == [
        "billing/events.py:3",
        "orders/client.py:12",
        "orders/db.py:40",
    ]
    assert coverage.items[0].where("svc/") == "svc/billing/events.py:3"


def test_text_states_the_counts_even_when_passing(services: Analysis) -> None:
    lines = text.render(services, ReportOptions()).splitlines()
    assert lines[0] == f"services: {LINE}"
    assert lines[1] == "    unresolved topic: billing/events.py:3 topic <b>name</b> & co"
    assert lines[-1].startswith("passed:")


def test_text_lists_five_unresolved_then_the_rest_with_verbose(empty: Analysis) -> None:
    many = [{"kind": "url", "reason": "dynamic", "path": f"a{i:02}.py", "line": i + 1} for i in range(8)]
    analysis = with_services(empty, many)
    short = text.render(analysis, ReportOptions())
    assert "a04.py:5" in short and "a05.py" not in short
    assert "    and 3 more unresolved (use --verbose)" in short
    assert "a07.py:8" in text.render(analysis, ReportOptions(verbose=True))


def test_markdown_section_with_a_table_of_locations(services: Analysis) -> None:
    out = markdown.render(services, ReportOptions())
    assert "### Service coverage" in out
    assert "3 services, 2 datastores, 14 call sites and 9 SQL statements read; 3 unresolved" in out
    assert "| `orders/db.py:40` | sql | table name is not a literal: name |" in out
    assert "topic \\<b>name\\</b> & co" in out  # no HTML from the analysed code
    assert out.startswith("## fitness: ✅ passed")


def test_markdown_lists_at_most_fifty(empty: Analysis) -> None:
    many = [{"kind": "sql", "reason": "dynamic", "path": "db.py", "line": i + 1} for i in range(60)]
    out = markdown.render(with_services(empty, many), ReportOptions())
    assert "`db.py:50`" in out and "`db.py:51`" not in out
    assert "…and 10 more" in out


def test_sarif_counts_in_run_properties_and_notes_in_the_invocation(services: Analysis) -> None:
    document = json.loads(sarif.render(services, ReportOptions(path_prefix="sys/")))
    validate(document)
    run = document["runs"][0]
    assert run["properties"]["serviceCoverage"] == {
        "text": LINE,
        "services": 3,
        "datastores": 2,
        "callSites": 14,
        "sqlStatements": 9,
        "settings": 5,
        "unresolved": 3,
        "unresolvedByKind": {"sql": 1, "topic": 1, "url": 1},
    }
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["note"] * 3
    first = notes[0]
    assert first["message"]["text"] == "unresolved topic: topic <b>name</b> & co"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "sys/billing/events.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3}
    assert run["results"] == []


def test_sarif_with_findings_and_unresolved_items_is_valid(full: Analysis) -> None:
    analysis = with_services(
        full, [*UNRESOLVED, {"kind": "name", "reason": "no file", "path": "", "line": 0}]
    )
    document = json.loads(sarif.render(analysis, ReportOptions(verbose=True)))
    validate(document)
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "locations" not in notes[0] and len(notes) == 4


def test_junit_properties_on_a_suite_that_cannot_fail(services: Analysis, full: Analysis) -> None:
    out = junit.render(services, ReportOptions(path_prefix="sys/"))
    root = ET.fromstring(out)
    assert (root.get("tests"), root.get("failures")) == ("0", "0")
    suite = next(s for s in root.iter("testsuite") if s.get("name") == junit.COVERAGE_SUITE)
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {
        "services": "3",
        "datastores": "2",
        "call_sites": "14",
        "sql_statements": "9",
        "settings": "5",
        "unresolved": "3",
        "unresolved.sql": "1",
        "unresolved.topic": "1",
        "unresolved.url": "1",
    }
    system_out = suite.findtext("system-out") or ""
    assert f"services: {LINE}" in system_out
    assert "unresolved sql: sys/orders/db.py:40 table name is not a literal: name" in system_out
    xml = JUnitXml.fromstring(out)
    xml.update_statistics()  # type: ignore[no-untyped-call]
    assert (xml.tests, xml.failures, xml.errors) == (0, 0, 0)
    # with findings: the same failures as without services
    failing = ET.fromstring(junit.render(with_services(full), ReportOptions())).get("failures")
    full.summary = replace(full.summary, service_scan=None)
    assert failing == ET.fromstring(junit.render(full, ReportOptions())).get("failures")


def test_github_one_notice_with_the_counts_and_ten_located(empty: Analysis, services: Analysis) -> None:
    lines = github.render(services, ReportOptions(path_prefix="sys/")).splitlines()
    assert lines[0] == f"::notice title=fitness service coverage::{LINE}"
    assert (
        lines[1]
        == "::notice file=sys/billing/events.py,line=3,title=unresolved topic::topic <b>name</b> & co"
    )
    assert lines[-1].startswith("fitness passed:")
    many = [{"kind": "url", "reason": "dynamic", "path": f"a{i:02}.py", "line": 1} for i in range(12)]
    lines = github.render(with_services(empty, many), ReportOptions()).splitlines()
    assert len([line for line in lines if line.startswith("::notice file=")]) == 10
    assert lines[0].endswith("; 10 annotated, 2 more in the text report")


def test_codequality_has_no_place_for_it(services: Analysis) -> None:
    assert json.loads(codequality.render(services, ReportOptions())) == []


def test_html_shows_the_counts_escaped(services: Analysis) -> None:
    page = html.render(services, ReportOptions())
    assert f"<b>Service coverage</b> {LINE}" in page
    assert "<code>orders/db.py:40</code> sql: table name is not a literal: name" in page
    assert "topic &lt;b&gt;name&lt;/b&gt; &amp; co" in page and "<b>name</b>" not in page


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_nothing_new_without_services(name: str, full: Analysis, empty: Analysis) -> None:
    for analysis in (full, empty):
        out = FORMATS[name](analysis, ReportOptions(verbose=True)).lower()
        assert not any(mark in out for mark in ("coverage", "unresolved", "services:", "sql statements"))
    assert "coverage" not in html.render(full, ReportOptions()).lower()


@pytest.mark.parametrize("name", sorted(set(FORMATS) - {"json"}))  # json: the summary as saved
def test_every_format_is_deterministic_with_services(name: str, services: Analysis) -> None:
    reordered = Analysis.from_json(json.loads(json.dumps(services.to_json())))
    scan = reordered.summary.service_scan
    assert scan is not None and len(scan.unresolved) == 3
    reversed_scan = replace(scan, unresolved=tuple(reversed(scan.unresolved)))
    reordered.summary = replace(reordered.summary, service_scan=reversed_scan)
    assert FORMATS[name](reordered, ReportOptions()) == FORMATS[name](services, ReportOptions())

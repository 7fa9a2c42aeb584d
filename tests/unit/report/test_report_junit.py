"""JUnit XML: read by junitparser (a real JUnit consumer) and by xml.etree; counts match the exit code."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from junitparser import Failure, JUnitXml

from fitness.model import Analysis, Severity
from fitness.report import ReportOptions, junit
from tests.unit.report.conftest import pure_violation


def parse(text: str) -> JUnitXml:
    xml = JUnitXml.fromstring(text)
    assert isinstance(xml, JUnitXml)
    return xml


def test_a_suite_per_rule_type_a_case_per_rule_a_failure_per_violation(full: Analysis) -> None:
    text = junit.render(full, ReportOptions())
    xml = parse(text)
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == ["forbidden", "hub-like", "layers", "max-instability", "no-external"]
    cases = {suite.name: [case.name for case in suite] for suite in xml}
    assert cases["no-external"] == ["no-orm"]  # a passing rule is a passing test
    assert cases["forbidden"] == ["domain-is-pure"]
    # only the new error fails: the layers error is known from the baseline, the warning is below --fail-on
    failed = {
        case.name: [r for r in case.result if isinstance(r, Failure)] for suite in xml for case in suite
    }
    assert {name: len(results) for name, results in failed.items() if results} == {"domain-is-pure": 1}
    assert len(full.failing(Severity.ERROR)) == 1
    failure = failed["domain-is-pure"][0]
    assert failure.message == "shop.domain imports forbidden shop.adapters"
    assert failure.type == "FIT102 error"
    assert "src/shop/domain/book.py:5: FIT102 error [domain-is-pure]" in failure.text
    assert "shop.services.x -> shop.adapters.db  (src/shop/services/x.py:3)" in failure.text
    assert "because: the domain must not know the database" in failure.text


def test_counts_in_attributes_match_what_junitparser_computes(full: Analysis) -> None:
    for fail_on in Severity:
        text = junit.render(full, ReportOptions(fail_on=fail_on))
        root = ET.fromstring(text)
        written = [(s.get("name"), s.get("tests"), s.get("failures")) for s in root.iter("testsuite")]
        total = (root.get("tests"), root.get("failures"))
        xml = parse(text)
        xml.update_statistics()
        assert [(s.name, str(s.tests), str(s.failures)) for s in xml] == written
        assert (str(xml.tests), str(xml.failures)) == total
        assert int(root.get("failures", "-1")) == len(full.failing(fail_on))
        assert root.get("tests") == str(len(list(root.iter("testcase"))))


def test_findings_that_do_not_fail_are_in_system_out(full: Analysis) -> None:
    root = ET.fromstring(junit.render(full, ReportOptions()))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    layers_out = cases["layers"].findtext("system-out") or ""
    assert "known from the baseline" in layers_out
    assert "below --fail-on" in (cases["kernel-is-stable"].findtext("system-out") or "")
    assert "fixed since the baseline" in (cases["domain-is-pure"].findtext("system-out") or "")
    assert cases["domain-is-pure"].get("file") == "src/shop/domain/book.py"
    assert cases["domain-is-pure"].get("classname") == "fitness.forbidden"


def test_empty_analysis_and_characters_xml_cannot_hold(empty: Analysis, full: Analysis) -> None:
    root = ET.fromstring(junit.render(empty, ReportOptions()))
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "0", "0")
    full.findings[0] = replace(pure_violation(), message="bad \x1b[31m <&> \x00 byte")
    text = junit.render(full, ReportOptions())
    failure = next(ET.fromstring(text).iter("failure"))
    assert failure.get("message") == "bad \ufffd[31m <&> \ufffd byte"
    assert parse(text)

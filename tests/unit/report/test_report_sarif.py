"""SARIF: valid against the official 2.1.0 schema, one descriptor per rule, locations, fingerprints, baseline."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest

from fitness.model import Analysis, ArchGraph, Location, Severity
from fitness.model.summary import Summary
from fitness.report import ReportOptions, sarif
from tests.unit.report.conftest import DATA, hub_info, layers_violation, pure_violation

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def render(analysis: Analysis, **options: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(sarif.render(analysis, ReportOptions(**options)))
    return document


def validate(document: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.mark.parametrize("verbose", [False, True])
def test_full_and_empty_results_are_valid_sarif_2_1_0(full: Analysis, empty: Analysis, verbose: bool) -> None:
    validate(render(full, verbose=verbose))
    validate(render(empty, verbose=verbose))
    assert render(full)["version"] == "2.1.0"


def test_one_descriptor_per_rule_with_help(full: Analysis) -> None:
    run = render(full)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [
        "FIT101/layers",
        "FIT102/domain-is-pure",
        "FIT107/no-orm",  # passes, still described
        "FIT109/kernel-is-stable",
        "FIT203/hub-like",  # a smell with findings
    ]
    pure = rules[1]
    assert pure["name"] == "domain-is-pure"
    assert "Source modules must not import forbidden modules." in pure["help"]["text"]
    assert "Why: the domain must not know the database" in pure["help"]["text"]
    assert "Fix: Invert the dependency." in pure["help"]["text"]
    assert "Decision: ADR 4" in pure["help"]["text"]
    assert pure["defaultConfiguration"]["level"] == "error"
    assert rules[3]["defaultConfiguration"]["level"] == "warning"
    assert "architecture" in pure["properties"]["tags"]


def test_results_locations_fingerprints_and_rule_index(full: Analysis) -> None:
    run = render(full)["runs"][0]
    results = {r["ruleId"]: r for r in run["results"] if r.get("baselineState") != "absent"}
    pure = results["FIT102/domain-is-pure"]
    assert run["tool"]["driver"]["rules"][pure["ruleIndex"]]["id"] == "FIT102/domain-is-pure"
    location = pure["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/shop/domain/book.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 5}
    assert pure["partialFingerprints"] == {"fitness/v1": pure_violation().fingerprint}
    assert pure["level"] == "error" and pure["kind"] == "fail"
    assert pure["message"]["text"].startswith("shop.domain imports forbidden shop.adapters")
    flows = pure["codeFlows"]
    assert len(flows) == 2
    steps = flows[1]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == [8, 3]
    warning = results["FIT109/kernel-is-stable"]
    assert warning["level"] == "warning" and "locations" not in warning  # no file to point at
    assert "FIT203/hub-like" not in results  # info hidden, as in the text report


def test_info_findings_are_notes_with_verbose(full: Analysis) -> None:
    results = render(full, verbose=True)["runs"][0]["results"]
    hub = next(r for r in results if r["ruleId"] == "FIT203/hub-like")
    assert hub["level"] == "note"
    assert hub["partialFingerprints"]["fitness/v1"] == hub_info().fingerprint


def test_baseline_states_new_unchanged_absent(full: Analysis) -> None:
    results = render(full)["runs"][0]["results"]
    states = {(r["ruleId"], r["baselineState"]) for r in results}
    assert states == {
        ("FIT102/domain-is-pure", "new"),
        ("FIT101/layers", "unchanged"),
        ("FIT109/kernel-is-stable", "new"),
        ("FIT102/domain-is-pure", "absent"),
    }
    absent = next(r for r in results if r["baselineState"] == "absent")
    assert (absent["kind"], absent["level"]) == ("pass", "none")
    assert absent["partialFingerprints"] == {"fitness/v1": "0123456789abcdef"}


def test_no_baseline_state_without_a_baseline(full: Analysis) -> None:
    full.baseline_state, full.stale = {}, []
    results = render(full)["runs"][0]["results"]
    assert results and all("baselineState" not in r for r in results)


def test_path_prefix_and_uri_escaping(full: Analysis) -> None:
    full.findings[0] = replace(pure_violation(), locations=(Location("src/my pkg/a#1.py", 2),))
    document = render(full, path_prefix="services/orders/")
    validate(document)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
        for loc in r.get("locations", [])
    }
    assert "services/orders/src/my%20pkg/a%231.py" in uris
    assert "services/orders/src/shop/services/lending.py" in uris


def test_same_input_same_bytes(full: Analysis) -> None:
    options = ReportOptions(fail_on=Severity.WARNING)
    assert sarif.render(full, options) == sarif.render(full, options)
    reordered = Analysis(full.root, full.graph, list(reversed(full.findings)), summary=full.summary)
    reordered.baseline_state, reordered.stale = full.baseline_state, full.stale
    assert sarif.render(reordered, options) == sarif.render(full, options)


def test_analysis_without_rule_descriptions_still_renders() -> None:
    """An analysis JSON from before the summary carried descriptions: rules come from the findings."""
    old_summary = {"rules": [{"id": "layers", "type": "layers", "code": "FIT101"}]}
    summary = Summary.from_json(old_summary)
    analysis = Analysis("shop", ArchGraph(), [layers_violation(), hub_info()], summary=summary)
    document = render(analysis)
    validate(document)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["FIT101/layers", "FIT203/hub-like"]
    assert rules[1]["help"]["text"].startswith("A package with fan-in and fan-out")  # from the catalog

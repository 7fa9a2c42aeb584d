"""Every registered reporter on an empty and a full result: text out, same bytes twice, JSON round trip."""

from __future__ import annotations

import json

import pytest

from fitness.model import Analysis
from fitness.report import FORMATS, ReportOptions, codequality


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_reporter_renders_empty_and_full(name: str, full: Analysis, empty: Analysis) -> None:
    for analysis in (empty, full):
        for options in (ReportOptions(), ReportOptions(verbose=True, path_prefix="x/")):
            text = FORMATS[name](analysis, options)
            assert text.endswith("\n")
            assert text == FORMATS[name](analysis, options)
    reloaded = Analysis.from_json(json.loads(json.dumps(full.to_json())))
    assert FORMATS[name](reloaded, ReportOptions()) == FORMATS[name](full, ReportOptions())


def test_formats_known() -> None:
    assert sorted(FORMATS) == ["codequality", "github", "json", "junit", "markdown", "sarif", "text"]


def test_codequality_issues(full: Analysis) -> None:
    issues = json.loads(codequality.render(full, ReportOptions(path_prefix="svc/")))
    assert [
        (i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
        for i in issues
    ] == [
        ("FIT101/layers", "major", "svc/src/shop/services/lending.py", 4),
        ("FIT102/domain-is-pure", "major", "svc/src/shop/domain/book.py", 5),
        ("FIT109/kernel-is-stable", "minor", "svc/fitness.yaml", 1),  # no file of its own: the config
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert all(i["type"] == "issue" and i["description"] for i in issues)

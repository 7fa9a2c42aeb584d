"""The text summary: severities without a baseline; new, known and stale with one."""

from __future__ import annotations

from fitness.model import Analysis
from fitness.report import ReportOptions, text


def test_with_a_baseline_the_summary_counts_new_known_and_stale(full: Analysis) -> None:
    out = text.render(full, ReportOptions()).splitlines()
    assert out[-1].startswith("FAILED: 3 new (1 error, 1 warning, 1 info), 1 known, 1 stale (")
    known = [line for line in out if line.endswith("(in baseline)")]
    assert len(known) == 1  # one line: its chains and fix only with --verbose
    assert out[out.index(known[0]) + 1] != "    chain:"
    assert "    chain:" in text.render(full, ReportOptions(verbose=True))


def test_without_a_baseline_the_summary_counts_severities(empty: Analysis) -> None:
    assert (
        text.render(empty, ReportOptions())
        .splitlines()[-1]
        .startswith("passed: 0 errors, 0 warnings, 0 infos (")
    )

"""GitHub workflow commands: level by severity, file/line/title, and the runner's escaping rules."""

from __future__ import annotations

from dataclasses import replace

from fitness.model import Analysis, Location
from fitness.report import ReportOptions, github
from tests.unit.report.conftest import pure_violation


def test_annotations_for_new_findings_by_severity(full: Analysis) -> None:
    lines = github.render(full, ReportOptions()).splitlines()
    assert lines[0].startswith(
        "::error file=src/shop/domain/book.py,line=5,title=FIT102 domain-is-pure::"
        "shop.domain imports forbidden shop.adapters%0Achain: shop.domain.book -> shop.adapters.db "
        "(src/shop/domain/book.py:5)%0Achain: "
    )
    assert lines[1] == "::warning title=FIT109 kernel-is-stable::shop.kernel has instability 0.50 > 0.30"
    assert not any("FIT101" in line for line in lines)  # known from the baseline: not what the PR changed
    assert (
        lines[-1] == "fitness FAILED: 3 new (1 error, 1 warning, 1 info), 1 known, 1 stale (failing on error)"
    )
    assert len(lines) == 3


def test_info_is_a_notice_with_verbose(full: Analysis) -> None:
    lines = github.render(full, ReportOptions(verbose=True)).splitlines()
    assert "::notice title=FIT203 hub-like::shop.core is a hub" in lines


def test_escaping_of_data_and_properties() -> None:
    assert github.escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert github.escape_property("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext%3A a%2Cb"


def test_text_from_the_code_cannot_start_a_new_command(full: Analysis) -> None:
    evil = replace(
        pure_violation(),
        rule="x,file=evil.py",
        message="boom\n::error file=other.py::injected",
        locations=(Location("src/a:b,c.py", 3),),
    )
    analysis = Analysis("shop", full.graph, [evil], summary=full.summary)
    lines = github.render(analysis, ReportOptions(path_prefix="sub/")).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=sub/src/a%3Ab%2Cc.py,line=3,title=FIT102 x%2Cfile=evil.py::boom%0A::error"
    )

"""Markdown: summary table, new violations first, the rest folded, a Mermaid graph with escaped labels."""

from __future__ import annotations

from dataclasses import replace

from fitness.model import Analysis, ChainLink, Severity
from fitness.report import ReportOptions, markdown
from tests.unit.report.conftest import pure_violation


def test_summary_table_new_first_then_folded_sections(full: Analysis) -> None:
    text = markdown.render(full, ReportOptions())
    assert text.startswith(
        "## fitness: ❌ FAILED: 3 new (1 error, 1 warning, 1 info), 1 known, 1 stale (failing on error)\n"
    )
    assert "12 modules, 30 imports, 4 rules, 1 known from the baseline, 1 fixed since" in text
    assert "| `domain-is-pure` | forbidden | FIT102 | ❌ 1 failing |" in text
    assert "| `no-orm` | no-external | FIT107 | ✅ passed |" in text
    assert "| `layers` | layers | FIT101 | ⚠️ 1 not failing |" in text
    order = [
        text.index("### New violations (1)"),
        text.index("**FIT102** error `domain-is-pure` at `src/shop/domain/book.py:5`"),
        text.index("<details><summary>Known from the baseline (not failing) (1)</summary>"),
        text.index("**FIT101** error `layers`"),
        text.index("<details><summary>Other findings (below --fail-on error) (1)</summary>"),
        text.index("<details><summary>Fixed since the baseline"),
        text.index("```mermaid"),
    ]
    assert order == sorted(order)
    assert "because: the domain must not know the database" in text
    assert "decision: ADR 4" in text


def test_mermaid_graph_of_the_failing_chains(full: Analysis) -> None:
    text = markdown.render(full, ReportOptions())
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    assert block[0] == "flowchart LR"
    labels = [line.strip() for line in block if line.strip().startswith("n") and "[" in line]
    assert labels == [
        'n0["shop.adapters.db"]',
        'n1["shop.domain.book"]',
        'n2["shop.domain.loan"]',
        'n3["shop.services.x"]',
    ]  # only the failing finding's chains: the baselined layers violation is not drawn
    assert '  n1 -->|"book.py:5"| n0' in block
    assert "  class n1,n2 offending" in block


def test_labels_and_text_are_escaped(full: Analysis) -> None:
    nasty = 'evil"]\nclick n0 "javascript:x"<b>`#'
    link = ChainLink("shop.domain.book", nasty, "src/x.py", 1)
    full.findings[0] = replace(pure_violation(), message="a | b <script> *x*", chains=((link,),))
    text = markdown.render(full, ReportOptions())
    assert "a \\| b \\<script> \\*x\\*" in text
    node = next(line for line in text.splitlines() if "evil" in line and "[" in line)
    assert node.count('"') == 2 and "<" not in node and "`" not in node and "\n" not in node
    assert markdown.mermaid_label('a"b#c<d>e&f`g') == "a#34;b#35;c#60;d#62;e#38;f#96;g"


def test_passing_analysis(empty: Analysis) -> None:
    text = markdown.render(empty, ReportOptions(fail_on=Severity.WARNING))
    assert text.startswith("## fitness: ✅ passed: 0 errors, 0 warnings, 0 infos (failing on warning)")
    assert "mermaid" not in text and "Violations" not in text


def test_without_baseline_the_section_is_just_violations(full: Analysis) -> None:
    full.baseline_state, full.stale = {}, []
    text = markdown.render(full, ReportOptions())
    assert "### Violations (2)" in text and "New violations" not in text and "baseline" not in text


def test_long_lists_are_cut(full: Analysis) -> None:
    many = [replace(pure_violation(), subjects=("shop.domain", f"shop.x{i}")) for i in range(60)]
    analysis = Analysis("shop", full.graph, many, summary=full.summary)
    text = markdown.render(analysis, ReportOptions())
    assert "…and 10 more" in text

"""Drafts from findings (selector, evidence, remedies, rule snippet) and FIT003 on stale decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fitness.adr import draft, enforce
from fitness.adr.remedies import BY_CODE, BY_RULE, KINDS, kind_of
from fitness.model import ChainLink, Finding, FitnessError, Location, Severity
from fitness.model.catalog import CATALOG
from fitness.model.decisions import AdrSettings
from fitness.model.rulespec import RuleSpec
from fitness.model.summary import DecisionSummary
from tests.unit.adr.conftest import WriteAdrs, madr, nygard

FORBIDDEN = Finding(
    code="FIT102",
    rule="domain-is-pure",
    severity=Severity.ERROR,
    message="shop.domain imports forbidden shop.adapters",
    subjects=("shop.domain", "shop.adapters"),
    locations=(Location("src/shop/domain/book.py", 5),),
    chains=(
        (
            ChainLink(
                "shop.domain.loan", "shop.services.catalog", "src/shop/domain/loan.py", 8, "from x import y"
            ),
            ChainLink("shop.services.catalog", "shop.adapters.db", "src/shop/services/catalog.py", 3),
        ),
    ),
    because="the domain must be testable without a database",
)
CYCLE = Finding(
    code="FIT201",
    rule="module-cycles",
    severity=Severity.WARNING,
    message="cycle of 2 modules",
    subjects=("shop.adapters.db", "shop.domain.book"),
    data={"breakers": [["shop.adapters.db", "shop.domain.book"]], "complete": True, "size": 2},
)
HUB = Finding("FIT203", "hub-like", Severity.INFO, "shop.core is a hub", ("shop.core",), data={"fan_out": 7})
SHARED = Finding(
    "FIT303", "shared-table", Severity.WARNING, "orders and billing write orders", ("table:orders",)
)
FINDINGS = [FORBIDDEN, CYCLE, HUB, SHARED]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (FORBIDDEN.fingerprint[:6], FORBIDDEN),
        (FORBIDDEN.fingerprint.upper(), FORBIDDEN),
        ("FIT102:domain-is-pure", FORBIDDEN),
        ("fit201:shop.domain.book", CYCLE),
        ("FIT203", HUB),
        ("shared-table", SHARED),
    ],
)
def test_select_by_fingerprint_code_rule_or_subject(selector: str, expected: Finding) -> None:
    assert draft.select(FINDINGS, selector) is expected


def test_select_refuses_ambiguous_and_unknown_selectors() -> None:
    twin = Finding("FIT102", "domain-is-pure", Severity.ERROR, "other", ("shop.domain", "shop.api"))
    with pytest.raises(FitnessError, match=r"matches 2 findings, pick one by fingerprint: .*FIT102"):
        draft.select([FORBIDDEN, twin], "FIT102:domain-is-pure")
    with pytest.raises(FitnessError, match="no finding matches 'FIT999' \\(4 findings\\)"):
        draft.select(FINDINGS, "FIT999")


def test_draft_values_hold_evidence_options_and_the_rule() -> None:
    values = draft.values(FORBIDDEN, 7)
    context = values["context"]
    assert "`fitness check` reports FIT102 (error, rule `domain-is-pure`" in context
    assert (
        "   - `shop.domain.loan` -> `shop.services.catalog` at src/shop/domain/loan.py:8: `from x import y`"
        in context
    )
    assert "at src/shop/services/catalog.py:3" in context
    assert [o["title"] for o in values["options"]] == [
        "Invert the dependency",
        "Move the code down",
        "Change the rule",
    ]
    assert all(o["good"] and o["bad"] for o in values["options"])
    assert "adr: 7" in values["consequences"] and values["chosen"] == draft.UNDECIDED
    assert draft.values(FORBIDDEN, 7, "madr")["consequences"] == ""


def test_rule_snippets_are_valid_yaml_rules_pointing_to_the_decision() -> None:
    cycle = yaml.safe_load(draft.rule_snippet(CYCLE, 4))
    assert cycle == [
        {
            "id": "db-does-not-import-book",
            "type": "forbidden",
            "source_modules": ["shop.adapters.db"],
            "forbidden_modules": ["shop.domain.book"],
            "because": "Break the import cycle between shop.adapters.db and shop.domain.book (ADR 4)",
            "adr": 4,
        }
    ]
    assert yaml.safe_load(draft.rule_snippet(FORBIDDEN, 4)) == [{"id": "domain-is-pure", "adr": 4}]
    assert '# ignore: [{import: "shop.services.catalog -> shop.adapters.db"' in draft.rule_snippet(
        FORBIDDEN, 4
    )
    assert yaml.safe_load(draft.rule_snippet(HUB, 4))[0]["type"] == "max-fan-out"
    assert yaml.safe_load(draft.rule_snippet(SHARED, 4)) == {
        "analysis": {"shared_tables": {"severity": "error"}}
    }


def test_remedies_catalogue_covers_every_mapped_code_and_shared_tables() -> None:
    assert set(BY_CODE.values()) | set(BY_RULE.values()) <= set(KINDS)
    options = [r.title for r in kind_of("FIT303", "shared-table").remedies]
    assert options == [
        "Database per service behind an API",
        "Replicate through events with an outbox",
        "Declare common ownership of reference data",
    ]
    assert [r.title for r in kind_of("FIT201", "module-cycles").remedies] == [
        "Invert the dependency",
        "Merge the modules",
        "Move the shared piece to a third module",
    ]
    assert kind_of("ACME001", "no-utils").name == "finding"
    assert draft.title(CYCLE) == "Break the import cycle between shop.adapters.db and shop.domain.book"


def spec(rule_id: str, adr: int | None, line: int = 4) -> RuleSpec:
    return RuleSpec(id=rule_id, type="forbidden", adr=adr, line=line, source="fitness.yaml")


def test_fit003_missing_rejected_deprecated_and_superseded_with_successor(
    write_adrs: WriteAdrs, tmp_path: Path
) -> None:
    write_adrs(
        {
            "0001-a.md": nygard(1, "A"),
            "0002-b.md": nygard(2, "B", "Superseded by [3. C](0003-c.md)"),
            "0003-c.md": nygard(3, "C", "Superseded by [4. D](0004-d.md)", "Supersedes [2. B](0002-b.md)"),
            "0004-d.md": madr("D", "accepted", more="Supersedes [3. C](0003-c.md)"),
            "0005-e.md": nygard(5, "E", "Rejected"),
            "0006-f.md": madr("F", "deprecated"),
        }
    )
    specs = [
        spec("ok", 1),
        spec("old", 2),
        spec("gone", 9),
        spec("no", 5),
        spec("dep", 6),
        spec("none", None),
    ]
    findings = enforce.decision_findings(tmp_path, AdrSettings(), specs)
    first = findings[0]
    assert (first.code, first.rule, first.severity, first.locations) == (
        "FIT003",
        "old",
        Severity.WARNING,
        (Location("fitness.yaml", 4),),
    )
    assert [f.message for f in findings] == [
        "rule 'old' enforces ADR 2 (B), which is superseded by ADR 4 (D) (via ADR 3)",
        "rule 'gone' enforces ADR 9, which does not exist in docs/adr",
        "rule 'no' enforces ADR 5 (E), which was rejected",
        "rule 'dep' enforces ADR 6 (F), which is deprecated",
    ]
    assert findings[0].fix.startswith("point the rule at the successor (`adr: 4`)")
    assert "FIT003" in CATALOG


def test_fit003_without_an_adr_folder_and_without_linked_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert enforce.decision_findings(tmp_path, AdrSettings(), [spec("x", None)]) == []
    [finding] = enforce.decision_findings(tmp_path, AdrSettings(), [spec("x", 3)])
    assert finding.message == "rule 'x' enforces ADR 3, which does not exist in docs/adr (no ADR folder)"


def test_rule_states_count_only_the_rules_own_violations() -> None:
    specs = [spec("domain-is-pure", 7), spec("quiet", 7)]
    stale = Finding("FIT002", "quiet", Severity.WARNING, "unused ignore", ("quiet", "a -> b"))
    states = enforce.rule_states(specs, [FORBIDDEN, stale])
    assert [(s.spec.id, s.holds, len(s.findings)) for s in states] == [
        ("domain-is-pure", False, 1),
        ("quiet", True, 0),
    ]


def test_decision_summary_lists_each_linked_decision_with_its_rules(
    write_adrs: WriteAdrs, tmp_path: Path
) -> None:
    write_adrs({"0001-a.md": nygard(1, "A"), "0002-b.md": madr("B", "proposed")})
    specs = [spec("y", 1), spec("x", 1), spec("z", 2), spec("w", 9), spec("none", None)]
    assert enforce.decision_summary(tmp_path, AdrSettings(), specs) == {
        1: DecisionSummary("A", "Accepted", "docs/adr/0001-a.md", ("x", "y")),
        2: DecisionSummary("B", "Proposed", "docs/adr/0002-b.md", ("z",)),
        9: DecisionSummary("", "missing", "", ("w",)),
    }
    assert enforce.decision_summary(tmp_path, AdrSettings(), [spec("none", None)]) == {}

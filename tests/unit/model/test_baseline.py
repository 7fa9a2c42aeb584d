from __future__ import annotations

import pytest

from fitness.model import Finding, FitnessError, Severity
from fitness.rules import baseline


def finding(subjects: tuple[str, ...]) -> Finding:
    return Finding("FIT102", "pure", Severity.ERROR, "m", subjects)


def test_document_is_sorted_and_deduplicated() -> None:
    doc = baseline.to_document([finding(("b", "c")), finding(("a", "b")), finding(("a", "b"))])
    assert [entry["subjects"] for entry in doc["findings"]] == [["a", "b"], ["b", "c"]]


def test_compare_new_unchanged_and_stale() -> None:
    known = baseline.from_document(baseline.to_document([finding(("a", "b")), finding(("x", "y"))]), "b.json")
    states, stale = baseline.compare([finding(("a", "b")), finding(("c", "d"))], known)
    assert sorted(states.values()) == ["new", "unchanged"]
    assert [entry["subjects"] for entry in stale] == [["x", "y"]]


@pytest.mark.parametrize(
    "data", [[], {"version": 1}, {"version": 9, "findings": []}, {"version": 1, "findings": [{}]}]
)
def test_corrupt_documents_are_refused(data: object) -> None:
    with pytest.raises(FitnessError):
        baseline.from_document(data, "b.json")


def with_imports(*imports: tuple[str, str]) -> Finding:
    return Finding("FIT102", "pure", Severity.ERROR, "m", ("a", "b"), imports=imports)


def test_fingerprint_covers_the_imports_but_not_their_order() -> None:
    one = with_imports(("a.x", "b.y"))
    assert one.fingerprint != finding(("a", "b")).fingerprint
    assert one.subject_key == finding(("a", "b")).fingerprint  # the version 1 fingerprint
    both = with_imports(("a.z", "b.y"), ("a.x", "b.y"))
    assert both.fingerprint == with_imports(("a.x", "b.y"), ("a.z", "b.y")).fingerprint
    assert both.fingerprint != one.fingerprint
    assert Finding.from_json(both.to_json()).fingerprint == both.fingerprint


def test_a_new_import_is_new_and_a_fixed_one_is_not() -> None:
    known = baseline.from_document(baseline.to_document([with_imports(("a.x", "b.y"), ("a.z", "b.y"))]), "b")
    findings, states, stale = baseline.apply([with_imports(("a.x", "b.y")), finding(("c", "d"))], known)
    assert states == {findings[0].fingerprint: "unchanged", findings[1].fingerprint: "new"}
    assert stale == []
    findings, states, stale = baseline.apply([with_imports(("a.x", "b.y"), ("a.w", "b.y"))], known)
    assert list(states.values()) == ["new"]
    assert findings[0].data["new_imports"] == ["a.w -> b.y"]
    assert stale == []  # outgrown, not fixed


def test_version_1_matches_by_subjects_and_warns() -> None:
    old = {"version": 1, "findings": [{"fingerprint": finding(("a", "b")).fingerprint, "code": "FIT102"}]}
    known = baseline.from_document(old, "old.json")
    states, stale = baseline.compare([with_imports(("a.x", "b.y"))], known)
    assert list(states.values()) == ["unchanged"] and stale == []
    (warning,) = known.warnings()
    assert warning.startswith("old.json: baseline version 1 matches findings by rule and subjects only")
    assert baseline.update_messages([], known)[0].startswith("migrated old.json from baseline version 1")
    assert baseline.update_messages([with_imports(("a.x", "b.y"))], known) == [
        "migrated old.json from baseline version 1 (rule and subjects) to version 2 (rule, subjects and "
        "the imports behind each finding)"
    ]

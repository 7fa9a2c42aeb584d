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

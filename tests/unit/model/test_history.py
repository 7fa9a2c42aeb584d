"""The pure side of history: windows, filters, churn and code-maat's co-change (no git needed)."""

from __future__ import annotations

from datetime import date

import pytest

from fitness.model.history import Commit, churn, co_changes, degree, parse_since, skip_reason


@pytest.mark.parametrize(
    ("text", "newest", "cutoff"),
    [
        ("12 months", date(2024, 3, 31), date(2023, 3, 31)),
        ("1 month", date(2024, 3, 31), date(2024, 2, 29)),  # clamped to the month's last day
        ("2 years ago", date(2024, 2, 29), date(2022, 2, 28)),
        ("6 weeks", date(2024, 3, 1), date(2024, 1, 19)),
        ("90 days", date(2024, 3, 31), date(2024, 1, 1)),
        ("2023-05-06", date(2024, 3, 31), date(2023, 5, 6)),
        ("all", date(2024, 3, 31), None),
    ],
)
def test_windows(text: str, newest: date, cutoff: date | None) -> None:
    assert parse_since(text).cutoff(newest) == cutoff


@pytest.mark.parametrize("text", ["", "soon", "0 days", "12 fortnights", "2024-13-01", "-3 months"])
def test_bad_windows_say_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="12 months"):
        parse_since(text)


def commit(files: list[str], author: str = "Ann", email: str = "a@x", parents: int = 1) -> Commit:
    return Commit("f" * 40, author, email, "2024-01-01", "s", tuple((f, 1) for f in files), parents)


def test_skip_reasons() -> None:
    assert skip_reason(commit(["a.py"]), 30) is None
    assert skip_reason(commit(["a.py"], parents=2), 30) == "merges"
    for who, mail in [
        ("dependabot[bot]", "x"),
        ("Renovate Bot", "x"),
        ("x", "41898282+github-actions[bot]@users.noreply.github.com"),
        ("pre-commit-ci", "x"),
        ("some[bot]", "x"),
    ]:
        assert skip_reason(commit(["a.py"], who, mail), 30) == "bots"
    assert skip_reason(commit([]), 30) == "empty"
    assert skip_reason(commit(["poetry.lock", "web/package-lock.json", "Cargo.lock"]), 30) == "lockfile_only"
    assert skip_reason(commit(["poetry.lock", "pyproject.toml"]), 30) is None
    assert skip_reason(commit([f"f{i}" for i in range(31)]), 30) == "large"
    assert skip_reason(commit([f"f{i}" for i in range(30)]), 30) is None


def test_churn_counts_a_commit_once_per_entity() -> None:
    commits = [
        Commit("1" * 40, "Ann", "a", "2024-01-02", "s", (("p/a.py", 3), ("p/b.py", 4))),
        Commit("2" * 40, "Bob", "b", "2024-01-01", "s", (("p/a.py", 1),)),
    ]
    rows = churn(commits, {"p/a.py": ("a", "p"), "p/b.py": ("b", "p")})
    assert rows["p"].to_attrs() == {"commits": 2, "lines": 8, "authors": 2, "last_change": "2024-01-02"}
    assert rows["b"].to_attrs() == {"commits": 1, "lines": 4, "authors": 1, "last_change": "2024-01-02"}


def test_co_change_follows_code_maat() -> None:
    # a: 10 commits, b: 6, shared 6 -> 6 / 8 = 75%; c: 5 commits, shared 2 with a -> under min_shared
    sets = [(f"c{i}", ["a", "b"]) for i in range(6)]
    sets += [(f"d{i}", ["a"]) for i in range(2)] + [(f"e{i}", ["a", "c"]) for i in range(2)]
    sets += [(f"f{i}", ["c"]) for i in range(3)]
    (pair,) = co_changes(sets)
    assert (pair.a, pair.b, pair.shared, pair.revisions_a, pair.revisions_b, pair.degree) == (
        "a",
        "b",
        6,
        10,
        6,
        75.0,
    )
    assert pair.commits == ("c0", "c1", "c2", "c3", "c4")  # the first five seen (newest first)
    assert [p.b for p in co_changes(sets, min_shared=2, min_degree=0)] == ["b", "c"]
    assert co_changes(sets, min_degree=75.1) == []
    assert co_changes(sets, min_revisions=11) == []
    assert degree(1, 1, 2) == pytest.approx(66.6667, abs=1e-3)
    assert co_changes(sets, min_shared=2, min_degree=0)[1].degree == 26.7  # 2 / 7.5, one decimal

"""Churn and co-change from real git repositories with scripted, dated commits (tests.git_helpers)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from fitness.collect.git.history import collect_history, parse_log
from fitness.model import ArchGraph, EdgeKind, NodeKind
from fitness.model.history import HistorySettings
from tests.git_helpers import commit_files, git, init_repo, shop_history

SETTINGS = HistorySettings()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shop_history(tmp_path_factory.mktemp("history") / "repo")


def shop_graph(prefix: str = "") -> ArchGraph:
    """Modules of shop/ (paths relative to the analysed root) and three services: orders and billing
    own folders, catalog owns its modules (CONTAINS edges), as a service declared by packages would."""
    graph = ArchGraph()
    for name in ("shop", "shop.orders", "shop.billing", "shop.catalog"):
        path = prefix + name.replace(".", "/") + "/__init__.py"
        graph.add_node(NodeKind.MODULE, name, {"path": path, "is_package": True})
    for name in ("shop.orders.api", "shop.billing.api", "shop.catalog.new"):
        graph.add_node(NodeKind.MODULE, name, {"path": prefix + name.replace(".", "/") + ".py"})
    graph.add_node(NodeKind.SERVICE, "orders", {"folders": [prefix + "shop/orders"]})
    graph.add_node(NodeKind.SERVICE, "billing", {"folders": [prefix + "shop/billing/"]})
    graph.add_node(NodeKind.SERVICE, "catalog", {"folders": []})
    for module in ("shop.catalog", "shop.catalog.new"):
        graph.add_edge("service:catalog", f"module:{module}", EdgeKind.CONTAINS)
    return graph


def churn_of(graph: ArchGraph, identifier: str) -> dict[str, object]:
    return dict(graph.node(identifier).attrs["churn"])


def test_churn_is_exact(repo: Path) -> None:
    graph = shop_graph()
    scan = collect_history(graph, repo, SETTINGS, depth=2, progress=False)
    assert scan.available and scan.reason == ""
    # c1-c8 and c13 touch orders/api.py; c2 is by a Latin-1 name (decoded with replacement characters)
    assert churn_of(graph, "module:shop.orders.api") == {
        "commits": 9,
        "lines": 9,
        "authors": 2,
        "last_change": "2024-01-13",
    }
    # a package counts every file below it: the logo (binary: 0 lines) and __init__.py add no lines
    assert churn_of(graph, "module:shop.orders") == churn_of(graph, "module:shop.orders.api")
    assert churn_of(graph, "module:shop.billing.api")["commits"] == 6
    # renamed: old.py's history (c9-c13: 10 + 4 lines) belongs to new.py, plus the rename itself
    assert churn_of(graph, "module:shop.catalog.new") == {
        "commits": 6,
        "lines": 14,
        "authors": 1,
        "last_change": "2024-01-18",
    }
    assert churn_of(graph, "module:shop") == {
        "commits": 14,
        "lines": 29,
        "authors": 2,
        "last_change": "2024-01-18",
    }
    assert churn_of(graph, "service:orders")["commits"] == 9
    assert churn_of(graph, "service:billing") == {
        "commits": 6,
        "lines": 6,
        "authors": 2,
        "last_change": "2024-01-06",
    }
    assert churn_of(graph, "service:catalog")["commits"] == 6  # through CONTAINS, no folders


def test_summary_counts_what_was_skipped(repo: Path) -> None:
    scan = collect_history(shop_graph(), repo, SETTINGS, depth=2, progress=False)
    summary = scan.summary()
    assert summary.commits == 14
    assert summary.skipped == {"merges": 1, "bots": 1, "lockfile_only": 1, "large": 1, "empty": 1}
    assert summary.shallow is False and summary.truncated is False
    assert summary.since == "2023-01-18"  # 12 months before the newest commit, not before today
    assert scan.warnings == []
    authors = {commit.author for commit in scan.commits}
    assert authors == {"Test", "Jos\u00e9 Garc\u00eda"}  # git commit re-encodes Latin-1 names to UTF-8


def test_author_names_that_are_not_utf8(tmp_path: Path) -> None:
    """fast-import stores the bytes as given (git commit would re-encode them): decoded with U+FFFD."""
    root = init_repo(tmp_path / "r")
    stream = (
        b"commit refs/heads/main\nauthor Jos\xe9 <j@x.invalid> 1704110400 +0000\n"
        b"committer Jos\xe9 <j@x.invalid> 1704110400 +0000\ndata 3\nhi\nM 644 inline a.py\ndata 2\nx\n\n"
    )
    subprocess.run(["git", "fast-import", "--quiet"], input=stream, cwd=root, check=True, capture_output=True)
    graph = ArchGraph()
    graph.add_node(NodeKind.MODULE, "a", {"path": "a.py"})
    scan = collect_history(graph, root, SETTINGS, 2, False)
    assert [c.author for c in scan.commits] == ["Jos\ufffd"]
    assert churn_of(graph, "module:a") == {
        "commits": 1,
        "lines": 1,
        "authors": 1,
        "last_change": "2024-01-01",
    }


def test_co_change_degree_is_exact(repo: Path) -> None:
    graph = shop_graph()
    scan = collect_history(graph, repo, SETTINGS, depth=2, progress=False)
    edges = {(e.source, e.target): e for e in graph.edges(EdgeKind.CO_CHANGES)}
    # 6 shared of 6 and 9 commits: 6 / 7.5 = 80%; catalog shares 1 commit with orders: under min_shared
    assert sorted(edges) == [
        ("module:shop.billing", "module:shop.orders"),
        ("service:billing", "service:orders"),
    ]
    for edge in edges.values():
        assert dict(edge.attrs) == {"degree": 80.0, "shared": 6, "revisions": [6, 9]}
        assert len(edge.evidence) == 5 and all(e.how == "git" for e in edge.evidence)
        assert all(" c" in e.text and "orders and billing" in e.text for e in edge.evidence)
    assert scan.summary().co_changes == {"services": 1, "packages": 1}


def test_thresholds_are_configurable(repo: Path) -> None:
    loose = replace(SETTINGS, min_shared=1, min_revisions=1, min_degree=10)
    graph = shop_graph()
    collect_history(graph, repo, loose, depth=2, progress=False)
    pairs = {(e.source, e.target): e.attrs["degree"] for e in graph.edges(EdgeKind.CO_CHANGES)}
    # catalog (6) and orders (9) share c13: 1 / 7.5 = 13.3%
    assert pairs[("service:catalog", "service:orders")] == 13.3
    strict = replace(SETTINGS, min_degree=80.1)
    graph = shop_graph()
    collect_history(graph, repo, strict, depth=2, progress=False)
    assert graph.edges(EdgeKind.CO_CHANGES) == []


def test_window_max_commits_and_changeset_size(repo: Path) -> None:
    graph = shop_graph()
    scan = collect_history(graph, repo, replace(SETTINGS, since="2024-01-07"), depth=2, progress=False)
    assert scan.summary().since == "2024-01-07"
    assert churn_of(graph, "module:shop.billing.api")["commits"] == 0
    assert churn_of(graph, "module:shop.orders.api")["commits"] == 3  # c7, c8, c13
    scan = collect_history(shop_graph(), repo, replace(SETTINGS, max_commits=3), depth=2, progress=False)
    assert scan.truncated and any("max_commits" in w for w in scan.warnings)
    assert len(scan.commits) + sum(scan.skipped.values()) == 3
    scan = collect_history(
        shop_graph(), repo, replace(SETTINGS, max_changeset_size=1), depth=2, progress=False
    )
    assert scan.skipped["large"] == 1 + 6 + 2 + 1  # bulk, c1-c6, c7 and c13 with two files, c9


def test_subfolder_root_maps_paths_relative_to_it(repo: Path) -> None:
    graph = ArchGraph()
    graph.add_node(NodeKind.MODULE, "orders.api", {"path": "orders/api.py"})
    graph.add_node(NodeKind.SERVICE, "orders", {"folders": ["orders"]})
    scan = collect_history(graph, repo / "shop", SETTINGS, depth=1, progress=False)
    assert scan.available
    assert churn_of(graph, "module:orders.api")["commits"] == 9
    assert churn_of(graph, "service:orders")["commits"] == 9
    assert scan.skipped["lockfile_only"] == 0  # poetry.lock is outside the analysed folder


def test_shallow_clone_warns(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo}", str(clone))
    scan = collect_history(shop_graph(), clone, SETTINGS, depth=2, progress=False)
    assert scan.available and scan.shallow
    assert any("history is truncated (shallow clone)" in w for w in scan.warnings)


def test_not_a_repository_or_no_git_or_no_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    graph = shop_graph()
    scan = collect_history(graph, plain, SETTINGS, depth=2, progress=False)
    assert not scan.available and scan.reason == "not a git repository"
    assert scan.warnings and "not a git repository" in scan.warnings[0]
    assert "churn" not in graph.node("module:shop.orders").attrs
    quiet = collect_history(ArchGraph(), plain, SETTINGS, 2, False, required=False)
    assert quiet.reason == "not a git repository" and quiet.warnings == []
    empty = init_repo(tmp_path / "empty")
    assert collect_history(ArchGraph(), empty, SETTINGS, 2, False).reason == "no commits yet"
    disabled = collect_history(ArchGraph(), empty, replace(SETTINGS, enabled=False), 2, False)
    assert "disabled" in disabled.reason and disabled.warnings == []
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert collect_history(ArchGraph(), plain, SETTINGS, 2, False).reason == "git is not installed"


def test_only_bots_and_lockfiles_leave_nothing(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    commit_files(root, {"a.py": "x\n"}, "init", "2024-03-01", author="renovate", email="r@x.invalid")
    commit_files(
        root, {"a.py": "y\n"}, "ci", "2024-03-02", author="Bot", email="41898282+github-actions[bot]@users"
    )
    commit_files(root, {"go.sum": "x\n", "web/yarn.lock": "y\n"}, "locks", "2024-03-03")
    scan = collect_history(ArchGraph(), root, SETTINGS, 2, False)
    assert scan.commits == [] and scan.skipped["bots"] == 2 and scan.skipped["lockfile_only"] == 1


def test_parse_log_handles_renames_binaries_and_chunk_boundaries() -> None:
    raw = (
        b"\x01aaa\x1fp1\x1fAnn\x1fa@x\x1f2024-01-02\x1fsecond\0\n"
        b"3\t1\t\0old.py\0new.py\0-\t-\tlogo.png\0"
        b"\x01bbb\x1f\x1fBob \xff\x1fb@x\x1f2024-01-01\x1ffirst\0\n"
        b"2\t0\told.py\0"
    )
    chunks = [raw[i : i + 7] for i in range(0, len(raw), 7)]
    parsed = list(parse_log(chunks))
    assert [(c.sha, c.files, c.parents) for c, _ in parsed] == [
        ("aaa", (("new.py", 4), ("logo.png", 0)), 1),
        ("bbb", (("old.py", 2),), 0),
    ]
    assert parsed[0][1] == [("old.py", "new.py")] and parsed[1][0].author == "Bob \ufffd"

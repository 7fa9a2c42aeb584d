"""``fitness report``: the README's command, ``--from`` a saved analysis, no Graphviz, and the gallery."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.conftest import EXAMPLES, REPO, run_fitness, run_fitness_process

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


@needs_dot
def test_report_then_same_page_from_the_saved_analysis(tmp_path: Path) -> None:
    project = tmp_path / "layered"
    shutil.copytree(EXAMPLES / "layered", project)
    assert "fitness report -o reports/index.html " in (REPO / "README.md").read_text(encoding="utf-8")
    result = run_fitness("report", "-o", "reports/index.html", cwd=project)  # the README's command
    assert result.returncode == 0, result.stderr
    page = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 2 and "http://" not in page.replace("http://www.w3.org/", "")
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert "fitness check --format json=analysis.json --graph full && fitness report --from" in (
        REPO / "README.md"
    ).read_text(encoding="utf-8")
    run_fitness("check", "--format", "json=analysis.json", "--graph", "full", cwd=project)
    again = run_fitness_process(  # another process: another hash seed
        "report", "--from", "analysis.json", "-o", "again.html", cwd=project
    )
    assert again.returncode == 0, again.stderr
    assert (project / "again.html").read_text(encoding="utf-8") == page


def test_report_from_a_file_that_is_not_an_analysis(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"schema_version": 99}')
    result = run_fitness("report", "--from", str(tmp_path / "a.json"), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 2 and "newer fitness" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_without_graphviz_the_report_lists_graphs_as_text(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()  # a PATH without dot
    out = tmp_path / "shop.html"
    result = subprocess.run(
        [sys.executable, "-m", "fitness", "report", str(EXAMPLES / "shop"), "-o", str(out), "--no-cache"],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(bare)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Graphviz's dot program is missing" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<svg" not in page and page.count('class="adjacency"') >= 3


@needs_dot
def test_committed_gallery_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gallery", REPO / "tools" / "gallery.py")
    assert spec is not None and spec.loader is not None
    gallery = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gallery)
    pages = gallery.gallery(EXAMPLES)
    assert sorted(pages) == [
        "index.html",
        "layered-fixed.html",
        "layered.html",
        "shop-fixed.html",
        "shop.html",
    ]
    assert gallery.stale(pages, REPO / "reports") == [], "run `make gallery`"

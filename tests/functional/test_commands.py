"""Every command the README shows, run as a user would run it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.functional.conftest import REPO, run_fitness


def test_make_demo_commands_behave_as_the_readme_says(tmp_path: Path) -> None:
    makefile = (REPO / "Makefile").read_text()
    demo = makefile.split("\ndemo:")[1].split("\n\n")[0]
    commands = re.findall(r"\$\(BIN\)/fitness (.+)", demo)
    assert commands == [
        "check examples/layered",
        "check examples/layered-fixed",
        "graph examples/layered --level packages --format mermaid",
        "check examples/shop",
        "report examples/shop -o build/shop-report.html",
    ]
    out = tmp_path / "shop-report.html"
    runs = [command.replace("build/shop-report.html", str(out)).split() for command in commands]
    codes = [run_fitness(*args, "--no-cache").returncode for args in runs]
    assert codes == [1, 0, 0, 1, 0]
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_readme_names_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_python_dash_m_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "fitness", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("fitness ")


def test_graph_formats(example_copy) -> None:
    example = str(example_copy("layered"))
    dot = run_fitness("graph", example, "--level", "packages", "--format", "dot", "--no-cache")
    assert dot.returncode == 0
    assert '"bookshelf.domain" -> "bookshelf.services" [color="#c92a2a"];' in dot.stdout
    data = json.loads(run_fitness("graph", example, "--level", "modules", "--format", "json").stdout)
    edges = {(e["source"], e["target"]) for e in data["edges"]}
    assert ("bookshelf.domain.book", "bookshelf.adapters.db") in edges
    on_cycle = {n["id"] for n in data["nodes"] if n["on_cycle"]}
    assert on_cycle == {"bookshelf.adapters.db", "bookshelf.domain.book"}
    mermaid = run_fitness("graph", example, "--format", "mermaid", "--level", "packages")
    assert mermaid.stdout.startswith("flowchart LR\n")
    assert run_fitness("graph", example, "--format", "png").returncode == 2


def test_graphml_reads_back_as_the_json_graph(example_copy, tmp_path) -> None:
    """GraphML for Gephi, yEd or networkx: the same nodes, edges and fields as the JSON format."""
    import networkx as nx

    example = str(example_copy("layered"))
    data = json.loads(run_fitness("graph", example, "--level", "modules", "--format", "json").stdout)
    first = run_fitness("graph", example, "--level", "modules", "--format", "graphml")
    assert first.returncode == 0 and first.stdout.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert run_fitness("graph", example, "--level", "modules", "--format", "graphml").stdout == first.stdout
    (tmp_path / "modules.graphml").write_text(first.stdout)
    graph = nx.read_graphml(tmp_path / "modules.graphml")
    assert graph.graph["level"] == "modules"
    assert {n: (a["kind"], a["on_cycle"]) for n, a in graph.nodes(data=True)} == {
        n["id"]: (n["kind"], n["on_cycle"]) for n in data["nodes"]
    }
    assert {(s, t): a["imports"] for s, t, a in graph.edges(data=True)} == {
        (e["source"], e["target"]): e["imports"] for e in data["edges"]
    }


def test_path_prints_chains_with_file_and_line(example_copy) -> None:
    example = str(example_copy("layered"))
    result = run_fitness("path", "bookshelf.domain", "bookshelf.adapters", example, "--no-cache")
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == [
        "chain 1 (1 import):",
        "  bookshelf.domain.book -> bookshelf.adapters.db  (src/bookshelf/domain/book.py:5)  "
        "`from bookshelf.adapters.db import connect`",
    ]
    none = run_fitness("path", "bookshelf.api", "bookshelf.notifications.templates", example)
    assert none.returncode == 0 or "does not import" in none.stdout
    missing = run_fitness("path", "bookshelf.nope", "bookshelf.api", example)
    assert missing.returncode == 2
    assert "no module 'bookshelf.nope'" in missing.stderr


def test_path_reports_absence_with_exit_1(example_copy) -> None:
    example = str(example_copy("layered-fixed"))
    result = run_fitness("path", "bookshelf.domain", "bookshelf.api", example, "--no-cache")
    assert result.returncode == 1
    assert "bookshelf.domain does not import bookshelf.api" in result.stdout


def test_explain_codes_and_rule_types() -> None:
    for code in ("FIT101", "FIT102", "FIT106", "FIT201", "FIT204", "layers", "public-api"):
        result = run_fitness("explain", code)
        assert result.returncode == 0, code
        assert "Example:" in result.stdout and "Fix:" in result.stdout
    unknown = run_fitness("explain", "FIT999")
    assert unknown.returncode == 2
    assert "known codes: FIT002" in unknown.stderr


def test_init_writes_a_starter_config_that_checks(example_copy) -> None:
    example = example_copy("layered-fixed")
    (example / "fitness.yaml").unlink()
    result = run_fitness("init", str(example))
    assert result.returncode == 0, result.stderr
    text = (example / "fitness.yaml").read_text()
    assert "packages:\n- bookshelf" in text and "root:\n- src" in text
    assert (
        "  - id: unit-layers\n    type: layers\n    containers: [bookshelf]\n" in text
    )  # they hold: proposed
    assert text.index("    - api") < text.index("    - services") < text.index("    - domain")
    assert run_fitness("check", str(example), "--no-cache").returncode == 0


def test_readme_config_reference_is_generated_from_the_registry() -> None:
    """The rule reference and code table in README.md match the code (tools/readme_reference.py)."""
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "readme_reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    from fitness.rules.registry import rule_types

    readme = (REPO / "README.md").read_text()
    for rule in rule_types().values():
        assert f"#### `{rule.name}` ({rule.code})" in readme

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import fitness.analyze
from fitness.analyze import analyze
from fitness.model.findings import Finding, Severity
from fitness.model.graph import ArchGraph
from fitness.model.thresholds import AnalysisSettings, SmellSettings
from fitness.model.views import ImportView

ANALYZE_DIR = Path(fitness.analyze.__file__).parent

# Module cycle a.x <-> a.y inside package a, and package cycle a <-> b through a.y -> b.z -> a.x.
TANGLED = [("a.x", "a.y"), ("a.y", "a.x"), ("a.y", "b.z"), ("b.z", "a.x")]


def test_analyze_returns_metrics_and_sorted_findings(view_of):
    metrics, findings = analyze(view_of(TANGLED), AnalysisSettings(), depth=1)
    assert sorted(metrics) == ["modules", "packages", "system"]
    assert sorted(metrics["packages"]) == ["a", "b"]
    assert [(f.code, f.subjects) for f in findings] == [
        ("FIT201", ("a.x", "a.y", "b.z")),
        ("FIT202", ("a", "b")),
    ]
    assert findings == sorted(findings, key=Finding.sort_key)
    json.dumps([f.to_json() for f in findings])  # data must be plain JSON
    json.dumps(metrics)


def test_analyze_with_every_smell_off_reports_only_metrics(view_of):
    off = AnalysisSettings(
        smells={
            name: SmellSettings(False, Severity.INFO)
            for name in ("module_cycles", "package_cycles", "hub_like", "unstable_dependency")
        }
    )
    metrics, findings = analyze(view_of(TANGLED), off, depth=1)
    assert findings == []
    assert metrics["system"]["modules"]["count"] == 3


def test_analyze_is_deterministic(view_of, random_graph):
    view = view_of(random_graph(11, 60, 150, prefix="s.p"))
    shuffled = ArchGraph()  # the same facts, inserted in another order
    for node in reversed(view.graph.nodes()):
        shuffled.add_node(node.kind, node.name, node.attrs)
    for edge in reversed(view.graph.edges()):
        shuffled.add_edge(edge.source, edge.target, edge.kind, edge.evidence)
    first = analyze(view, AnalysisSettings(), depth=2)
    second = analyze(ImportView.from_graph(shuffled), AnalysisSettings(), depth=2)
    assert first[1]
    assert json.dumps(first[0], sort_keys=True) == json.dumps(second[0], sort_keys=True)
    assert [f.to_json() for f in first[1]] == [f.to_json() for f in second[1]]


def test_analyze_imports_only_the_model_and_the_stdlib():
    for source in sorted(ANALYZE_DIR.glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                allowed = name.startswith(("fitness.model", "fitness.analyze")) or (
                    top in sys.stdlib_module_names
                )
                # community detection is fitness.model.algorithms.greedy_modularity: no networkx at all
                assert allowed, f"{source.name} imports {name}"


def test_importing_analyze_does_not_load_networkx():
    code = "import sys, fitness.analyze; print('networkx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

"""``fitness check --format json`` on real packages on disk: the compact graph by default (findings with their
chains, modules and imports only counted), the whole graph with ``--graph full``, both loadable, and
``fitness report --from`` asking for the whole one."""

from __future__ import annotations

import json
from pathlib import Path

from fitness.model import Analysis, EdgeKind, NodeKind
from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness

PROJECT = {
    "fitness.yaml": """\
packages: [app]
include_external: true
rules:
  - id: domain-is-pure
    type: forbidden
    source_modules: [app.domain]
    forbidden_modules: [app.adapters]
""",
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/order.py": "import json\nfrom app.lib import money\n",
    "app/lib/__init__.py": "",
    "app/lib/money.py": "from app.adapters import db\n",
    "app/adapters/__init__.py": "",
    "app/adapters/db.py": "import sqlite3\n",
}


def check_json(root: Path, *extra: str) -> tuple[dict, str]:
    result = run_fitness("check", str(root), "--no-cache", "--format", "json", *extra)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout), result.stdout


def test_default_json_is_compact_and_keeps_the_chains(write_tree: WriteTree) -> None:
    root = write_tree(PROJECT)
    document, text = check_json(root)
    assert document["schema_version"] == 2
    graph = document["graph"]
    assert graph["detail"] == "compact"
    assert graph["nodes"] == [] and graph["edges"] == []  # no service side here: everything was modules
    assert graph["omitted"] == {"edges": {"imports": 4}, "nodes": {"external": 2, "module": 7}}
    assert '"how": "import"' not in text  # no per-import evidence anywhere
    (finding,) = [f for f in document["findings"] if f["code"] == "FIT102"]
    chain = [
        (link["importer"], link["imported"], link["line"], link["text"]) for link in finding["chains"][0]
    ]
    assert chain == [
        ("app.domain.order", "app.lib.money", 2, "from app.lib import money"),
        ("app.lib.money", "app.adapters.db", 1, "from app.adapters import db"),
    ]
    assert document["summary"]["modules"] == 7 and document["metrics"]["modules"]
    analysis = Analysis.from_json(document)
    assert not analysis.graph_complete and len(analysis.graph) == 0
    (loaded,) = [f for f in analysis.findings if f.code == "FIT102"]
    assert [(link.importer, link.imported) for link in loaded.chains[0]] == [c[:2] for c in chain]
    again = analysis.to_json(graph="compact")
    assert json.dumps(again, sort_keys=True) == json.dumps(
        {k: v for k, v in document.items() if k not in ("passed", "fail_on")}, sort_keys=True
    )
    assert check_json(root)[1] == text  # deterministic


def test_graph_full_has_every_import_with_evidence(write_tree: WriteTree) -> None:
    root = write_tree(PROJECT)
    document, _ = check_json(root, "--graph", "full")
    graph = document["graph"]
    assert graph["detail"] == "full" and "omitted" not in graph
    assert len([n for n in graph["nodes"] if n["kind"] == "module"]) == 7
    imports = {(e["source"], e["target"]): e["evidence"] for e in graph["edges"] if e["kind"] == "imports"}
    assert imports[("module:app.lib.money", "module:app.adapters.db")] == [
        {"how": "import", "line": 1, "path": "app/lib/money.py", "text": "from app.adapters import db"}
    ]
    analysis = Analysis.from_json(document)
    assert analysis.graph_complete
    assert analysis.graph.edge("module:app.domain.order", "external:json", EdgeKind.IMPORTS) is not None
    assert len(analysis.graph.nodes(NodeKind.MODULE)) == 7
    compact, _ = check_json(root)
    assert compact["findings"] == document["findings"]  # the graph option changes the graph only


def test_compact_json_keeps_the_service_side(example_copy) -> None:
    shop = example_copy("shop")
    result = run_fitness("check", str(shop), "--no-cache", "--format", "json")
    assert result.returncode == 1, result.stderr
    graph = json.loads(result.stdout)["graph"]
    kinds = {node["kind"] for node in graph["nodes"]}
    assert "service" in kinds and "table" in kinds and not kinds & {"module", "external"}
    assert {edge["kind"] for edge in graph["edges"]} >= {"calls", "writes"}
    assert graph["omitted"]["edges"]["contains"] > 0 and graph["omitted"]["nodes"]["module"] > 0
    analysis = Analysis.from_json(json.loads(result.stdout))
    assert analysis.graph.nodes(NodeKind.SERVICE)


def test_report_from_a_compact_analysis_says_how_to_get_the_whole_one(write_tree: WriteTree) -> None:
    root = write_tree(PROJECT)
    run_fitness("check", str(root), "--no-cache", "--format", f"json={root / 'compact.json'}")
    out = root / "r.html"
    result = run_fitness("report", "--from", str(root / "compact.json"), "-o", str(out))
    assert result.returncode == 2 and not out.exists()
    assert "compact analysis (2 external and 7 module nodes" in result.stderr
    assert "--graph full" in result.stderr
    run_fitness("check", str(root), "--no-cache", "--graph", "full", "--format", f"json={root / 'full.json'}")
    assert run_fitness("report", "--from", str(root / "full.json"), "-o", str(out)).returncode == 0


def test_unknown_graph_detail_is_a_usage_error(write_tree: WriteTree) -> None:
    root = write_tree(PROJECT)
    result = run_fitness("check", str(root), "--format", "json", "--graph", "none")
    assert result.returncode == 2 and "--graph must be compact or full" in result.stderr
    assert "--graph" in run_fitness("check", "--help").stdout

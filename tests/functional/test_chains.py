"""Chains on real packages on disk: shortest first, each the shortest between its own ends, one per pair of
ends, the count of all routes stated, and the finding located at the first link of its first chain."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness

FORBIDDEN = """\
packages: [app]
rules:
  - id: domain-is-pure
    type: forbidden
    source_modules: [app.domain]
    forbidden_modules: [app.adapters]
"""

LAYERS = """\
packages: [app]
rules:
  - id: layers
    type: layers
    containers: [app]
    layers: [adapters, domain]
"""

# app.domain.a has three ways out towards app.adapters:
#   a -> lib.z -> adapters.u                   (2 imports: the shortest chain)
#   a -> lib.x1 -> lib.x2 -> lib.x3 -> adapters.t (4 imports, but a reaches t in 3: a -> z -> w -> t)
#   a -> lib.y1 -> lib.y2 -> lib.y3 -> adapters.t (another long way to the same end)
TANGLE = {
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/a.py": "from app.lib import x1\nfrom app.lib import y1\nfrom app.lib import z\n",
    "app/lib/__init__.py": "",
    "app/lib/z.py": "from app.adapters import u\nfrom app.lib import w\n",
    "app/lib/w.py": "from app.adapters import t\n",
    "app/lib/x1.py": "from app.lib import x2\n",
    "app/lib/x2.py": "from app.lib import x3\n",
    "app/lib/x3.py": "from app.adapters import t\n",
    "app/lib/y1.py": "from app.lib import y2\n",
    "app/lib/y2.py": "from app.lib import y3\n",
    "app/lib/y3.py": "from app.adapters import t\n",
    "app/adapters/__init__.py": "",
    "app/adapters/t.py": "",
    "app/adapters/u.py": "",
}


def findings(root: Path) -> list[dict]:
    result = run_fitness("check", str(root), "--no-cache", "--format", "json")
    assert result.returncode == 1, result.stderr
    return [f for f in json.loads(result.stdout)["findings"] if f["code"] in {"FIT101", "FIT102"}]


def modules(chain: list[dict]) -> list[str]:
    return [chain[0]["importer"], *(link["imported"] for link in chain)]


def test_forbidden_chains_are_shortest_between_their_ends_and_deduplicated(write_tree: WriteTree) -> None:
    root = write_tree({**TANGLE, "fitness.yaml": FORBIDDEN})
    (finding,) = findings(root)
    assert [modules(chain) for chain in finding["chains"]] == [
        ["app.domain.a", "app.lib.z", "app.adapters.u"],
        ["app.domain.a", "app.lib.z", "app.lib.w", "app.adapters.t"],  # not a -> x1 -> x2 -> x3 -> t
    ]
    # every way in counts as a route, and the fingerprint covers them
    assert finding["imports"] == [
        ["app.domain.a", "app.lib.x1"],
        ["app.domain.a", "app.lib.y1"],
        ["app.domain.a", "app.lib.z"],
    ]
    # located at the first link of the first chain (line 3), not at the first line of the file
    assert finding["locations"][0] == {"path": "app/domain/a.py", "line": 3}
    text = run_fitness("check", str(root), "--no-cache").stdout
    assert "app/domain/a.py:3: FIT102 error [domain-is-pure]" in text
    assert "    2 of 3 chains shown\n" in text


def test_layers_chains_follow_the_same_rules(write_tree: WriteTree) -> None:
    root = write_tree({**TANGLE, "fitness.yaml": LAYERS})
    (finding,) = findings(root)
    assert finding["message"] == "app.domain reaches higher layer app.adapters"
    assert [modules(chain) for chain in finding["chains"]] == [
        ["app.domain.a", "app.lib.z", "app.adapters.u"],
        ["app.domain.a", "app.lib.z", "app.lib.w", "app.adapters.t"],
    ]
    assert len(finding["imports"]) == 3
    assert finding["locations"][0] == {"path": "app/domain/a.py", "line": 3}


def test_many_routes_show_five_and_say_how_many(write_tree: WriteTree) -> None:
    tree = {
        "fitness.yaml": FORBIDDEN,
        "app/__init__.py": "",
        "app/domain/__init__.py": "",
        "app/adapters/__init__.py": "",
        "app/adapters/db.py": "",
        "app/lib/__init__.py": "",
        "app/lib/hop.py": "from app.adapters import db\n",
    }
    for index in range(7):  # seven direct imports and one indirect
        tree[f"app/domain/m{index}.py"] = "\n" * (9 - index) + "from app.adapters import db\n"
    tree["app/domain/deep.py"] = "from app.lib import hop\n"
    root = write_tree(tree)
    (finding,) = findings(root)
    lengths = [len(chain) for chain in finding["chains"]]
    assert lengths == [1, 1, 1, 1, 1]  # the shortest first: the indirect route is not among them
    assert [chain[0]["importer"] for chain in finding["chains"]] == [f"app.domain.m{i}" for i in range(5)]
    assert len(finding["imports"]) == 8
    assert finding["locations"][0] == {"path": "app/domain/m0.py", "line": 10}
    text = run_fitness("check", str(root), "--no-cache").stdout
    assert "    5 of 8 chains shown\n" in text
    assert text.startswith("app/domain/m0.py:10: FIT102")

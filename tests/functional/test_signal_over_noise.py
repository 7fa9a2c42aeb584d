"""Issue 17, items 3 and 4: one finding per problem, ranked cycles, lazy imports and re-exports marked,
FIT204 with a tolerance and across units only, granularity without merges inside one library, and the
short ``score`` summary. Real packages in tmp_path, real grimp, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.functional.conftest import EXAMPLES, run_fitness


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def check_json(root: Path, *args: str) -> dict[str, Any]:
    result = run_fitness("check", str(root), "--no-cache", "--verbose", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def codes(data: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["code"] == code]


def test_a_shared_table_is_one_finding_carrying_every_code_it_breaks() -> None:
    data = check_json(EXAMPLES / "shop")
    about = [f for f in data["findings"] if "table:stock_reservations" in f["subjects"]]
    assert len(about) == 1
    (table,) = about
    assert table["code"] == "FIT122" and table["severity"] == "error"
    assert [item["code"] for item in table["data"]["also"]] == ["FIT123", "FIT303", "FIT304"]
    assert "(also: FIT123 deploy-alone, FIT303 shared-table, FIT304 cross-service-access)" in table["message"]
    items = [f for f in data["findings"] if "table:stock_items" in f["subjects"]]
    assert [f["code"] for f in items] == ["FIT303"]
    assert items[0]["data"]["also"][0]["code"] == "FIT304"


CYCLES = {
    "app/__init__.py": "",
    # a big tangle: three imports from each side
    "app/big/__init__.py": "",
    "app/big/a.py": "from app.other import x\nfrom app.other import y\nfrom app.other import z\n",
    "app/other/__init__.py": "",
    "app/other/x.py": "from app.big import a\n",
    "app/other/y.py": "from app.big import a\n",
    "app/other/z.py": "from app.big import a\n",
    # a small one: one import to cut
    "app/left/__init__.py": "",
    "app/left/m.py": "from app.right import n\n",
    "app/right/__init__.py": "",
    "app/right/n.py": "from app.left import m\n",
}


def test_cycles_are_ranked_by_the_imports_that_break_them(tmp_path: Path) -> None:
    write(tmp_path, CYCLES)
    result = run_fitness("check", str(tmp_path), "--no-cache")
    cycles = [line for line in result.stdout.splitlines() if "FIT202" in line]
    assert len(cycles) == 2
    assert "app.left -> app.right -> app.left" in cycles[0]  # 1 import to cut before 3
    assert "app.big" in cycles[1]
    data = check_json(tmp_path)
    assert sorted(f["data"]["cuts"] for f in codes(data, "FIT202")) == [1, 3]


LAZY = {
    "lib/__init__.py": "",
    "lib/a.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from lib import b\n"
        "def late():\n"
        "    from lib import c\n"
        "    return c\n"
    ),
    "lib/b.py": "from lib import a\n",
    "lib/c.py": "from lib import a\n",
}


def test_lazy_and_type_checking_imports_are_marked_and_can_be_left_out(tmp_path: Path) -> None:
    write(tmp_path, LAZY)
    result = run_fitness("check", str(tmp_path), "--no-cache")
    assert "`from lib import b`  [type-checking]" in result.stdout
    data = check_json(tmp_path)
    (cycle,) = codes(data, "FIT201")
    hows = {link["imported"]: link.get("how", "") for link in cycle["chains"][0]}
    assert hows["lib.b"] == "type-checking" and hows["lib.a"] == ""

    (tmp_path / "fitness.yaml").write_text(
        "analysis:\n  module_cycles: {ignore_lazy: true}\n  package_cycles: {ignore_lazy: true}\n"
        "rules:\n  - {id: acyclic, type: acyclic, level: modules, ignore_lazy: true}\n"
    )
    data = check_json(tmp_path)
    assert codes(data, "FIT201") == codes(data, "FIT202") == codes(data, "FIT106") == []
    (tmp_path / "fitness.yaml").write_text("rules:\n  - {id: acyclic, type: acyclic, level: modules}\n")
    assert len(codes(check_json(tmp_path), "FIT106")) == 1


def test_lazy_import_inside_a_function_is_marked_lazy(tmp_path: Path) -> None:
    write(tmp_path, {**LAZY, "lib/a.py": "def late():\n    from lib import b\n    return b\n"})
    data = check_json(tmp_path)
    (cycle,) = codes(data, "FIT201")
    assert [link.get("how", "") for link in cycle["chains"][0]] == ["lazy", ""]


def test_a_re_export_cycle_says_move_the_import_not_delete_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.impl import Thing\nfrom pkg.impl import Other\n",
            "pkg/impl.py": "from pkg import helpers\n",
            "pkg/helpers.py": "import pkg\n",
        },
    )
    (tmp_path / "fitness.yaml").write_text("analysis: {package_depth: 1}\n")
    data = check_json(tmp_path)
    fixes = " ".join(f["fix"] for f in codes(data, "FIT201"))
    assert "through the re-exports of pkg/__init__.py: keep the re-export, and move the import" in fixes


UNSTABLE = {
    "sys1/__init__.py": "",
    # core (I=0.5) -> tools (I=0.55): a difference of 0.05 is below the tolerance
    "sys1/core/__init__.py": "from sys1 import tools\n",
    "sys1/core/inner/__init__.py": "from sys1.core import x\n",
    "sys1/core/x.py": "",
    "sys1/tools/__init__.py": "",
    "sys1/tools/t.py": "",
    "sys1/web/__init__.py": "from sys1 import core\n",
}


def test_unstable_dependency_ignores_small_differences_and_stays_across_units(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            # s (I=0.25: three importers, one import) depends on u (I=0.67): a difference of 0.42
            "sys1/__init__.py": "",
            "sys1/s/__init__.py": "from sys1 import u\n",
            "sys1/u/__init__.py": "from sys1 import v, w\n",
            "sys1/v/__init__.py": "",
            "sys1/w/__init__.py": "",
            "sys1/x/__init__.py": "from sys1 import s\n",
            "sys1/y/__init__.py": "from sys1 import s\n",
            "sys1/z/__init__.py": "from sys1 import s\n",
        },
    )
    (tmp_path / "fitness.yaml").write_text("analysis:\n  unstable_dependency: {tolerance: 0.0}\n")
    strict = codes(check_json(tmp_path), "FIT204")
    (tmp_path / "fitness.yaml").write_text("analysis:\n  unstable_dependency: {tolerance: 0.6}\n")
    tolerant = codes(check_json(tmp_path), "FIT204")
    assert [f["subjects"] for f in strict] == [["sys1.s"]] and tolerant == []
    assert strict[0]["data"]["tolerance"] == 0.0

    # a package and its own subpackage are one unit: no FIT204 between them (depth 3)
    write(tmp_path / "deep", {**UNSTABLE})
    (tmp_path / "deep" / "fitness.yaml").write_text(
        "analysis:\n  package_depth: 3\n  unstable_dependency: {tolerance: 0.0, threshold: 0.0}\n"
    )
    for finding in codes(check_json(tmp_path / "deep"), "FIT204"):
        package = finding["subjects"][0]
        for dep in finding["data"]["less_stable"]:
            assert not dep["package"].startswith(package + ".")
            assert not package.startswith(dep["package"] + ".")


LIBRARY = {
    "lib/__init__.py": "",
    "lib/alpha/__init__.py": "",
    "lib/alpha/one.py": "from lib.beta import two\nfrom lib.beta import three\n",
    "lib/beta/__init__.py": "",
    "lib/beta/two.py": "from lib.alpha import one\n",
    "lib/beta/three.py": "from lib.alpha import one\n",
}


def test_no_merge_between_packages_of_one_library_and_a_short_summary(tmp_path: Path) -> None:
    write(tmp_path, LIBRARY)
    full = run_fitness("score", str(tmp_path), "--no-cache", "--format", "json")
    assert full.returncode == 0, full.stderr
    table = json.loads(full.stdout)
    assert table["level"] == "packages"
    assert all(row["verdict"] != "merge" for row in table["services"])

    short = run_fitness("score", str(tmp_path), "--no-cache")
    lines = short.stdout.splitlines()
    assert lines[0].startswith(f"{len(table['services'])} packages scored:") and "merge" in lines[0]
    assert len(lines) <= 10
    long = run_fitness("score", str(tmp_path), "--no-cache", "--full")
    assert "verdict  split  merge" in long.stdout and len(long.stdout) > len(short.stdout)


def test_score_summary_ranks_the_strongest_candidates_with_their_forces() -> None:
    short = run_fitness("score", str(EXAMPLES / "shop"), "--no-cache")
    assert short.returncode == 0, short.stderr
    lines = short.stdout.splitlines()
    assert lines[0].startswith("4 services scored:")
    merges = [line for line in lines if line.startswith("merge ")]
    assert merges and "with " in merges[0] and "shared code" in merges[0]
    assert len(lines) <= 10

"""The grimp collector on real packages written to disk: never imported, broken files skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.collect.python.discover import discover_packages, discover_source_roots
from fitness.collect.python.imports import collect_imports
from fitness.model import ArchGraph, EdgeKind, Evidence, FitnessError, NodeKind
from tests.conftest import WriteTree


def scan(root: Path, source_roots: list[str], packages: list[str], **kwargs):
    graph = ArchGraph()
    result = collect_imports(graph, root, source_roots, packages, **kwargs)
    return graph, result


def test_src_layout_edges_keep_file_and_line(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "src/shop/__init__.py": "",
            "src/shop/api.py": "import os\n\nfrom shop import domain\n",
            "src/shop/domain.py": "X = 1\n",
        }
    )
    assert discover_source_roots(root) == ["src"]
    assert discover_packages(root, "src") == ["shop"]
    graph, result = scan(root, ["src"], ["shop"])
    edge = graph.edge("module:shop.api", "module:shop.domain", EdgeKind.IMPORTS)
    assert edge is not None
    assert edge.evidence == (Evidence("src/shop/api.py", 3, "from shop import domain"),)
    assert graph.node("module:shop").attrs == {
        "path": "src/shop/__init__.py",
        "is_package": True,
        "package": "shop",
    }
    assert (result.modules, result.imports) == (3, 1)
    assert "external:os" not in graph


def test_externals_are_optional_nodes(write_tree: WriteTree) -> None:
    root = write_tree({"pkg/__init__.py": "import requests.adapters\nimport os.path\n"})
    graph, _ = scan(root, ["."], ["pkg"], include_external=True)
    assert [n.id for n in graph.nodes(NodeKind.EXTERNAL)] == ["external:os", "external:requests"]
    assert graph.edge("module:pkg", "external:requests", EdgeKind.IMPORTS) is not None


def test_analysed_code_is_never_executed(write_tree: WriteTree, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    root = write_tree(
        {
            "evil/__init__.py": f"open({str(marker)!r}, 'w').write('ran')\nfrom evil import b\n",
            "evil/b.py": "",
        }
    )
    graph, _ = scan(root, ["."], ["evil"])
    assert graph.edge("module:evil", "module:evil.b", EdgeKind.IMPORTS) is not None
    assert not marker.exists()


def test_syntax_errors_and_bad_encodings_are_skipped_with_a_warning(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "pkg/__init__.py": "",
            "pkg/good.py": "from pkg import other\n",
            "pkg/other.py": "",
            "pkg/broken.py": "import pkg.good\ndef f(:\n",
            "pkg/binary.py": b"\xff\xfe\x00garbage\nimport pkg.good\n",
            "pkg/latin.py": "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\nimport pkg.other\n".encode(
                "latin-1"
            ),
        }
    )
    graph, result = scan(root, ["."], ["pkg"])
    assert sorted(result.skipped) == [
        "pkg/binary.py: not valid UTF-8, file skipped",
        "pkg/broken.py:2: syntax error, file skipped",
    ]
    assert graph.node("module:pkg.broken").attrs.get("skipped") is True
    assert graph.edge("module:pkg.good", "module:pkg.other", EdgeKind.IMPORTS) is not None
    assert graph.edge("module:pkg.latin", "module:pkg.other", EdgeKind.IMPORTS) is not None


def test_namespace_package_portion(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "acme/billing/__init__.py": "from acme.billing import invoices\n",
            "acme/billing/invoices.py": "",
        }
    )
    graph, _ = scan(root, ["."], ["acme.billing"])
    assert graph.edge("module:acme.billing", "module:acme.billing.invoices", EdgeKind.IMPORTS)


def test_several_root_packages_see_each_other(write_tree: WriteTree) -> None:
    root = write_tree({"a/__init__.py": "import b\n", "b/__init__.py": ""})
    graph, _ = scan(root, ["."], ["a", "b"])
    assert graph.edge("module:a", "module:b", EdgeKind.IMPORTS) is not None


def test_exclude_drops_modules_and_their_imports(write_tree: WriteTree) -> None:
    root = write_tree({"p/__init__.py": "", "p/tests/__init__.py": "import p.core\n", "p/core.py": ""})
    graph, _ = scan(root, ["."], ["p"], exclude=["p.tests.**"])
    assert "module:p.tests" not in graph
    assert graph.edges(EdgeKind.IMPORTS) == []


def test_missing_root_package_is_a_clear_error(write_tree: WriteTree) -> None:
    root = write_tree({"src/shop/__init__.py": ""})
    with pytest.raises(FitnessError, match=r"root package 'shopp' not found \(looked in src/shopp\)"):
        scan(root, ["src"], ["shopp"])


def test_no_packages_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FitnessError, match="no Python packages found"):
        scan(tmp_path, ["."], [])

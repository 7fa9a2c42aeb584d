"""Source roots and root packages found on disk: src and flat layouts, namespace packages, and source
folders without ``__init__.py`` (a Django project folder with manage.py) below the analysed folder."""

from __future__ import annotations

from fitness.collect.python.discover import discover_packages, discover_roots
from tests.conftest import WriteTree


def test_src_and_flat_layouts(write_tree: WriteTree) -> None:
    root = write_tree({"src/shop/__init__.py": "", "tests/__init__.py": "", "docs/conf.py": ""})
    assert discover_roots(root) == ["src"]
    assert discover_packages(root, "src") == ["shop"]
    flat = write_tree({"src/shop/__init__.py": "", "alpha/__init__.py": ""})
    assert discover_roots(flat) == ["src"]  # src/ is preferred when it holds packages


def test_a_namespace_package_is_a_package_when_imported_by_its_name(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "src/acme/billing/__init__.py": "from acme.shipping import rates\n",
            "src/acme/shipping/__init__.py": "",
            "src/acme/shipping/rates.py": "import acme.billing\n",
        }
    )
    assert discover_roots(root) == ["src"]
    assert discover_packages(root, "src") == ["acme"]


def test_a_folder_holding_apps_and_manage_py_is_a_source_root(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "README.md": "",
            "backend/manage.py": "",
            "backend/orders/__init__.py": "from accounts import models\n",
            "backend/accounts/__init__.py": "",
            "backend/accounts/models.py": "from orders import views\n",
            "frontend/package.json": "{}",
        }
    )
    assert discover_packages(root, ".") == []
    assert discover_roots(root) == ["backend"]
    assert discover_packages(root, "backend") == ["accounts", "orders"]


def test_source_folders_are_looked_for_a_few_levels_down(write_tree: WriteTree) -> None:
    root = write_tree({"server/python/app/__init__.py": "import lib\n", "server/python/lib/__init__.py": ""})
    assert discover_roots(root) == ["server/python"]


def test_two_source_folders_with_a_package_of_one_name_are_not_guessed(write_tree: WriteTree) -> None:
    root = write_tree({"one/app/__init__.py": "import app.x\n", "two/app/__init__.py": "import app.y\n"})
    assert discover_roots(root) == ["."]  # `fitness init --root one` says which

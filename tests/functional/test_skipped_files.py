"""Vendored, minified and generated files in a real multi-service tree: skipped, and said once, counted."""

from __future__ import annotations

from tests.conftest import WriteTree
from tests.functional.conftest import run_fitness

MINIFIED = "var a=1;" * 1000 + 'fetch("http://hidden:1")'


def test_one_counted_warning_for_every_skipped_file_of_every_service(write_tree: WriteTree) -> None:
    files = {
        "docker-compose.yml": (
            "services:\n"
            "  orders:\n    build: ./orders\n    environment:\n      INVENTORY_URL: http://inventory:8000\n"
            "  inventory:\n    build: ./inventory\n"
        ),
        "orders/requirements.txt": "requests\n",
        "orders/app.py": "import os\nimport requests\n\nrequests.get(os.environ['INVENTORY_URL'])\n",
        "inventory/requirements.txt": "flask\n",
        "inventory/app.py": "import flask\n",
    }
    for service in ("orders", "inventory"):
        files[f"{service}/static/jquery.min.js"] = 'fetch("http://min:1")'
        files[f"{service}/static/app.js"] = MINIFIED
        files[f"{service}/poetry.lock"] = "[[package]]\n"
    root = write_tree(files)
    result = run_fitness("check", str(root), "--no-cache")
    assert result.returncode in (0, 1), result.stderr
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert skipped == [
        "warning: skipped 6 minified, vendored or generated files: 4 minified, 2 lock files "
        "(e.g. inventory/poetry.lock, inventory/static/app.js, inventory/static/jquery.min.js, ...)"
    ], result.stderr
    assert "hidden" not in result.stdout and "min:1" not in result.stdout

"""Services by folder convention, in any language."""

from __future__ import annotations

from pathlib import Path

from fitness.collect.manifests.conventions import scan_service_folders
from fitness.model import Evidence
from tests.conftest import WriteTree


def test_one_folder_per_service_any_language(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "services/orders/pyproject.toml": "[project]\nname='orders'\n",
            "services/orders/orders/api.py": "",
            "services/inventory/Dockerfile": "FROM python:3.12\n",
            "services/payments/cmd/main.go": "package main\n",
            "services/gateway/src/index.ts": "",
            "services/shared/shopcommon/__init__.py": "",
            "services/empty/README.md": "nothing to build\n",
            "services/.hidden/app.py": "",
            "services/notes.txt": "a file, not a folder",
            "apps/web/package.json": "{}\n",
            "src/Services/Catalog/Catalog.API/Catalog.API.csproj": "<Project />\n",
            "src/Services/Basket/Basket.API/a/b/c/deep.cs": "",
            "libs/shopcommon/pyproject.toml": "",
            "microservices/billing/pom.xml": "<project />\n",
        }
    )
    found = scan_service_folders(root)
    assert [(s.name, s.build, s.source) for s in found] == [
        ("web", "apps/web", "convention"),
        ("billing", "microservices/billing", "convention"),
        ("gateway", "services/gateway", "convention"),
        ("inventory", "services/inventory", "convention"),
        ("orders", "services/orders", "convention"),
        ("payments", "services/payments", "convention"),
        ("Catalog", "src/Services/Catalog", "convention"),
    ]
    orders = next(s for s in found if s.name == "orders")
    assert orders.evidence == Evidence(
        "services/orders", 0, "services/orders/ (pyproject.toml)", "convention"
    )
    catalog = next(s for s in found if s.name == "Catalog")
    assert catalog.evidence.text == "src/Services/Catalog/ (Catalog.API/Catalog.API.csproj)"
    assert (orders.image, orders.aliases, orders.env) == ("", (), ())


def test_no_service_folders(write_tree: WriteTree) -> None:
    root = write_tree({"shop/__init__.py": "", "README.md": ""})
    assert scan_service_folders(root) == []


def test_500_service_folders_scan_fast(tmp_path: Path) -> None:
    for n in range(500):
        folder = tmp_path / "services" / f"svc{n}" / f"svc{n}"
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("", encoding="utf-8")
    found = scan_service_folders(tmp_path)
    assert len(found) == 500  # timings: bench/services.py

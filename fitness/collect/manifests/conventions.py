"""Services by folder convention: one folder per service under ``services/``, ``apps/``, ``svc/`` ...

Looked for directly under the root and under ``src/`` (names compared case-insensitively, so
``src/Services/Catalog`` counts). A child folder is a service when it holds, up to three levels down, a
build file (Dockerfile, pyproject.toml, package.json, go.mod, pom.xml, build.gradle, ``*.csproj`` ...) or
source files of any language. Folders named like libraries (``shared``, ``common``, ``libs`` ...) are not
services::

    services/orders/pyproject.toml        -> DeployedService("orders", build="services/orders")
    src/Services/Catalog/Catalog.API/*.cs -> DeployedService("Catalog", build="src/Services/Catalog")
    services/shared/shop_common/*.py      -> nothing (a library)
"""

from __future__ import annotations

import os
from pathlib import Path

from fitness.collect.manifests.yaml_lines import SKIP_DIRS, relative
from fitness.model import Evidence
from fitness.model.facts import DeployedService

SERVICE_FOLDERS = frozenset({"services", "service", "apps", "svc", "microservices"})
NOT_SERVICES = frozenset(
    {
        "shared",
        "common",
        "commons",
        "lib",
        "libs",
        "library",
        "libraries",
        "util",
        "utils",
        "proto",
        "protos",
        "protobuf",
        "docs",
        "doc",
        "scripts",
        "templates",
        "test",
        "tests",
    }
)
BUILD_FILES = frozenset(
    {
        "dockerfile",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "requirements.txt",
        "package.json",
        "go.mod",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "cargo.toml",
        "gemfile",
        "composer.json",
        "mix.exs",
    }
)
BUILD_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
SOURCE_SUFFIXES = (
    ".py",
    ".go",
    ".java",
    ".kt",
    ".js",
    ".mjs",
    ".ts",
    ".cs",
    ".rb",
    ".rs",
    ".php",
    ".scala",
    ".ex",
)
MAX_DEPTH = 3
_NEVER = NOT_SERVICES | SKIP_DIRS


def scan_service_folders(root: Path) -> list[DeployedService]:
    """One ``DeployedService(source="convention")`` per service folder, sorted by path."""
    found = []
    for container in _containers(root):
        for child in sorted(container.iterdir()):
            name = child.name
            if not child.is_dir() or name.startswith((".", "_")) or name.lower() in _NEVER:
                continue
            marker = _marker(child)
            if marker is None:
                continue
            folder = relative(child, root)
            evidence = Evidence(folder, 0, f"{folder}/ ({relative(marker, child)})", "convention")
            found.append(DeployedService(name=name, source="convention", evidence=evidence, build=folder))
    return found


def _containers(root: Path) -> list[Path]:
    """``services/``-like folders directly under root and under ``src/``."""
    containers: list[Path] = []
    for base in (root, root / "src"):
        if not base.is_dir():
            continue
        containers.extend(
            child
            for child in sorted(base.iterdir())
            if child.is_dir() and child.name.lower() in SERVICE_FOLDERS
        )
    return containers


def _marker(folder: Path) -> Path | None:
    """The first build file, else source file, found breadth-first up to ``MAX_DEPTH`` levels down."""
    level = [folder]
    for _ in range(MAX_DEPTH):
        subfolders: list[Path] = []
        source: Path | None = None
        for directory in level:
            try:
                entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                lower = entry.name.lower()
                if entry.is_dir(follow_symlinks=False):
                    if not lower.startswith(".") and lower not in SKIP_DIRS:
                        subfolders.append(Path(entry.path))
                elif lower in BUILD_FILES or lower.endswith(BUILD_SUFFIXES):
                    return Path(entry.path)
                elif source is None and lower.endswith(SOURCE_SUFFIXES):
                    source = Path(entry.path)
        if source is not None:
            return source
        level = subfolders
    return None

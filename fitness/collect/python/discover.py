"""Find source roots and root packages when the config does not name them.

Only the file system is read: a folder with ``__init__.py`` is a package. ``src/`` layouts are preferred
when ``src/`` holds packages; folders that are clearly not the application (tests, docs, examples, build
output, virtualenvs) are skipped.
"""

from __future__ import annotations

from pathlib import Path

NOT_APPLICATION = frozenset(
    {
        "tests",
        "test",
        "docs",
        "doc",
        "examples",
        "example",
        "build",
        "dist",
        "bench",
        "benchmarks",
        "scripts",
        "site-packages",
        "node_modules",
        "venv",
        "env",
    }
)


def discover_source_roots(root: Path) -> list[str]:
    """``["src"]`` for a src layout, else ``["."]``."""
    src = root / "src"
    if src.is_dir() and discover_packages(root, "src"):
        return ["src"]
    return ["."]


def discover_packages(root: Path, source_root: str) -> list[str]:
    """Top-level packages directly under ``root/source_root``, sorted."""
    base = (root / source_root).resolve()
    if not base.is_dir():
        return []
    found = []
    for child in sorted(base.iterdir()):
        name = child.name
        if not child.is_dir() or name.startswith((".", "_")) or name in NOT_APPLICATION:
            continue
        if not name.isidentifier() or name.endswith(".egg-info"):
            continue
        if (child / "__init__.py").is_file():
            found.append(name)
    return found


LIBRARY_FOLDERS = ("libs", "lib", "packages", "shared", "common")


def discover_library_roots(root: Path) -> list[str]:
    """``libs/<name>/`` folders that hold packages: a monorepo's shared libraries are source roots too."""
    found = []
    for folder in LIBRARY_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for child in sorted(base.iterdir()):
            relative = f"{folder}/{child.name}"
            if child.is_dir() and not child.name.startswith(".") and discover_packages(root, relative):
                found.append(relative)
    return found

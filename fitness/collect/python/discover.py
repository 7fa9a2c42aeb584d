"""Find source roots and root packages when the config does not name them.

Only the file system is read: a folder with ``__init__.py`` is a package. ``src/`` layouts are preferred
when ``src/`` holds packages; folders that are clearly not the application (tests, docs, examples, build
output, virtualenvs) are skipped. Two layouts need a closer look:

- a folder without ``__init__.py`` that holds packages is a *namespace package* (PEP 420) when the code
  below it imports it by its name (``from acme.billing import ...`` in ``acme/``), else a *source folder*
  (a Django project folder holding ``manage.py`` and the apps, imported as ``from orders import ...``);
- when neither the folder nor ``src/`` holds packages, the source folders below it (up to
  ``MAX_DEPTH`` levels; the folders holding ``manage.py`` first) are the source roots.

``fitness check`` and ``fitness init`` both find the code through ``discover_roots``, so they agree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from fitness.inputs import Unreadable, read_bytes

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
MAX_DEPTH = 3  # how far below the analysed folder source folders are looked for
MAX_SAMPLED_FILES = 200  # files read to tell a namespace package from a source folder
_IMPORTED = re.compile(rb"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def discover_roots(root: Path, service_roots: Iterable[str] = ()) -> list[str]:
    """The source roots of ``root``: ``src`` or the folder itself, the service folders and ``libs/*``;
    when none of them holds a package, the source folders found below (``["backend"]``)."""
    roots = _unique([*discover_source_roots(root), *service_roots, *discover_library_roots(root)])
    if any(discover_packages(root, source_root) for source_root in roots):
        return roots
    return source_folders(root) or roots


def discover_source_roots(root: Path) -> list[str]:
    """``["src"]`` for a src layout, else ``["."]``."""
    src = root / "src"
    if src.is_dir() and discover_packages(root, "src"):
        return ["src"]
    return ["."]


def discover_packages(root: Path, source_root: str) -> list[str]:
    """Top-level packages directly under ``root/source_root``, sorted: folders with ``__init__.py``, and
    namespace packages (folders without one that hold packages and are imported by their name)."""
    base = (root / source_root).resolve()
    if not base.is_dir():
        return []
    found = []
    for child in sorted(base.iterdir()):
        if not _candidate(child):
            continue
        if (child / "__init__.py").is_file() or _namespace_package(child):
            found.append(child.name)
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


def source_folders(root: Path) -> list[str]:
    """Folders below ``root`` (relative, sorted) that hold packages without being packages themselves:
    the shallowest level that has any, the folders holding ``manage.py`` preferred at every level; none
    when two of them hold a package of the same name."""
    level = [root]
    for _ in range(MAX_DEPTH):
        below = [child for folder in level for child in _subfolders(folder) if not _is_package(child)]
        found = [folder for folder in below if _holds_packages(folder) and not _namespace_package(folder)]
        django = [folder for folder in found if (folder / "manage.py").is_file()]
        if django or found:
            chosen = django or found
            names = [child.name for folder in chosen for child in _subfolders(folder) if _is_package(child)]
            if len(names) != len(set(names)):
                return []  # two folders with a package of one name: only `root:` can say which is meant
            return sorted(Path(os.path.relpath(folder, root)).as_posix() for folder in chosen)
        level = below
    return []


def _candidate(child: Path) -> bool:
    name = child.name
    return (
        child.is_dir()
        and not name.startswith((".", "_"))
        and name not in NOT_APPLICATION
        and name.isidentifier()
        and not (child / "pyvenv.cfg").exists()
    )


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(child for child in folder.iterdir() if _candidate(child))
    except OSError:
        return []


def _is_package(folder: Path) -> bool:
    return (folder / "__init__.py").is_file()


def _holds_packages(folder: Path) -> bool:
    return any(_is_package(child) for child in _subfolders(folder))


def _namespace_package(folder: Path) -> bool:
    """A folder without ``__init__.py`` whose subpackages are imported through it (``acme.billing``),
    not directly (``billing``); a folder with ``manage.py`` is a Django project's source folder."""
    if _is_package(folder) or (folder / "manage.py").is_file():
        return False
    children = {child.name for child in _subfolders(folder) if _is_package(child)}
    if not children:
        return False
    through, direct = 0, 0
    for data in _sample(folder):
        for name in _IMPORTED.findall(data):
            text = name.decode("ascii", "replace")
            if text == folder.name:
                through += 1
            elif text in children:
                direct += 1
    return through > 0 and through >= direct


def _sample(folder: Path) -> Iterable[bytes]:
    read = 0
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in NOT_APPLICATION)
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            try:  # the head only (a 3 GB file is not read whole), and never a FIFO or a device
                yield read_bytes(Path(directory) / name, 20_000, head=20_000)
            except Unreadable:
                continue
            read += 1
            if read >= MAX_SAMPLED_FILES:
                return


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))

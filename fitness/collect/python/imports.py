"""Python import graph through grimp, without importing or executing the analysed code.

grimp's public ``build_graph`` locates packages with ``importlib`` (so the code must be importable) and
stops at the first syntax error. We instead hand grimp's scanner the package folders we found on disk,
and when a file cannot be parsed we skip it with a warning and scan again. The private grimp functions
used here are confined to this module (pinned grimp < 4; see docs/adr).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.model import ArchGraph, EdgeKind, Evidence, FitnessError, NodeKind
from fitness.model.patterns import matches

if TYPE_CHECKING:
    from grimp.application.ports.modulefinder import FoundPackage
    from grimp.domain.valueobjects import DirectImport

MAX_SKIPPED_FILES = 1000
_DECODE_ERROR = re.compile(r"Failed to decode file (?P<path>.+?) as UTF-8")


@dataclass
class ImportScan:
    """What the scan saw, and what it had to skip."""

    packages: list[str]
    source_roots: list[str]
    modules: int = 0
    imports: int = 0
    skipped: list[str] = field(default_factory=list)
    skipped_modules: set[str] = field(default_factory=set)


def collect_imports(
    graph: ArchGraph,
    root: Path,
    source_roots: Iterable[str],
    packages: Iterable[str],
    *,
    exclude: Iterable[str] = (),
    include_external: bool = False,
    exclude_type_checking: bool = False,
    cache_dir: Path | None = None,
) -> ImportScan:
    """Add module nodes and import edges (with file:line) for ``packages`` to ``graph``."""
    roots = list(source_roots)
    names = list(packages)
    if not names:
        raise FitnessError("no Python packages found; name them with 'packages:' in fitness.yaml", str(root))
    index = _package_index(root, roots)
    found = [_find_package(root, roots, name, index) for name in names]
    scan = ImportScan(packages=names, source_roots=roots)
    imports_by_module = _scan(found, include_external, exclude_type_checking, cache_dir, root, scan)
    excluded = list(exclude)
    paths = _module_paths(found, root)
    keep = {m for m in paths if not any(matches(pattern, m) for pattern in excluded)}
    for module in sorted(keep):
        path, is_package = paths[module]
        graph.add_node(
            NodeKind.MODULE,
            module,
            {
                "path": path,
                "is_package": is_package,
                "package": module.split(".")[0],
                **({"skipped": True} if module in scan.skipped_modules else {}),
            },
        )
    grouped: dict[tuple[str, str], list[Evidence]] = {}
    make = tuple.__new__  # Evidence is a NamedTuple; building it in C saves a Python call per import
    count = 0
    for module in keep:
        importer_id = "module:" + module
        path = paths[module][0]
        for direct in imports_by_module.get(module, ()):
            imported = direct.imported.name
            if imported in keep:
                if imported == module:
                    continue
                target = "module:" + imported
            elif imported in paths or _is_internal(imported, names):
                continue  # excluded module, or a name that is not a module of ours
            elif include_external:
                target = graph.add_node(NodeKind.EXTERNAL, imported.split(".")[0])
            else:
                continue
            evidence = make(Evidence, (path, direct.line_number, direct.line_contents.strip(), "import"))
            key = (importer_id, target)
            if key in grouped:
                grouped[key].append(evidence)
            else:
                grouped[key] = [evidence]
            count += 1
    scan.imports = count
    graph.add_edges(EdgeKind.IMPORTS, grouped)
    scan.modules = len(keep)
    return scan


def _is_internal(name: str, packages: list[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _package_index(root: Path, source_roots: list[str]) -> dict[str, str]:
    """Top-level folder name -> the first source root holding it: one directory listing per root,
    instead of resolving every root for every package (quadratic on a thousand service folders)."""
    index: dict[str, str] = {}
    for source_root in source_roots:
        try:
            entries = list(os.scandir(root / source_root))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                index.setdefault(entry.name, source_root)
    return index


def _find_package(root: Path, source_roots: list[str], name: str, index: dict[str, str]) -> FoundPackage:
    from grimp.application.config import settings

    top = name.split(".")[0]
    candidates = [index[top]] if top in index else []
    for source_root in (
        [*candidates, *(r for r in source_roots if r not in candidates)] if "." in name else candidates
    ):
        directory = (root / source_root / Path(*name.split("."))).resolve()
        if directory.is_dir():
            package: FoundPackage = settings.MODULE_FINDER.find_package(
                package_name=name, package_directory=str(directory), file_system=settings.FILE_SYSTEM
            )
            return package
    looked = ", ".join(str(Path(r) / Path(*name.split("."))) for r in source_roots)
    raise FitnessError(f"root package {name!r} not found (looked in {looked})", str(root))


def _scan(
    found: list[FoundPackage],
    include_external: bool,
    exclude_type_checking: bool,
    cache_dir: Path | None,
    root: Path,
    scan: ImportScan,
) -> dict[str, set[DirectImport]]:
    """Scan with grimp's Rust scanner; on an unparsable file, skip it with a warning and scan again."""
    from grimp import exceptions
    from grimp.application import usecases
    from grimp.application.config import settings
    from grimp.application.ports.modulefinder import FoundPackage

    skip: set[str] = set()
    packages = list(found)
    while True:
        current = {
            FoundPackage(
                p.name,
                p.directory,
                frozenset(f for f in p.module_files if f.module.name not in skip),
                p.namespace_packages,
            )
            for p in packages
        }
        try:
            result = usecases._scan_packages(
                current,
                settings.FILE_SYSTEM.convert_to_basic(),
                include_external_packages=include_external,
                exclude_type_checking_imports=exclude_type_checking,
                cache_dir=str(cache_dir) if cache_dir else None,
            )
        except exceptions.SourceSyntaxError as error:
            bad, line, why = error.filename, error.lineno, "syntax error"
        except UnicodeError as error:
            match = _DECODE_ERROR.search(str(error))
            if not match:
                raise FitnessError(f"cannot read analysed code: {error}") from error
            bad, line, why = match.group("path"), None, "not valid UTF-8"
        else:
            return {module.name: imports for module, imports in result.items()}
        module = _module_of_file(packages, bad)
        if module is None or module in skip or len(skip) >= MAX_SKIPPED_FILES:
            raise FitnessError(f"{why}; cannot skip this file", _relative(bad, root), line)
        skip.add(module)
        scan.skipped_modules.add(module)
        where = f"{_relative(bad, root)}:{line}" if line else _relative(bad, root)
        scan.skipped.append(f"{where}: {why}, file skipped")


def _module_of_file(packages: list[FoundPackage], filename: str) -> str | None:
    target = os.path.normpath(filename)
    for package in packages:
        directory = package.directory
        if not target.startswith(directory + os.sep) and target != directory:
            continue
        relative = os.path.relpath(target, directory)
        parts = relative[: -len(".py")].split(os.sep)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        return ".".join([package.name, *parts])
    return None


def _module_paths(found: list[FoundPackage], root: Path) -> dict[str, tuple[str, bool]]:
    """module -> (path relative to root, is_package); namespace packages have a folder as path.

    A module with submodules is a package; only a module without any is looked up on disk (a package
    may hold nothing but ``__init__.py``), so a big tree costs one stat per leaf, not a second walk.
    """
    paths: dict[str, tuple[str, bool]] = {}
    base = os.path.realpath(root)
    for package in found:
        prefix = os.path.relpath(package.directory, base).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        names = {module_file.module.name for module_file in package.module_files}
        parents = {name.rpartition(".")[0] for name in names}
        for module in names:
            inner = module[len(package.name) + 1 :].replace(".", "/") if module != package.name else ""
            folder = f"{prefix}{inner}/" if inner else prefix
            is_package = module in parents or os.path.isfile(
                os.path.join(package.directory, inner, "__init__.py")
            )
            paths[module] = (f"{folder}__init__.py", True) if is_package else (f"{prefix}{inner}.py", False)
        for namespace in package.namespace_packages:
            inner = namespace[len(package.name) + 1 :].replace(".", "/") if namespace != package.name else ""
            paths.setdefault(namespace, ((prefix + inner).rstrip("/") or ".", True))
    return paths


def _relative(path: str, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root.resolve())).as_posix()
    except ValueError:  # pragma: no cover - other drive on Windows
        return Path(path).as_posix()

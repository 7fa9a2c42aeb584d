"""Python import graph through grimp, without importing or executing the analysed code.

grimp's public ``build_graph`` locates packages with ``importlib`` (so the code must be importable) and
stops at the first syntax error. We instead hand grimp's scanner the package folders we found on disk,
and when a file cannot be parsed we skip it with a warning and scan again. The private grimp functions
used here are confined to this module (pinned grimp < 4; see docs/adr).
"""

from __future__ import annotations

import hashlib
import operator
import os
import re
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.collect.python.lazy import IMPORT, import_kind
from fitness.collect.python.nesting import SMALL_ENOUGH, TooDeep, too_deep_file
from fitness.inputs import inside, leaves_tree
from fitness.model import ArchGraph, EdgeKind, Evidence, FitnessError, NodeKind
from fitness.model.file_kinds import describe
from fitness.model.graph import Refine
from fitness.model.patterns import matches
from fitness.model.redact import redact

if TYPE_CHECKING:
    from grimp.application.ports.filesystem import AbstractFileSystem
    from grimp.application.ports.modulefinder import FoundPackage
    from grimp.domain.valueobjects import DirectImport

MAX_SKIPPED_FILES = 1000
_INDENT = (b" ", b"\t")
_NAME = operator.attrgetter("name")
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
    scan = ImportScan(packages=names, source_roots=roots)
    sizes: dict[str, int] = {}
    files = _tree_file_system(root, scan.skipped, sizes)
    found = [_find_package(root, roots, name, index, files) for name in names]
    cache_dir = usable_cache(cache_dir, root, scan.skipped)
    imports_by_module = _scan(found, include_external, exclude_type_checking, cache_dir, root, scan, sizes)
    excluded = list(exclude)
    paths = _module_paths(found, root, sizes)
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
    folder = str(root)  # joined as str per module: a Path join costs four times as much
    make = tuple.__new__  # Evidence is a NamedTuple; building it in C saves a Python call per import
    count = 0
    importers: list[tuple[str, str]] = []
    for module in keep:
        importer_id = "module:" + module
        path = paths[module][0]
        before = count
        for direct in imports_by_module.pop(module, ()):  # popped: grimp's objects go as ours come
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
            text = direct.line_contents.strip()
            if "#" in text or ";" in text:  # only a comment or a second statement can hold a secret
                text = redact(text)
            evidence = make(Evidence, (path, direct.line_number, text, IMPORT))
            key = (importer_id, target)
            if key in grouped:
                grouped[key].append(evidence)
            else:
                grouped[key] = [evidence]
            count += 1
        if count > before:
            importers.append((importer_id, os.path.join(folder, path)))
    scan.imports = count
    graph.add_edges(EdgeKind.IMPORTS, grouped)
    for importer_id, source in importers:  # lazy and TYPE_CHECKING imports: marked when first read
        graph.refine_later(importer_id, EdgeKind.IMPORTS, _lazy_marks(source))
    scan.modules = len(keep)
    return scan


def _lazy_marks(source: str) -> Refine:
    """The refinement that marks a module's imports ``lazy`` or ``type-checking`` (``fitness.collect.
    python.lazy``) from its lines, read once, when the graph is first asked for their evidence: an
    indented import is inside a block, and the block headers above it say which."""

    def refine(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        if not lines:
            lines.append(_source_lines(source))
        text = lines[0]
        marked = []
        for item in evidence:
            line = item.line
            if 0 < line <= len(text) and text[line - 1][:1] in _INDENT:  # redacted already: built in C
                item = tuple.__new__(Evidence, (item.path, line, item.text, import_kind(text, line)))
            marked.append(item)
        return tuple(marked)

    lines: list[list[bytes]] = []
    return refine


def _source_lines(path: str) -> list[bytes]:
    """The lines of a module grimp has read already (a regular file of the tree), for lazy imports: as
    bytes, since an import's indentation and block headers are ASCII and need no decoding."""
    try:
        descriptor = os.open(path, os.O_RDONLY)  # no buffered file object: a quarter less time per file
    except OSError:
        return []
    chunks: list[bytes] = []
    try:
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
    except OSError:
        return []
    finally:
        os.close(descriptor)
    return b"".join(chunks).splitlines()


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


def _find_package(
    root: Path, source_roots: list[str], name: str, index: dict[str, str], files: AbstractFileSystem
) -> FoundPackage:
    from grimp.application.config import settings

    top = name.split(".")[0]
    candidates = [index[top]] if top in index else []
    for source_root in (
        [*candidates, *(r for r in source_roots if r not in candidates)] if "." in name else candidates
    ):
        directory = (root / source_root / Path(*name.split("."))).resolve()
        if directory.is_dir():
            package: FoundPackage = settings.MODULE_FINDER.find_package(
                package_name=name, package_directory=str(directory), file_system=files
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
    sizes: dict[str, int],
) -> dict[str, set[DirectImport]]:
    """Scan with grimp's Rust scanner; on an unparsable file, skip it with a warning and scan again."""
    from grimp import exceptions
    from grimp.application import usecases
    from grimp.application.config import settings
    from grimp.application.ports.modulefinder import FoundPackage

    skip: set[str] = set()
    packages = list(found)
    for deep_module, deep_path, deep in _too_deep(packages, sizes):  # would crash grimp's parser (SIGSEGV)
        skip.add(deep_module)
        scan.skipped_modules.add(deep_module)
        scan.skipped.append(f"{_relative(deep_path, root)}:{deep.line}: {deep.reason()}")
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
            with _interrupt_after():
                result = usecases._scan_packages(
                    current,
                    settings.FILE_SYSTEM.convert_to_basic(),
                    include_external_packages=include_external,
                    exclude_type_checking_imports=exclude_type_checking,
                    cache_dir=str(cache_dir) if cache_dir else None,
                )
        except OSError as error:  # the cache could not be read or written after all: scan without it
            if cache_dir is None:
                raise
            scan.skipped.append(
                f"import cache {cache_dir} failed ({error.strerror or error}); ran without it"
            )
            cache_dir = None
            continue
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


def _too_deep(packages: list[FoundPackage], sizes: dict[str, int]) -> Iterator[tuple[str, str, TooDeep]]:
    """(module, path, where) of each file with an expression too deep for the parsers (``nesting``)."""
    for package in packages:
        for module_file in package.module_files:
            name = module_file.module.name
            inner = name[len(package.name) + 1 :].replace(".", os.sep) if name != package.name else ""
            path, size = _sized(package.directory, inner, sizes)
            deep = None if size < SMALL_ENOUGH else too_deep_file(path)
            if deep is not None:
                yield name, path, deep


def _sized(directory: str, inner: str, sizes: dict[str, int]) -> tuple[str, int]:
    """The file of a module (``inner``: its path below the package, without ``.py``) and its size: as the
    walk saw it (``sizes``), else one stat for a module, two for a package."""
    if inner:
        path = os.path.join(directory, inner + ".py")
        if path in sizes:
            return path, sizes[path]
        try:
            return path, os.stat(path).st_size
        except OSError:
            pass
    path = os.path.join(directory, inner, "__init__.py")
    if path in sizes:
        return path, sizes[path]
    try:
        return path, os.stat(path).st_size
    except OSError:
        return path, 0


@contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold a first Ctrl-C until grimp's Rust scanner returns, then raise it. Raised inside the scanner's
    calls back into Python it makes the scanner panic, and a panic is a crash (exit 3), not an interrupt
    (exit 130). A second Ctrl-C is not held. Only the main thread can set a signal handler."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) in (
        signal.SIG_IGN,
        None,
    ):
        yield
        return
    held: list[int] = []

    def hold(number: int, frame: object) -> None:
        if held:
            raise KeyboardInterrupt
        held.append(number)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt


def _tree_file_system(root: Path, skipped: list[str], sizes: dict[str, int]) -> AbstractFileSystem:
    """grimp's file system, walking only what may be read: regular ``.py`` files (no FIFO, device, socket or
    symlink loop, which would hang or crash the scan), and no symlink, to a file or a folder, that leads
    outside ``root`` or back into a folder already walked. Each file left out is a warning in ``skipped``.

    The one ``stat`` grimp makes of each module (for its mtime) also fills ``sizes`` (path -> bytes), so
    that the depth check and the module paths need no second and third ``stat`` per file."""
    from grimp.adaptors.filesystem import FileSystem

    base = os.path.realpath(root)

    class TreeFileSystem(FileSystem):
        def walk(self, directory_name: str) -> Iterator[tuple[str, list[str], list[str]]]:
            """``os.walk`` top-down (the caller prunes ``dirs``), from ``scandir`` entries: the kind of a
            plain file or folder comes with the listing, so only symlinks cost a system call."""
            walked = {os.path.realpath(directory_name)}
            stack = [directory_name]
            while stack:
                directory = stack.pop()
                try:
                    entries = sorted(os.scandir(directory), key=_NAME)
                except OSError:
                    continue
                dirs: list[str] = []
                names: list[str] = []
                for entry in entries:
                    if _is_dir(entry):
                        if entry.is_symlink():
                            real = os.path.realpath(entry.path)
                            if real in walked or not inside(real, base):
                                continue  # a loop, or a folder outside the analysed tree: never entered
                            walked.add(real)
                        dirs.append(entry.name)
                    elif not entry.name.endswith(".py") or self._readable(entry):
                        names.append(entry.name)
                yield directory, dirs, names
                stack.extend(os.path.join(directory, name) for name in reversed(dirs))

        def get_mtime(self, file_name: str) -> float:
            status = os.stat(file_name)
            sizes[file_name] = status.st_size
            return status.st_mtime

        def _readable(self, entry: os.DirEntry[str]) -> bool:
            reason = None
            try:
                if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                    mode = os.stat(entry.path).st_mode
                    if not stat.S_ISREG(mode):
                        reason = f"is {describe(mode)}, not a regular file"
                    elif leaves_tree(entry.path, base):
                        reason = (
                            f"is a symlink to {os.path.realpath(entry.path)}, outside the analysed folder"
                        )
            except OSError as error:
                reason = f"cannot be read ({error.strerror or error})"
            if reason is not None:
                skipped.append(f"{_relative(entry.path, root)}: {reason}; file skipped")
            return reason is None

    return TreeFileSystem()


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a symlink, as os.walk(followlinks=True) does
    except OSError:
        return False


def usable_cache(cache_dir: Path | None, root: Path, warnings: list[str]) -> Path | None:
    """``cache_dir`` when it can be created and written; else the same cache under the user's cache folder
    (``$XDG_CACHE_HOME/fitness/<hash of the root>/``), else none, with one warning either way. A read-only
    checkout (a CI cache, a mounted volume) is analysed as well as any other."""
    if cache_dir is None:
        return None
    if _writable(cache_dir):
        return cache_dir
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(os.path.realpath(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    fallback = Path(base, "fitness", digest, cache_dir.name)
    where = _relative(str(cache_dir), root)
    if _writable(fallback):
        warnings.append(f"{where} cannot be written; caching imports in {fallback} instead")
        return fallback
    warnings.append(f"{where} cannot be written; running without an import cache")
    return None


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


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


def _module_paths(
    found: list[FoundPackage], root: Path, sizes: dict[str, int]
) -> dict[str, tuple[str, bool]]:
    """module -> (path relative to root, is_package); namespace packages have a folder as path.

    A module with submodules is a package; a module without any is one if the walk saw its
    ``__init__.py`` (``sizes``; looked up on disk without it): a package may hold nothing but that.
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
            init = os.path.join(package.directory, inner, "__init__.py")
            is_package = module in parents or (init in sizes if sizes else os.path.isfile(init))
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

"""The service side's result, reused across runs while no file under the root has changed.

The service side (plan, facts, resolver) reads every file of every component and costs many times what
reading them does; ``fitness check`` and ``fitness report`` of one tree, or a CI job run again, would
pay it each time. So its result (the part of the graph it added or changed, and its scan summary) is
stored in ``.fitness_cache/services/`` under a key made of:

- the content of every file under the root (BLAKE2b of each), except version-control folders, the cache
  itself, ``__pycache__`` and ``node_modules``, which no collector reads; a symlink counts by its target;
- the whole configuration, the fitness version and :data:`FORMAT`;
- a random secret kept in the user's cache folder (``$XDG_CACHE_HOME/fitness/cache-secret``), so that a
  cache file planted in the analysed tree (committed to a repository under review) can never be taken
  for a result: its name cannot be guessed without the secret.

Any change of a file's content is a miss, and the side runs as before. Reading a hit back gives the same
graph, byte for byte, as the run that wrote it (``tests/functional/test_service_cache.py``). A cache
that cannot be read or written is skipped silently: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fitness.collect.skipped import Skipped
from fitness.model import ArchGraph, Edge, EdgeKind, Evidence, Node, NodeKind

if TYPE_CHECKING:
    from fitness.collect.services import ServiceScan

FORMAT = 1  # bump when what the service side writes (or this file's layout) changes
KEPT = 8  # results kept: check, report and a few configurations of one tree
NOT_READ = frozenset({".git", ".hg", ".svn", ".fitness_cache", "__pycache__", "node_modules"})
MAX_FILES = 200_000  # a tree larger than this is not fingerprinted (the walk would cost more than it saves)
_CHUNK = 1 << 20
INDEX = "index.files"  # not *.json: never taken for a result, nor pruned

GraphState = tuple[dict[str, Node], dict[tuple[str, str, EdgeKind], Edge]]


@dataclass(frozen=True)
class CachedSide:
    """What the service side produced for one state of the tree."""

    source_roots: list[str]  # the service folders holding Python packages (the plan's)
    has_services: bool
    scan: ServiceScan
    nodes: list[dict[str, Any]]  # nodes it added or changed, in Node.to_json form
    edges: list[dict[str, Any]]

    def apply(self, graph: ArchGraph) -> None:
        """Add the stored nodes and edges to ``graph`` (the import side's graph of the same tree)."""
        for raw in self.nodes:
            graph.add_node(
                NodeKind(raw["kind"]),
                str(raw["name"]),
                dict(raw["attrs"]),
                [Evidence.from_json(item) for item in raw["evidence"]],
            )
        for raw in self.edges:
            graph.add_edge(
                str(raw["source"]),
                str(raw["target"]),
                EdgeKind(raw["kind"]),
                [Evidence.from_json(item) for item in raw["evidence"]],
                dict(raw["attrs"]),
            )


class ServiceCache:
    """One tree's cache folder and the key of its current state."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key

    @classmethod
    def open(cls, folder: Path, root: Path, config: object, version: str) -> ServiceCache | None:
        """The cache for ``root`` as it is now, or None when the tree cannot be fingerprinted."""
        secret = _secret()
        if secret is None:
            return None
        digest = hashlib.blake2b(secret, digest_size=20)
        digest.update(f"{FORMAT}\0{version}\0{config!r}\0".encode("utf-8", "surrogateescape"))
        if not _fingerprint(root, digest, folder / INDEX):
            return None
        return cls(folder, digest.hexdigest())

    @property
    def path(self) -> Path:
        return self.folder / f"{self.key}.json"

    def load(self) -> CachedSide | None:
        """The stored result for this state, or None (absent, unreadable or not ours)."""
        from fitness.collect.services import ServiceScan
        from fitness.model.facts import Unresolved  # (loaded with the first service: see the pipeline)

        try:
            with open(self.path, encoding="utf-8") as file:
                data = json.load(file)
            if data.get("key") != self.key or data.get("format") != FORMAT:
                return None
            scan = data["scan"]
            return CachedSide(
                source_roots=[str(r) for r in data["source_roots"]],
                has_services=bool(data["has_services"]),
                scan=ServiceScan(
                    services=[str(s) for s in scan["services"]],
                    datastores=[str(s) for s in scan["datastores"]],
                    unresolved=[
                        Unresolved(str(u["kind"]), str(u["reason"]), Evidence.from_json(u["evidence"]))
                        for u in scan["unresolved"]
                    ],
                    warnings=[_warning(w) for w in scan["warnings"]],
                    sql_statements=int(scan["sql_statements"]),
                    call_sites=int(scan["call_sites"]),
                    settings=int(scan["settings"]),
                ),
                nodes=list(data["nodes"]),
                edges=list(data["edges"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(
        self,
        source_roots: list[str],
        has_services: bool,
        scan: ServiceScan,
        graph: ArchGraph,
        before: GraphState,
    ) -> None:
        """Store what the service side added to ``graph`` since ``before`` (``ArchGraph.snapshot``)."""
        nodes, edges = before
        document = {
            "format": FORMAT,
            "key": self.key,
            "source_roots": source_roots,
            "has_services": has_services,
            "scan": {
                "services": scan.services,
                "datastores": scan.datastores,
                "unresolved": [
                    {"kind": u.kind, "reason": u.reason, "evidence": u.evidence.to_json()}
                    for u in scan.unresolved
                ],
                "warnings": [_warning_json(w) for w in scan.warnings],
                "sql_statements": scan.sql_statements,
                "call_sites": scan.call_sites,
                "settings": scan.settings,
            },
            "nodes": [n.to_json() for n in graph.nodes() if nodes.get(n.id) is not n],
            "edges": [e.to_json() for e in graph.edges() if edges.get((e.source, e.target, e.kind)) is not e],
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
            os.replace(partial, self.path)
            _prune(self.folder)
        except (OSError, TypeError, ValueError):
            return


def _fingerprint(root: Path, digest: Any, index_path: Path) -> bool:
    """Feed every file's relative path and content hash under ``root`` into ``digest``, sorted; False if
    the tree is too large or cannot be walked.

    A file whose size, modification time and inode are those the index recorded, and whose modification
    is older than the index by more than a second, keeps its recorded hash without being read (git's
    index works so, for the same reason: a file changed within the clock's resolution of the last run is
    read again). A fresh checkout reads and hashes every file once.
    """
    index, written = _read_index(index_path)
    trusted_before = written - 1_000_000_000
    entries: list[tuple[str, str]] = []
    fresh: dict[str, list[Any]] = {}
    base = str(root)
    for current, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in NOT_READ)
        for name in names:
            path = os.path.join(current, name)
            relative = os.path.relpath(path, base)
            try:
                info = os.lstat(path)
            except OSError as error:
                entries.append((relative, f"unreadable:{error.errno}"))
                continue
            known = index.get(relative)
            signature = [info.st_size, info.st_mtime_ns, info.st_ino]
            if known is not None and known[:3] == signature and info.st_mtime_ns < trusted_before:
                content = str(known[3])
            else:
                content = _file_digest(path, info.st_mode)
            fresh[relative] = [*signature, content]
            entries.append((relative, content))
            if len(entries) > MAX_FILES:
                return False
        for name in dirs:  # a symlinked folder is not walked into by os.walk: count its target
            path = os.path.join(current, name)
            if os.path.islink(path):
                entries.append((os.path.relpath(path, base), "link:" + os.readlink(path)))
    for relative, content in sorted(entries):
        digest.update(f"{relative}\0{content}\n".encode("utf-8", "surrogateescape"))
    if fresh != index:
        _write_index(index_path, fresh)
    return True


def _read_index(path: Path) -> tuple[dict[str, list[Any]], int]:
    """(relative path -> [size, mtime_ns, inode, hash], when written) of the last run, or empty."""
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
        files = data["files"]
        if data.get("format") != FORMAT or not isinstance(files, dict):
            return {}, 0
        return {str(k): list(v) for k, v in files.items() if isinstance(v, list) and len(v) == 4}, int(
            data["written"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return {}, 0


def _write_index(path: Path, files: dict[str, list[Any]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        document = {"format": FORMAT, "written": time.time_ns(), "files": files}
        partial.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        return


def _file_digest(path: str, mode: int) -> str:
    try:
        if stat.S_ISLNK(mode):
            return "link:" + os.readlink(path)
        if not stat.S_ISREG(mode):
            return "special"  # a FIFO or device is never opened (nor read by any collector)
        content = hashlib.blake2b(digest_size=16)
        with open(path, "rb", buffering=0) as file:
            while chunk := file.read(_CHUNK):
                content.update(chunk)
        return content.hexdigest()
    except OSError as error:
        return f"unreadable:{error.errno}"


def _secret() -> bytes | None:
    """The user's cache secret (made on first use, readable by the user only), or None."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base, "fitness", "cache-secret")
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(value.hex())
        return value
    except FileExistsError:  # another run made it meanwhile
        try:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return None
    except OSError:
        return None


def _prune(folder: Path) -> None:
    """Keep the :data:`KEPT` newest results."""
    found = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in found[KEPT:]:
        old.unlink(missing_ok=True)


def _warning_json(warning: str) -> object:
    if isinstance(warning, Skipped):
        return {"path": warning.path, "reason": warning.reason, "text": str(warning)}
    return warning


def _warning(raw: object) -> str:
    """A warning as stored: a skipped file comes back as a ``Skipped`` (folded with the others), with the
    detail its text had (``larger than 2 MB (3.1 MB)``)."""
    if not isinstance(raw, Mapping):
        return str(raw)
    path, reason = str(raw["path"]), str(raw["reason"])
    detail = str(raw["text"]).removeprefix(f"{path}: ").removesuffix(", skipped")
    return Skipped(path, reason, "" if detail == reason else detail)

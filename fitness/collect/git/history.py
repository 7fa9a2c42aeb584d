"""Churn and co-change from ``git log`` of the analysed root (no network; read-only).

One ``git log -M --numstat -z`` over the window (default: the 12 months before the newest commit, so the
same repository always gives the same answer), bounded by ``max_commits``. The analysed root may be a
subfolder of the repository: the log is limited to it and paths are relative to it. Renamed files keep
their whole history under their newest path. Merges, bots, lock-file-only commits, commits with no files
and commits touching more than ``max_changeset_size`` files are counted and left out.

Written into the graph (the contract the granularity scoring reads):

- ``churn`` on every module and service node: ``{commits, lines, authors, last_change}``; a package's
  churn counts every file below its folder, a service's every file in its folders and its modules;
- ``co_changes`` edges between services and between packages at the analysis depth, one per pair
  (source < target), ``{degree, shared, revisions: [source, target]}`` with up to 5 shared commits as
  evidence, for the pairs over code-maat's thresholds.

No git, not a repository, no commits: history is *unavailable* (with the reason, and a warning); the rest
of the analysis goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind
from fitness.model.history import (
    Churn,
    Commit,
    HistorySettings,
    HistorySummary,
    churn,
    co_changes,
    parse_since,
    skip_reason,
)

TIMEOUT = 600
SKIPPED = ("merges", "bots", "lockfile_only", "large", "empty")
QUIET_REASONS = frozenset({"not a git repository", "no commits yet", "git is not installed"})
NOT_WANTED = "not read: no rule, score or service view needs it"
FORMAT = "%x01%H%x1f%P%x1f%an%x1f%ae%x1f%as%x1f%s"


@dataclass
class HistoryScan:
    """What the collector read: the kept commits (newest first) and the summary of the run."""

    available: bool = False
    reason: str = ""
    commits: list[Commit] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SKIPPED, 0))
    since: str = ""
    window: str = ""
    shallow: bool = False
    truncated: bool = False
    warnings: list[str] = field(default_factory=list)
    co_changes: dict[str, int] = field(default_factory=dict)

    def summary(self) -> HistorySummary:
        return HistorySummary(
            available=self.available,
            reason=self.reason,
            commits=len(self.commits),
            skipped=dict(self.skipped),
            since=self.since,
            window=self.window,
            shallow=self.shallow,
            truncated=self.truncated,
            co_changes=dict(self.co_changes),
        )


class _Unavailable(Exception):
    pass


def collect_history(
    graph: ArchGraph,
    root: Path,
    settings: HistorySettings,
    depth: int,
    progress: bool | None = None,
    required: bool = True,
    wanted: bool = True,
) -> HistoryScan:
    """Read the history of ``root`` and write churn and co-change into ``graph``.

    ``required`` False (nothing configured needs history): a folder that is simply not in git, or a machine
    without git, is not worth a warning on every run; the summary still says why history is unavailable.
    ``wanted`` False (no rule, score, service view or report will look at it): git is not run at all, which
    saves two processes (15-20 ms) of a plain import check.
    """
    if not wanted:
        return HistoryScan(window=settings.since, reason=NOT_WANTED)
    scan = read_history(root, settings, progress)
    if not required and scan.reason in QUIET_REASONS:
        scan.warnings = []
    if scan.available:
        record_history(graph, scan, settings, depth)
    return scan


def read_history(root: Path, settings: HistorySettings, progress: bool | None = None) -> HistoryScan:
    scan = HistoryScan(window=settings.since)
    if not settings.enabled:
        scan.reason = "disabled in fitness.yaml (history.enabled: false)"
        return scan
    try:
        window = parse_since(settings.since)
        lines = _git(root, "rev-parse", "--is-shallow-repository", "--show-prefix").decode().splitlines()
        prefix = lines[1].strip() if len(lines) > 1 else ""
        scan.shallow = bool(lines) and lines[0].strip() == "true"
        newest = _git(root, "log", "-1", "--format=%cs", "HEAD").decode().strip()
        cutoff = window.cutoff(date.fromisoformat(newest)) if newest else None
        scan.since = cutoff.isoformat() if cutoff else "all"
        args = ["log", "--no-color", "--no-ext-diff", "-M", "--numstat", "-z", f"--format={FORMAT}"]
        args.append(f"--max-count={settings.max_commits + 1}")
        if cutoff is not None:
            args.append(f"--since={cutoff.isoformat()}T00:00:00")
        if prefix:  # a subfolder of the repository: its commits, paths relative to it
            args += ["--relative", "HEAD", "--", "."]
        else:  # the whole repository: no pathspec, so that empty commits are seen (and counted)
            args.append("HEAD")
        show = sys.stderr.isatty() if progress is None else progress
        stream = _stream(root, args)
        try:
            _read_commits(scan, stream, settings, show)
        finally:
            stream.close()
    except _Unavailable as error:
        scan.reason = str(error)
        scan.warnings.append(f"git history unavailable ({scan.reason}): churn and co-change skipped")
        return scan
    except ValueError as error:  # a bad window (validated by the loader; here for library callers)
        scan.reason = str(error)
        scan.warnings.append(f"git history unavailable ({scan.reason})")
        return scan
    scan.available = True
    if scan.shallow:
        scan.warnings.append("history is truncated (shallow clone): churn and co-change see only part of it")
    if scan.truncated:
        scan.warnings.append(
            f"history is truncated: only the newest {settings.max_commits} commits were read "
            "(history.max_commits)"
        )
    return scan


def _read_commits(scan: HistoryScan, chunks: Iterable[bytes], settings: HistorySettings, show: bool) -> None:
    renamed: dict[str, str] = {}  # old path -> newest path, filled walking from new to old
    seen = 0
    for commit, renames in parse_log(chunks):
        seen += 1
        if seen > settings.max_commits:
            scan.truncated = True
            break
        if show and seen % 1000 == 0:
            sys.stderr.write(f"\rreading git history: {seen} commits")
            sys.stderr.flush()
        files: dict[str, int] = {}
        for path, lines in commit.files:
            newest = renamed.get(path, path)
            files[newest] = files.get(newest, 0) + lines
        for old, new in renames:
            renamed[old] = renamed.get(new, new)
        commit = Commit(
            commit.sha,
            commit.author,
            commit.email,
            commit.day,
            commit.subject,
            tuple(files.items()),
            commit.parents,
        )
        reason = skip_reason(commit, settings.max_changeset_size)
        if reason is None:
            scan.commits.append(commit)
        else:
            scan.skipped[reason] += 1
    if show and seen >= 1000:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def parse_log(chunks: Iterable[bytes]) -> Iterator[tuple[Commit, list[tuple[str, str]]]]:
    """Commits of ``git log --numstat -z --format=FORMAT`` with their renames (old, new), streamed."""
    header: list[bytes] | None = None
    files: list[tuple[str, int]] = []
    renames: list[tuple[str, str]] = []
    pending: tuple[int, list[str]] | None = None  # a rename's line count and the paths read so far
    for token in _tokens(chunks):
        if pending is not None:
            pending[1].append(token.decode("utf-8", "surrogateescape"))
            if len(pending[1]) == 2:
                old, new = pending[1]
                files.append((new, pending[0]))
                renames.append((old, new))
                pending = None
            continue
        token = token.lstrip(b"\n")
        if token.startswith(b"\x01"):
            if header is not None:
                yield _commit(header, files), renames
            header, files, renames = token[1:].split(b"\x1f", 5), [], []
            continue
        if not token:
            continue
        added, _, rest = token.partition(b"\t")
        deleted, _, path = rest.partition(b"\t")
        lines = (int(added) if added.isdigit() else 0) + (int(deleted) if deleted.isdigit() else 0)
        if path:
            files.append((path.decode("utf-8", "surrogateescape"), lines))
        else:
            pending = (lines, [])
    if header is not None:
        yield _commit(header, files), renames


def _commit(header: list[bytes], files: list[tuple[str, int]]) -> Commit:
    fields = [*header, *([b""] * (6 - len(header)))]
    sha, parents, author, email, day, subject = fields[:6]
    return Commit(
        sha=sha.decode("ascii", "replace"),
        author=author.decode("utf-8", "replace"),
        email=email.decode("utf-8", "replace"),
        day=day.decode("ascii", "replace"),
        subject=subject.decode("utf-8", "replace").strip(),
        files=tuple(files),
        parents=len(parents.split()),
    )


def _tokens(chunks: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for chunk in chunks:
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


# -- git ----------------------------------------------------------------------------------------


def _command(root: Path, args: list[str]) -> list[str]:
    return ["git", "-C", str(root), "-c", "core.quotepath=off", "-c", "log.showSignature=false", *args]


def _git(root: Path, *args: str) -> bytes:
    import subprocess  # here: a plain import check never runs git, and need not load subprocess

    try:
        result = subprocess.run(_command(root, list(args)), capture_output=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError as missing:
        raise _Unavailable("git is not installed") from missing
    except subprocess.TimeoutExpired as slow:
        raise _Unavailable(f"git took more than {TIMEOUT} s") from slow
    if result.returncode != 0:
        raise _Unavailable(_why(result.stderr))
    return result.stdout


def _stream(root: Path, args: list[str]) -> Generator[bytes, None, None]:
    """The output of a long ``git log`` in chunks (stderr to a file: a pipe could fill and block git)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(_command(root, args), stdout=subprocess.PIPE, stderr=errors)
        except FileNotFoundError as missing:
            raise _Unavailable("git is not installed") from missing
        stdout: IO[bytes] | None = process.stdout
        assert stdout is not None
        try:
            while chunk := stdout.read(1 << 20):
                yield chunk
        finally:
            stdout.close()
            if process.poll() is None:
                process.kill()  # the reader stopped early (max_commits reached)
            code = process.wait()
        if code != 0 and code > 0:
            errors.seek(0)
            raise _Unavailable(_why(errors.read()))


def _why(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    low = text.lower()
    if "not a git repository" in low:
        return "not a git repository"
    if "does not have any commits" in low or "unknown revision" in low or "bad default revision" in low:
        return "no commits yet"
    if "dubious ownership" in low:
        return "git refuses the repository (dubious ownership; see git config safe.directory)"
    lines = text.splitlines()
    return f"unreadable history: {lines[-1]}" if lines else "unreadable history"


# -- into the graph -----------------------------------------------------------------------------


class _Owners:
    """Which modules, packages and services a file path belongs to (memoised per path and folder)."""

    def __init__(self, graph: ArchGraph, depth: int) -> None:
        self.depth = depth
        self.modules: dict[str, str] = {}  # file path -> module id
        self.packages: dict[str, str] = {}  # package folder -> module id
        for node in graph.nodes(NodeKind.MODULE):
            path = str(node.attrs.get("path", ""))
            if not path:
                continue
            self.modules[path] = node.id
            if path.endswith("/__init__.py") or path == "__init__.py":
                self.packages[path.rpartition("/")[0]] = node.id
        self.service_folders: dict[str, str] = {}
        self.service_of_module: dict[str, str] = {}
        for node in graph.nodes(NodeKind.SERVICE):
            for folder in node.attrs.get("folders", ()) or ():
                clean = str(folder).strip("/")
                if clean and clean != ".":
                    self.service_folders.setdefault(clean.removeprefix("./"), node.id)
            for module in graph.successors(node.id, EdgeKind.CONTAINS):
                self.service_of_module.setdefault(module, node.id)
        self._folders: dict[str, tuple[list[str], str | None]] = {}
        self._paths: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}

    def of(self, path: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(module and package ids, package ids at the analysis depth, service ids) of a file."""
        found = self._paths.get(path)
        if found is None:
            found = self._paths[path] = self._compute(path)
        return found

    def _compute(self, path: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        packages, service = self._folder(path.rpartition("/")[0])
        modules = list(dict.fromkeys([*([self.modules[path]] if path in self.modules else []), *packages]))
        services = {service} if service else set()
        services.update(s for m in modules if (s := self.service_of_module.get(m)))
        at_depth = tuple(m for m in modules if m.count(".") + 1 == self.depth)
        return tuple(modules), at_depth, tuple(sorted(services))

    def _folder(self, folder: str) -> tuple[list[str], str | None]:
        """Package ids whose folder holds ``folder`` (deepest first) and the service folder holding it."""
        cached = self._folders.get(folder)
        if cached is not None:
            return cached
        parent_packages, parent_service = self._folder(folder.rpartition("/")[0]) if folder else ([], None)
        here = self.packages.get(folder)
        packages = [here, *parent_packages] if here else parent_packages
        service = self.service_folders.get(folder) if folder else None
        result = (packages, service or parent_service)
        self._folders[folder] = result
        return result


def record_history(graph: ArchGraph, scan: HistoryScan, settings: HistorySettings, depth: int) -> None:
    """Churn on every module and service node; co-change edges between services and between packages."""
    owners = _Owners(graph, depth)
    entities_of: dict[str, tuple[str, ...]] = {}
    service_sets: list[tuple[str, list[str]]] = []
    package_sets: list[tuple[str, list[str]]] = []
    for commit in scan.commits:
        services: set[str] = set()
        packages: set[str] = set()
        for path, _ in commit.files:
            modules, at_depth, owned_by = owners.of(path)
            if path not in entities_of:
                entities_of[path] = (*modules, *owned_by)
            packages.update(at_depth)
            services.update(owned_by)
        if services:
            service_sets.append((commit.label, sorted(services)))
        if packages:
            package_sets.append((commit.label, sorted(packages)))
    rows = churn(scan.commits, entities_of)
    for kind in (NodeKind.MODULE, NodeKind.SERVICE):
        for node in graph.nodes(kind):
            graph.add_node(kind, node.name, {"churn": rows.get(node.id, Churn()).to_attrs()})
    for level, sets in (("services", service_sets), ("packages", package_sets)):
        pairs = co_changes(sets, settings.min_revisions, settings.min_shared, settings.min_degree)
        scan.co_changes[level] = len(pairs)
        for pair in pairs:
            graph.add_edge(
                pair.a,
                pair.b,
                EdgeKind.CO_CHANGES,
                [Evidence("", 0, label, "git") for label in pair.commits],
                {
                    "degree": pair.degree,
                    "shared": pair.shared,
                    "revisions": [pair.revisions_a, pair.revisions_b],
                },
            )

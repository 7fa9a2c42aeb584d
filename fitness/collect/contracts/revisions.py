"""The base revision of ``fitness contracts``, and the contract files as they were there.

Read-only git: ``rev-parse``, ``merge-base``, ``ls-tree`` and ``cat-file --batch`` (the files of a
revision without checking anything out); the working tree and the index are never touched.

The base, unless ``--base REV`` names one: the merge base of HEAD and the default branch
(``origin/HEAD``, else ``main``, ``master``, ``origin/main``, ``origin/master``), so a pull-request branch
is compared with where it left the default branch; when HEAD is on the default branch (the merge base
is HEAD itself), or there is no default branch, ``HEAD~1``. The new side is always the working tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fitness.collect.git.command import git_output
from fitness.model import FitnessError

DEFAULT_BRANCHES = ("main", "master", "origin/main", "origin/master")


@dataclass(frozen=True)
class Base:
    """``label`` as the user reads it (``main`` merge base, ``HEAD~1``, their ``--base``), ``commit`` the
    full hash, ``prefix`` the analysed folder below the repository root (``services/orders/`` or "")."""

    label: str
    commit: str
    prefix: str

    @property
    def short(self) -> str:
        return self.commit[:12]


def resolve_base(root: Path, rev: str | None) -> Base:
    """The base revision (see the module docstring); FitnessError when git cannot give one."""
    _git(root, "rev-parse", "--is-inside-work-tree", error=f"{root} is not in a git repository", detail=False)
    prefix = _git(root, "rev-parse", "--show-prefix", error="git rev-parse failed").strip()
    if rev is not None:
        if not rev or rev.startswith("-"):
            raise FitnessError(f"--base: {rev!r} is not a git revision")
        return Base(rev, _commit(root, rev, f"--base: unknown git revision {rev!r}"), prefix)
    head = _commit(root, "HEAD", "no commit yet (HEAD does not exist); commit first or pass --base REV")
    branch = _default_branch(root)
    if branch is not None:
        merge_base = _git(root, "merge-base", branch, "HEAD", error="no merge base", quiet_error=True).strip()
        if merge_base and merge_base != head:
            return Base(f"merge base of {branch} and HEAD", merge_base, prefix)
    parent = _commit(root, "HEAD~1", "no base revision: HEAD has no parent commit; pass --base REV")
    return Base("HEAD~1", parent, prefix)


def base_files(root: Path, base: Base) -> list[str]:
    """Every file below ``root`` in the base revision, relative to ``root``."""
    listing = _git(
        root,
        "ls-tree",
        "-r",
        "-z",
        "--full-name",
        "--name-only",
        base.commit,
        "--",
        ".",
        error="git ls-tree failed",
    )
    return sorted(name[len(base.prefix) :] for name in listing.split("\0") if name.startswith(base.prefix))


def read_base(root: Path, base: Base, paths: list[str], warnings: list[str]) -> dict[str, str]:
    """The text of each path (relative to ``root``) in the base revision; missing ones are left out, files
    that are not UTF-8 too (with a warning). One ``git cat-file --batch`` for all of them."""
    if not paths:
        return {}
    request = "".join(f"{base.commit}:{base.prefix}{path}\n" for path in paths).encode("utf-8")
    output = _run(root, ["cat-file", "--batch"], request, "git cat-file failed")
    texts: dict[str, str] = {}
    position = 0
    for path in paths:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) < 3 or header[-1] == b"missing":
            continue
        size = int(header[2])
        blob = output[position : position + size]
        position += size + 1
        if header[1] != b"blob":
            continue
        try:
            texts[path] = blob.decode("utf-8-sig")
        except UnicodeDecodeError:
            warnings.append(f"{path}: not UTF-8 text in {base.label}, not compared")
    return texts


def _default_branch(root: Path) -> str | None:
    remote_head = _git(
        root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD", error="", quiet_error=True
    ).strip()
    for name in (remote_head, *DEFAULT_BRANCHES):
        if name and _git(
            root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", error="", quiet_error=True
        ):
            return name
    return None


def _commit(root: Path, rev: str, error: str) -> str:
    return _git(
        root,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{rev}^{{commit}}",
        error=error,
        detail=False,
    ).strip()


def _git(root: Path, *args: str, error: str, detail: bool = True, quiet_error: bool = False) -> str:
    """git's output; a FitnessError (``error``, with git's last line when ``detail``) when it fails, or ""
    when ``quiet_error``."""
    try:
        return _run(root, list(args), None, error, detail).decode("utf-8", "surrogateescape")
    except FitnessError:
        if quiet_error:
            return ""
        raise


def _run(root: Path, args: list[str], stdin: bytes | None, error: str, detail: bool = True) -> bytes:
    return git_output(root, args, error, "fitness contracts", stdin, detail)

"""Reading untrusted input with bounds: the config, manifests and analysed files all come through here.

- ``read_bytes`` / ``read_text`` read regular files only: a FIFO, a device, a socket or a folder is refused
  before anything is read (the file is opened non-blocking, so a FIFO cannot hang the run), a file larger
  than the bound is refused, and a symlink that resolves outside ``root`` (the analysed folder) is never
  followed. Every refusal is an ``Unreadable`` with a one-line reason.
- ``check_yaml`` bounds a composed YAML node tree before anything is built from it: the nodes after alias
  expansion (an alias bomb of nine lines would otherwise expand to a billion), the nesting depth, aliases
  that contain themselves, and (for the config) duplicate keys, each a YAML error pointing at its line.
- ``Loader`` / ``FastLoader`` are PyYAML's safe loaders (``yaml.safe_load`` semantics: plain data, never
  Python objects) whose constructor errors always carry the line (an invalid date like ``2024-02-30``
  raises a bare ValueError in PyYAML).

No project imports: the config reader and the collectors both use it (layer ``inputs`` in fitness.yaml).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from fitness.model.file_kinds import describe

MAX_PATH_PART = 255  # bytes in one file name component (NAME_MAX on Linux and macOS)
MAX_PATH = 4096  # characters in a path (PATH_MAX on Linux)


class Unreadable(Exception):
    """A file that was not read; ``reason`` is one line (``is a FIFO (named pipe), not a regular file``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def why(self) -> str:
        """The reason to follow ``cannot read X:`` (``a FIFO (named pipe), not a regular file``)."""
        text = self.reason.removeprefix("is ")
        if text.startswith("cannot be read (") and text.endswith(")"):
            return text[len("cannot be read (") : -1]
        return text


def inside(path: str | Path, root: str | Path) -> bool:
    """Whether ``path`` resolves to ``root`` or below it (symlinks followed)."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def leaves_tree(path: str | Path, root: str | Path | None) -> bool:
    """Whether ``path`` is a symlink whose target lies outside ``root`` (False without a root)."""
    return root is not None and os.path.islink(path) and not inside(path, root)


def read_bytes(
    path: str | Path, max_bytes: int, root: str | Path | None = None, head: int | None = None
) -> bytes:
    """The content of the regular file ``path``, at most ``max_bytes`` long; ``Unreadable`` otherwise.
    With ``head``, only the first ``head`` bytes are read (whatever the size).

    With ``root``, a symlink leading outside it is refused. The file is opened non-blocking and checked
    with ``fstat`` on the open descriptor, so neither a FIFO nor a swap between check and read is read.
    """
    if leaves_tree(path, root):
        raise Unreadable(f"is a symlink to {os.path.realpath(path)}, outside the analysed folder")
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise Unreadable(_os_reason(error, path)) from error
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"is {describe(info.st_mode)}, not a regular file")
        if head is None and info.st_size > max_bytes:
            raise Unreadable(f"is larger than {_size(max_bytes)} ({_size(info.st_size)})")
        limit = max_bytes if head is None else head
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # the size can change after fstat: never read more than the bound
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit and head is None:
            raise Unreadable(f"is larger than {_size(max_bytes)}")
        return b"".join(chunks)[:limit]
    except OSError as error:
        raise Unreadable(_os_reason(error, path)) from error
    finally:
        os.close(descriptor)


def read_text(
    path: str | Path, max_bytes: int, root: str | Path | None = None, encoding: str = "utf-8"
) -> str:
    """``read_bytes`` decoded; text that is not valid in ``encoding`` is ``Unreadable`` too."""
    data = read_bytes(path, max_bytes, root)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise Unreadable(f"is not UTF-8 text ({error.reason})") from error


def read_head(path: str | Path, limit: int, root: str | Path | None = None) -> str | None:
    """At most the first ``limit`` bytes of a regular file as text (undecodable bytes replaced), for
    readers that only look at the start (a Dockerfile's ``FROM``); None when it is not read at all."""
    try:
        data = read_bytes(path, limit, root, head=limit)
    except Unreadable:
        return None
    return data.decode("utf-8-sig", errors="replace")


def path_problem(text: str) -> str | None:
    """Why ``text`` cannot name a file (empty, a NUL byte, a part longer than the system allows), or None."""
    if "\0" in text:
        return "a NUL character"
    if len(text) > MAX_PATH:
        return f"longer than {MAX_PATH} characters"
    for part in text.replace("\\", "/").split("/"):
        if len(part.encode("utf-8", "surrogateescape")) > MAX_PATH_PART:
            return f"a name longer than {MAX_PATH_PART} bytes"
    return None


def _os_reason(error: OSError, path: str | Path) -> str:
    if error.errno != errno.ELOOP and os.path.islink(path) and not os.path.exists(path):
        return f"is a symlink to {os.readlink(path)}, which does not exist"
    return f"cannot be read ({error.strerror or error})"


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:g} MB"
    if count >= 1_000:
        return f"{count / 1_000:g} kB"
    return f"{count} bytes"


# --- YAML ------------------------------------------------------------------------------------------------


class YamlLimit(yaml.MarkedYAMLError):
    """A YAML document over a bound (aliases, depth) or with a duplicate key; ``problem`` says which."""


def check_yaml(node: yaml.Node, max_nodes: int, max_depth: int, unique_keys: bool = False) -> int:
    """Refuse ``node`` before it is built: more than ``max_nodes`` aliased nodes beyond the document's own,
    nesting deeper than ``max_depth``, an alias inside itself, and with ``unique_keys`` a key written twice
    in one mapping. Returns the node count with aliases expanded. Iterative: no recursion on deep input."""
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        current, depth, done = stack.pop()
        key = id(current)
        children = _children(current)
        if done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > len(sizes) + 1 + max_nodes:
                raise YamlLimit(
                    problem=f"aliases expand to more than {max_nodes:,} nodes (an alias bomb?), not read",
                    problem_mark=current.start_mark,
                )
            sizes[key] = total
            heights[key] = 1 + max((heights[id(child)] for child in children), default=0)
            continue
        if key in sizes:  # seen through another alias: as deep as it was, below this depth
            if depth + heights[key] - 1 > max_depth:
                raise YamlLimit(problem=_too_deep(max_depth), problem_mark=current.start_mark)
            continue
        if depth > max_depth:
            raise YamlLimit(problem=_too_deep(max_depth), problem_mark=current.start_mark)
        if key in open_nodes:
            raise YamlLimit(
                problem="an alias refers to a node that contains it", problem_mark=current.start_mark
            )
        if unique_keys and isinstance(current, yaml.MappingNode):
            _unique_keys(current)
        open_nodes.add(key)
        stack.append((current, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(children))
    return sizes[id(node)]


def _too_deep(max_depth: int) -> str:
    return f"nested more than {max_depth} levels deep, not read"


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _unique_keys(node: yaml.MappingNode) -> None:
    first: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        seen = first.get((key_node.tag, key_node.value))
        if seen is not None:
            raise YamlLimit(
                problem=f"duplicate key {_short(key_node.value)} (first at line {seen}); "
                "the first would be ignored",
                problem_mark=key_node.start_mark,
            )
        first[(key_node.tag, key_node.value)] = key_node.start_mark.line + 1


class _Constructing:
    """Constructor errors that PyYAML leaves bare (ValueError for a date like 2024-02-30 or a 5,000-digit
    integer, AttributeError for ``!!timestamp`` on text that is no date) become YAML errors with the line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError, AttributeError, TypeError, IndexError) as error:
            what = _short(node.value) if isinstance(node, yaml.ScalarNode) else "this value"
            if isinstance(error, (ValueError, OverflowError)):  # "day is out of range for month"
                reason = str(error).split(":")[0]  # not "...: value has 5000 digits; use sys.set_int_max..."
            else:
                reason = f"not a valid {node.tag.rsplit(':', 1)[-1]}"
            raise ConstructorError(None, None, f"cannot read {what}: {reason}", node.start_mark) from error


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Loader(_Constructing, yaml.SafeLoader):
    """``yaml.SafeLoader`` with line numbers on every constructor error."""


FastLoader: type[yaml.SafeLoader] = (
    type("FastLoader", (_Constructing, yaml.CSafeLoader), {}) if hasattr(yaml, "CSafeLoader") else Loader
)
"""The same on libyaml when it is there (faster, and it caps nesting at 1,000 levels itself)."""

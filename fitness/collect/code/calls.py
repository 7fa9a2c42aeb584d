"""Synchronous calls and messages of one service, from its source and config files (any language).

``scan_calls(files, root)`` reads the files of ONE service and says what they call and which topics
they publish to or subscribe on, with evidence (path relative to ``root``, line, the line's text, how):

- Python files are parsed once with ``ast`` (never imported or run): see :mod:`calls_python` for the
  HTTP, gRPC, Kafka, RabbitMQ, Celery, Nameko and Redis constructs (``how="code"``). Constants, f-strings,
  ``+`` and ``os.getenv`` defaults are folded, also across the modules of the same scan.
- Every text file (Python included) goes through one regular-expression pass for URLs and endpoint
  settings: see :mod:`calls_text` (``how="config"`` or ``"source-text"``). On a Python line the ``ast``
  pass already used, the same host is not reported twice.

Hosts are reported as written (``inventory``, ``inventory.shop.svc.cluster.local``); matching them to
services and aliases is the pipeline's job. Nothing here decides what is a smell.

Vendored, minified and generated files are skipped and counted, not warned about one by one: lock files,
``*.min.*``, bundles and chunks, anything under node_modules, vendor or a virtualenv, JavaScript that is
minified (few, very long lines) and files larger than 2 MB. Each is a :class:`Skipped` entry in the
warnings, which :func:`fold_skipped` turns into one counted line (``skipped 37 minified, vendored or
generated files: ... (e.g. a.min.js, ...)``). Skipped with a warning of its own: binary (a NUL byte), not
valid UTF-8 (a Python file may declare its encoding), unreadable. Skipped silently: .git and other tool
folders, and extensions that hold no endpoints.

Speed: a Python file is parsed at most once, and only when it can hold something: it names a client
library or messaging construct (``_TRIGGERS``), imports a module that does, or another module needs
its constants. A syntax error is a warning (``path:line``) and the file still gets the text pass; a
file never parsed (it names none of those) cannot raise one, the import collector reports it.
"""

from __future__ import annotations

import os
import re
import tokenize
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from fitness.collect.code.text import scan_text
from fitness.collect.python.http import detect
from fitness.collect.python.parse_cache import ParseCache
from fitness.collect.python.pymodel import Found, PyModule
from fitness.collect.python.pywalk import Registry, docstring_lines, parse_module
from fitness.collect.skipped import Skipped, fold_skipped
from fitness.inputs import Unreadable, read_bytes
from fitness.model.facts import Call, Message, Unresolved

MAX_BYTES = 2 * 1024 * 1024
SOURCE_SUFFIXES = frozenset(
    (
        *(".java", ".kt", ".kts", ".scala", ".go", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"),
        *(".cs", ".rb", ".php", ".rs", ".py"),
    )
)
CONFIG_SUFFIXES = frozenset(
    (
        *(".yml", ".yaml", ".properties", ".json", ".env", ".toml", ".ini", ".conf", ".cfg", ".xml"),
        *(".template", ".tmpl", ".prisma"),  # envsubst-templated proxy configs, Prisma schemas
    )
)
VENDORED_DIRS = frozenset({"node_modules", "vendor", ".venv", "venv", "site-packages"})
SKIPPED_DIRS = VENDORED_DIRS | {".git", ".hg", ".svn", "__pycache__", ".tox"}
LOCK_FILES = frozenset(
    (
        *("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock"),
        *("pipfile.lock", "cargo.lock", "composer.lock", "gemfile.lock", "go.sum", "packages.lock.json"),
        "uv.lock",
    )
)
_MINIFIED = re.compile(r"\.min\.[a-z]+$|\.bundle\.js$|\.chunk\.js$")
# a Python file naming none of these has no call or message for the ast pass to find
_TRIGGERS = (
    *("requests", "httpx", "aiohttp", "urllib", "grpc", "kafka", "redis", "nameko", "celery", "kombu"),
    *("pika", "basic_", "queue_bind", "declare_queue", "default_exchange", "routing_key", "send_task"),
    *("shared_task", "delay", "apply_async", ".task"),
)
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+(?P<modules>[^\n#;]*))",
    re.M,
)


@dataclass
class CallScan:
    calls: list[Call] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


Reader = Callable[[str, str, list[str]], "str | None"]


def scan_calls(
    files: Iterable[Path],
    root: Path,
    reader: Reader | None = None,
    trees: ParseCache | None = None,
    python_ast: bool = True,
) -> CallScan:
    """Calls, messages and unresolved endpoints in ``files`` (a relative path is taken from the current
    folder, or from ``root`` when it does not exist there).

    Output is sorted and free of duplicates, so the same files give the same result every time.
    """
    scan = CallScan()
    base = os.path.abspath(root)
    paths: dict[str, str] = {}  # relative POSIX path -> absolute path
    for file in files:
        absolute = os.path.abspath(file)
        if not os.path.isabs(file) and not os.path.exists(absolute):  # relative to root, not to cwd
            absolute = os.path.join(base, file)
        relative = os.path.relpath(absolute, base).replace(os.sep, "/")
        if relative.startswith("../"):
            scan.warnings.append(f"{absolute}: outside the analysed root {base}, skipped")
        elif wanted_file(relative, scan.warnings):
            paths[relative] = absolute
    read: list[tuple[str, str, str]] = []
    for relative in sorted(paths):
        text = (reader or read_text_file)(paths[relative], relative, scan.warnings)
        if text is not None:
            read.append((relative, paths[relative], text))
    return _scan(read, base, scan, trees, python_ast)


def scan_texts(
    texts: Mapping[str, str], root: str, trees: ParseCache | None = None, python_ast: bool = True
) -> CallScan:
    """:func:`scan_calls` of files already read: ``texts`` maps paths relative to ``root`` (absolute,
    normalised, as :func:`os.path.abspath` gives it) to their text."""
    scan = CallScan()
    read = [
        (relative, os.path.join(root, relative), texts[relative])
        for relative in sorted(texts)
        if not relative.startswith("../") and wanted_file(relative, scan.warnings)
    ]
    return _scan(read, root, scan, trees, python_ast)


def _scan(
    read: list[tuple[str, str, str]], base: str, scan: CallScan, trees: ParseCache | None, python_ast: bool
) -> CallScan:
    """The scans of ``read``, (relative path, absolute path, text) in the order of the relative paths."""
    registry = Registry(scan.warnings, trees)
    texts: list[tuple[str, str, bool]] = []  # (path, text, is config) for the text pass
    python: dict[str, tuple[str, str]] = {}  # path -> (module name, text)
    packages: dict[str, tuple[str, ...]] = {}  # folder -> its dotted name as a package
    for relative, absolute, text in read:
        if relative.endswith(".py"):
            name = _module_name(absolute, base, packages)
            python[relative] = (name, text)
            registry.add_source(name, relative, text)
        texts.append((relative, text, not _is_source(relative)))
    found = Found()
    modules: dict[str, PyModule] = {}
    for relative in _to_analyse(python) if python_ast else ():
        name, text = python[relative]
        module = parse_module(relative, text, name, registry)
        registry.add(name, relative, module)
        if module is not None:
            modules[relative] = module
    for module in modules.values():
        try:
            detect(module, found)
        except Exception as error:  # pragma: no cover - a construct nobody foresaw must not stop the scan
            scan.warnings.append(
                f"{module.path}: calls in code not analysed ({type(error).__name__}: {error})"
            )
    consumed: dict[str, dict[int, set[str]]] = {}
    for (path, line), hosts in found.consumed.items():
        consumed.setdefault(path, {})[line] = hosts
    calls = set(found.calls)
    for relative, text, config in texts:
        seen = scan_text(text, relative, config=config, consumed=consumed.get(relative, {}))
        if seen and relative in python and may_be_prose(text, {c.evidence.line for c in seen}):
            module = modules.get(relative)
            tree = module.tree if module is not None else registry.tree(python[relative][0], relative)
            if tree is not None:
                prose = docstring_lines(tree)
                seen = [c for c in seen if c.evidence.line not in prose]
        calls.update(seen)
    scan.calls = sorted(calls)
    scan.messages = sorted(set(found.messages))
    scan.unresolved = sorted(set(found.unresolved))
    scan.warnings = sorted(fold_skipped(sorted(set(scan.warnings))))
    return scan


_TRIPLE = re.compile(r"\"\"\"|'''")
_STRING_START = re.compile(r"""^[ \t]*(?:[rRbBuUfF]{0,2})["']""")


def may_be_prose(text: str, lines: set[int]) -> bool:
    """Whether one of ``lines`` may lie in a string statement (a docstring): inside a triple-quoted
    region, or on a line that starts with a string. Parsing a module only to learn its docstring
    lines is most of the text pass's cost on a large code base; this answers "no" only when it is sure
    (triple quotes that do not pair up, or share a line with a ``#``, mean "maybe")."""
    spans: list[tuple[int, int]] = []  # (start, end) offsets of each line asked about
    start, at = 0, 1
    for line in sorted(lines):
        while at < line:  # one pass over the text for all the lines
            start = text.find("\n", start) + 1
            at += 1
            if start == 0:
                return True  # a line past the end: let the parse decide
        end = text.find("\n", start)
        spans.append((start, len(text) if end < 0 else end))
        if _STRING_START.match(text, start):
            return True
    opened: str | None = None
    region_start = 0
    for match in _TRIPLE.finditer(text):
        if "#" in text[text.rfind("\n", 0, match.start()) + 1 : match.start()]:
            return True
        if opened is None:
            opened, region_start = match.group(), match.start()
        elif match.group() == opened:
            if any(region_start <= end and start <= match.end() for start, end in spans):
                return True
            opened = None
    return opened is not None


def _to_analyse(python: dict[str, tuple[str, str]]) -> list[str]:
    """The Python files worth a full walk: those naming a client library or a messaging construct,
    and those importing one of them (``from .clients import inventory`` then ``inventory.get(...)``).
    The others are parsed only if another module needs their constants (see ``Registry``)."""
    chosen = {path for path, (_, text) in python.items() if any(word in text for word in _TRIGGERS)}
    names = {python[path][0] for path in chosen}
    imports = {
        path: _imports(name, path, text)
        for path, (name, text) in python.items()
        if names and path not in chosen
    }
    changed = bool(names)
    while changed:
        changed = False
        for path, imported in imports.items():
            if path not in chosen and imported & names:
                chosen.add(path)
                names.add(python[path][0])
                changed = True
    return sorted(chosen)


def _imports(name: str, path: str, text: str) -> set[str]:
    """Module names ``text`` imports, read from its import lines: ``from a import b`` gives a and a.b."""
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    found: set[str] = set()
    for match in _IMPORT.finditer(text):
        base, names = match.group("base"), match.group("names")
        if base is None:
            found.update(n.split()[0] for n in match.group("modules").split(",") if n.strip())
            continue
        dots = len(base) - len(base.lstrip("."))
        if dots:
            parts = package.split(".") if package else []
            parts = parts[: len(parts) - (dots - 1)] if dots > 1 else parts
            base = ".".join([*parts, *([base.lstrip(".")] if base.lstrip(".") else [])])
        found.add(base)
        for item in names.strip("()").replace("\n", ",").split(","):
            if item.split():
                found.add(f"{base}.{item.split()[0]}" if base else item.split()[0])
    return found


def wanted_file(relative: str, skipped: list[str] | None = None) -> bool:
    """Source, config and Dockerfiles outside dependency folders, lock files and minified bundles; the
    vendored, minified and lock files left out are added to ``skipped`` (as :class:`Skipped`) when given."""
    parts = relative.split("/")
    name = parts[-1].lower()
    reason = ""
    folders = parts[:-1]
    if any(part in SKIPPED_DIRS for part in folders):
        reason = "vendored" if any(part in VENDORED_DIRS for part in folders) else "-"
    elif name in LOCK_FILES or name.endswith(".lock"):
        reason = "lock file"
    elif _MINIFIED.search(name):
        reason = "minified"
    if reason:
        if skipped is not None and reason != "-":
            skipped.append(Skipped(relative, reason))
        return False
    if name == ".env" or name.startswith((".env.", "dockerfile")) or name.endswith(".dockerfile"):
        return True
    suffix = os.path.splitext(name)[1]
    return suffix in SOURCE_SUFFIXES or suffix in CONFIG_SUFFIXES


def _is_source(relative: str) -> bool:
    return os.path.splitext(relative.lower())[1] in SOURCE_SUFFIXES


def read_text_file(absolute: str, relative: str, warnings: list[str]) -> str | None:
    """The file as text, or None with a warning: binary, not UTF-8, unreadable; or counted as
    :class:`Skipped`: too large, minified JavaScript."""
    try:
        size = os.path.getsize(absolute)
        if size > MAX_BYTES:
            limit = f"larger than {_size(MAX_BYTES)}"
            warnings.append(Skipped(relative, limit, f"{limit} ({_size(size)})"))
            return None
        root = (
            absolute[: -len(relative) - 1] if absolute.replace(os.sep, "/").endswith("/" + relative) else None
        )
        data = read_bytes(
            absolute, MAX_BYTES, root
        )  # a FIFO, a device or a symlink out of the tree: not read
    except OSError as error:
        warnings.append(f"{relative}: cannot be read ({error.strerror or error}), skipped")
        return None
    except Unreadable as error:
        warnings.append(f"{relative}: {error.reason.removeprefix('is ')}, skipped")
        return None
    if b"\0" in data[:8192]:
        warnings.append(f"{relative}: binary file, skipped")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text_or_none = _python_encoding(data) if relative.endswith(".py") else None
        if text_or_none is None:
            warnings.append(f"{relative}: not valid UTF-8, skipped")
            return None
        text = text_or_none
    if relative.endswith((".js", ".mjs", ".cjs")) and len(text) > 5000 and text.count("\n") * 500 < len(text):
        warnings.append(Skipped(relative, "minified", "minified JavaScript"))
        return None
    return text


def _size(n: int) -> str:
    return f"{n / 1048576:g} MB" if n >= 1048576 else f"{n} bytes"


def _python_encoding(data: bytes) -> str | None:
    """A Python file in the encoding its coding cookie declares (PEP 263)."""
    try:
        encoding, _ = tokenize.detect_encoding(BytesIO(data).readline)
        return data.decode(encoding) if encoding != "utf-8" else None
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None


def _module_name(absolute: str, base: str, packages: dict[str, tuple[str, ...]]) -> str:
    """Dotted module name: the file's name plus every enclosing folder that holds ``__init__.py``."""
    folder, filename = os.path.split(absolute)
    stem = filename[:-3]
    names = _package(folder, base, packages)
    return ".".join(names if stem == "__init__" else (*names, stem)) or stem


def _package(folder: str, base: str, packages: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The dotted name of ``folder`` as a package (its enclosing folders that hold ``__init__.py``, up to
    the first that does not), worked out once per folder of a scan."""
    found = packages.get(folder)
    if found is None:
        found = ()
        if folder.startswith(base + os.sep) and os.path.isfile(os.path.join(folder, "__init__.py")):
            parent, name = os.path.split(folder)
            found = (*_package(parent, base, packages), name)
        packages[folder] = found
    return found

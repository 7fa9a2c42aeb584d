"""A Django project read statically: manage.py, the settings modules and the apps they install.

Nothing is imported or executed. The settings module named by ``DJANGO_SETTINGS_MODULE`` (the default
that manage.py, wsgi.py or asgi.py sets), every module called ``settings*`` or ``*_settings`` (or inside
a ``settings`` package) and each root package's ``__init__`` are parsed with ``ast``, and every string put
into ``INSTALLED_APPS`` is collected, however it gets there::

    INSTALLED_APPS = ["django.contrib.auth", "shop.orders.apps.OrdersConfig"]
    INSTALLED_APPS += ("shop.billing",)
    INSTALLED_APPS.append("shop.catalog")        # also insert, extend
    INSTALLED_APPS = [*BASE_APPS, "shop.search"]  # the strings written here; BASE_APPS where it is set

Entries are kept as written (``shop.orders.apps.OrdersConfig``); which of them are the project's own
packages is decided against the module graph (``fitness.model.layout.own_apps``). Packages whose
``apps.py`` declares an ``AppConfig`` are apps too: a reusable app or a framework has no settings.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fitness.collect.python.nesting import too_deep
from fitness.inputs import Unreadable, read_bytes

SETTINGS_VARIABLE = "INSTALLED_APPS"
_ADDERS = frozenset({"append", "insert", "extend"})
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\Z")
_SETTINGS_DEFAULT = re.compile(rb"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]")
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class DjangoProject:
    """What the project's files say about it; every path is relative to the analysed folder."""

    manage: tuple[str, ...] = ()  # manage.py files
    settings: tuple[str, ...] = ()  # modules that set INSTALLED_APPS
    installed_apps: tuple[str, ...] = ()  # entries as written, first seen first
    app_configs: tuple[str, ...] = ()  # packages whose apps.py declares an AppConfig

    @property
    def found(self) -> bool:
        return bool(self.manage or self.installed_apps or self.app_configs)


def read_django(root: Path, source_roots: Iterable[str], modules: Mapping[str, str]) -> DjangoProject:
    """Read the project at ``root``; ``modules`` maps each scanned module to its file, relative to root."""
    manage = _manage_files(root, source_roots)
    named = {name for path in manage for name in _settings_default(root / path)}
    for module, path in modules.items():
        if module.rpartition(".")[2] in ("wsgi", "asgi"):
            named.update(_settings_default(root / path))
    settings: list[str] = []
    entries: list[str] = []
    for module in sorted(modules):
        if not (module in named or _looks_like_settings(module) or "." not in module):
            continue
        found = _installed_apps(root / modules[module])
        if found is None:
            continue
        settings.append(module)
        entries.extend(entry for entry in found if entry not in entries)
    return DjangoProject(tuple(manage), tuple(settings), tuple(entries), _app_configs(root, modules))


def _manage_files(root: Path, source_roots: Iterable[str]) -> list[str]:
    """manage.py in the analysed folder, in each source root, or one folder below either."""
    found: set[str] = set()
    for base in {".", *source_roots}:
        folder = root / base
        candidates = [folder / "manage.py"]
        try:
            candidates += [entry / "manage.py" for entry in folder.iterdir() if entry.is_dir()]
        except OSError:
            continue
        for candidate in candidates:
            if candidate.is_file():
                found.add(Path(os.path.relpath(candidate, root)).as_posix())
    return sorted(found)


def _settings_default(path: Path) -> list[str]:
    """``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")`` -> ``["site.settings"]``."""
    try:
        data = read_bytes(path, MAX_FILE_BYTES, head=MAX_FILE_BYTES)  # a head, of a regular file only
    except Unreadable:
        return []
    return [match.decode("ascii") for match in _SETTINGS_DEFAULT.findall(data)]


def _looks_like_settings(module: str) -> bool:
    """``site.settings``, ``site.settings.base``, ``site._base_settings``, ``site.settings_docker``;
    never a test module's settings."""
    parts = module.split(".")
    if any("test" in part for part in parts):
        return False
    last = parts[-1]
    return "settings" in last or (len(parts) > 1 and parts[-2] == "settings")


def _installed_apps(path: Path) -> list[str] | None:
    """The strings this file puts into INSTALLED_APPS (none for ``[*BASE_APPS, *PLUGINS]``), or None
    when it sets nothing there."""
    try:
        data = read_bytes(path, MAX_FILE_BYTES)  # larger, or no regular file: Unreadable, not read at all
    except Unreadable:
        return None
    if SETTINGS_VARIABLE.encode() not in data:
        return None
    if too_deep(data.decode("utf-8", "replace")) is not None:  # would crash the parser: not read
        return None
    try:
        tree = ast.parse(data, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    values: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(_names_variable(t) for t in node.targets):
            values.append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and _names_variable(node.target):
            if node.value is not None:
                values.append(node.value)
        elif isinstance(node, ast.Call) and _adds_to_variable(node.func):
            values.extend(node.args)
    if all(isinstance(value, (ast.List, ast.Tuple)) and not value.elts for value in values):
        return None  # never set, or `INSTALLED_APPS = []`: a framework's defaults install nothing
    found: list[str] = []
    for value in values:
        for item in ast.walk(value):
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                text = item.value.strip()
                if _DOTTED.match(text) and text not in found:
                    found.append(text)
    return found


def _names_variable(target: ast.AST) -> bool:
    if isinstance(target, ast.Name):
        return target.id == SETTINGS_VARIABLE
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_names_variable(element) for element in target.elts)
    return False


def _adds_to_variable(func: ast.AST) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and func.attr in _ADDERS
        and isinstance(func.value, ast.Name)
        and func.value.id == SETTINGS_VARIABLE
    )


def _app_configs(root: Path, modules: Mapping[str, str]) -> tuple[str, ...]:
    """Packages with an ``apps.py`` module (not an ``apps`` package) that declares an AppConfig."""
    found = []
    for module, path in modules.items():
        parent, _, last = module.rpartition(".")
        if last != "apps" or not parent or not path.endswith("apps.py"):
            continue
        try:
            data = read_bytes(root / path, MAX_FILE_BYTES, head=MAX_FILE_BYTES)
        except Unreadable:
            continue
        if b"AppConfig" in data:
            found.append(parent)
    return tuple(sorted(found))

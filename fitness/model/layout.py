"""The shape of a system as ``fitness init`` sees it: which modules are not the application (tests,
migrations, settings, generated code), and the units the application is made of (Django apps, the
subpackages of a root package, or several root packages), at the package depth where they live.

Pure functions over module names; what the files say (settings, AppConfigs, generated headers) is read
by ``fitness.collect.python`` and passed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fitness.model.patterns import matches, within

TEST_PACKAGES = frozenset({"test", "testing", "testutils", "test_utils", "tests_utils"})
UTILITY_NAMES = frozenset(
    {"utils", "utilities", "util", "common", "commons", "core", "shared", "helpers", "lib", "libs", "kernel"}
)
EXCLUDE_KINDS = ("migrations", "tests", "settings", "generated")
MAX_LISTED_MODULES = 25  # modules written one per line before the rest is only counted
DOMINANT = 0.8  # a package holding this share of the modules is looked into for the units


@dataclass(frozen=True)
class Exclusion:
    """One ``exclude:`` line of the starter config: a pattern, why, and how many modules it leaves out."""

    pattern: str
    kind: str  # tests | migrations | settings | generated
    modules: int
    example: str = ""


@dataclass(frozen=True)
class Units:
    """The units of the application: what starter rules compare with each other."""

    names: tuple[str, ...]
    depth: int  # package depth of the shallowest unit (``analysis.package_depth``)
    kind: str  # "apps" (Django), "packages" (root packages) or "subpackages" (of one root package)
    sizes: Mapping[str, int]  # modules per unit


@dataclass(frozen=True)
class ProposedRule:
    """One starter rule: its keys as written in fitness.yaml (in order), a comment saying why, and what
    it finds today (those findings go to the baseline)."""

    rule: Mapping[str, Any]
    note: str
    findings: int = 0
    imports: int = 0


@dataclass(frozen=True)
class StarterPlan:
    """Everything ``fitness init`` found and proposes, for the starter config to write down."""

    source_roots: tuple[str, ...]
    packages: tuple[str, ...]
    modules: int = 0
    found: str = ""  # what kind of system: "a Django project (manage.py, settings: site.settings)"
    exclusions: tuple[Exclusion, ...] = ()
    unlisted_tests: int = 0  # test modules beside the code beyond MAX_LISTED_MODULES
    units: Units | None = None
    rules: tuple[ProposedRule, ...] = ()
    sketch: ProposedRule | None = None  # a layering that does not nearly hold: written commented out
    services: tuple[str, ...] = ()
    datastores: tuple[str, ...] = ()
    baseline: str = ""  # the baseline file the config names ("" when nothing is known to violate)


def exclusions(
    modules: Iterable[str],
    packages: Iterable[str],
    settings: Iterable[str] = (),
    generated: Iterable[str] = (),
) -> tuple[list[Exclusion], int]:
    """The exclude lines for ``modules`` and how many test modules beside the code were left unlisted.

    ``packages`` are the modules that are packages. Migrations (``migrations`` packages holding numbered
    migrations or Alembic's ``versions``) and ``tests`` anywhere are one pattern each
    (``**.migrations.**``; the migration packages one by one when some other ``migrations`` is code, such as
    a migrations framework); test-helper packages (``shop.testing``), test modules beside the code
    (``shop.orders.test_api``), settings and generated modules are named one by one::

        >>> [e.pattern for e in exclusions(["a", "a.tests", "a.tests.t", "a.migrations.0001"], ["a", "a.tests"])[0]]
        ['**.migrations.**', '**.tests.**']
    """
    names = sorted(set(modules))
    package_set = set(packages)
    claimed: set[str] = set()
    found: list[Exclusion] = []

    def add(pattern: str, kind: str) -> None:
        hits = [m for m in names if m not in claimed and _covers(pattern, m)]
        if hits:
            claimed.update(hits)
            found.append(Exclusion(pattern, kind, len(hits), hits[-1] if len(hits) > 1 else hits[0]))

    named = [m for m in names if m.rpartition(".")[2] == "migrations"]
    migrations = _outermost([m for m in named if _holds_migrations(m, names)])
    if migrations and len(migrations) == len(named):
        add("**.migrations.**", "migrations")
    else:  # a module or package called migrations that holds no migration is code (a migrations framework)
        for package in migrations:
            add(f"{package}.**", "migrations")
    if any("tests" in m.split(".") for m in names):
        add("**.tests.**", "tests")
    helpers = sorted(p for p in package_set if p.rpartition(".")[2] in TEST_PACKAGES and "." in p)
    for package in _outermost(helpers):
        add(f"{package}.**", "tests")
    if any(m.rpartition(".")[2] == "conftest" for m in names):
        add("**.conftest", "tests")
    beside = [m for m in names if m not in claimed and _test_module(m.rpartition(".")[2])]
    for module in beside[:MAX_LISTED_MODULES]:
        add(module, "tests")
    for module in sorted(set(settings)):
        add(f"{module}.**" if module in package_set else module, "settings")
    for module in _outermost(sorted(set(generated))):
        add(f"{module}.**" if module in package_set else module, "generated")
    return found, max(0, len(beside) - MAX_LISTED_MODULES)


def _holds_migrations(package: str, names: Sequence[str]) -> bool:
    """Whether ``package`` holds migrations only: numbered ones (``0001_initial``), Alembic's ``env`` and
    ``versions``, or nothing yet; a framework's ``migrations`` package (``executor``, ``loader``) is code."""
    prefix = package + "."
    for module in names:
        if module.startswith(prefix):
            first = module[len(prefix) :].split(".")[0]
            if not (first[:1].isdigit() or first in ("versions", "env")):
                return False
    return True


def _covers(pattern: str, module: str) -> bool:
    return matches(pattern, module)


def _test_module(name: str) -> bool:
    return name.startswith("test_") or name.endswith(("_tests", "_test")) or name == "tests"


def _outermost(names: Sequence[str]) -> list[str]:
    """``["a.x", "a.x.y", "b"]`` -> ``["a.x", "b"]``."""
    kept: list[str] = []
    for name in sorted(names):
        if not any(within(name, outer) for outer in kept):
            kept.append(name)
    return kept


def own_apps(
    entries: Iterable[str], app_configs: Iterable[str], packages: Iterable[str], roots: Iterable[str]
) -> list[str]:
    """The project's own apps: each INSTALLED_APPS entry resolved to the package it names
    (``shop.orders.apps.OrdersConfig`` -> ``shop.orders``), plus packages with an AppConfig. A root
    package listed with apps inside it (``shop`` besides ``shop.orders``) and apps inside another app are
    left out: a unit is the outermost app::

        >>> own_apps(["django.contrib.auth", "shop.orders.apps.OrdersConfig"], ["shop.billing"],
        ...          ["shop", "shop.orders", "shop.billing", "shop.orders.admin"], ["shop"])
        ['shop.billing', 'shop.orders']
    """
    package_set = set(packages)
    root_set = set(roots)
    found: set[str] = set()
    for entry in [*entries, *app_configs]:
        parts = entry.split(".")
        if parts[0] not in root_set:
            continue
        for size in range(len(parts), 0, -1):
            name = ".".join(parts[:size])
            if name in package_set:
                found.add(name)
                break
    apps = sorted(
        app for app in found if not (app in root_set and any(within(o, app) for o in found if o != app))
    )
    return [app for app in apps if not any(other != app and within(app, other) for other in apps)]


def choose_units(
    modules: Iterable[str], packages: Iterable[str], roots: Sequence[str], apps: Sequence[str]
) -> Units:
    """The application's units: the Django apps when there are at least two; else the subpackages of
    the root package (of the one holding most of the code, looking further down while one subpackage
    holds nearly all of it, or is the only one); else the root packages themselves."""
    names = list(modules)
    package_set = set(packages)
    size: Counter[str] = Counter()
    for module in names:
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):
            size[".".join(parts[:depth])] += 1
    if len(apps) >= 2:
        return _units(apps, "apps", size)
    total = max(1, len(names))
    big = max(roots, key=lambda r: (size[r], r), default="")
    if len(roots) > 1 and size[big] < DOMINANT * total:
        return _units([r for r in roots if size[r]], "packages", size)
    container = big
    while True:
        children = sorted(p for p in package_set if p.rpartition(".")[0] == container and size[p])
        largest = max(children, key=lambda c: (size[c], c), default="")
        if not largest or (len(children) > 1 and size[largest] < DOMINANT * size[container]):
            break
        container = largest
    if len(children) < 2:
        return _units([r for r in roots if size[r]], "packages", size)
    return _units(children, "subpackages", size)


def _units(names: Iterable[str], kind: str, size: Mapping[str, int]) -> Units:
    ordered = tuple(sorted(names))
    depth = min((name.count(".") + 1 for name in ordered), default=1)
    return Units(ordered, depth, kind, {name: size[name] for name in ordered})

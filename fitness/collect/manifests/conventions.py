"""Services by folder convention: runnable sibling folders, or one folder per service under ``services/``.

First, two or more sibling folders directly under the root (or ``src/``) that each run on their own
are the services: a folder with a Dockerfile, or with a dependency file and an entry point (``main.py``
or a ``__main__`` guard beside ``requirements.txt``, a ``package.json`` with a start script, ``package
main`` or a ``cmd/`` folder beside ``go.mod``, a Spring Boot or application plugin in ``pom.xml`` or
``build.gradle``, ``Program.cs`` beside a ``.csproj``). Libraries (a dependency file with no entry point)
are not services.

Otherwise, one folder per service under ``services/``, ``apps/``, ``svc/`` ...

Looked for directly under the root and under ``src/`` (names compared case-insensitively, so
``src/Services/Catalog`` counts). A child folder is a service when it holds, up to three levels down, a
build file (Dockerfile, pyproject.toml, package.json, go.mod, pom.xml, build.gradle, ``*.csproj`` ...) or
source files of any language. Folders named like libraries (``shared``, ``common``, ``libs`` ...) are not
services::

    services/orders/pyproject.toml        -> DeployedService("orders", build="services/orders")
    src/Services/Catalog/Catalog.API/*.cs -> DeployedService("Catalog", build="src/Services/Catalog")
    services/shared/shop_common/*.py      -> nothing (a library)
"""

from __future__ import annotations

import os
from pathlib import Path

from fitness.collect.manifests.yaml_lines import SKIP_DIRS, relative
from fitness.inputs import read_head
from fitness.model import Evidence
from fitness.model.facts import DeployedService

SERVICE_FOLDERS = frozenset({"services", "service", "apps", "svc", "microservices"})
NOT_SERVICES = frozenset(
    {
        "shared",
        "common",
        "commons",
        "lib",
        "libs",
        "library",
        "libraries",
        "util",
        "utils",
        "proto",
        "protos",
        "protobuf",
        "docs",
        "doc",
        "scripts",
        "templates",
        "test",
        "tests",
    }
)
BUILD_FILES = frozenset(
    {
        "dockerfile",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "requirements.txt",
        "package.json",
        "go.mod",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "cargo.toml",
        "gemfile",
        "composer.json",
        "mix.exs",
    }
)
BUILD_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
DEPENDENCY_FILES = frozenset(
    {"requirements.txt", "pyproject.toml", "setup.py", "pipfile", "package.json", "go.mod", "pom.xml"}
    | {"build.gradle", "build.gradle.kts", "cargo.toml", "gemfile", "composer.json", "mix.exs"}
)
ENTRY_FILES = (
    *("main.py", "app.py", "server.py", "wsgi.py", "asgi.py", "manage.py", "__main__.py", "main.go"),
    *("program.cs", "server.js", "index.js", "app.js", "main.ts", "server.ts", "config.ru"),
)
ENTRY_MARKERS = (
    "package main",
    'if __name__ == "__main__"',
    "if __name__ == '__main__'",
    "@SpringBootApplication",
    "static void main(",
    "fun main(",
)
RUNNABLE_BUILDS = {
    "pom.xml": (
        "spring-boot-maven-plugin",
        "<packaging>war</packaging>",
        "maven-shade-plugin",
        "quarkus-maven",
    ),
    "build.gradle": ("org.springframework.boot", "id 'application'", 'id "application"', "mainClass"),
    "build.gradle.kts": ("org.springframework.boot", "application", "mainClass"),
}
"""Build files that say the folder builds a runnable application, not a library."""
SOURCE_SUFFIXES = (
    ".py",
    ".go",
    ".java",
    ".kt",
    ".js",
    ".mjs",
    ".ts",
    ".cs",
    ".rb",
    ".rs",
    ".php",
    ".scala",
    ".ex",
)
MAX_DEPTH = 3
_NEVER = NOT_SERVICES | SKIP_DIRS


def scan_service_folders(root: Path) -> list[DeployedService]:
    """One ``DeployedService(source="convention")`` per service folder, sorted by path."""
    found = []
    for base in (root, root / "src"):
        found.extend(_runnable_children(base, root))
    if found:
        return found
    for container in _containers(root):
        for child in sorted(container.iterdir()):
            name = child.name
            if not child.is_dir() or name.startswith((".", "_")) or name.lower() in _NEVER:
                continue
            marker = _marker(child)
            if marker is None:
                continue
            folder = relative(child, root)
            evidence = Evidence(folder, 0, f"{folder}/ ({relative(marker, child)})", "convention")
            found.append(DeployedService(name=name, source="convention", evidence=evidence, build=folder))
    return found


def _runnable_children(base: Path, root: Path) -> list[DeployedService]:
    """Sibling folders that each run on their own (two or more): a repository of services with no
    manifest. Runnable: a Dockerfile, or a dependency file with an entry point next to it."""
    if not base.is_dir():
        return []
    found = []
    for child in sorted(base.iterdir()):
        name = child.name
        if not child.is_dir() or name.startswith((".", "_")) or name.lower() in _NEVER:
            continue
        marker = _entry_point(child)
        if marker is not None:
            folder = relative(child, root)
            evidence = Evidence(folder, 0, f"{folder}/ ({relative(marker, child)})", "convention")
            found.append(DeployedService(name=name, source="convention", evidence=evidence, build=folder))
    return found if len(found) >= 2 else []


def _entry_point(folder: Path) -> Path | None:
    """The Dockerfile, or the entry point beside a dependency file, that makes ``folder`` runnable."""
    try:
        names = {entry.name: Path(entry.path) for entry in os.scandir(folder) if entry.is_file()}
    except OSError:
        return None
    lowered = {name.lower(): path for name, path in names.items()}
    if "dockerfile" in lowered:
        return lowered["dockerfile"]
    if not (set(lowered) & DEPENDENCY_FILES or any(n.endswith(BUILD_SUFFIXES) for n in lowered)):
        return None
    for name in ENTRY_FILES:
        if name in lowered:
            return lowered[name]
    package = lowered.get("package.json")
    if package is not None and _mentions(package, ('"start"', '"main"')):
        return package
    for build, needles in RUNNABLE_BUILDS.items():
        if build in lowered and _mentions(lowered[build], needles):
            return lowered[build]
    if "go.mod" in lowered and (folder / "cmd").is_dir():
        return lowered["go.mod"]
    for path in sorted(names.values()):
        if path.suffix in (".go", ".py", ".java", ".kt") and _mentions(path, ENTRY_MARKERS):
            return path
    return None


def _mentions(path: Path, needles: tuple[str, ...]) -> bool:
    text = read_head(path, 100_000)
    if text is None:
        return False
    return any(needle in text for needle in needles)


def _containers(root: Path) -> list[Path]:
    """``services/``-like folders directly under root and under ``src/``."""
    containers: list[Path] = []
    for base in (root, root / "src"):
        if not base.is_dir():
            continue
        containers.extend(
            child
            for child in sorted(base.iterdir())
            if child.is_dir() and child.name.lower() in SERVICE_FOLDERS
        )
    return containers


def _marker(folder: Path) -> Path | None:
    """The first build file, else source file, found breadth-first up to ``MAX_DEPTH`` levels down."""
    level = [folder]
    for _ in range(MAX_DEPTH):
        subfolders: list[Path] = []
        source: Path | None = None
        for directory in level:
            try:
                entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                lower = entry.name.lower()
                if entry.is_dir(follow_symlinks=False):
                    if not lower.startswith(".") and lower not in SKIP_DIRS:
                        subfolders.append(Path(entry.path))
                elif lower in BUILD_FILES or lower.endswith(BUILD_SUFFIXES):
                    return Path(entry.path)
                elif source is None and lower.endswith(SOURCE_SUFFIXES):
                    source = Path(entry.path)
        if source is not None:
            return source
        level = subfolders
    return None

"""Source folders for components deployed from a registry image, and datastores built here.

A compose service or Kubernetes workload that names an image (``acme/shop-webui``,
``gcr.io/x/accounts-db``) rather than a build folder is matched to the folder holding a build file
(Dockerfile, pom.xml, package.json, go.mod ...) whose name is the component's name or image name, or
ends with it after a ``-`` or ``.`` (``services/com.acme.shop.webui`` is ``webui``). Exactly
one such folder, or the shallowest when several tie, is taken.

A component whose own Dockerfile's final ``FROM`` is a known database or broker image (``FROM postgres:16``)
is that datastore, not a service.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.collect.manifests.compose import _final_from, classify_image
from fitness.collect.manifests.yaml_lines import SKIP_DIRS
from fitness.collect.resolve.identity import normal
from fitness.model.facts import Datastore

if TYPE_CHECKING:
    from fitness.collect.component import Component

BUILD_FILES = frozenset(
    {"dockerfile", "pom.xml", "build.gradle", "build.gradle.kts", "package.json", "go.mod", "cargo.toml"}
    | {"pyproject.toml", "requirements.txt", "setup.py", "gemfile", "composer.json", "mix.exs"}
)
MAX_DEPTH = 5
_SKIP = SKIP_DIRS | {"test", "tests", "target", "build", "dist", "docs", "e2e"}


def adopt_folders(
    root: Path, services: dict[str, Component], stores: dict[str, Datastore]
) -> dict[str, Datastore]:
    """Give folderless services their source folder; return (and drop from ``services``) datastores."""
    folders: list[str] | None = None  # walked for the first service without a folder (often none has)
    for service in services.values():
        if service.folders or (service.spec is not None and service.spec.paths):
            continue
        if service.deployed and all(d.source == "ingress" for d in service.deployed):
            continue  # Ingress routes: the cluster's controller serves them, no folder here holds its code
        if folders is None:
            folders = _build_folders(root)
        found = _match(service, folders, root)
        if found:
            service.folders = [found]
    found_stores: dict[str, Datastore] = {}
    for name in sorted(services):
        service = services[name]
        if service.spec is not None or not service.folders or name in stores:
            continue
        if any(d.role for d in service.deployed):
            continue  # an init job or test container built from the database's folder is not the database
        dockerfile = root / service.folders[0] / "Dockerfile"
        image = _final_from(dockerfile) if dockerfile.is_file() else ""
        known = classify_image(image) if image else None
        if known is None or known[1] == "infra":
            continue
        evidence = service.evidence._replace(text=f"{service.evidence.text} (Dockerfile FROM {image})")
        found_stores[name] = Datastore(name, known[0], known[1], evidence, tuple(sorted(service.aliases)))
        del services[name]
    return found_stores


def _build_folders(root: Path) -> list[str]:
    """Folders holding a build file, and every other folder that holds files (candidates by name)."""
    found = []
    base = str(root)
    for current, dirs, names in os.walk(root):
        depth = current[len(base) :].count(os.sep)
        dirs[:] = (
            sorted(d for d in dirs if d not in _SKIP and not d.startswith(".")) if depth < MAX_DEPTH else []
        )
        if current != base and names:
            found.append(os.path.relpath(current, base).replace(os.sep, "/"))
    return found


def _has_build_file(root: Path, folder: str) -> bool:
    try:
        names = {entry.name.lower() for entry in os.scandir(root / folder) if entry.is_file()}
    except OSError:
        return False
    return bool(names & BUILD_FILES) or any(name.endswith(".csproj") for name in names)


def _match(service: Component, folders: list[str], root: Path) -> str | None:
    """The folder named like the component (or its image): with a build file, else the outermost
    folder of that name holding files (``catalogue/`` over ``catalogue/docker/catalogue/``)."""
    keys = {normal(service.name), *(normal(a) for a in service.aliases if "." not in a)}
    for deployed in service.deployed:
        if deployed.image:
            repo = deployed.image.lower().split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
            if repo and "$" not in repo:
                keys.add(normal(repo))
    hits = []
    for folder in folders:
        base = normal(folder.rsplit("/", 1)[-1])
        if base in keys or any(base.endswith("-" + key) for key in keys):
            hits.append(folder)
    if not hits:
        return None
    outermost = {_outermost(hit, keys) for hit in hits}
    built = [f for f in outermost if _has_build_file(root, f) or any(h.startswith(f + "/") for h in hits)]
    return min(built or outermost, key=lambda f: (f.count("/"), f))


def _outermost(folder: str, keys: set[str]) -> str:
    """The highest ancestor of ``folder`` that carries the same name (``x/docker/x`` -> ``x``)."""
    parts = folder.split("/")
    for end in range(1, len(parts)):
        if normal(parts[end - 1]) in keys:
            return "/".join(parts[:end])
    return folder

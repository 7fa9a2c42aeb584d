"""Settings a Spring Cloud Config Server serves to its clients, given to the clients that read them.

A config server's own folder holds the configuration of the other services (``shared/orders.yml``,
``config/orders-prod.yml``, ``shared/application.yml`` for every client), but the files belong to the
services that fetch them at start-up: ``orders.yml`` is read by the service whose
``spring.application.name`` (or component name) is ``orders``. Those settings rank above the client's
own ``application.yml`` (the server's values override local ones) and below its manifest env.

A config server is a component whose build or application class names ``spring-cloud-config-server``
or ``@EnableConfigServer``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fitness.collect.resolve.identity import normal
from fitness.model.evidence import Evidence
from fitness.model.facts import Setting

MARKERS = ("spring-cloud-config-server", "@EnableConfigServer")
_SERVED = re.compile(r"/src/main/resources/(?:[^/]+/)+([^/]+?)\.(ya?ml|properties)$")
_OWN = frozenset({"application", "bootstrap"})  # at the top of resources/: the server's own config


def served_settings(
    texts: Mapping[str, Mapping[str, str]], app_names: Mapping[str, set[str]]
) -> tuple[dict[str, list[Setting]], dict[str, dict[str, str]]]:
    """component -> settings its config server serves it, and component -> the served files (path ->
    text), which the source detectors then read as the component's own (gateway routes live there).
    ``texts``: component -> path -> text; ``app_names``: component -> the names it fetches its
    configuration by (normalised)."""
    from fitness.collect.manifests.connections import config_entries

    served: dict[str, list[Setting]] = {}
    files_of: dict[str, dict[str, str]] = {}
    for server, files in sorted(texts.items()):
        if not any(marker in text for path, text in files.items() if _is_build(path) for marker in MARKERS):
            continue
        for path, text in sorted(files.items()):
            match = _SERVED.search("/" + path)
            if match is None:
                continue
            stem = match.group(1)
            for client in _clients(stem, server, app_names):
                files_of.setdefault(client, {})[path] = text
                for key, value, line in config_entries(path, text):
                    evidence = Evidence(path, line, f"{key}={value}"[:200], "config")
                    served.setdefault(client, []).append(Setting(key, value, evidence))
    return served, files_of


def _clients(stem: str, server: str, app_names: Mapping[str, set[str]]) -> list[str]:
    base = normal(stem)
    if base in _OWN or base.startswith(tuple(f"{own}-" for own in _OWN)):
        return sorted(name for name in app_names if name != server)  # application.yml: every client
    found = [name for name, names in app_names.items() if name != server and base in names]
    if not found and "-" in base:  # orders-prod.yml: a profile of orders
        head = base.rsplit("-", 1)[0]
        found = [name for name, names in app_names.items() if name != server and head in names]
    return sorted(found)


def _is_build(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.lower() in ("pom.xml", "build.gradle", "build.gradle.kts") or name.endswith((".java", ".kt"))

"""Everything one component's files say, read once: source facts, config settings, manifest env.

The Python ``ast`` pass and the text pass of :mod:`fitness.collect.code.calls` and every detector of
:mod:`fitness.collect.code.registry` share one read of each file. Their findings become facts
(``AddressUse``, ``SettingRef``, ``Message``); config files (``application.yml``, ``appsettings.json``,
``.env``) and the manifests' env become the component's :class:`Settings`, ranked: manifest env of the
base deployment first, overlays after, then config files, then defaults written in code.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.collect.code.calls import read_text_file, scan_texts, wanted_file
from fitness.collect.code.registry import registry
from fitness.collect.python.parse_cache import ParseCache
from fitness.collect.resolve.calls import ComponentFacts
from fitness.collect.resolve.settings import Settings
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.model.evidence import Evidence
from fitness.model.facts import AddressUse, Setting, SettingRef

if TYPE_CHECKING:
    from fitness.collect.component import Component

DOCKERFILE_RANK = 80  # ENV and ARG defaults of the component's Dockerfile: below any manifest
SERVED_RANK = 90  # what a config server serves: above the component's own config files
CONFIG_RANK = 100
DEFAULT_RANK = 200
SOURCE_SUFFIXES = frozenset(
    {".py", ".go", ".java", ".kt", ".kts", ".scala", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".cs"}
    | {".rb", ".php", ".rs", ".ex", ".exs", ".cpp", ".cc", ".vue", ".svelte"}
)
_ENV_URL = re.compile(r"URL from environment variable (\w+)")


def read_service_files(
    files: list[Path], root: Path, warnings: list[str], seen: dict[str, str | None] | None = None
) -> dict[str, str]:
    """Relative path -> text of the files worth reading (source, config, Dockerfiles), each read once;
    ``seen`` is shared by the components of one run, so a folder two components deploy is read once."""
    base = os.path.abspath(root)
    inside = base.rstrip(os.sep) + os.sep
    seen = {} if seen is None else seen
    texts: dict[str, str] = {}
    for file in files:
        absolute = os.path.abspath(file)
        # below the root, the path after it is what relpath gives, at a tenth of its cost
        below = absolute[len(inside) :] if absolute.startswith(inside) else os.path.relpath(absolute, base)
        relative = below.replace(os.sep, "/")
        if relative.startswith("../") or relative in texts:
            continue
        if relative not in seen:
            wanted = wanted_file(relative, warnings)
            seen[relative] = read_text_file(absolute, relative, warnings) if wanted else None
        text = seen[relative]
        if text is not None:
            texts[relative] = text
    return texts


def component_facts(
    service: Component,
    files: list[Path],
    texts: dict[str, str],
    root: Path,
    warnings: list[str],
    served: list[Setting] | None = None,
    trees: ParseCache | None = None,
    python_ast: bool = True,
    interactions: bool = True,
) -> ComponentFacts:
    """The facts of one component; ``served``: settings a config server serves it; ``trees``: the
    Python parse trees this component's other scans share; ``interactions`` False: the component has no
    peer to talk to, so its resilience and saga facts are not looked for."""
    from fitness.collect.manifests.connections import is_config_name, scan_config_connections

    base = os.path.abspath(root)
    calls = scan_texts(texts, base, trees, python_ast)
    warnings.extend(calls.warnings)
    facts = registry().run(
        (SourceFile(path, text, suffix_of(path)) for path, text in sorted(texts.items())), interactions
    )
    warnings.extend(facts.warnings)
    facts.warnings.clear()
    facts.addresses.extend(  # a Dockerfile's URLs are downloads at build time, not calls
        AddressUse(c.target, c.protocol, c.evidence)
        for c in calls.calls
        if not _is_dockerfile(c.evidence.path)
    )
    facts.messages.extend(calls.messages)
    facts.routes.extend(route for deployed in service.deployed for route in deployed.routes)  # Ingress
    for item in calls.unresolved:
        match = _ENV_URL.match(item.reason)
        if item.kind == "url" and match:
            facts.refs.append(SettingRef(match.group(1), item.evidence._replace(how="env")))
        else:
            facts.unresolved.append(item)
    # the config files among them (the only names it reads): a Path for each of 20 files per service
    # is most of the call on a large monorepo
    chosen = [Path(base, path) for path in sorted(texts) if is_config_name(path.rsplit("/", 1)[-1])]
    _, config_env, config_warnings = scan_config_connections(chosen, root)
    warnings.extend(config_warnings)
    ranked = [
        (deployed.rank, Setting(var.name, var.value, var.evidence))
        for deployed in service.deployed
        for var in deployed.env
    ]
    ranked += [(DOCKERFILE_RANK, setting) for setting in dockerfile_settings(texts)]
    ranked += [(SERVED_RANK, setting) for setting in served or ()]
    ranked += [(CONFIG_RANK, Setting(var.name, var.value, var.evidence)) for var in config_env]
    ranked += [(DEFAULT_RANK, setting) for setting in facts.settings]
    # code, or a config template that reads settings (``proxy_pass http://${CART_HOST}``): then only the
    # settings it reads are its calls; an image with neither is taken to use every address it is given
    has_code = any(suffix_of(path) in SOURCE_SUFFIXES for path in texts) or bool(facts.refs)
    return ComponentFacts(service.name, Settings.build(ranked), facts, has_code)


def _is_dockerfile(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith("dockerfile") or name.endswith(".dockerfile")


_DOCKER_ENV = re.compile(r"^[ \t]*(ENV|ARG)[ \t]+(.+?)[ \t]*$", re.IGNORECASE)
_PAIR = re.compile(r"""([A-Za-z_]\w*)=("[^"]*"|'[^']*'|\S*)""")


def dockerfile_settings(texts: dict[str, str]) -> list[Setting]:
    """``ENV CATALOGUE_HOST=catalogue`` (or ``ENV CATALOGUE_HOST catalogue``, continued over lines with
    ``\\``) and ``ARG X=default`` of the component's Dockerfiles: the values its image runs with
    unless a manifest sets them."""
    found = []
    for path, text in sorted(texts.items()):
        if not _is_dockerfile(path):
            continue
        for line, instruction in _instructions(text):
            match = _DOCKER_ENV.match(instruction)
            if match is None:
                continue
            body = match.group(2)
            pairs = _PAIR.findall(body) if "=" in body.split(None, 1)[0] else []
            if not pairs and match.group(1).upper() == "ENV" and len(body.split(None, 1)) == 2:
                pairs = [tuple(body.split(None, 1))]  # legacy form: ENV KEY value
            for key, value in pairs:
                value = value.strip("\"'")
                if value and "$" not in value:
                    evidence = Evidence(path, line, f"{match.group(1).upper()} {key}={value}"[:200], "config")
                    found.append(Setting(key, value, evidence))
    return found


def _instructions(text: str) -> list[tuple[int, str]]:
    """(first line, instruction with its ``\\`` continuations joined) of a Dockerfile."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        stripped = raw.rstrip()
        if stripped.endswith("\\"):
            pending.append(stripped[:-1])
            continue
        pending.append(stripped)
        out.append((start, " ".join(part.strip() for part in pending)))
        pending = []
    if pending:
        out.append((start, " ".join(part.strip() for part in pending)))
    return out

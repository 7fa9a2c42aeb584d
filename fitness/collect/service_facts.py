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

from fitness.collect.code.calls import read_text_file, scan_calls, wanted_file
from fitness.collect.code.registry import registry
from fitness.collect.resolve.calls import ComponentFacts
from fitness.collect.resolve.settings import Settings
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.model.facts import AddressUse, Setting, SettingRef

if TYPE_CHECKING:
    from fitness.collect.services import _Service

CONFIG_RANK = 100
DEFAULT_RANK = 200
SOURCE_SUFFIXES = frozenset(
    {".py", ".go", ".java", ".kt", ".kts", ".scala", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".cs"}
    | {".rb", ".php", ".rs", ".ex", ".exs", ".cpp", ".cc", ".vue", ".svelte"}
)
_ENV_URL = re.compile(r"URL from environment variable (\w+)")


def read_service_files(files: list[Path], root: Path, warnings: list[str]) -> dict[str, str]:
    """Relative path -> text of the files worth reading (source, config, Dockerfiles), each read once."""
    base = os.path.abspath(root)
    texts: dict[str, str] = {}
    for file in files:
        absolute = os.path.abspath(file)
        relative = os.path.relpath(absolute, base).replace(os.sep, "/")
        if relative.startswith("../") or relative in texts or not wanted_file(relative):
            continue
        text = read_text_file(absolute, relative, warnings)
        if text is not None:
            texts[relative] = text
    return texts


def component_facts(
    service: _Service, files: list[Path], texts: dict[str, str], root: Path, warnings: list[str]
) -> ComponentFacts:
    from fitness.collect.manifests.connections import scan_config_connections

    base = os.path.abspath(root)

    def reader(absolute: str, relative: str, _: list[str]) -> str | None:
        return texts.get(relative)

    chosen = [Path(base, relative) for relative in sorted(texts)]
    calls = scan_calls(chosen, root, reader)
    warnings.extend(calls.warnings)
    facts = registry().run(SourceFile(path, text, suffix_of(path)) for path, text in sorted(texts.items()))
    warnings.extend(facts.warnings)
    facts.warnings.clear()
    facts.addresses.extend(  # a Dockerfile's URLs are downloads at build time, not calls
        AddressUse(c.target, c.protocol, c.evidence)
        for c in calls.calls
        if not _is_dockerfile(c.evidence.path)
    )
    facts.messages.extend(calls.messages)
    for item in calls.unresolved:
        match = _ENV_URL.match(item.reason)
        if item.kind == "url" and match:
            facts.refs.append(SettingRef(match.group(1), item.evidence._replace(how="env")))
        else:
            facts.unresolved.append(item)
    _, config_env, config_warnings = scan_config_connections(chosen, root)
    warnings.extend(config_warnings)
    ranked = [
        (deployed.rank, Setting(var.name, var.value, var.evidence))
        for deployed in service.deployed
        for var in deployed.env
    ]
    ranked += [(CONFIG_RANK, Setting(var.name, var.value, var.evidence)) for var in config_env]
    ranked += [(DEFAULT_RANK, setting) for setting in facts.settings]
    has_code = any(suffix_of(path) in SOURCE_SUFFIXES for path in texts)
    return ComponentFacts(service.name, Settings.build(ranked), facts, has_code)


def _is_dockerfile(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith("dockerfile") or name.endswith(".dockerfile")

"""Which files are contracts, and reading one revision of a contract into the model.

A contract is an OpenAPI or Swagger document (``*.yaml``, ``*.yml``, ``*.json`` with a top-level
``openapi:`` or ``swagger:`` key), a ``*.proto`` file, an Avro schema (``*.avsc``), or a JSON Schema
(``*.json``, ``*.yaml``, ``*.yml`` with a top-level ``$schema``). Folders the other collectors skip
(``SKIP_DIRS``: tests, examples, vendored and build output) and hidden folders are not entered.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fitness.collect.contracts.json_lines import json_lines
from fitness.collect.contracts.protobuf import parse_proto
from fitness.collect.manifests.yaml_lines import MAX_BYTES, SKIP_DIRS, parse_json, parse_yaml
from fitness.model import FitnessError
from fitness.model.contracts import Contract, ContractDoc

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")
CANDIDATE_SUFFIXES = (*DOCUMENT_SUFFIXES, ".proto", ".avsc")

# a cheap look before parsing: a top-level key (YAML at column 0, or anywhere in JSON)
_OPENAPI = re.compile(r"""^["']?(?:openapi|swagger)["']?\s*:|"(?:openapi|swagger)"\s*:""", re.M)
_SCHEMA = re.compile(r"""^["']?\$schema["']?\s*:|"\$schema"\s*:""", re.M)


def candidate(path: str) -> bool:
    """Whether ``path`` (relative, POSIX) may be a contract: its suffix fits and no folder is skipped."""
    folders = path.split("/")[:-1]
    if any(part.startswith(".") or part in SKIP_DIRS for part in folders):
        return False
    return path.lower().endswith(CANDIDATE_SUFFIXES)


def candidate_files(root: Path) -> list[str]:
    """Every candidate file below ``root``, relative and sorted (symlinked folders are not followed)."""
    found: list[str] = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in files:
            relative = Path(directory, name).relative_to(root).as_posix()
            if candidate(relative):
                found.append(relative)
    return sorted(found)


def kind_of(path: str, text: str) -> str | None:
    """``openapi``, ``protobuf``, ``avro``, ``json-schema`` or None (not a contract). A JSON Schema is a
    document whose ``$schema`` names a json-schema.org draft (a config file pointing at its own schema,
    ``"$schema": "https://json.schemastore.org/tsconfig"``, is not one). A file that looks like a contract
    but does not parse is a FitnessError."""
    lower = path.lower()
    if lower.endswith(".proto"):
        return "protobuf"
    if lower.endswith(".avsc"):
        return "avro"
    if not lower.endswith(DOCUMENT_SUFFIXES):
        return None
    data = _top_keys(text, path) if _OPENAPI.search(text) or _SCHEMA.search(text) else None
    if not isinstance(data, dict):
        return None
    if "openapi" in data or "swagger" in data:
        return "openapi" if isinstance(data.get("paths", {}), dict) else None
    if "json-schema.org" in str(data.get("$schema", "")):
        return "json-schema"
    return None


def parse_contract(path: str, kind: str, text: str) -> Contract:
    """One revision of a contract; FitnessError (``path:line: ...``) when it cannot be read."""
    if len(text) > MAX_BYTES:
        raise FitnessError(f"larger than {MAX_BYTES // 1_000_000} MB, not compared", path)
    if kind == "protobuf":
        return parse_proto(text, path)
    if path.lower().endswith((".json", ".avsc")):
        return ContractDoc(path, parse_json(text, path), json_lines(text))
    docs = parse_yaml(text, path)
    if not docs:
        return ContractDoc(path, None)
    return ContractDoc(path, docs[0].data, dict(docs[0].lines))


def _top_keys(text: str, path: str) -> object:
    """The parsed document (FitnessError when it does not parse)."""
    if path.lower().endswith(".json"):
        return parse_json(text, path)
    docs = parse_yaml(text, path)
    return docs[0].data if docs else None

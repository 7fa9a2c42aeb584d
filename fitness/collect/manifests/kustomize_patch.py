"""The patches of a kustomization, applied to located objects (:mod:`.located`).

Two forms, as kustomize reads them:

* **strategic merge** (a partial object): mappings merge key by key, ``null`` deletes a key, and the lists
  Kubernetes merges by a key are merged item by item (containers, init containers, volumes and ports by
  ``name``; an ``env`` entry with the same name replaces the old one); ``$patch: delete`` removes an item or
  a mapping, ``$patch: replace`` replaces it; any other list is replaced.
* **JSON 6902** (a list of operations): ``add``, ``replace`` and ``remove`` on ``/a/b/0/c`` paths (``-``
  appends, ``~1`` is ``/``); ``copy``, ``move`` and ``test`` are not needed to know the settings, and an
  operation on a path the object does not have is skipped.

Each value patched in keeps the patch's file and line as its origin.
"""

from __future__ import annotations

from typing import Any

from fitness.collect.manifests.located import LDict, LList, Where, locate
from fitness.collect.manifests.yaml_lines import KeyPath, YamlDoc

MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
}
"""Lists Kubernetes merges item by item, and the key that identifies an item."""
REPLACED_ITEMS = frozenset({"env"})
"""Lists whose matching items are replaced whole (``value`` and ``valueFrom`` exclude each other)."""
MAX_DEPTH = 64


def strategic_merge(target: LDict, patch: Any, doc: YamlDoc, path: KeyPath, depth: int = 0) -> None:
    """Merge ``patch`` (found at ``path`` in ``doc``) into ``target``."""
    if not isinstance(patch, dict) or depth > MAX_DEPTH:
        return
    for key, value in patch.items():
        if isinstance(key, str) and key.startswith("$"):
            continue  # $patch, $retainKeys, $setElementOrder/...: directives, not fields
        where: Where = (doc, (*path, key))
        current = target.get(key)
        if value is None or (isinstance(value, dict) and value.get("$patch") == "delete"):
            target.drop(key)
        elif isinstance(value, dict) and isinstance(current, LDict) and value.get("$patch") != "replace":
            strategic_merge(current, value, doc, (*path, key), depth + 1)
        elif isinstance(value, list) and isinstance(current, LList) and key in MERGE_KEYS:
            _merge_list(current, value, str(key), doc, (*path, key), depth)
        elif not isinstance(value, (dict, list)) and key in target and current == value:
            continue  # restated (a patch names its target): the value is still the one written before
        else:
            target.put(key, locate(_without_directives(value), doc, (*path, key)), where)


def _merge_list(target: LList, patch: list[Any], field: str, doc: YamlDoc, path: KeyPath, depth: int) -> None:
    merge_key = MERGE_KEYS[field]
    if not all(isinstance(item, dict) and merge_key in item for item in patch):
        target.clear()  # items without their merge key (or a ``$patch: replace`` item): the list is replaced
        target.origin.clear()
        for index, item in enumerate(patch):
            if not (isinstance(item, dict) and "$patch" in item and len(item) == 1):
                target.add(locate(item, doc, (*path, index)), (doc, (*path, index)))
        return
    for index, item in enumerate(patch):
        where: Where = (doc, (*path, index))
        found = next(
            (
                i
                for i, old in enumerate(target)
                if isinstance(old, dict) and old.get(merge_key) == item[merge_key]
            ),
            None,
        )
        if item.get("$patch") == "delete":
            if found is not None:
                target.drop(found)
        elif found is None:
            target.add(locate(_without_directives(item), doc, (*path, index)), where)
        elif (
            field in REPLACED_ITEMS or item.get("$patch") == "replace" or not isinstance(target[found], LDict)
        ):
            target.put(found, locate(_without_directives(item), doc, (*path, index)), where)
        else:
            strategic_merge(target[found], item, doc, (*path, index), depth + 1)


def _without_directives(value: Any) -> Any:
    if isinstance(value, dict) and any(isinstance(k, str) and k.startswith("$") for k in value):
        return {k: v for k, v in value.items() if not (isinstance(k, str) and k.startswith("$"))}
    return value


def json_patch(target: LDict, operations: Any, doc: YamlDoc, path: KeyPath) -> None:
    """Apply the JSON 6902 ``operations`` (found at ``path`` in ``doc``) to ``target``."""
    if not isinstance(operations, list):
        return
    for index, operation in enumerate(operations):
        if not isinstance(operation, dict) or not isinstance(operation.get("path"), str):
            continue
        op = operation.get("op")
        tokens = [_unescape(t) for t in operation["path"].split("/")[1:]]
        if not tokens:
            continue
        parent = _walk(target, tokens[:-1])
        last = tokens[-1]
        value_at = (*path, index, "value")
        value = locate(operation.get("value"), doc, value_at)
        where: Where = (doc, value_at)
        if isinstance(parent, LDict):
            if op in ("add", "replace") and (op == "add" or last in parent):
                parent.put(last, value, where)
            elif op == "remove":
                parent.drop(last)
        elif isinstance(parent, LList):
            at = len(parent) if last == "-" else _index(last)
            if at is None or at > len(parent):
                continue
            if op == "add":
                parent.add(value, where, at)
            elif op == "replace" and at < len(parent):
                parent.put(at, value, where)
            elif op == "remove" and at < len(parent):
                parent.drop(at)


def _walk(node: Any, tokens: list[str]) -> Any:
    for token in tokens:
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list):
            at = _index(token)
            if at is None or at >= len(node):
                return None
            node = node[at]
        else:
            return None
    return node


def _index(token: str) -> int | None:
    return int(token) if token.isascii() and token.isdigit() and len(token) < 10 else None  # not "²"


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")

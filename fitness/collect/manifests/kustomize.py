"""kustomize: build the objects of each overlay once, choose one overlay, keep the others as alternatives.

A folder with ``kustomization.yaml`` (or ``.yml``, ``Kustomization``) builds its objects from ``resources``
(files, and folders holding a kustomization: a base), ``bases``, ``components``, ``configMapGenerator`` and
``secretGenerator`` (``literals``, ``envs``/``env`` files, ``files``; ``behavior: merge|replace`` changes a
base's), then changes them: ``patches``, ``patchesStrategicMerge`` and ``patchesJson6902``
(:mod:`.kustomize_patch`), ``namespace``, ``namePrefix``/``nameSuffix``, ``commonLabels`` and ``labels``
(metadata, selectors and pod templates), ``images``. Not read: ``replacements``, ``vars``, ``helmCharts``
and remote resources (a warning says so).

An **overlay** here is a kustomization no other one refers to; the objects it builds are built again for
every overlay, but each object written once (in a base file, or by a base's generator) is one object:

* the overlay named like production (``production``, ``prod``, ``prd``, ``live``; an exact name first,
  then a name containing one of them), else the first in sorted order of the overlays that build it, is
  its **chosen** build: the object as that overlay deploys it, its patched values winning over the base's;
* the other overlays' builds of the same object are **alternatives**: their different values and names
  are kept (the Kubernetes collector ranks them after the chosen build), never counted as a second
  workload.

``namePrefix``/``nameSuffix`` do not rename objects here: an object keeps the name it was written with (so
references between objects still meet) and the built names are returned as its other names, which the
identity resolver reads as aliases (``prod-cart`` is ``cart``).

A kustomization that is not valid (malformed YAML, a field of the wrong type) is one warning naming the
file; its folder is then read as plain manifests and the analysis goes on.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fitness.collect.manifests.kustomize_patch import json_patch, strategic_merge
from fitness.collect.manifests.located import LDict, locate
from fitness.collect.manifests.yaml_lines import KeyPath, YamlDoc, parse_yaml, read_text, relative
from fitness.model import FitnessError

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
PRODUCTION_NAMES = ("production", "prod", "prd", "live")
MAX_OBJECTS = 20_000
"""Objects built over all overlays: past it, the remaining overlays are skipped with a warning."""
MAX_FILE_BYTES = 100_000
"""A generator's ``files`` entry larger than this is not a setting anyone reads from the environment."""
_LIST_FIELDS = (
    *("resources", "bases", "components", "patches", "patchesStrategicMerge", "patchesJson6902"),
    *("configMapGenerator", "secretGenerator", "images", "labels"),
)
_TEXT_FIELDS = ("namePrefix", "nameSuffix", "namespace")
_PATH_LISTS = ("resources", "bases", "components")
_GENERATORS = (("configMapGenerator", "ConfigMap", "data"), ("secretGenerator", "Secret", "stringData"))
_UNNAMESPACED = frozenset(
    {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume"}
    | {"StorageClass", "PriorityClass", "IngressClass", "ValidatingWebhookConfiguration"}
    | {"MutatingWebhookConfiguration", "APIService"}
)
_TEMPLATED = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "DeploymentConfig", "Rollout"}
)
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/|gitlab\.com/|bitbucket\.org/)", re.I)


@dataclass
class Built:
    """One object as an overlay builds it."""

    data: LDict
    home: YamlDoc  # the document the object was written in (or the kustomization that generated it)
    index: int  # of that document in its file
    base: KeyPath  # of the object in that document
    overlay: str  # the folder of the overlay that built it
    names: tuple[str, ...]  # the names it is deployed under, besides its own (namePrefix / nameSuffix)
    chosen: bool = False

    @property
    def identity(self) -> tuple[str, int, KeyPath]:
        """Where the object was written: the same for every overlay that builds it."""
        return (self.home.path, self.index, self.base)


@dataclass
class KustomizeScan:
    built: list[Built] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)  # files read through a kustomization (not read again)
    warnings: list[str] = field(default_factory=list)


def build_kustomizations(files: list[Path], root: Path, warnings: list[str]) -> KustomizeScan:
    """The objects of every overlay under ``root`` (``files``: the YAML files the manifest walk found)."""
    builder = _Builder(root, warnings)
    for path in files:
        if path.name in KUSTOMIZATION_NAMES:
            builder.load(path.parent)
    kustomizations = [k for k in builder.loaded.values() if k is not None]
    # a kustomization another one builds on is a base, not an overlay; one only a component names is
    # also built on its own (the component may be used by no overlay): its objects are one either way
    referenced = {target for k in kustomizations if k.kind != "Component" for target in builder.references(k)}
    overlays = sorted(
        (k for k in kustomizations if k.kind != "Component" and k.folder not in referenced),
        key=lambda k: _preference(relative(k.folder, root)),
    )
    scan = KustomizeScan(warnings=warnings)
    chosen: set[tuple[str, int, KeyPath]] = set()
    for overlay in overlays:
        if builder.count > MAX_OBJECTS:
            warnings.append(
                f"{overlay.display}: kustomize overlays past {MAX_OBJECTS} objects are not built; skipped"
            )
            continue
        scan.claimed.add(overlay.display)
        for item in builder.build(overlay, [], (overlay.folder,)):
            built = Built(
                item.data,
                item.home,
                item.index,
                item.base,
                relative(overlay.folder, root),
                tuple(dict.fromkeys(n for n in item.names[1:] if n != item.names[0])),
            )
            built.chosen = built.identity not in chosen
            chosen.add(built.identity)
            scan.built.append(built)
    scan.claimed |= builder.claimed
    return scan


def _preference(folder: str) -> tuple[int, str]:
    """Overlays named like production first (exactly, then containing the word), then sorted order."""
    name = folder.rsplit("/", 1)[-1].lower()
    parts = set(re.split(r"[^a-z0-9]+", name))
    if name in PRODUCTION_NAMES:
        return (0, folder)
    if parts & set(PRODUCTION_NAMES) or "production" in name:
        return (1, folder)
    return (2, folder)


# -- reading kustomization files ----------------------------------------------------------------


@dataclass
class _Kustomization:
    folder: Path
    display: str  # the kustomization file, relative to the root
    doc: YamlDoc
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data.get("kind") or "Kustomization")

    def entries(self, name: str) -> list[tuple[int, Any]]:
        value = self.data.get(name)
        return list(enumerate(value)) if isinstance(value, list) else []


def _invalid(data: Any) -> tuple[str, KeyPath] | None:
    """What makes a kustomization unusable (with where), or None."""
    if not isinstance(data, dict):
        return ("not a mapping", ())
    if data.get("kind") not in (None, "Kustomization", "Component"):
        return (f"kind {data.get('kind')!r} is neither Kustomization nor Component", ("kind",))
    for name in _LIST_FIELDS:
        if name in data and data[name] is not None and not isinstance(data[name], list):
            return (f"{name} must be a list", (name,))
    for name in _PATH_LISTS:
        for index, item in enumerate(data.get(name) or ()):
            if not isinstance(item, str):
                return (f"{name} entries must be paths", (name, index))
    for name in ("patches", "patchesJson6902", "configMapGenerator", "secretGenerator", "images"):
        for index, item in enumerate(data.get(name) or ()):
            if not isinstance(item, dict):
                return (f"{name} entries must be mappings", (name, index))
    for name in _TEXT_FIELDS:
        if name in data and data[name] is not None and not isinstance(data[name], str):
            return (f"{name} must be text", (name,))
    if (
        "commonLabels" in data
        and data["commonLabels"] is not None
        and not isinstance(data["commonLabels"], dict)
    ):
        return ("commonLabels must be a mapping", ("commonLabels",))
    return None


@dataclass
class _Item:
    """An object while an overlay is being built."""

    data: LDict
    home: YamlDoc
    index: int
    base: KeyPath
    names: list[str]

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    def metadata(self) -> LDict:
        return _child(self.data, "metadata", (self.home, (*self.base, "metadata")))


class _Builder:
    def __init__(self, root: Path, warnings: list[str]) -> None:
        self.root = root
        self.warnings = warnings
        self.loaded: dict[Path, _Kustomization | None] = {}
        self.docs: dict[str, list[YamlDoc]] = {}
        self.claimed: set[str] = set()
        self.count = 0
        self.warned: set[str] = set()

    # -- files ----------------------------------------------------------------------------------

    def load(self, folder: Path) -> _Kustomization | None:
        """The kustomization of ``folder`` (None when there is none or it is invalid: warned once)."""
        if folder in self.loaded:
            return self.loaded[folder]
        self.loaded[folder] = None
        path = next((folder / n for n in KUSTOMIZATION_NAMES if (folder / n).is_file()), None)
        if path is None:
            return None
        display = relative(path, self.root)
        text = read_text(path, display, self.warnings)
        if text is None:
            return None
        try:
            docs = parse_yaml(text, display)
        except FitnessError as error:
            self.warnings.append(f"{error}; invalid kustomization, its folder is read as plain manifests")
            return None
        data = docs[0].data if len(docs) == 1 else None
        problem = _invalid(data) if docs else ("empty", ())
        if problem is not None:
            line = docs[0].line(problem[1]) if docs else 1
            self.warnings.append(
                f"{display}:{line}: invalid kustomization ({problem[0]}); its folder is read as plain manifests"
            )
            return None
        assert isinstance(data, dict)
        kustomization = _Kustomization(folder, display, docs[0], data)
        self.loaded[folder] = kustomization
        return kustomization

    def references(self, kustomization: _Kustomization) -> list[Path]:
        """The folders (other kustomizations) it builds on."""
        found = []
        for name in _PATH_LISTS:
            for _, ref in kustomization.entries(name):
                if _REMOTE.match(ref):
                    continue
                target = self._path(kustomization.folder, ref)
                if target is not None and target.is_dir():
                    found.append(target)
        return found

    def _path(self, folder: Path, ref: str) -> Path | None:
        target = Path(os.path.normpath(folder / ref.strip()))
        try:
            target.relative_to(self.root)
        except ValueError:
            return None  # outside the analysed folder: not this system's
        return target

    def _documents(self, path: Path) -> list[YamlDoc]:
        display = relative(path, self.root)
        if display not in self.docs:
            self.docs[display] = []
            self.claimed.add(display)
            text = read_text(path, display, self.warnings)
            if text is None:
                return []
            if "{{" in text:
                self.warnings.append(
                    f"{display}: skipped, a Helm template ({{{{ }}}}); render it to analyse it"
                )
                return []
            try:
                self.docs[display] = parse_yaml(text, display)
            except FitnessError as error:
                self.warnings.append(f"{error}; skipped")
        return self.docs[display]

    def _objects(self, path: Path) -> list[_Item]:
        items = []
        for index, doc in enumerate(self._documents(path)):
            for base, data in _split(doc.data, ()):
                items.append(_Item(locate(data, doc, base), doc, index, base, [data["metadata"]["name"]]))
        self.count += len(items)
        return items

    def _warn(self, kustomization: _Kustomization, where: KeyPath, message: str) -> None:
        text = f"{kustomization.display}:{kustomization.doc.line(where)}: {message}"
        if text not in self.warned:
            self.warned.add(text)
            self.warnings.append(text)

    # -- building -------------------------------------------------------------------------------

    def build(
        self, kustomization: _Kustomization, items: list[_Item], stack: tuple[Path, ...]
    ) -> list[_Item]:
        """Add the objects ``kustomization`` builds to ``items`` (a component changes what is there)."""
        self.claimed.add(kustomization.display)
        for name in ("resources", "bases"):
            for index, ref in kustomization.entries(name):
                items.extend(self._resource(kustomization, (name, index), ref, stack))
        for index, ref in kustomization.entries("components"):
            component = self._kustomization(kustomization, ("components", index), ref, stack)
            if component is not None:
                self.build(component, items, (*stack, component.folder))
        self._generate(kustomization, items)
        self._patch(kustomization, items)
        self._transform(kustomization, items)
        return items

    def _resource(
        self, kustomization: _Kustomization, where: KeyPath, ref: str, stack: tuple[Path, ...]
    ) -> list[_Item]:
        if _REMOTE.match(ref):
            self._warn(kustomization, where, f"remote resource {ref} not read")
            return []
        target = self._path(kustomization.folder, ref)
        if target is not None and target.is_file():
            return self._objects(target)
        base = self._kustomization(kustomization, where, ref, stack)
        return [] if base is None else self.build(base, [], (*stack, base.folder))

    def _kustomization(
        self, kustomization: _Kustomization, where: KeyPath, ref: str, stack: tuple[Path, ...]
    ) -> _Kustomization | None:
        target = self._path(kustomization.folder, ref)
        if target is None or not target.is_dir():
            if not _REMOTE.match(ref):
                self._warn(kustomization, where, f"{ref} not found")
            return None
        if target in stack:
            self._warn(kustomization, where, f"{ref} refers back to itself; not built again")
            return None
        found = self.load(target)
        if found is None and not any((target / n).is_file() for n in KUSTOMIZATION_NAMES):
            self._warn(kustomization, where, f"{ref} holds no kustomization")
        return found  # None for an invalid one too: its own warning names it

    # -- generators -----------------------------------------------------------------------------

    def _generate(self, kustomization: _Kustomization, items: list[_Item]) -> None:
        doc = kustomization.doc
        for field_name, kind, section in _GENERATORS:
            for index, generator in kustomization.entries(field_name):
                name = generator.get("name")
                if not isinstance(name, str) or not name:
                    continue
                at: KeyPath = (field_name, index)
                values = self._generated(kustomization, generator, at)
                behavior = generator.get("behavior", "create")
                namespace = generator.get("namespace")
                existing = next(
                    (
                        i
                        for i in items
                        if i.kind == kind
                        and name in i.names
                        and (not isinstance(namespace, str) or i.metadata().get("namespace") == namespace)
                    ),
                    None,
                )
                if existing is not None and behavior in ("merge", "replace"):
                    if behavior == "replace":
                        existing.data.drop("data")
                        existing.data.drop("stringData")
                    target = _child(existing.data, section, (doc, at))
                    for key, value in values.items():
                        target.put(key, value, values.origin[key])
                    continue
                data = LDict()
                data.put("apiVersion", "v1", (doc, at))
                data.put("kind", kind, (doc, at))
                metadata = LDict()
                metadata.put("name", name, (doc, (*at, "name")))
                if isinstance(namespace, str):
                    metadata.put("namespace", namespace, (doc, (*at, "namespace")))
                data.put("metadata", metadata, (doc, (*at, "name")))
                data.put(section, values, (doc, at))
                items.append(_Item(data, doc, 0, at, [name]))
                self.count += 1

    def _generated(self, kustomization: _Kustomization, generator: dict[str, Any], at: KeyPath) -> LDict:
        """The key/values of one generator: literals, then env files, then files."""
        values = LDict()
        doc = kustomization.doc
        for index, literal in enumerate(_strings(generator.get("literals"))):
            key, sep, value = literal.partition("=")
            if sep and key.strip():
                values.put(key.strip(), _unquote(value), (doc, (*at, "literals", index)))
        env_files = _strings(generator.get("envs")) + _strings(generator.get("env"))
        for ref in env_files:
            path = self._path(kustomization.folder, ref)
            if path is None or not path.is_file():
                self._warn(kustomization, at, f"env file {ref} not found")
                continue
            env_doc = self._env_file(path)
            for key, value in env_doc.data.items():
                values.put(key, value, (env_doc, (key,)))
        for index, entry in enumerate(_strings(generator.get("files"))):
            key, sep, ref = entry.partition("=")
            ref = ref if sep else key
            key = key if sep else Path(ref).name
            path = self._path(kustomization.folder, ref)
            if path is None or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                continue
            text = read_text(path, relative(path, self.root), self.warnings)
            if text is not None:
                self.claimed.add(relative(path, self.root))
                values.put(key.strip(), text, (doc, (*at, "files", index)))
        return values

    def _env_file(self, path: Path) -> YamlDoc:
        """``KEY=value`` lines as a document whose key paths are the keys (for their lines)."""
        display = relative(path, self.root)
        self.claimed.add(display)
        doc = YamlDoc(display, {})
        for number, line in enumerate((read_text(path, display, self.warnings) or "").splitlines(), 1):
            match = _ENV_LINE.match(line)
            if match and not line.lstrip().startswith("#"):
                doc.data[match.group(1)] = _unquote(match.group(2))
                doc.lines[(match.group(1),)] = number
        return doc

    # -- patches --------------------------------------------------------------------------------

    def _patch(self, kustomization: _Kustomization, items: list[_Item]) -> None:
        for index, entry in kustomization.entries("patchesStrategicMerge"):
            for doc in self._patch_docs(kustomization, ("patchesStrategicMerge", index), entry):
                self._merge_by_name(doc, items)
        for name in ("patches", "patchesJson6902"):
            for index, entry in kustomization.entries(name):
                target = entry.get("target")
                for doc in self._patch_docs(
                    kustomization, (name, index), entry.get("path") or entry.get("patch")
                ):
                    chosen = [i for i in items if _selects(target, i)] if isinstance(target, dict) else None
                    if isinstance(doc.data, list):
                        for item in chosen or ():
                            json_patch(item.data, doc.data, doc, ())
                    elif isinstance(doc.data, dict):
                        if chosen is None:
                            self._merge_by_name(doc, items)
                        for item in chosen or ():
                            strategic_merge(item.data, _retargeted(doc.data), doc, ())

    def _patch_docs(self, kustomization: _Kustomization, where: KeyPath, entry: Any) -> list[YamlDoc]:
        """The documents of a patch: a file next to the kustomization, or YAML written inline."""
        if not isinstance(entry, str) or not entry.strip():
            return []
        if "\n" not in entry.strip():
            path = self._path(kustomization.folder, entry)
            if path is not None and path.is_file():
                return self._documents(path)
        inline = where + (("patch",) if where[0] != "patchesStrategicMerge" else ())
        offset = kustomization.doc.line(inline)
        try:
            docs = parse_yaml(entry, kustomization.display)
        except FitnessError as error:
            self._warn(kustomization, where, f"patch is not valid YAML ({error.message}); not applied")
            return []
        if len(docs) == 1 and isinstance(docs[0].data, str):
            self._warn(kustomization, where, f"patch {entry.strip()} not found")
            return []
        return [
            YamlDoc(kustomization.display, d.data, {k: v + offset for k, v in d.lines.items()}, d.scalars)
            for d in docs
        ]

    def _merge_by_name(self, doc: YamlDoc, items: list[_Item]) -> None:
        """A strategic merge patch without a target applies to the object of its own kind and name."""
        data = doc.data
        if not isinstance(data, dict):
            return
        metadata = _mapping(data.get("metadata"))
        name, namespace = metadata.get("name"), metadata.get("namespace")
        for item in items:
            same = namespace is None or item.metadata().get("namespace") == namespace
            if item.kind == data.get("kind") and name in item.names and same:
                strategic_merge(item.data, data, doc, ())

    # -- transformers ---------------------------------------------------------------------------

    def _transform(self, kustomization: _Kustomization, items: list[_Item]) -> None:
        data, doc = kustomization.data, kustomization.doc
        namespace = data.get("namespace")
        if isinstance(namespace, str) and namespace:
            for item in items:
                if item.kind not in _UNNAMESPACED:
                    item.metadata().put("namespace", namespace, (doc, ("namespace",)))
        prefix, suffix = str(data.get("namePrefix") or ""), str(data.get("nameSuffix") or "")
        if prefix or suffix:
            for item in items:
                if item.kind not in _UNNAMESPACED:
                    item.names.append(prefix + item.names[-1] + suffix)
        labels = data.get("commonLabels")
        if isinstance(labels, dict):
            for item in items:
                _label(item, labels, (doc, ("commonLabels",)), selectors=True, templates=True)
        for index, entry in kustomization.entries("labels"):
            pairs = entry.get("pairs") if isinstance(entry, dict) else None
            if isinstance(pairs, dict):
                selectors = entry.get("includeSelectors") is True
                templates = selectors or entry.get("includeTemplates") is True
                for item in items:
                    _label(item, pairs, (doc, ("labels", index, "pairs")), selectors, templates)
        for index, entry in kustomization.entries("images"):
            for item in items:
                _retag(item, entry, (doc, ("images", index)))


def _label(item: _Item, labels: dict[Any, Any], where: Any, selectors: bool, templates: bool) -> None:
    pairs = {str(k): "" if v is None else str(v) for k, v in labels.items()}
    places: list[tuple[str, ...]] = [("metadata", "labels")]
    if item.kind in _TEMPLATED:
        if selectors:
            places.append(("spec", "selector", "matchLabels"))
        if templates:
            places.append(("spec", "template", "metadata", "labels"))
    elif item.kind == "Service" and selectors:
        places.append(("spec", "selector"))
    for place in places:
        node = item.data
        for key in place:
            node = _child(node, key, where)
        for key, value in pairs.items():
            node.put(key, value, where)


def _retag(item: _Item, entry: dict[str, Any], where: Any) -> None:
    """``images: [{name: shop/cart, newName: registry/cart, newTag: "2"}]`` on every container."""
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        return
    pod: Any = item.data
    for key in ("spec", "template", "spec"):
        pod = pod.get(key) if isinstance(pod, dict) else None
    if not isinstance(pod, dict):
        return
    for section in ("initContainers", "containers"):
        containers = pod.get(section)
        for container in containers if isinstance(containers, list) else ():
            image = container.get("image") if isinstance(container, LDict) else None
            if not isinstance(image, str):
                continue
            repo, tag = _split_image(image)
            if repo != name:
                continue
            new_repo = str(entry.get("newName") or repo)
            if entry.get("digest"):
                new_tag = "@" + str(entry["digest"])
            elif entry.get("newTag") is not None:
                new_tag = ":" + str(entry["newTag"])
            else:
                new_tag = tag
            container.put("image", new_repo + new_tag, where)


def _split_image(image: str) -> tuple[str, str]:
    """``repo:tag`` or ``repo@digest`` -> (repo, ``:tag`` / ``@digest`` / "")."""
    if "@" in image:
        repo, digest = image.split("@", 1)
        return repo, "@" + digest
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        return image[: -len(last.split(":", 1)[1]) - 1], ":" + last.split(":", 1)[1]
    return image, ""


def _selects(target: dict[str, Any], item: _Item) -> bool:
    """A patch ``target``: kind, name and namespace (regular expressions), label and annotation
    selectors (``a=b,c=d``; other forms select everything)."""
    if target.get("kind") and target.get("kind") != item.kind:
        return False
    name = target.get("name")
    if isinstance(name, str) and name and not any(_full_match(name, n) for n in item.names):
        return False
    metadata = _mapping(item.data.get("metadata"))
    namespace = target.get("namespace")
    space = str(metadata.get("namespace") or "default")
    if isinstance(namespace, str) and namespace and not _full_match(namespace, space):
        return False
    for selector, section in (("labelSelector", "labels"), ("annotationSelector", "annotations")):
        wanted = target.get(selector)
        have = _mapping(metadata.get(section))
        if isinstance(wanted, str):
            for term in wanted.split(","):
                key, sep, value = term.partition("=")
                if sep and not key.endswith("!") and str(have.get(key.strip())) != value.strip():
                    return False
    return True


def _retargeted(patch: dict[str, Any]) -> dict[str, Any]:
    """A strategic merge patch given a target: its own kind and name only say what it looks like."""
    metadata = {k: v for k, v in _mapping(patch.get("metadata")).items() if k not in ("name", "namespace")}
    found = {k: v for k, v in patch.items() if k not in ("apiVersion", "kind", "metadata")}
    return {**found, "metadata": metadata} if metadata else found


def _full_match(pattern: str, text: str) -> bool:
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return pattern == text


def _split(data: Any, base: KeyPath) -> list[tuple[KeyPath, dict[str, Any]]]:
    """The objects of a document (the items of a ``List``), each with its key path."""
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return []
    if data["kind"].endswith("List") and isinstance(data.get("items"), list):
        if base:
            return []
        return [found for i, item in enumerate(data["items"]) for found in _split(item, ("items", i))]
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str) or not metadata["name"]:
        return []
    return [(base, data)]


def _child(node: LDict, key: str, where: Any) -> LDict:
    """``node[key]`` as a located mapping, made (with origin ``where``) when missing or not a mapping."""
    found = node.get(key)
    if isinstance(found, LDict):
        return found
    made = LDict()
    node.put(key, made, where)
    return made


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if isinstance(v, (str, int, float))] if isinstance(value, list) else []


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value

"""Plain Kubernetes manifests: workloads as deployed services, Services as their host names.

Files: ``*.yml``/``*.yaml`` with ``apiVersion:`` and ``kind:`` up to four folders deep, deeper inside
folders such as ``k8s/``, ``kubernetes/``, ``deploy/``, ``manifests/``; several documents per file and
``kind: List`` are read. A Helm chart (``Chart.yaml`` beside ``templates/``) is rendered (``helm.py``: helm
itself when installed, else a built-in renderer with values.yaml) and its objects read like the others, with
their template file as evidence; any other YAML with ``{{ }}`` is skipped with a warning. YAML without
apiVersion and kind is not a manifest and is skipped silently; malformed YAML in a manifest is a
FitnessError (in a rendered chart, a warning).

* Deployment, StatefulSet, DaemonSet, ReplicaSet (and OpenShift DeploymentConfig, Argo Rollout): one
  ``DeployedService`` named after the workload, or a ``Datastore`` when its first container runs a known
  image (``KNOWN_IMAGES`` of the compose collector). Env comes from every container and init container:
  ``value`` (``$(VAR)`` expanded), ``valueFrom.configMapKeyRef``/``secretKeyRef`` and
  ``envFrom.configMapRef``/``secretRef`` resolved against the ConfigMaps and Secrets in the scanned files
  (Secret ``data`` base64-decoded, ``stringData`` as is). A variable taken from a ConfigMap or Secret has
  the evidence of the line where its value is written.
* Service: a workload in the same namespace whose pod labels include the Service's selector answers to
  ``svc``, ``svc.ns``, ``svc.ns.svc`` and ``svc.ns.svc.cluster.local`` (namespace ``default`` when none).
* Ingress (``ingress.py``): its routes to Services, as one ``ingress`` component with role infra.
* kustomize (``kustomize.py``): the files a kustomization reads are not read again as plain manifests;
  each object is taken as its chosen overlay builds it (patched env, generated ConfigMaps and Secrets,
  ``namespace``, ``commonLabels``), with the names ``namePrefix``/``nameSuffix`` give it as aliases. Another
  overlay's build of the same object adds only what differs (values, names), ranked after the chosen one,
  so a service deployed by three overlays is one service.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fitness.collect.manifests.compose import classify_image, datastore_databases
from fitness.collect.manifests.connections import env_text
from fitness.collect.manifests.helm import find_charts, in_chart, render_chart
from fitness.collect.manifests.ingress import INGRESS_NAME, ingress_routes
from fitness.collect.manifests.kustomize import Built, build_kustomizations
from fitness.collect.manifests.located import origin
from fitness.collect.manifests.yaml_lines import (
    SKIP_DIRS,
    KeyPath,
    YamlDoc,
    parse_yaml,
    read_text,
    relative,
    walk_files,
)
from fitness.model import Evidence, FitnessError
from fitness.model.facts import Datastore, DeployedService, EnvVar, ManifestScan

WORKLOAD_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "DeploymentConfig", "Rollout", "Job", "CronJob"}
)
JOB_KINDS = frozenset({"Job", "CronJob"})
MANIFEST_DIRS = frozenset(
    {
        "k8s",
        "kube",
        "kubernetes",
        "kubernetes-manifests",
        "deploy",
        "deployment",
        "deployments",
        "manifests",
        "kustomize",
        "overlays",
        "openshift",
        "infra",
        "infrastructure",
    }
)
"""Folders in which manifests are looked for deeper than ``MAX_DEPTH``."""
MAX_DEPTH = 4
MAX_DEPTH_IN_MANIFEST_DIRS = 8
_HAS_API_VERSION = re.compile(r"^[ \t-]*apiVersion[ \t]*:", re.MULTILINE)
_HAS_KIND = re.compile(r"^[ \t-]*kind[ \t]*:", re.MULTILINE)
_FROM_SECRET = "<secret>"  # evidence text of an indexed Secret value until _var writes the real text
_VAR_REF = re.compile(r"(?<!\$)\$\(([A-Za-z_][\w.-]*)\)")


def find_manifest_files(root: Path, skip: frozenset[str] = SKIP_DIRS) -> list[Path]:
    """YAML files that may hold manifests (their text is checked for apiVersion and kind later)."""
    found = []
    for path, depth in walk_files(root, MAX_DEPTH_IN_MANIFEST_DIRS, skip):
        if path.suffix.lower() not in {".yml", ".yaml"}:
            continue
        parts = {part.lower() for part in path.relative_to(root).parts[:-1]}
        if depth <= MAX_DEPTH or parts & MANIFEST_DIRS or any("k8s" in p or "kube" in p for p in parts):
            found.append(path)
    return found


def scan_kubernetes(root: Path, skip: frozenset[str] = SKIP_DIRS) -> ManifestScan:
    """Workloads (as services or datastores) of every plain manifest, kustomize overlay and Helm chart
    under ``root``, and the routes of its Ingresses."""
    scan = ManifestScan()
    objects: list[_Object] = []
    files = find_manifest_files(root, skip)
    kustomize = build_kustomizations(files, root, scan.warnings)
    charts = find_charts(files)
    for path in files:
        if not in_chart(path, charts) and relative(path, root) not in kustomize.claimed:
            try:
                objects.extend(_read_objects(path, root, scan.warnings))
            except FitnessError as error:  # analysed input: a warning with file and line, the rest is read
                scan.warnings.append(f"{error}; skipped")
    for chart in charts:
        for doc in render_chart(chart, root, scan.warnings):
            objects.extend(_objects(doc.data, doc, ()))
    overlays: dict[str, list[_Object]] = {}  # overlay folder -> the objects it builds
    for built in kustomize.built:
        for obj in _built_object(built):
            overlays.setdefault(built.overlay, []).append(obj)
            if obj.chosen:
                objects.append(obj)
    # an overlay's ConfigMap first, then the chosen deployment's, then any overlay's (its namespace)
    every = _Index([obj for found in overlays.values() for obj in found], scan.warnings)
    index = _Index(objects, scan.warnings, every)
    local = {overlay: _Index(found, scan.warnings, index) for overlay, found in overlays.items()}
    records = _workloads(objects, local, index)
    for obj in objects:
        if obj.kind == "Service":
            _attach_service(obj, [w for (_, folder), w in records.items() if _near(obj.doc.path, folder)])
    for workload in records.values():
        _emit(workload, scan)
    for _, found in sorted(overlays.items()):  # what the other overlays deploy differently
        others = [obj for obj in found if not obj.chosen]
        alternatives = _workloads(others, local, index)
        for obj in others:
            if obj.kind == "Service":
                _attach_service(obj, alternatives.values())
        for key, workload in alternatives.items():
            _emit_alternative(workload, records.get(key), scan)
    for obj in objects:
        if obj.kind == "Ingress":
            _emit_ingress(obj, scan)
    scan.warnings[:] = list(dict.fromkeys(scan.warnings))  # overlays building one object warn once
    return scan


def _workloads(
    objects: Iterable[_Object], local: dict[str, _Index], index: _Index
) -> dict[tuple[str, str], _Workload]:
    """Workloads by (name, folder): a second definition in the same folder is merged into the first."""
    records: dict[tuple[str, str], _Workload] = {}
    for obj in objects:
        if obj.kind in WORKLOAD_KINDS:
            workload = _read_workload(obj, local.get(obj.overlay, index))
            key = (workload.name, _folder(obj.doc.path))
            if key in records:
                records[key].merge(workload)
            else:
                records[key] = workload
    return records


# -- reading objects ----------------------------------------------------------------------------


@dataclass
class _Object:
    """One Kubernetes object and where it sits: ``base`` is its key path in the document (List items).

    Built by a kustomize overlay, ``data`` is located (each value knows its file and line), ``overlay`` is
    that overlay's folder, ``aliases`` the names it is deployed under, and ``chosen`` says whether this is
    the build that counts (else another overlay's alternative)."""

    kind: str
    name: str
    namespace: str
    data: dict[str, Any]
    doc: YamlDoc
    base: KeyPath
    aliases: tuple[str, ...] = ()
    overlay: str = ""
    chosen: bool = True

    def line(self, *keys: str | int) -> int:
        return self.doc.line((*self.base, *keys))

    def where(self, *keys: str | int, inner: str = "") -> tuple[str, int]:
        """(file, line) where the value at ``keys`` was written: a patch's, for a patched value. With
        ``inner``, the line of that key of the value instead when a patch wrote it in another file
        (``env[0].value`` replaced by a JSON patch: the patch's line, not the base's ``- name:``)."""
        found = origin(self.data, keys)
        if inner:
            deeper = origin(self.data, (*keys, inner))
            if deeper is not None and (found is None or deeper[0] is not found[0]):
                found = deeper
        if found is None:
            return self.doc.path, self.line(*keys)
        return found[0].path, found[0].line(found[1])


def _read_objects(path: Path, root: Path, warnings: list[str]) -> list[_Object]:
    display = relative(path, root)
    text = read_text(path, display, warnings)
    if text is None or not (_HAS_API_VERSION.search(text) and _HAS_KIND.search(text)):
        return []
    if "{{" in text:
        warnings.append(f"{display}: skipped, a Helm template ({{{{ }}}}); render it to analyse it")
        return []
    objects = []
    for doc in parse_yaml(text, display):
        objects.extend(_objects(doc.data, doc, ()))
    return objects


def _objects(data: Any, doc: YamlDoc, base: KeyPath) -> list[_Object]:
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str) or "apiVersion" not in data:
        return []
    if data["kind"].endswith("List") and isinstance(data.get("items"), list):
        if base:
            return []  # a List inside a List: not something kubectl writes, and a way to blow up
        found = []
        for index, item in enumerate(data["items"]):
            found.extend(_objects(item, doc, (*base, "items", index)))
        return found
    metadata = _dict(data.get("metadata"))
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        return []
    namespace = _text(metadata.get("namespace")) or "default"
    return [_Object(data["kind"], name, namespace, data, doc, base)]


def _built_object(built: Built) -> list[_Object]:
    return [
        _Object(
            obj.kind,
            obj.name,
            obj.namespace,
            obj.data,
            obj.doc,
            obj.base,
            built.names,
            built.overlay,
            built.chosen,
        )
        for obj in _objects(built.data, built.home, built.base)
    ]


class _Index:
    """ConfigMap and Secret values by (namespace, name, key), with the evidence of each value; an
    overlay's own index falls back to the ``parent`` index of every deployment."""

    def __init__(self, objects: list[_Object], warnings: list[str], parent: _Index | None = None) -> None:
        self.values: dict[tuple[str, str, str], dict[str, dict[str, tuple[str, Evidence]]]] = {}
        self.warnings = warnings
        self.parent = parent
        for obj in objects:
            if obj.kind == "ConfigMap":
                self._add(obj, "configmap", "data", decode=False)
            elif obj.kind == "Secret":
                self._add(obj, "secret", "data", decode=True)
                self._add(obj, "secret", "stringData", decode=False)

    def get(
        self, kind: str, namespace: str, name: str, near: str = ""
    ) -> dict[str, tuple[str, Evidence]] | None:
        """The ConfigMap or Secret of that name defined nearest to ``near`` (the file using it): the
        same name in an overlay or an extras folder is another deployment's value."""
        found = self.values.get((kind, namespace, name))
        if not found:
            return None if self.parent is None else self.parent.get(kind, namespace, name, near)
        best = min(found, key=lambda folder: (-_shared(folder, _folder(near)), folder.count("/"), folder))
        return found[best]

    def _add(self, obj: _Object, kind: str, section: str, decode: bool) -> None:
        folders = self.values.setdefault((kind, obj.namespace, obj.name), {})
        entries = folders.setdefault(_folder(obj.doc.path), {})
        for key, raw in _dict(obj.data.get(section)).items():
            path, line = obj.where(section, key)
            value = _text(raw)
            if decode:
                try:
                    value = base64.b64decode("".join(value.split()), validate=True).decode("utf-8")
                except (binascii.Error, ValueError):
                    self.warnings.append(f"{path}:{line}: Secret {obj.name} key {key} is not base64 text")
                    continue
            entries[str(key)] = (
                value,
                Evidence(path, line, _FROM_SECRET if kind == "secret" else "", "manifest"),
            )


# -- workloads ----------------------------------------------------------------------------------


@dataclass
class _Workload:
    name: str
    namespace: str
    evidence: Evidence
    image: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    env: list[EnvVar] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    job: bool = False

    def merge(self, other: _Workload) -> None:
        """A second definition in the same folder: image replaced, the rest added."""
        self.image = other.image or self.image
        self.labels.update(other.labels)
        self.aliases.extend(a for a in other.aliases if a not in self.aliases)
        known = {(var.name, var.value) for var in self.env}
        self.env.extend(var for var in other.env if (var.name, var.value) not in known)
        self.ports.extend(port for port in other.ports if port not in self.ports)


def _read_workload(obj: _Object, index: _Index) -> _Workload:
    spec = _dict(obj.data.get("spec"))
    if obj.kind == "CronJob":
        spec = _dict(_dict(spec.get("jobTemplate")).get("spec"))
    template = _dict(spec.get("template"))
    pod = _dict(template.get("spec"))
    labels = _dict(_dict(template.get("metadata")).get("labels")) or _dict(
        _dict(spec.get("selector")).get("matchLabels")
    )
    containers = _list(pod.get("containers"))
    image = _text(_dict(containers[0]).get("image")) if containers else ""
    seen = f"{obj.kind} {obj.name}" + (f" (image {image})" if image else "")
    workload = _Workload(
        obj.name, obj.namespace, Evidence(obj.doc.path, obj.line("metadata", "name"), seen, "manifest")
    )
    workload.image = image
    workload.job = obj.kind in JOB_KINDS
    workload.aliases = [alias for alias in obj.aliases if alias != obj.name]
    workload.labels = {str(k): _text(v) for k, v in labels.items()}
    for section in ("initContainers", "containers"):
        for position, container in enumerate(_list(pod.get(section))):
            if not isinstance(container, dict):
                continue
            where = ("spec", "template", "spec", section, position)
            workload.env.extend(_container_env(obj, container, where, index))
            for port in _list(container.get("ports")):
                number = _dict(port).get("containerPort")
                if isinstance(number, int) and number not in workload.ports:
                    workload.ports.append(number)
    return workload


def _container_env(obj: _Object, container: dict[str, Any], where: KeyPath, index: _Index) -> list[EnvVar]:
    """envFrom first, then env (which wins in Kubernetes); ``$(VAR)`` refers to earlier variables."""
    env: list[EnvVar] = []
    for position, source in enumerate(_list(container.get("envFrom"))):
        source = _dict(source)
        for ref_key, kind in (("configMapRef", "configmap"), ("secretRef", "secret")):
            if ref_key not in source:
                continue
            ref = _dict(source.get(ref_key))
            entries = index.get(kind, obj.namespace, _text(ref.get("name")), obj.doc.path)
            if entries is None:
                _missing(obj, index, (*where, "envFrom", position), kind, ref, "")
                continue
            prefix = _text(source.get("prefix"))
            for key, (value, evidence) in entries.items():
                env.append(_var(prefix + key, value, evidence))
    for position, item in enumerate(_list(container.get("env"))):
        item = _dict(item)
        name = _text(item.get("name"))
        if not name:
            continue
        line_path = (*where, "env", position)
        if "valueFrom" in item:
            found = _value_from(obj, _dict(item.get("valueFrom")), line_path, index)
            if found is not None:
                env.append(_var(name, found[0], found[1]))
            continue
        value = _expand(_text(item.get("value")), {var.name: var.value for var in env})
        env.append(_var(name, value, Evidence(*obj.where(*line_path, inner="value"), "", "manifest")))
    return env


def _expand(value: str, known: dict[str, str]) -> str:
    """``$(DB_USER)`` -> the value of an earlier variable; unknown references stay as written."""
    return _VAR_REF.sub(lambda match: known.get(match.group(1), match.group(0)), value)


def _value_from(
    obj: _Object, value_from: dict[str, Any], where: KeyPath, index: _Index
) -> tuple[str, Evidence] | None:
    for ref_key, kind in (("configMapKeyRef", "configmap"), ("secretKeyRef", "secret")):
        if ref_key not in value_from:
            continue
        ref = _dict(value_from.get(ref_key))
        key = _text(ref.get("key"))
        entries = index.get(kind, obj.namespace, _text(ref.get("name")), obj.doc.path)
        if entries is None or key not in entries:
            _missing(obj, index, where, kind, ref, key)
            return None
        return entries[key]
    return None  # fieldRef, resourceFieldRef: known only at run time


def _missing(obj: _Object, index: _Index, where: KeyPath, kind: str, ref: dict[str, Any], key: str) -> None:
    if ref.get("optional") is True:
        return
    what = "ConfigMap" if kind == "configmap" else "Secret"
    detail = f" key {key}" if key else ""
    index.warnings.append(
        "{}:{}: ".format(*obj.where(*where)) + f"{obj.kind} {obj.name} uses {what} {_text(ref.get('name'))}"
        f"{detail}, not found in the scanned manifests"
    )


def _var(name: str, value: str, evidence: Evidence) -> EnvVar:
    """The variable with evidence text ``NAME=value``; a Secret's value shows only as a redacted URL."""
    text = env_text(name, value)
    if evidence.text == _FROM_SECRET and "://" not in value and ";" not in value:
        text = f"{name}=***"
    return EnvVar(name, value, evidence._replace(text=text))


def _attach_service(service: _Object, workloads: Iterable[_Workload]) -> None:
    spec = _dict(service.data.get("spec"))
    selector = {str(k): _text(v) for k, v in _dict(spec.get("selector")).items()}
    if not selector:
        return
    namespace = service.namespace
    names = [
        form
        for name in dict.fromkeys((service.name, *service.aliases))
        for form in (
            name,
            f"{name}.{namespace}",
            f"{name}.{namespace}.svc",
            f"{name}.{namespace}.svc.cluster.local",
        )
    ]
    ports = [port.get("port") for port in map(_dict, _list(spec.get("ports")))]
    for workload in workloads:
        if workload.namespace != namespace or not selector.items() <= workload.labels.items():
            continue
        workload.aliases.extend(n for n in names if n != workload.name and n not in workload.aliases)
        workload.ports.extend(p for p in ports if isinstance(p, int) and p not in workload.ports)


def _emit_alternative(workload: _Workload, chosen: _Workload | None, scan: ManifestScan) -> None:
    """Another overlay's build of a workload: only its different values and names, ranked after the
    chosen build (a second deployment of one service, never a second service)."""
    if chosen is None:
        _emit(workload, scan)
        return
    known = {(var.name, var.value) for var in chosen.env}
    workload.env = [var for var in workload.env if (var.name, var.value) not in known]
    workload.aliases = [a for a in workload.aliases if a not in chosen.aliases and a != chosen.name]
    if workload.env or workload.aliases:
        _emit(workload, scan, rank=_rank(chosen) + 1, stores=False)


def _emit_ingress(obj: _Object, scan: ManifestScan) -> None:
    found = ingress_routes(obj.name, obj.data, obj.where)
    if not found.routes:
        return
    evidence = Evidence(obj.doc.path, obj.line("metadata", "name"), f"Ingress {obj.name}", "manifest")
    scan.services.append(
        DeployedService(
            name=INGRESS_NAME,
            source="ingress",
            evidence=evidence,
            aliases=tuple(found.hosts),
            role="ingress",
            routes=tuple(found.routes),
        )
    )


def _rank(workload: _Workload) -> int:
    return _folder(workload.evidence.path).count("/") + 1


def _emit(workload: _Workload, scan: ManifestScan, rank: int | None = None, stores: bool = True) -> None:
    known = None if workload.job else classify_image(workload.image)  # a job loading a database is a job
    if known is None:
        scan.services.append(
            DeployedService(
                name=workload.name,
                source="kubernetes",
                evidence=workload.evidence,
                image=workload.image,
                aliases=tuple(workload.aliases),
                env=tuple(workload.env),
                ports=tuple(workload.ports),
                role="job" if workload.job else "",
                rank=_rank(workload) if rank is None else rank,
                group=_group(workload),
            )
        )
        return
    if not stores:
        return
    kind, role = known
    scan.datastores.append(
        Datastore(
            name=workload.name,
            kind=kind,
            role=role,
            evidence=workload.evidence,
            aliases=tuple(workload.aliases),
            databases=tuple(datastore_databases(kind, workload.env)),
        )
    )


def _group(workload: _Workload) -> str:
    """The group a workload's manifest puts it in (the report draws a group's services in one box): the
    ``app.kubernetes.io/part-of`` label, else a namespace other than ``default``."""
    part_of = workload.labels.get("app.kubernetes.io/part-of", "")
    return part_of or (workload.namespace if workload.namespace != "default" else "")


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _shared(a: str, b: str) -> int:
    """How many leading folders two folders share."""
    count = 0
    for x, y in zip(a.split("/"), b.split("/"), strict=False):
        if x != y or not x:
            break
        count += 1
    return count


def _near(path: str, folder: str) -> bool:
    """A Service selects the workloads of its own deployment: same folder tree, or the only one."""
    return _shared(_folder(path), folder) > 0 or "/" not in path or not folder


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)

"""Helm charts found among the manifest files and rendered to YAML documents, each document with the
template file it came from and best-effort lines in it.

``helm template`` renders when it is on the PATH; the built-in renderer (:mod:`.evaluate`) otherwise, or
when helm fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fitness.collect.manifests.helm.evaluate import Chunk, Renderer
from fitness.collect.manifests.helm.govalues import scalar_text
from fitness.collect.manifests.helm.limits import MAX_OUTPUT
from fitness.collect.manifests.helm.values import load_yaml, read_small
from fitness.collect.manifests.yaml_lines import YamlDoc, parse_yaml, relative
from fitness.model import FitnessError

HELM_TIMEOUT = 20.0
"""Seconds ``helm template`` may take for one chart."""


def find_charts(files: Iterable[Path]) -> list[Path]:
    """Chart folders among the files found by the manifest walk; subcharts (under a chart's ``charts/``)
    are left to their parent chart."""
    folders = sorted(
        {p.parent for p in files if p.name == "Chart.yaml" and (p.parent / "templates").is_dir()}
    )
    return [f for f in folders if not any(_is_subchart(f, other) for other in folders if other != f)]


def in_chart(path: Path, charts: Iterable[Path]) -> bool:
    """Whether ``path`` lies in one of the chart folders (it is read by rendering the chart)."""
    return any(chart == path or chart in path.parents for chart in charts)


def render_chart(chart: Path, root: Path, warnings: list[str]) -> list[YamlDoc]:
    """The documents of ``chart`` rendered, each with its template file as path and best-effort lines."""
    shown = relative(chart, root)
    meta = load_yaml(chart / "Chart.yaml", root, warnings)
    if not isinstance(meta, dict):
        warnings.append(f"{shown}/Chart.yaml: skipped, not a chart (no mapping)")
        return []
    name = scalar_text(meta.get("name")) or chart.name
    label = shown if shown != "." else name
    chunks: list[Chunk] | None = None
    helm = shutil.which("helm")
    if helm:
        chunks = _helm_chunks(helm, chart, name, label, warnings)
    if chunks is None:
        renderer = Renderer(root, label, warnings)
        chunks = renderer.render(chart, meta, name)
        warnings.append(
            f"{label}: rendered without helm (values.yaml substituted); install helm for exact output"
        )
        if renderer.unsupported:
            warnings.append(
                f"{label}: {renderer.unsupported} template expressions not understood (rendered as empty)"
            )
    return _documents(chunks, root, warnings)


def _is_subchart(folder: Path, parent: Path) -> bool:
    try:
        return folder.relative_to(parent).parts[:1] == ("charts",)
    except ValueError:
        return False


# -- helm template ------------------------------------------------------------------------------------


def _helm_chunks(helm: str, chart: Path, name: str, label: str, warnings: list[str]) -> list[Chunk] | None:
    release = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:53] or "release"
    with tempfile.TemporaryDirectory(prefix="fitness-helm-") as home:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": home,
            "HELM_CACHE_HOME": os.path.join(home, "cache"),
            "HELM_CONFIG_HOME": os.path.join(home, "config"),
            "HELM_DATA_HOME": os.path.join(home, "data"),
            "KUBECONFIG": os.path.join(home, "kubeconfig"),
        }
        try:
            done = subprocess.run(
                [helm, "template", release, str(chart.resolve()), "--skip-tests"],
                cwd=home,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=HELM_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            warnings.append(
                f"{label}: helm template took more than {HELM_TIMEOUT:g} s; rendered without helm"
            )
            return None
        except OSError as error:
            warnings.append(f"{label}: helm template could not run ({error.strerror}); rendered without helm")
            return None
    if done.returncode != 0:
        reason = next(
            (line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()),
            f"exit status {done.returncode}",
        )
        warnings.append(f"{label}: helm template failed ({reason[:200]}); rendered without helm")
        return None
    output = done.stdout.decode("utf-8", "replace")
    if len(output) > MAX_OUTPUT:
        warnings.append(f"{label}: helm output larger than {MAX_OUTPUT // 1_000_000} MB, cut there")
        output = output[: output.rfind("\n# Source: ", 0, MAX_OUTPUT) + 1]
    return _split_sources(output, chart)


def _split_sources(output: str, chart: Path) -> list[Chunk]:
    """helm's output cut at its ``# Source: chart/templates/x.yaml`` comments."""
    chunks: list[Chunk] = []
    lines: list[str] = []
    current: Path | None = None
    base = chart.resolve()

    def flush() -> None:
        if current is not None and any(line.strip() not in ("", "---") for line in lines):
            chunks.append(Chunk(current, "\n".join(lines) + "\n"))

    for line in output.splitlines():
        if line.startswith("# Source: "):
            flush()
            lines = []
            parts = Path(line[len("# Source: ") :].strip()).parts[1:]
            target = chart.joinpath(*parts) if parts else chart / "Chart.yaml"
            try:
                target.resolve().relative_to(base)
            except (ValueError, OSError, RuntimeError):
                target = chart / "Chart.yaml"
            current = target if target.is_file() else chart / "Chart.yaml"
            lines.append("")  # the comment's own line: keeps the lines of the chunk in step
        else:
            lines.append(line)
    flush()
    return chunks


# -- rendered text to documents ----------------------------------------------------------------------------


def _documents(chunks: list[Chunk], root: Path, warnings: list[str]) -> list[YamlDoc]:
    docs: list[YamlDoc] = []
    templates: dict[Path, list[str]] = {}
    for chunk in chunks:
        shown = relative(chunk.template, root)
        try:
            parsed = parse_yaml(chunk.text, shown)
        except FitnessError as error:
            warnings.append(f"{shown}: skipped, rendered template is not valid YAML ({error.message})")
            continue
        if chunk.template not in templates:
            text = read_small(chunk.template)
            templates[chunk.template] = text.splitlines() if text is not None else []
        lines = _line_map(chunk.text.splitlines(), templates[chunk.template])
        for doc in parsed:
            doc.lines = {
                key: lines[min(line, len(lines)) - 1] if lines else 1 for key, line in doc.lines.items()
            }
            docs.append(doc)
    return docs


_KEY = re.compile(r"^((?:-\s+)*)([^\s:#{][^:{]*?)\s*:(?:\s|$)")
_LINE_WINDOW = 400


def _line_key(line: str) -> str | None:
    match = _KEY.match(line.strip())
    return (match.group(1).replace(" ", "") + match.group(2)) if match else None


def _line_map(rendered: list[str], template: list[str]) -> list[int]:
    """For each rendered line, its line in the template (1-based), matched in order: the same text, or
    the same key on a templated line; failing that, the nearest such line above (a range's next round);
    an unmatched line takes the line of the last match."""
    stripped = [line.strip() for line in template]
    keys = [_line_key(line) if "{{" in line else None for line in template]
    result: list[int] = []
    cursor, last = 0, 1
    for line in rendered:
        text = line.strip()
        if not text or text == "---" or text.startswith("#"):
            result.append(last)
            continue
        key = _line_key(text)
        forward = range(cursor, min(len(template), cursor + _LINE_WINDOW))
        backward = range(min(cursor, len(template)) - 1, -1, -1)
        found = _match(text, key, stripped, keys, forward)
        if found is None:
            found = _match(text, key, stripped, keys, backward)
        if found is not None:
            cursor, last = found + 1, found + 1
        result.append(last)
    return result


def _match(
    text: str, key: str | None, stripped: list[str], keys: list[str | None], indexes: range
) -> int | None:
    for index in indexes:
        if stripped[index] == text or (key is not None and keys[index] == key):
            return index
    return None

"""Graphviz for the HTML report: every graph of a page drawn in a few ``dot`` processes side by side, and
the drawings kept between runs.

Batches: each process lays out several graphs from one input (dot writes one SVG document per graph, in
order), so the start-up of ``dot`` (plugins and fonts, about 10 ms of CPU) is paid once per CPU instead
of once per graph; the graphs go to the least loaded process, biggest first. A graph laid out by another
engine (``layout=neato``) or with boxes (clusters) gets a process of its own: Graphviz keeps state between
the graphs of a process (the last engine, its random seed, cluster numbering), and a graph after one of
these would not come out the same bytes as drawn alone.

Kept drawings: a layout is a pure function of the DOT text and the Graphviz version, and most graphs of
a project do not change between two reports, so the CLI (without ``--no-cache``) keeps each SVG in the
user's cache folder (``$XDG_CACHE_HOME/fitness/layouts``, private to the user, never the analysed tree:
an SVG is inlined into the page, and a planted one could carry script), named by a hash of the text and
of ``dot -V``, the :data:`KEPT` most recently used. A folder that cannot be made, read or written only
makes the report slower; the page's bytes never depend on it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

KEPT = 200  # drawings kept: the graphs of a few projects' reports

_PAGE_ID = re.compile(r'id="page\d+,\d+_')
_ALONE = re.compile(r"^\s*(?:layout=(?!dot\b)|subgraph cluster_)", re.MULTILINE)


def graphviz_found() -> bool:
    """Whether Graphviz's ``dot`` program is on the PATH (looked up, not run)."""
    return shutil.which("dot") is not None


def draw_many(dot_texts: list[str], keep: bool = False) -> list[str | None]:
    """The SVG of each DOT text (None for each when ``dot`` is missing or fails on it), drawn in about
    one ``dot`` process per CPU; with ``keep``, drawings kept from earlier runs are used and new ones
    kept."""
    folder = _kept_folder() if keep and dot_texts else None
    version = _graphviz_version() if folder is not None else ""
    names = [_name(version, text) for text in dot_texts] if version else []
    result: list[str | None] = [_read(folder, name) for name in names] if folder else [None] * len(dot_texts)
    missing = [i for i, svg in enumerate(result) if svg is None]
    for index, svg in zip(missing, _draw([dot_texts[i] for i in missing]), strict=True):
        result[index] = svg
        if folder is not None and names and svg is not None:
            _write(folder, names[index], svg)
    if folder is not None and missing:
        _prune(folder)
    return result


def _draw(texts: list[str]) -> list[str | None]:
    if not texts:
        return []
    cpus = os.cpu_count() or 1
    batches = batches_of(texts, min(len(texts), cpus))
    with ThreadPoolExecutor(max_workers=min(len(batches), cpus)) as pool:
        drawn = list(pool.map(lambda batch: _draw_batch([texts[i] for i in batch]), batches))
    result: list[str | None] = [None] * len(texts)
    for batch, svgs in zip(batches, drawn, strict=True):
        for index, svg in zip(batch, svgs, strict=True):
            result[index] = svg
    return result


def batches_of(texts: list[str], count: int) -> list[list[int]]:
    """Indexes of ``texts`` in ``count`` batches of about equal size (longest text first, each to the
    lightest batch; ties by index, so the same texts always go the same way), each batch in page order;
    a text naming a layout engine other than dot, or with boxes, is a batch of its own, first."""
    alone = [i for i, text in enumerate(texts) if _ALONE.search(text) is not None]
    batches: list[list[int]] = [[] for _ in range(count)]
    load = [0] * count
    for index in sorted(set(range(len(texts))) - set(alone), key=lambda i: (-len(texts[i]), i)):
        lightest = min(range(count), key=lambda b: (load[b], b))
        batches[lightest].append(index)
        load[lightest] += len(texts[index])
    return [[i] for i in alone] + [sorted(batch) for batch in batches if batch]


def _draw_batch(texts: list[str]) -> list[str | None]:
    """The SVGs of ``texts`` from one ``dot`` process; when dot is missing, None for each; when it fails
    (or its output does not split into one document per text), each text drawn alone."""
    try:
        done = subprocess.run(
            ["dot", "-Tsvg"], input="".join(texts), capture_output=True, text=True, encoding="utf-8"
        )
    except OSError:
        return [None] * len(texts)
    documents = done.stdout.split("</svg>")
    if done.returncode != 0 or len(documents) != len(texts) + 1 or documents[-1].strip():
        return [svg for text in texts for svg in _draw_batch([text])] if len(texts) > 1 else [None]
    # dot numbers the ids it makes up for the second graph on (page0,1_graph0): drop the number, so a
    # drawing is the same bytes whichever batch it was in
    return [_PAGE_ID.sub('id="', document.lstrip()) + "</svg>\n" for document in documents[:-1]]


def _kept_folder() -> Path | None:
    """The user's folder of kept drawings, made private; None when it cannot be, or is not ours alone."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base, "fitness", "layouts")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if (hasattr(os, "getuid") and info.st_uid != os.getuid()) or info.st_mode & 0o077:
        return None
    return folder


def _graphviz_version() -> str:
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return (done.stderr + done.stdout).strip() if done.returncode == 0 else ""


def _name(version: str, text: str) -> str:
    return hashlib.sha256(f"{version}\0{text}".encode()).hexdigest() + ".svg"


def _read(folder: Path, name: str) -> str | None:
    path = folder / name
    try:
        svg = path.read_text(encoding="utf-8")
        os.utime(path)  # recently used: kept by the pruning
    except (OSError, UnicodeDecodeError):
        return None
    return svg if svg.endswith("</svg>\n") else None  # a torn write is drawn again


def _write(folder: Path, name: str, svg: str) -> None:
    try:
        descriptor, scratch = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(svg)
        os.replace(scratch, folder / name)
    except OSError:
        return


def _prune(folder: Path) -> None:
    """Keep the :data:`KEPT` most recently used drawings."""
    try:
        kept = sorted(folder.glob("*.svg"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        return

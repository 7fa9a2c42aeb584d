"""What the commands do with an analysis beyond ``check``'s verdict: graphs, import chains, explanations,
the config schema, the HTML report and gallery, and updating a baseline.

``fitness.pipeline.run`` is the one analysis; these are thin uses of it, kept apart so the pipeline
module holds the pipeline and nothing else.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fitness.drawing import draw_many as draw_many  # the report's Graphviz, re-exported for the CLI
from fitness.drawing import graphviz_found as graphviz_found
from fitness.model import Analysis, FitnessError, Severity
from fitness.model.findings import Chain
from fitness.model.views import ImportView
from fitness.pipeline import Options, read_json, run

if TYPE_CHECKING:
    from fitness.report.graph_view import GraphData


def baseline_update(analysis: Analysis, path: Path) -> tuple[str, list[str]]:
    """``--update-baseline``: the new file's text, and what to say about the file it replaces (migrated
    from an older format; entries dropped because they were fixed). A corrupt file is refused, not
    overwritten: its entries could not be accounted for."""
    from fitness.pipeline import baseline_text
    from fitness.rules import baseline

    if not path.exists():
        return baseline_text(analysis), []
    data = read_json(path, "corrupt baseline (fix or delete it first)", "cannot read baseline")
    previous = baseline.from_document(data, str(path))
    return baseline_text(analysis), baseline.update_messages(analysis.findings, previous)


def config_schema() -> dict[str, Any]:
    """The JSON Schema of fitness.yaml (``fitness schema``): the config model joined with every rule
    type's options. Generated at run time, so it always matches this fitness and its installed plugins."""
    from fitness.config.schema import config_schema as build
    from fitness.rules.schema import rule_type_schemas

    return build(rule_type_schemas())


def schema_text() -> str:
    return json.dumps(config_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


GRAPH_FORMATS = ("dot", "mermaid", "json", "graphml", "svg")


def render_graph(root: Path, options: Options, level: str, depth: int | None, fmt: str) -> str:
    """The import graph at ``level`` in ``fmt`` (svg needs Graphviz's ``dot`` program)."""
    from fitness.report import dot, graph_json, mermaid
    from fitness.report.graph_view import graph_data

    data = graph_data(run(root, options), level, depth)
    if fmt == "mermaid":
        return mermaid.render(data)
    if fmt == "json":
        return graph_json.render(data)
    if fmt == "graphml":
        return _graphml(data)
    text = dot.render(data)
    return _svg(text) if fmt == "svg" else text


def _graphml(data: GraphData) -> str:
    """A graph level as GraphML, for Gephi, yEd, Cytoscape or a notebook (``networkx.read_graphml``).

    Written with networkx (its one use in a command, ADR 16), here beside the SVG adapter: reporters
    import no graph library (fitness.yaml, ``reporters-are-pure``). Nodes carry ``kind`` and
    ``on_cycle``, edges ``imports`` (the weight), ``style`` and ``label``: the JSON format's fields, in
    its sorted order, so the same input gives the same bytes."""
    import networkx as nx

    graph = nx.DiGraph(level=data.level)
    for node in data.nodes:
        graph.add_node(node, kind=data.kinds.get(node, data.level.rstrip("s")), on_cycle=node in data.cyclic)
    for source, target, weight in data.edges:
        graph.add_edge(
            source,
            target,
            imports=weight,
            style=data.styles.get((source, target), "solid"),
            label=data.labels.get((source, target), ""),
        )
    lines = nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(lines) + "\n"


def _svg(dot_text: str) -> str:
    """Graphviz's SVG of ``dot_text``; a FitnessError when the ``dot`` program is missing or fails."""
    import graphviz

    try:
        return str(graphviz.Source(dot_text).pipe(format="svg", encoding="utf-8"))
    except graphviz.ExecutableNotFound as error:
        raise FitnessError(
            "Graphviz's 'dot' program is not installed (apt install graphviz); use --format dot"
        ) from error
    except (graphviz.CalledProcessError, OSError) as error:
        raise FitnessError(f"Graphviz's dot failed: {error}") from error


def find_chains(root: Path, options: Options, importer: str, imported: str) -> list[Chain]:
    """Shortest import chains from ``importer`` to ``imported`` (packages include their subtree)."""
    from fitness.rules.chains import chains_between

    analysis = run(root, options)
    view = ImportView.from_graph(analysis.graph)
    for name in (importer, imported):
        if name not in view.modules:
            raise FitnessError(f"no module {name!r} in {', '.join(analysis.summary.packages)}")
    return chains_between(view, view.descendants(importer), view.descendants(imported))


def explain(code: str) -> str:
    """What a finding code or rule type means, an example and how to fix it."""
    from fitness.model.catalog import CATALOG
    from fitness.rules.registry import by_code, rule_types

    types = rule_types()
    rule = types.get(code) or by_code(code)
    if rule is not None:
        return (
            f"{rule.code} {rule.name}: {rule.summary}\n\nOptions:\n"
            + "".join(
                f"  {o.name} ({o.kind}{', required' if o.required else ''}): {o.help}\n" for o in rule.options
            )
            + f"\nExample:\n{_indent(rule.example)}\nFix: {rule.advice}\n"
        )
    doc = CATALOG.get(code.upper()) or next((d for d in CATALOG.values() if d.name == code), None)
    if doc is not None:
        return (
            f"{doc.code} {doc.name}: {doc.summary}\n\nExample:\n{_indent(doc.example)}\nFix: {doc.advice}\n"
        )
    known = sorted([*CATALOG, *(r.code for r in types.values())])
    raise FitnessError(f"unknown code {code!r}; known codes: {', '.join(known)}")


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


def draw_svg(dot_text: str) -> str | None:
    """Graphviz's SVG of ``dot_text``, or None when the ``dot`` program is missing or fails: the HTML
    report then lists the graph as text instead of failing."""
    try:
        return _svg(dot_text)
    except FitnessError:
        return None


def load_analysis(path: Path, whole_graph: bool = False) -> Analysis:
    """An Analysis saved by ``fitness check --format json=FILE`` (FitnessError when it is not one, or, with
    ``whole_graph``, when it was written with the compact graph: the HTML report draws the module graph)."""
    data = read_json(path, "not valid JSON", "cannot read")
    if not isinstance(data, dict):
        raise FitnessError("not a fitness analysis (expected a JSON object)", str(path))
    problem = _analysis_shape(data)
    if problem:
        raise FitnessError(f"not a fitness analysis: {problem}", str(path))
    try:
        analysis = Analysis.from_json(data, str(path))
    except DATA_ERRORS as error:  # an edited file: a value of the wrong type or an unknown name
        raise FitnessError(f"not a fitness analysis: {_data_error(error)}", str(path)) from error
    if whole_graph and not analysis.graph_complete:
        omitted = analysis.graph_omitted.get("nodes", {})
        what = " and ".join(f"{count} {kind}" for kind, count in sorted(omitted.items())) or "some"
        raise FitnessError(
            f"a compact analysis ({what} nodes and their imports left out) and the report draws the module "
            "graph: write it with `fitness check --format json=FILE --graph full`, or run `fitness report PATH`",
            str(path),
        )
    return analysis


DATA_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError, RecursionError)
"""What an edited analysis JSON raises while it is read or rendered (a string where a number was ...)."""

_SHAPE: dict[str, type | tuple[type, ...]] = {
    "root": str,
    "summary": dict,
    "findings": list,
    "baseline_state": dict,
    "stale": list,
    "warnings": list,
    "metrics": dict,
    "graph": dict,
}


def _analysis_shape(data: dict[str, Any]) -> str | None:
    """What is wrong with the outline of a saved analysis (types of the top-level fields, of findings,
    nodes, edges and metrics), or None; the details are left to ``Analysis.from_json``."""
    for key, kind in _SHAPE.items():
        if key in data and data[key] is not None and not isinstance(data[key], kind):
            return f"{key}: expected {_kind_name(kind)}, got {type(data[key]).__name__}"
    for key in ("findings", "stale"):
        for index, item in enumerate(data.get(key) or []):
            if not isinstance(item, dict):
                return f"{key}[{index}]: expected an object, got {type(item).__name__}"
    if not all(isinstance(item, str) for item in data.get("warnings") or []):
        return "warnings: expected a list of strings"
    graph = data.get("graph") or {}
    for part in ("nodes", "edges"):
        items = graph.get(part) or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            return f"graph.{part}: expected a list of objects"
    for level, rows in (data.get("metrics") or {}).items():
        if not isinstance(rows, dict) or not all(isinstance(values, dict) for values in rows.values()):
            return f"metrics.{level}: expected an object of subjects, each an object of numbers"
        for subject, values in rows.items():
            for name, value in values.items():
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    return f"metrics.{level}.{subject}.{name}: expected a number, got {type(value).__name__}"
    return None


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names: dict[object, str] = {dict: "an object", list: "a list", str: "a string"}
    return names.get(kind, str(kind))


def _data_error(error: BaseException) -> str:
    raw = error.args[0] if isinstance(error, KeyError) and error.args else error
    text = " ".join(str(raw).split())
    text = text if len(text) <= 200 else text[:197] + "..."
    return f"{type(error).__name__}: {text}" if isinstance(error, (TypeError, AttributeError)) else text


def html_report(
    analysis: Analysis,
    fail_on: str = "error",
    generated: str = "",
    trend_file: Path | None = None,
    source: Path | None = None,
    keep_compiled: bool = False,
    keep_layouts: bool = False,
) -> str:
    """The self-contained HTML page for ``analysis`` (``fitness report``), graphs drawn with Graphviz;
    ``trend_file``: a saved ``fitness trend --format json``, drawn as charts; ``source``: the file the
    analysis was loaded from (``--from``), named in the error when its content cannot be rendered;
    ``keep_compiled``: keep the compiled page template between runs (part of fitness, like its .pyc
    files: ``fitness.report.template_cache``); ``keep_layouts``: keep the graphs' drawings between runs
    (they depend on the analysed system: not with ``--no-cache``; ``fitness.drawing``)."""
    from fitness.model.trend import TrendPoint
    from fitness.report import html
    from fitness.report.options import ReportOptions
    from fitness.report.trend import read_trend

    trend: tuple[TrendPoint, ...] = ()
    if trend_file is not None:
        data = read_json(trend_file, "not a JSON trend file", "cannot read trend file")
        try:
            trend = tuple(read_trend(data, str(trend_file)))
        except ValueError as error:
            raise FitnessError(str(error)) from error
    options = ReportOptions(fail_on=Severity(fail_on), trend=trend)
    draw = functools.partial(draw_many, keep=keep_layouts)
    if source is None:
        return html.render(analysis, options, draw_svg, generated, draw, keep_compiled)
    try:  # a saved analysis is input: what its edited values break is the file's fault, not a crash
        return html.render(analysis, options, draw_svg, generated, draw, keep_compiled)
    except DATA_ERRORS as error:
        raise FitnessError(f"cannot render this analysis: {_data_error(error)}", str(source)) from error


def gallery(examples: Path) -> dict[str, str]:
    """``{file name: HTML}``: the report of every system in ``examples`` and an index linking them."""
    import shutil
    import tempfile

    from fitness.report import html

    pages: dict[str, str] = {}
    entries = []
    for folder in sorted(p for p in examples.iterdir() if (p / "fitness.yaml").is_file()):
        with tempfile.TemporaryDirectory() as scratch:
            # a copy outside this repository: the example's report must not depend on our own git history
            copy = Path(scratch) / folder.name
            shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".fitness_cache", "__pycache__"))
            analysis = run(copy, Options(cache=False))
        pages[f"{folder.name}.html"] = html_report(analysis)
        failing = analysis.failing(Severity.ERROR)
        entries.append(
            {
                "name": folder.name,
                "href": f"{folder.name}.html",
                "failed": bool(failing),
                "verdict": f"{len(analysis.findings)} findings, {len(failing)} failing",
            }
        )
    pages["index.html"] = html.render_index(entries)
    return pages

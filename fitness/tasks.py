"""What the commands do with an analysis beyond ``check``'s verdict: graphs, import chains, explanations,
the starter config, the config schema, the HTML report and gallery, and updating a baseline.

``fitness.pipeline.run`` is the one analysis; these are thin uses of it, kept apart so the pipeline
module holds the pipeline and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fitness.model import Analysis, FitnessError, Severity
from fitness.model.findings import Chain
from fitness.model.views import ImportView
from fitness.pipeline import Options, read_json, run


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


GRAPH_FORMATS = ("dot", "mermaid", "json", "svg")


def render_graph(root: Path, options: Options, level: str, depth: int | None, fmt: str) -> str:
    """The import graph at ``level`` in ``fmt`` (svg needs Graphviz's ``dot`` program)."""
    from fitness.report import dot, graph_json, mermaid
    from fitness.report.graph_view import graph_data

    data = graph_data(run(root, options), level, depth)
    if fmt == "mermaid":
        return mermaid.render(data)
    if fmt == "json":
        return graph_json.render(data)
    text = dot.render(data)
    return _svg(text) if fmt == "svg" else text


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
            raise FitnessError(f"no module {name!r} in {', '.join(analysis.summary['packages'])}")
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


def starter_config(root: Path) -> str:
    """The text of a starter fitness.yaml for ``root`` (what ``fitness init`` writes)."""
    from fitness.config.settings import Config
    from fitness.config.starter import starter_yaml

    analysis = run(root, Options(cache=False), config=Config(root=str(root)))
    view = ImportView.from_graph(analysis.graph)
    packages = analysis.summary["packages"]
    order: list[str] = []
    if len(packages) == 1:
        order = _layer_order(view, packages[0])
    return starter_yaml(
        analysis.summary["source_roots"],
        packages,
        order,
        analysis.summary.get("services", []),
        analysis.summary.get("datastores", []),
    )


def _layer_order(view: ImportView, package: str) -> list[str]:
    """Children of ``package`` ordered so that importers come before what they import."""
    from fitness.model.algorithms import strongly_connected_components
    from fitness.model.views import PackageView

    depth = package.count(".") + 2
    collapsed = PackageView.collapse(view, depth)
    children = sorted(node for node in collapsed.nodes if node != package)
    components = strongly_connected_components(children, collapsed.succ)
    if any(len(component) > 1 for component in components):
        return []
    remaining = set(children)
    order: list[str] = []
    while remaining:
        top = sorted(n for n in remaining if not any(n in collapsed.succ[o] for o in remaining))
        order.extend(top)
        remaining -= set(top)
    return [name[len(package) + 1 :] for name in order]


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
    analysis = Analysis.from_json(data, str(path))
    if whole_graph and not analysis.graph_complete:
        omitted = analysis.graph_omitted.get("nodes", {})
        what = " and ".join(f"{count} {kind}" for kind, count in sorted(omitted.items())) or "some"
        raise FitnessError(
            f"a compact analysis ({what} nodes and their imports left out) and the report draws the module "
            "graph: write it with `fitness check --format json=FILE --graph full`, or run `fitness report PATH`",
            str(path),
        )
    return analysis


def html_report(analysis: Analysis, fail_on: str = "error", generated: str = "") -> str:
    """The self-contained HTML page for ``analysis`` (``fitness report``), graphs drawn with Graphviz."""
    from fitness.report import html
    from fitness.report.options import ReportOptions

    return html.render(analysis, ReportOptions(fail_on=Severity(fail_on)), draw_svg, generated)


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

"""The ``fitness`` command: parse arguments, run the pipeline, pick a reporter, set the exit code.

Heavy modules (grimp, the pipeline, reporters) are imported inside the commands so that
``fitness --version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from fitness import __version__
from fitness.cli_adr import adr_app
from fitness.cli_common import GuardedGroup
from fitness.cli_common import fail as _fail
from fitness.cli_common import guard as _guard
from fitness.exit_codes import ExitCode

app = typer.Typer(
    name="fitness",
    cls=GuardedGroup,
    help="Architecture fitness functions: import rules, cycles and metrics, as a CI gate.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(adr_app, name="adr")


PathArg = Annotated[Path, typer.Argument(help="Project folder to analyse.")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="Config file (default: fitness.yaml or pyproject.toml).")
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write .fitness_cache/.")]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="WINDOW",
        help="Git history window for churn and co-change: '12 months' (default, before the newest "
        "commit), '90 days', an ISO date or 'all'. Overrides history.since.",
    ),
]


def main() -> None:
    """Console-script entry point."""
    app()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fitness {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    del debug  # read back by cli_common.debug_enabled() from the click context


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a failure never leaves half a file."""
    write_all([(path, text)])


def write_all(files: list[tuple[Path, str]]) -> None:
    """Write every file or none: each goes to a temporary file beside it (missing folders are created),
    and only when all are written are they renamed into place; on failure the temporary files go."""
    from fitness.model import FitnessError

    staged: list[tuple[str, Path]] = []
    current = files[0][0] if files else Path()
    mode = 0o666 & ~_umask()
    try:
        for current, text in files:
            current.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=current.parent, prefix=f".{current.name}.")
            staged.append((temporary, current))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.chmod(temporary, mode)  # mkstemp makes files only the owner can read
        for temporary, current in staged:
            os.replace(temporary, current)
    except OSError as error:
        for temporary, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise FitnessError(f"cannot write: {error.strerror}", str(current)) from error


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


@app.command()
def check(
    path: PathArg = Path("."),
    config: ConfigOpt = None,
    output_formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT[=FILE]",
            help="text, json, sarif, junit, markdown, github or codequality; FORMAT=FILE writes it to FILE. "
            "Repeatable (at most one to stdout). Default: text.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the one stdout format to a file instead.")
    ] = None,
    fail_on: Annotated[str, typer.Option("--fail-on", help="error, warning or info.")] = "error",
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Analyse everything, report only findings touching files changed since git REV.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Known violations: fail only on new ones.")
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Write the current findings to --baseline and pass.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also show info findings.")] = False,
    graph_detail: Annotated[
        str,
        typer.Option(
            "--graph",
            metavar="compact|full",
            help="How much graph the json format carries: compact (default: services, datastores, tables, "
            "topics and their edges; modules and imports only counted) or full (every module and import "
            "with its evidence, as `fitness report --from` needs).",
        ),
    ] = "compact",
    no_cache: NoCacheOpt = False,
    since: SinceOpt = None,
) -> None:
    """Check the rules: exit 0 when clean, 1 on violations, 2 on usage or config errors."""
    from fitness import pipeline
    from fitness.model import Severity
    from fitness.report import FORMATS, ReportOptions

    targets = _guard(lambda: output_targets(output_formats or ["text"], output, sorted(FORMATS)))
    if fail_on not in {s.value for s in Severity}:
        _fail(f"--fail-on must be error, warning or info, not {fail_on!r}")
    if graph_detail not in ("compact", "full"):
        _fail(f"--graph must be compact or full, not {graph_detail!r}")
    if update_baseline and changed_since is not None:
        _fail("--update-baseline records every finding; do not combine it with --changed-since")
    if update_baseline and baseline is None:
        baseline = Path("fitness-baseline.json")
    options = pipeline.Options(
        config_path=config,
        cache=not no_cache,
        baseline_path=None if update_baseline else baseline,
        changed_since=changed_since,
        since=_guard(lambda: None if since is None else pipeline.parse_since_option(since)),
    )
    analysis = _guard(lambda: pipeline.run(path, options))
    for warning in analysis.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if update_baseline and baseline is not None:
        from fitness import tasks

        written = baseline
        text, messages = _guard(lambda: tasks.baseline_update(analysis, written))
        _guard(lambda: write_atomic(written, text))
        for message in messages:
            typer.echo(message, err=True)
        typer.echo(f"baseline written: {written} ({len(analysis.findings)} findings)", err=True)
        raise typer.Exit(ExitCode.OK)
    report_options = ReportOptions(
        fail_on=Severity(fail_on), verbose=verbose, path_prefix=_path_prefix(path), graph=graph_detail
    )
    rendered = []
    for name, target in targets:
        color = target is None and sys.stdout.isatty()
        rendered.append((FORMATS[name](analysis, replace(report_options, color=color)), target))
    _guard(lambda: write_all([(target, text) for text, target in rendered if target is not None]))
    for text, target in rendered:
        if target is None:
            sys.stdout.write(text)
    raise typer.Exit(ExitCode.VIOLATIONS if analysis.failing(Severity(fail_on)) else ExitCode.OK)


def output_targets(specs: list[str], output: Path | None, known: list[str]) -> list[tuple[str, Path | None]]:
    """``["text", "sarif=out/f.sarif"]`` -> ``[("text", None), ("sarif", Path("out/f.sarif"))]``.

    None is stdout; ``--output`` sends the one stdout format to a file (the single-format case).
    """
    from fitness.model import FitnessError

    targets: list[tuple[str, Path | None]] = []
    for spec in specs:
        name, equals, file = spec.partition("=")
        name = name.strip().lower()
        if name not in known:
            raise FitnessError(f"unknown format {name!r}; choose one of {', '.join(known)}")
        if equals and not file:
            raise FitnessError(f"--format {spec}: give a file after '=' (or leave '=' out for stdout)")
        targets.append((name, Path(file) if equals else None))
    to_stdout = [name for name, target in targets if target is None]
    if len(to_stdout) > 1:
        raise FitnessError(
            f"at most one format can go to stdout, got {', '.join(to_stdout)}; write the others to files "
            "(--format sarif=fitness.sarif)"
        )
    if output is not None:
        if not to_stdout:
            raise FitnessError("--output needs a --format without =FILE (every format already has a file)")
        targets = [(name, output if target is None else target) for name, target in targets]
    files = [target for _, target in targets if target is not None]
    if len(set(files)) != len(files):
        raise FitnessError("two formats would write the same file")
    return targets


def _path_prefix(path: Path) -> str:
    """The analysed folder relative to the working directory (``services/orders/``), or ``""`` when it is
    the working directory or outside it: SARIF and annotations name files from the repository root."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return ""
    text = relative.as_posix()
    return "" if text == "." else f"{text}/"


@app.command()
def graph(
    path: PathArg = Path("."),
    level: Annotated[
        str, typer.Option("--level", "-l", help="modules, packages, services, tables or events.")
    ] = "packages",
    depth: Annotated[int | None, typer.Option("--depth", help="Package depth (packages level).")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="dot, mermaid, json or svg.")] = "dot",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Draw the module or package import graph (cycles highlighted)."""
    from fitness import pipeline, tasks

    if output_format not in tasks.GRAPH_FORMATS:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(tasks.GRAPH_FORMATS)}")
    options = pipeline.Options(config_path=config, cache=not no_cache)
    text = _guard(lambda: tasks.render_graph(path, options, level, depth, output_format))
    _guard(lambda: _emit(text, output))


@app.command("path")
def path_command(
    importer: Annotated[str, typer.Argument(help="Module (or package) that imports.")],
    imported: Annotated[str, typer.Argument(help="Module (or package) imported.")],
    path: PathArg = Path("."),
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the shortest import chains from IMPORTER to IMPORTED, each link with file:line."""
    from fitness import pipeline, tasks

    options = pipeline.Options(config_path=config, cache=not no_cache)
    chains = _guard(lambda: tasks.find_chains(path, options, importer, imported))
    if not chains:
        typer.echo(f"{importer} does not import {imported}, directly or indirectly")
        raise typer.Exit(ExitCode.VIOLATIONS)
    for index, chain in enumerate(chains, start=1):
        typer.echo(f"chain {index} ({len(chain)} import{'s' if len(chain) != 1 else ''}):")
        for link in chain:
            typer.echo(f"  {link.importer} -> {link.imported}  ({link.path}:{link.line})  `{link.text}`")


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A finding code (FIT102) or rule type (layers).")],
) -> None:
    """Explain a finding code or rule type: what it means, an example, how to fix it."""
    from fitness import tasks

    text = _guard(lambda: tasks.explain(code))
    typer.echo(text, nl=False)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Print the JSON Schema of fitness.yaml (for editor autocomplete; see the README)."""
    from fitness import tasks

    text = _guard(tasks.schema_text)
    _guard(lambda: _emit(text, output))


@app.command()
def init(
    path: PathArg = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing fitness.yaml.")] = False,
) -> None:
    """Discover packages and write a starter fitness.yaml (never overwrites without --force)."""
    from fitness import tasks

    target = path / "fitness.yaml"
    if target.exists() and not force:
        _fail(f"{target} already exists; use --force to overwrite it")
    text = _guard(lambda: tasks.starter_config(path))
    _guard(lambda: write_atomic(target, text))
    typer.echo(f"wrote {target}")


@app.command()
def report(
    path: PathArg = Path("."),
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "reports/index.html"
    ),
    from_json: Annotated[
        Path | None,
        typer.Option(
            "--from", help="Render a saved analysis (fitness check --format json=FILE --graph full)."
        ),
    ] = None,
    fail_on: Annotated[str, typer.Option("--fail-on", help="error, warning or info.")] = "error",
    timestamp: Annotated[bool, typer.Option("--timestamp", help="Show when the page was written.")] = False,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Write one self-contained HTML report (findings, graphs, matrices, metrics, decisions)."""
    import datetime

    from fitness import pipeline, tasks
    from fitness.model import Severity

    if fail_on not in {s.value for s in Severity}:
        _fail(f"--fail-on must be error, warning or info, not {fail_on!r}")
    if from_json is not None:
        source = from_json
        analysis = _guard(lambda: tasks.load_analysis(source, whole_graph=True))
    else:
        options = pipeline.Options(config_path=config, cache=not no_cache)
        analysis = _guard(lambda: pipeline.run(path, options))
    for warning in analysis.warnings:
        typer.echo(f"warning: {warning}", err=True)
    generated = (
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if timestamp else ""
    )
    text = tasks.html_report(analysis, fail_on, generated)
    _guard(lambda: write_atomic(output, text))
    if tasks.draw_svg("digraph {}") is None:
        typer.echo("note: Graphviz's dot program is missing; graphs are listed as text", err=True)
    typer.echo(f"wrote {output}")


@app.command()
def score(
    path: PathArg = Path("."),
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or markdown.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    since: SinceOpt = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Granularity: for each service (or package), split, keep or merge, with the forces behind it."""
    from fitness import pipeline
    from fitness.report.score import SCORE_FORMATS, render

    if output_format not in SCORE_FORMATS:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(SCORE_FORMATS)}")
    options = pipeline.Options(
        config_path=config,
        cache=not no_cache,
        granularity=True,
        since=_guard(lambda: None if since is None else pipeline.parse_since_option(since)),
    )
    analysis = _guard(lambda: pipeline.run(path, options))
    for warning in analysis.warnings:
        typer.echo(f"warning: {warning}", err=True)
    text = render(analysis, output_format)
    _guard(lambda: _emit(text, output))

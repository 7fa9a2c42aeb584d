"""The ``fitness`` command: parse arguments, run the pipeline, pick a reporter, set the exit code.

Heavy modules (grimp, the pipeline, reporters) are imported inside the commands so that
``fitness --version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import copy
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from typer.models import CommandInfo

from fitness import __version__
from fitness.cli_adr import adr_app
from fitness.cli_common import AllowPluginsOpt, FollowOpt, GuardedGroup
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
    """Console-script entry point: runs the app with only the command named on the command line."""
    only(app, sys.argv[1:])()


def only(full: typer.Typer, argv: list[str]) -> typer.Typer:
    """``full`` reduced to the command (or command group) ``argv`` names, or ``full`` itself for root
    help, ``--version`` or a name that is no command (so click lists them all and suggests one).

    typer turns every command's signature into click parameters before it parses anything: about
    40 ms for the 21 commands, a tenth of a ``fitness check`` on a mid-sized package. Help, usage
    errors and the root options are the same either way: the root callback and the named command
    are the very objects of ``full``.
    """
    name = next((arg for arg in argv if arg == "--help" or not arg.startswith("-")), None)
    if name is None or name == "--help":  # the root's help (also before a command name) lists them all
        return full
    commands = [c for c in full.registered_commands if _command_name(c) == name]
    groups = [g for g in full.registered_groups if g.name == name]
    if not commands and not groups:
        return full
    reduced = copy.copy(full)
    reduced.registered_commands = commands
    reduced.registered_groups = groups
    return reduced


def _command_name(command: CommandInfo) -> str | None:
    if command.name:
        return command.name
    callback = command.callback
    return callback.__name__.lower().replace("_", "-") if callback is not None else None


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


def write_atomic(path: Path, text: str, follow_symlinks: bool = False) -> None:
    """Write one file safely (``-``: stdout); see ``write_all``."""
    write_all([(path, text)], follow_symlinks)


def write_all(files: list[tuple[Path, str]], follow_symlinks: bool = False) -> None:
    """Write every file or none, only to regular files (``fitness.outputs``): each goes to a temporary
    file beside it (missing folders are created), and only when all are written are they renamed into
    place; on failure or SIGINT/SIGTERM the temporary files go."""
    from fitness.outputs import write_set

    write_set(files, follow_symlinks)


def _emit(text: str, output: Path | None, follow_symlinks: bool = False) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, follow_symlinks)


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
    allow_plugins: AllowPluginsOpt = False,
    since: SinceOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Check the rules: exit 0 when clean, 1 on violations, 2 on usage or config errors."""
    from fitness import pipeline
    from fitness.model import Severity
    from fitness.report import FORMATS, ReportOptions

    targets = _guard(lambda: output_targets(output_formats or ["text"], output, sorted(FORMATS)))
    _guard(lambda: _check_targets([t for _, t in targets if t is not None], follow_symlinks))
    if fail_on not in {s.value for s in Severity}:
        _fail(f"--fail-on must be error, warning or info, not {fail_on!r}")
    if graph_detail not in ("compact", "full"):
        _fail(f"--graph must be compact or full, not {graph_detail!r}")
    if update_baseline and changed_since is not None:
        _fail("--update-baseline records every finding; do not combine it with --changed-since")
    if update_baseline and baseline is None:
        baseline = _guard(lambda: pipeline.baseline_of(path, config)) or Path("fitness-baseline.json")
    if update_baseline and baseline is not None:
        written_to = baseline
        _guard(lambda: _check_targets([written_to], follow_symlinks))
    options = pipeline.Options(
        config_path=config,
        cache=not no_cache,
        allow_plugins=allow_plugins,
        metrics=any(name == "json" for name, _ in targets),  # no other format of check shows them
        baseline_path=None if update_baseline else baseline,
        config_baseline=not update_baseline,
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
        _guard(lambda: write_atomic(written, text, follow_symlinks))
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
    _guard(lambda: write_all([(target or Path("-"), text) for text, target in rendered], follow_symlinks))
    raise typer.Exit(ExitCode.VIOLATIONS if analysis.failing(Severity(fail_on)) else ExitCode.OK)


def output_targets(specs: list[str], output: Path | None, known: list[str]) -> list[tuple[str, Path | None]]:
    """``["text", "sarif=out/f.sarif"]`` -> ``[("text", None), ("sarif", Path("out/f.sarif"))]``.

    None is stdout (``FORMAT`` or ``FORMAT=-``); ``--output`` sends the one stdout format to a file (the
    single-format case; ``--output -`` is stdout).
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
        targets.append((name, Path(file) if equals and file != "-" else None))
    to_stdout = [name for name, target in targets if target is None]
    if len(to_stdout) > 1:
        raise FitnessError(
            f"at most one format can go to stdout, got {', '.join(to_stdout)}; write the others to files "
            "(--format sarif=fitness.sarif)"
        )
    if output is not None and str(output) != "-":
        if not to_stdout:
            raise FitnessError("--output needs a --format without =FILE (every format already has a file)")
        targets = [(name, output if target is None else target) for name, target in targets]
    files = [target for _, target in targets if target is not None]
    if len(set(files)) != len(files):
        raise FitnessError("two formats would write the same file")
    return targets


def _check_targets(paths: list[Path], follow_symlinks: bool) -> None:
    """Refuse special files and (without --follow-symlinks) symlinks before the analysis runs."""
    from fitness.outputs import is_stdout, target_of

    for path in paths:
        if not is_stdout(path):
            target_of(path, follow_symlinks)


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
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="dot, mermaid, json, graphml or svg.")
    ] = "dot",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    allow_plugins: AllowPluginsOpt = False,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Draw the module or package import graph (cycles highlighted)."""
    from fitness import pipeline, tasks

    if output_format not in tasks.GRAPH_FORMATS:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(tasks.GRAPH_FORMATS)}")
    options = pipeline.Options(config_path=config, cache=not no_cache, allow_plugins=allow_plugins)
    text = _guard(lambda: tasks.render_graph(path, options, level, depth, output_format))
    _guard(lambda: _emit(text, output, follow_symlinks))


@app.command("path")
def path_command(
    importer: Annotated[str, typer.Argument(help="Module (or package) that imports.")],
    imported: Annotated[str, typer.Argument(help="Module (or package) imported.")],
    path: PathArg = Path("."),
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    allow_plugins: AllowPluginsOpt = False,
) -> None:
    """Show the shortest import chains from IMPORTER to IMPORTED, each link with file:line."""
    from fitness import pipeline, tasks

    options = pipeline.Options(config_path=config, cache=not no_cache, allow_plugins=allow_plugins)
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
    follow_symlinks: FollowOpt = False,
) -> None:
    """Print the JSON Schema of fitness.yaml (for editor autocomplete; see the README)."""
    from fitness import tasks

    text = _guard(tasks.schema_text)
    _guard(lambda: _emit(text, output, follow_symlinks))


@app.command()
def init(
    path: PathArg = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing fitness.yaml and fitness-baseline.json.")
    ] = False,
    root: Annotated[
        str | None,
        typer.Option(
            "--root", metavar="DIR", help="The source folder holding the packages (default: discovered)."
        ),
    ] = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Discover the system and write a starter fitness.yaml with rules it nearly keeps, and the baseline of
    what they find today (never overwrites without --force)."""
    from fitness import bootstrap

    target = path / "fitness.yaml"
    if target.exists() and not force:
        _fail(f"{target} already exists; use --force to overwrite it")
    _guard(lambda: _check_targets([target, path / bootstrap.BASELINE_NAME], follow_symlinks))
    starter = _guard(lambda: bootstrap.starter(path, root))
    files = [(target, starter.config)]
    if starter.baseline is not None:
        known = path / bootstrap.BASELINE_NAME
        if known.exists() and not force:
            _fail(f"{known} already exists; use --force to overwrite it")
        files.append((known, starter.baseline))
    _guard(lambda: write_all(files, follow_symlinks))
    for line in starter.report(path):
        typer.echo(line)


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
    trend_file: Annotated[
        Path | None, typer.Option("--trend", help="Draw a saved `fitness trend --format json` as charts.")
    ] = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    allow_plugins: AllowPluginsOpt = False,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Write one self-contained HTML report (findings, graphs, matrices, metrics, decisions)."""
    import datetime

    from fitness import pipeline, tasks
    from fitness.model import Severity

    if fail_on not in {s.value for s in Severity}:
        _fail(f"--fail-on must be error, warning or info, not {fail_on!r}")
    _guard(lambda: _check_targets([output], follow_symlinks))
    if from_json is not None:
        source = from_json
        analysis = _guard(lambda: tasks.load_analysis(source, whole_graph=True))
    else:
        options = pipeline.Options(config_path=config, cache=not no_cache, allow_plugins=allow_plugins)
        analysis = _guard(lambda: pipeline.run(path, options))
    for warning in analysis.warnings:
        typer.echo(f"warning: {warning}", err=True)
    generated = (
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if timestamp else ""
    )
    text = _guard(
        lambda: tasks.html_report(
            analysis, fail_on, generated, trend_file, from_json, keep_compiled=True, keep_layouts=not no_cache
        )
    )
    _guard(lambda: write_atomic(output, text, follow_symlinks))
    if not tasks.graphviz_found():
        typer.echo("note: Graphviz's dot program is missing; graphs are listed as text", err=True)
    typer.echo(f"wrote {output}", err=str(output) == "-")


@app.command()
def score(
    path: PathArg = Path("."),
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or markdown.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    since: SinceOpt = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    allow_plugins: AllowPluginsOpt = False,
    follow_symlinks: FollowOpt = False,
    full: Annotated[
        bool,
        typer.Option("--full", help="The whole table with the evidence (text); default: a short summary."),
    ] = False,
) -> None:
    """Granularity: for each service (or package), split, keep or merge, with the forces behind it."""
    from fitness import pipeline
    from fitness.report.score import SCORE_FORMATS, render

    if output_format not in SCORE_FORMATS:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(SCORE_FORMATS)}")
    options = pipeline.Options(
        config_path=config,
        cache=not no_cache,
        allow_plugins=allow_plugins,
        granularity=True,
        since=_guard(lambda: None if since is None else pipeline.parse_since_option(since)),
    )
    analysis = _guard(lambda: pipeline.run(path, options))
    for warning in analysis.warnings:
        typer.echo(f"warning: {warning}", err=True)
    text = render(analysis, output_format, full=full)
    _guard(lambda: _emit(text, output, follow_symlinks))


@app.command("trend")
def trend_command(
    path: PathArg = Path("."),
    since: Annotated[
        str,
        typer.Option("--since", help="How far back: '12 months' (default), '2 years', an ISO date or 'all'."),
    ] = "12 months",
    every: Annotated[str, typer.Option("--every", help="One sample per day, week or month.")] = "month",
    max_samples: Annotated[
        int, typer.Option("--max-samples", min=1, help="Keep the newest N samples.")
    ] = 120,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or csv.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: CPUs).")
    ] = None,
    config: ConfigOpt = None,
    allow_plugins: AllowPluginsOpt = False,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Architecture over time: analyse commits sampled over history (never checking them out) and print
    modules, imports, propagation cost, cycles, findings, services, shared tables and the
    distributed-monolith score of each. `fitness report --trend FILE` draws a saved JSON as charts."""
    from fitness import pipeline
    from fitness import trend as trends
    from fitness.report.trend import trend_csv, trend_json, trend_text

    renderers = {"text": trend_text, "json": trend_json, "csv": trend_csv}
    if output_format not in renderers:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(renderers)}")
    _guard(lambda: _check_targets([output] if output is not None else [], follow_symlinks))
    options = pipeline.Options(config_path=config, cache=False, allow_plugins=allow_plugins)
    points = _guard(
        lambda: trends.trend(path, options, since, every, max_samples, jobs, trends.terminal_progress())
    )
    _guard(lambda: _emit(renderers[output_format](points), output, follow_symlinks))
    if output is not None:
        typer.echo(f"wrote {output}", err=True)


@app.command("contracts")
def contracts_command(
    path: PathArg = Path("."),
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="REV",
            help="The git revision to compare with (default: the merge base of HEAD and the default branch, "
            "or HEAD~1 on the default branch itself).",
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, json, sarif or markdown.")
    ] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    allow_plugins: AllowPluginsOpt = False,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Contract evolution: compare the OpenAPI, protobuf, Avro and JSON Schema files with a base revision;
    exit 1 on a breaking change (naming the consumers of the contract), 0 otherwise."""
    from fitness import contracts, pipeline
    from fitness.model import Severity
    from fitness.report import contracts as contract_report
    from fitness.report import sarif
    from fitness.report.options import ReportOptions

    if output_format not in ("text", "json", "sarif", "markdown"):
        _fail(f"unknown format {output_format!r}; choose one of text, json, sarif, markdown")
    _guard(lambda: _check_targets([output] if output is not None else [], follow_symlinks))
    options = pipeline.Options(config_path=config, cache=not no_cache, allow_plugins=allow_plugins)
    analysis, run = _guard(lambda: contracts.check_contracts(path, base, options))
    for warning in run.warnings:
        typer.echo(f"warning: {warning}", err=True)
    report_options = ReportOptions(verbose=True, path_prefix=_path_prefix(path))
    if output_format == "text":
        text = contract_report.render_text(analysis, run)
    elif output_format == "json":
        text = contract_report.render_json(analysis, run)
    elif output_format == "markdown":
        text = contract_report.render_markdown(analysis, run, report_options)
    else:
        text = sarif.render(analysis, report_options)
    _guard(lambda: _emit(text, output, follow_symlinks))
    if output is not None or output_format != "text":
        typer.echo(contract_report.summary(analysis, run), err=True)
    raise typer.Exit(ExitCode.VIOLATIONS if analysis.failing(Severity.ERROR) else ExitCode.OK)

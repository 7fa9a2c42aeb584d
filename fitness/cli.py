"""The ``fitness`` command: parse arguments, run the pipeline, pick a reporter, set the exit code.

Heavy modules (grimp, the pipeline, reporters) are imported inside the commands so that
``fitness --version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from fitness import __version__
from fitness.exit_codes import ExitCode

app = typer.Typer(
    name="fitness",
    help="Architecture fitness functions: import rules, cycles and metrics, as a CI gate.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}
T = TypeVar("T")

PathArg = Annotated[Path, typer.Argument(help="Project folder to analyse.")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="Config file (default: fitness.yaml or pyproject.toml).")
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write .fitness_cache/.")]


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
    _state["debug"] = debug


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``; a FitnessError becomes one line on stderr and exit code 2."""
    from fitness.model import FitnessError

    try:
        return action()
    except FitnessError as error:
        if _state["debug"]:
            traceback.print_exc()
        for line in str(error).splitlines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(ExitCode.USAGE) from None


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(ExitCode.USAGE)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a failure never leaves half a file."""
    from fitness.model import FitnessError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError as error:
        raise FitnessError(f"cannot write: {error.strerror}", str(path)) from error


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


@app.command()
def check(
    path: PathArg = Path("."),
    config: ConfigOpt = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    fail_on: Annotated[str, typer.Option("--fail-on", help="error, warning or info.")] = "error",
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Known violations: fail only on new ones.")
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Write the current findings to --baseline and pass.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also show info findings.")] = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check the rules: exit 0 when clean, 1 on violations, 2 on usage or config errors."""
    from fitness import pipeline
    from fitness.model import Severity
    from fitness.report import FORMATS, ReportOptions

    if output_format not in FORMATS:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(sorted(FORMATS))}")
    if fail_on not in {s.value for s in Severity}:
        _fail(f"--fail-on must be error, warning or info, not {fail_on!r}")
    if update_baseline and baseline is None:
        baseline = Path("fitness-baseline.json")
    options = pipeline.Options(
        config_path=config, cache=not no_cache, baseline_path=None if update_baseline else baseline
    )
    analysis = _guard(lambda: pipeline.run(path, options))
    for warning in analysis.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if update_baseline and baseline is not None:
        _guard(lambda: write_atomic(baseline, pipeline.baseline_text(analysis)))
        typer.echo(f"baseline written: {baseline} ({len(analysis.findings)} findings)", err=True)
        raise typer.Exit(ExitCode.OK)
    report_options = ReportOptions(
        fail_on=Severity(fail_on), verbose=verbose, color=output is None and sys.stdout.isatty()
    )
    _guard(lambda: _emit(FORMATS[output_format](analysis, report_options), output))
    raise typer.Exit(ExitCode.VIOLATIONS if analysis.failing(Severity(fail_on)) else ExitCode.OK)


@app.command()
def graph(
    path: PathArg = Path("."),
    level: Annotated[str, typer.Option("--level", "-l", help="modules or packages.")] = "packages",
    depth: Annotated[int | None, typer.Option("--depth", help="Package depth (packages level).")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="dot, mermaid, json or svg.")] = "dot",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Draw the module or package import graph (cycles highlighted)."""
    from fitness import pipeline

    if output_format not in pipeline.GRAPH_FORMATS:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(pipeline.GRAPH_FORMATS)}")
    options = pipeline.Options(config_path=config, cache=not no_cache)
    text = _guard(lambda: pipeline.render_graph(path, options, level, depth, output_format))
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
    from fitness import pipeline

    options = pipeline.Options(config_path=config, cache=not no_cache)
    chains = _guard(lambda: pipeline.find_chains(path, options, importer, imported))
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
    from fitness import pipeline

    text = _guard(lambda: pipeline.explain(code))
    typer.echo(text, nl=False)


@app.command()
def init(
    path: PathArg = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing fitness.yaml.")] = False,
) -> None:
    """Discover packages and write a starter fitness.yaml (never overwrites without --force)."""
    from fitness import pipeline

    target = path / "fitness.yaml"
    if target.exists() and not force:
        _fail(f"{target} already exists; use --force to overwrite it")
    text = _guard(lambda: pipeline.starter_config(path))
    _guard(lambda: write_atomic(target, text))
    typer.echo(f"wrote {target}")

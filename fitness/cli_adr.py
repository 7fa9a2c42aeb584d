"""``fitness adr``: architecture decision records, linked to the rules that enforce them.

Thin like the rest of the CLI: parse, call ``fitness.adr`` (and the pipeline for ``show`` and ``draft``),
print, exit 0 / 1 (lint errors) / 2 (usage or bad input). Heavy modules are imported inside the commands,
so registering this sub-app costs ``fitness --version`` nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fitness.cli_common import AllowPluginsOpt, FollowOpt
from fitness.cli_common import fail as _fail
from fitness.cli_common import guard as _guard
from fitness.exit_codes import ExitCode

if TYPE_CHECKING:
    from fitness.adr.actions import LinkRequest
    from fitness.adr.folder import AdrFolder
    from fitness.config import Config
    from fitness.model import Finding
    from fitness.model.decisions import AdrSettings

adr_app = typer.Typer(
    name="adr",
    help="Architecture decision records: init, new, list, show, supersede, link, status, index, graph, "
    "lint, draft.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


DirArg = Annotated[
    Path | None,
    typer.Argument(help="ADR folder (default: .adr-dir, else adr.dir in fitness.yaml, else docs/adr)."),
]
DirOpt = Annotated[
    Path | None,
    typer.Option(
        "--dir", "-d", help="ADR folder (default: .adr-dir, else adr.dir in fitness.yaml, else docs/adr)."
    ),
]
ProjectOpt = Annotated[
    Path, typer.Option("--project", "-p", help="Project folder (where fitness.yaml and .adr-dir are).")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="Config file (default: fitness.yaml).")
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="nygard, madr or madr-minimal (default: adr.format, else as the folder)."
    ),
]
DateOpt = Annotated[str | None, typer.Option("--date", help="Date to write (YYYY-MM-DD; default today).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write .fitness_cache/.")]


def _config(project: Path, config_path: Path | None) -> Config:
    from fitness.config import load_config

    return _guard(lambda: load_config(project, config_path))


def _folder(
    project: Path,
    config_path: Path | None,
    explicit: Path | None,
    must_exist: bool = True,
    follow_symlinks: bool = False,
) -> tuple[AdrFolder, Config | None]:
    """The ADR folder (located as the module docstring of fitness.adr.folder says) and the config."""
    from fitness import adr

    config = None
    if explicit is None and not (project / ".adr-dir").is_file():
        config = _config(project, config_path)
    settings = config.adr if config is not None else None
    path = _guard(lambda: adr.locate(project, settings, explicit))
    return _guard(lambda: adr.load(path, must_exist=must_exist, follow_symlinks=follow_symlinks)), config


def _written(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line, err=True)


@adr_app.command()
def init(
    directory: DirArg = None,
    output_format: FormatOpt = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    date: DateOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Create the ADR folder with its first record and an index (writes .adr-dir for a custom DIR)."""
    from fitness.adr import actions
    from fitness.adr.folder import create_file
    from fitness.model.decisions import DEFAULT_ADR_DIR

    marker = project / ".adr-dir"
    folder, loaded = _folder(project, config, directory, must_exist=False, follow_symlinks=follow_symlinks)
    if loaded is None and not marker.is_file():
        loaded = _config(project, config)
    settings = loaded.adr if loaded is not None else _no_settings()
    fmt = _guard(lambda: actions.choose_format(output_format, settings, folder))
    written = _guard(lambda: actions.init(folder.path, fmt, date, follow_symlinks))
    relative = _relative(directory, project) if directory is not None else DEFAULT_ADR_DIR
    if relative != DEFAULT_ADR_DIR and not marker.exists() and not settings.dir:
        _guard(lambda: create_file(marker, relative + "\n"))
        written.created.append(marker)
    for line in written.lines():
        typer.echo(line)


@adr_app.command()
def new(
    title: Annotated[list[str], typer.Argument(help="The decision's title (words may be unquoted).")],
    supersedes: Annotated[
        list[int] | None, typer.Option("--supersedes", "-s", help="Number of a record this one supersedes.")
    ] = None,
    link: Annotated[
        list[str] | None,
        typer.Option("--link", "-l", help="N:Kind:Reverse kind, e.g. '5:Amends:Amended by'."),
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Initial status (default: adr.default_status, Proposed).")
    ] = None,
    output_format: FormatOpt = None,
    date: DateOpt = None,
    directory: DirOpt = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Write the next record (four-digit number, safe file name; never overwrites). Prints its path."""
    from fitness.adr import actions
    from fitness.adr.folder import display

    folder, loaded = _folder(project, config, directory, follow_symlinks=follow_symlinks)
    settings = loaded.adr if loaded is not None else _no_settings()
    links = _guard(lambda: _link_requests(link or []))
    fmt = _guard(lambda: actions.choose_format(output_format, settings, folder))
    written = _guard(
        lambda: actions.new(
            folder, " ".join(title), fmt, status or settings.default_status, supersedes or [], links, date
        )
    )
    typer.echo(display(written.created[0]))
    _written([f"updated {display(path)}" for path in written.changed])


@adr_app.command("list")
def list_command(
    directory: DirArg = None,
    status: Annotated[str | None, typer.Option("--status", help="Only records with this status.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
) -> None:
    """List the records: number, status, date, title."""
    from fitness.adr import views

    if output_format not in ("text", "json"):
        _fail(f"unknown format {output_format!r}; choose text or json")
    folder, _ = _folder(project, config, directory)
    _guard(folder.require_usable)
    records = _guard(lambda: views.listed(folder, status))
    typer.echo(views.list_json(records) if output_format == "json" else views.list_text(records), nl=False)


@adr_app.command()
def show(
    number: Annotated[int, typer.Argument(help="The record's number.")],
    body: Annotated[bool, typer.Option("--body", help="Also print the record's text.")] = False,
    directory: DirOpt = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    allow_plugins: AllowPluginsOpt = False,
) -> None:
    """Show a record, the rules in fitness.yaml that enforce it (adr: N), and whether they hold today."""
    from fitness import pipeline
    from fitness.adr import enforce, views
    from fitness.model import FitnessError

    folder, loaded = _folder(project, config, directory)
    record = _guard(lambda: folder.get(number))
    loaded = loaded or _config(project, config)
    specs = enforce.enforcing(loaded.rules, number)
    states, error = None, None
    if specs:
        try:
            options = pipeline.Options(config_path=config, cache=not no_cache, allow_plugins=allow_plugins)
            findings = pipeline.run(project, options, config=loaded).findings
        except FitnessError as failure:
            findings, error = [], str(failure)
        states = enforce.rule_states(specs, findings)
    typer.echo(views.show_text(record, states, error, body), nl=False)


@adr_app.command()
def supersede(
    old: Annotated[int, typer.Argument(help="The record being replaced.")],
    new_number: Annotated[int, typer.Argument(metavar="NEW", help="The record that replaces it.")],
    directory: DirOpt = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Mark OLD as superseded by NEW: OLD gets 'Superseded by', NEW gets 'Supersedes'."""
    from fitness.adr import actions

    folder, _ = _folder(project, config, directory, follow_symlinks=follow_symlinks)
    _written(_guard(lambda: actions.supersede(folder, old, new_number)).lines())


@adr_app.command()
def link(
    source: Annotated[int, typer.Argument(help="The record that links.")],
    kind: Annotated[str, typer.Argument(help="The link, e.g. Amends.")],
    target: Annotated[int, typer.Argument(help="The record linked to.")],
    reverse: Annotated[str, typer.Argument(help="The reverse link, e.g. 'Amended by'.")],
    directory: DirOpt = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Link two records both ways, as adr-tools does: link 12 Amends 10 'Amended by'."""
    from fitness.adr import actions

    folder, _ = _folder(project, config, directory, follow_symlinks=follow_symlinks)
    _written(_guard(lambda: actions.link(folder, source, kind, target, reverse)).lines())


@adr_app.command()
def status(
    number: Annotated[int, typer.Argument(help="The record's number.")],
    new_status: Annotated[
        str, typer.Argument(metavar="STATUS", help="accepted, rejected, deprecated or proposed.")
    ],
    directory: DirOpt = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Set a record's status (superseding is `fitness adr supersede`)."""
    from fitness.adr import actions

    folder, _ = _folder(project, config, directory, follow_symlinks=follow_symlinks)
    record, written = _guard(lambda: actions.set_status(folder, number, new_status))
    typer.echo(f"{record.display}: {record.status or '(none)'} -> {written}", err=True)


@adr_app.command()
def index(
    directory: DirArg = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the index is out of date; write nothing.")
    ] = False,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Write the table of contents into the folder's README.md (between <!-- adrlog --> markers)."""
    from fitness.adr.folder import display
    from fitness.adr.index import wanted_text, write_index

    folder, _ = _folder(project, config, directory, follow_symlinks=follow_symlinks)
    if check:
        _guard(folder.require_usable)
        path, current, wanted = _guard(lambda: wanted_text(folder))
        if current != wanted:
            typer.echo(f"{display(path)}: the index is out of date; run `fitness adr index`", err=True)
            raise typer.Exit(ExitCode.VIOLATIONS)
        return
    written = _guard(lambda: write_index(folder))
    typer.echo(f"updated {display(written)}" if written else "index already up to date", err=True)


@adr_app.command()
def graph(
    directory: DirArg = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="dot or svg (needs Graphviz).")
    ] = "dot",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Draw the records and their links (supersedes, amends ...) as DOT or SVG."""
    from fitness.adr import graph as adr_graph
    from fitness.outputs import write_text

    if output_format not in ("dot", "svg"):
        _fail(f"unknown format {output_format!r}; choose dot or svg")
    folder, _ = _folder(project, config, directory)
    _guard(folder.require_usable)
    text = adr_graph.to_dot(folder)
    if output_format == "svg":
        text = _guard(lambda: adr_graph.to_svg(text))
    if output is None:
        sys.stdout.write(text)
    else:
        _guard(lambda: write_text(output, text, follow_symlinks))


@adr_app.command()
def lint(
    directory: DirArg = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, json or github.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
) -> None:
    """Check the folder for CI: naming, numbers, sections, statuses, dates, links, front matter."""
    from fitness.adr import lint as adr_lint

    if output_format not in adr_lint.FORMATS:
        _fail(f"unknown format {output_format!r}; choose one of {', '.join(adr_lint.FORMATS)}")
    folder, _ = _folder(project, config, directory)
    problems = adr_lint.lint(folder)
    typer.echo(adr_lint.render(problems, folder, output_format), nl=False)
    raise typer.Exit(ExitCode.VIOLATIONS if adr_lint.failed(problems, strict) else ExitCode.OK)


@adr_app.command()
def draft(
    finding: Annotated[
        str,
        typer.Argument(
            help="Fingerprint (prefix) or CODE:rule-or-subject from `fitness check --format json`."
        ),
    ],
    source: Annotated[
        Path | None,
        typer.Option("--from", help="Read findings from this `fitness check --format json` file."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title (default: from the finding).")] = None,
    output_format: FormatOpt = None,
    date: DateOpt = None,
    directory: DirOpt = None,
    project: ProjectOpt = Path("."),
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    allow_plugins: AllowPluginsOpt = False,
    follow_symlinks: FollowOpt = False,
) -> None:
    """Write a Proposed ADR from FINDING: its evidence, the options with trade-offs, the rule to add.

    FINDING is a fingerprint (or its first characters) or CODE:rule-or-subject, as `fitness check
    --format json` shows them: `fitness adr draft 48f3ea71`, `fitness adr draft FIT102:domain-is-pure`.
    """
    from fitness import pipeline
    from fitness.adr import actions
    from fitness.adr import draft as adr_draft
    from fitness.adr.folder import display

    folder, loaded = _folder(project, config, directory, follow_symlinks=follow_symlinks)
    if source is not None:
        findings = _guard(lambda: _findings_from(source))
    else:
        loaded = loaded or _config(project, config)
        options = pipeline.Options(config_path=config, cache=not no_cache, allow_plugins=allow_plugins)
        findings = _guard(lambda: pipeline.run(project, options, config=loaded).findings)
    chosen = _guard(lambda: adr_draft.select(findings, finding))
    settings = loaded.adr if loaded is not None else _no_settings()
    fmt = _guard(lambda: actions.choose_format(output_format, settings, folder))
    _guard(folder.next_number)  # 9999 reached: say so before anything is written
    written = _guard(
        lambda: actions.new(
            folder,
            title or adr_draft.title(chosen),
            fmt,
            "Proposed",
            date=date,
            values=lambda number: adr_draft.values(chosen, number, fmt),
        )
    )
    typer.echo(display(written.created[0]))


def _link_requests(texts: list[str]) -> list[LinkRequest]:
    from fitness.adr.actions import LinkRequest

    return [LinkRequest.parse(text) for text in texts]


def _findings_from(path: Path) -> list[Finding]:
    import json

    from fitness.model import Finding, FitnessError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Finding.from_json(item) for item in data["findings"]]
    except FileNotFoundError as error:
        raise FitnessError("no such file", str(path)) from error
    except (OSError, UnicodeDecodeError) as error:
        raise FitnessError(f"cannot read: {error}", str(path)) from error
    except json.JSONDecodeError as error:
        raise FitnessError(f"not JSON: {error.msg}", str(path), error.lineno) from error
    except (KeyError, TypeError, ValueError) as error:
        raise FitnessError("not the output of `fitness check --format json`", str(path)) from error


def _no_settings() -> AdrSettings:
    from fitness.model.decisions import AdrSettings

    return AdrSettings()


def _relative(path: Path, project: Path) -> str:
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()

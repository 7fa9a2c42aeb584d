"""What every command module of the CLI shares: one-line errors, exit codes, and --debug.

``fitness.cli`` and ``fitness.cli_adr`` both use these, so a FitnessError looks the same from every
command: ``error: path:line: message`` on stderr, exit 2, and the traceback only with ``--debug``.
Anything else that escapes a command is a crash, never a verdict: ``GuardedGroup`` turns it into one
line and exit 3 (Ctrl-C: exit 130), so CI cannot mistake it for "violations found" (exit 1).
"""

from __future__ import annotations

import errno
import traceback
from collections.abc import Callable
from typing import Annotated, Any, NoReturn, TypeVar

import click
import typer
from typer.core import TyperGroup

from fitness.exit_codes import ExitCode

AllowPluginsOpt = Annotated[
    bool,
    typer.Option(
        "--allow-plugins",
        help="Import custom rule types named in the config as 'module:Class' (runs that Python code). "
        "Installed 'fitness.rules' entry points need no flag.",
    ),
]

FollowOpt = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks",
        help="Write through an existing symlink at an output path (replacing the file it points to); "
        "without it a symlink is refused. Devices (but /dev/null), FIFOs and folders are always refused.",
    ),
]
"""Every command that writes a file takes it: the outputs of check, report, graph, score, schema, init,
trend and contracts, and the ADR records and index."""

T = TypeVar("T")


def debug_enabled() -> bool:
    """Whether the root command got ``--debug`` (read from click's context, no global state)."""
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.find_root().params.get("debug"))


def guard(action: Callable[[], T]) -> T:
    """Run ``action``; a FitnessError becomes one line per problem on stderr and exit code 2."""
    from fitness.model import FitnessError

    try:
        return action()
    except FitnessError as error:
        if debug_enabled():
            traceback.print_exc()
        for line in str(error).splitlines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(ExitCode.USAGE) from None


def fail(message: str) -> NoReturn:
    """A usage error found by the CLI itself: one line, exit code 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(ExitCode.USAGE)


class GuardedGroup(TyperGroup):
    """The root command group: an unexpected exception in any command becomes exit code 3.

    Usage errors (click's own, and FitnessError through ``guard``) and ``typer.Exit`` pass through
    untouched, as does a broken pipe (click handles it). Everything else (a bug, RecursionError,
    MemoryError, a plugin rule that raises) prints one line on stderr, the traceback only with
    ``--debug``, and exits 3; Ctrl-C prints ``fitness: interrupted`` and exits 130. Output files are
    written only after the whole run succeeded (``fitness.cli.write_all``), so a crash leaves none.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            typer.echo("fitness: interrupted", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise
            crashed(error)
        except Exception as error:
            crashed(error)
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as error:  # a Rust panic in an extension (pyo3's PanicException) is one
            if "KeyboardInterrupt" in str(error):  # Ctrl-C inside an extension's call back into Python
                typer.echo("fitness: interrupted", err=True)
                raise typer.Exit(ExitCode.INTERRUPTED) from None
            crashed(error)


def crashed(error: BaseException) -> NoReturn:
    """Report an internal error: the traceback with --debug, then one line; exit 3."""
    if debug_enabled():
        traceback.print_exception(error)
    typer.echo(f"fitness: {internal_error_line(error, debug_enabled())}", err=True)
    raise typer.Exit(ExitCode.INTERNAL) from None


def internal_error_line(error: BaseException, debug: bool = False) -> str:
    """``internal error: RuntimeError: boom (run with --debug for the traceback)``, on one line."""
    text = " ".join(str(error).split())
    if len(text) > 300:
        text = text[:297] + "..."
    kind = type(error).__name__
    hint = "" if debug else " (run with --debug for the traceback)"
    return f"internal error: {kind}: {text}{hint}" if text else f"internal error: {kind}{hint}"

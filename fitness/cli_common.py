"""What every command module of the CLI shares: one-line errors with exit code 2, and --debug.

``fitness.cli`` and ``fitness.cli_adr`` both use these, so a FitnessError looks the same from every
command: ``error: path:line: message`` on stderr, exit 2, and the traceback only with ``--debug``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import NoReturn, TypeVar

import click
import typer

from fitness.exit_codes import ExitCode

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

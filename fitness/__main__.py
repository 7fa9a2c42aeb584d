"""``python -m fitness``, and the ``fitness`` console script.

Ctrl-C ends in one line and exit code 130 (``fitness.exit_codes``) wherever it lands: inside a command
(``fitness.cli_common.GuardedGroup``), and here while the command modules are still being imported, which
would otherwise print a KeyboardInterrupt traceback.

When the command is done the process ends at once (``os._exit`` after flushing the standard streams):
freeing a large project's graph object by object, and then every module, takes 60 ms and more on a
6,700-module package, for nothing. Every file a command writes is closed (and renamed into place) before
it returns, and no command leaves a thread, a process or a temporary folder behind. If the streams cannot
be flushed (a closed pipe), or a profiler, tracer or coverage is watching, Python's own shutdown runs.

The cyclic garbage collector stays off for the whole command, not only inside ``pipeline.run``: a
collection triggered while the report is rendered would walk the whole graph (70 ms on homeassistant)
to free nothing. Memory is the process's, and the process is about to end; the collectors that make
cyclic garbage in bulk (SQL parsing, the services loop) collect it themselves.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    gc.disable()
    try:
        from fitness.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("fitness: interrupted\n")
        raise SystemExit(130) from None
    except SystemExit as done:
        code = done.code
        if code is None or isinstance(code, int):
            _exit_now(code or 0)
        raise


def _exit_now(code: int) -> None:
    """End the process with ``code`` without tearing down its objects. Returns, for the caller to exit the
    ordinary way, if a stream cannot be flushed, or under a profiler, a tracer or coverage (they write
    their results as the interpreter shuts down)."""
    if sys.getprofile() is not None or sys.gettrace() is not None or "coverage" in sys.modules:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


if __name__ == "__main__":
    main()

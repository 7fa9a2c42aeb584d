"""``python -m fitness``, and the ``fitness`` console script.

Ctrl-C ends in one line and exit code 130 (``fitness.exit_codes``) wherever it lands: inside a command
(``fitness.cli_common.GuardedGroup``), and here while the command modules are still being imported, which
would otherwise print a KeyboardInterrupt traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from fitness.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("fitness: interrupted\n")
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()

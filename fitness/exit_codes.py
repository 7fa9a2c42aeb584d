"""Exit codes of every command (documented in the README).

0, 1 and 2 are verdicts or the user's own mistake; 3 and 130 say the run did not finish, so a CI job never
reads a crash as "violations found" (1) or as a pass.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # clean (or a command that succeeded)
    VIOLATIONS = 1  # findings at or above --fail-on
    USAGE = 2  # usage or configuration error: one line naming the file and line
    INTERNAL = 3  # a bug in fitness (or in a plugin rule): one line, the traceback with --debug
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)

"""Exit codes of every command (documented in the README)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    VIOLATIONS = 1
    USAGE = 2

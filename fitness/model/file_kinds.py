"""Names for the files that are not regular files, for one-line refusals on reading and writing."""

from __future__ import annotations

import stat

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def describe(mode: int) -> str:
    """``a FIFO (named pipe)``, ``a character device`` ... for a file that is not a regular one."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"

"""Files left unread (vendored, minified, generated, too large), and how their warnings are folded.

Its own small module: the pipeline folds every run's warnings, and a plain import check should not import
the call collectors to do it.
"""

from __future__ import annotations

from collections.abc import Iterable

from fitness.model.redact import redact


class Skipped(str):
    """A file left unread because it is vendored, minified, generated or too large. On its own it reads as
    a warning (``static/app.js: minified JavaScript, skipped``); :func:`fold_skipped` counts all of them
    into one."""

    path: str
    reason: str  # "minified", "vendored", "lock file" or "larger than 2 MB"

    def __new__(cls, path: str, reason: str, detail: str = "") -> Skipped:
        self = super().__new__(cls, f"{path}: {detail or reason}, skipped")
        self.path = path
        self.reason = reason
        return self


def fold_skipped(warnings: Iterable[str]) -> list[str]:
    """``warnings`` with every :class:`Skipped` file replaced by one counted line at the end, e.g.
    ``skipped 3 minified, vendored or generated files: 2 minified, 1 lock file (e.g. a.min.js, b.js, ...)``,
    and a warning said twice (a file every scan skipped) said once. Warnings may quote what was read: they
    are redacted as evidence is.
    """
    warnings = list(dict.fromkeys(w if isinstance(w, Skipped) else redact(w) for w in warnings))
    kept: list[str] = []
    skipped: dict[str, str] = {}
    for warning in warnings:
        if isinstance(warning, Skipped):
            skipped.setdefault(warning.path, warning.reason)
        else:
            kept.append(warning)
    if not skipped:
        return kept
    counts: dict[str, int] = {}
    for reason in skipped.values():
        counts[reason] = counts.get(reason, 0) + 1
    kinds = ", ".join(
        f"{count} {reason}s" if reason == "lock file" and count > 1 else f"{count} {reason}"
        for reason, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    paths = sorted(skipped)
    examples = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
    files = "file" if len(paths) == 1 else "files"
    kept.append(f"skipped {len(paths)} minified, vendored or generated {files}: {kinds} (e.g. {examples})")
    return kept

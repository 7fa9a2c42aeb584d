"""Regenerate the report gallery: ``reports/<example>.html`` for every system in examples/ and an index.

    .venv/bin/python tools/gallery.py          # rewrite reports/ (what `make gallery` runs)
    .venv/bin/python tools/gallery.py --check  # exit 1 when reports/ is out of date

The pages are deterministic (no timestamps, no absolute paths), so the committed gallery can be compared
byte for byte with a fresh one; a test does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fitness.tasks import gallery

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
REPORTS = REPO / "reports"


def stale(pages: dict[str, str], folder: Path) -> list[str]:
    """The pages that differ from (or are missing in) ``folder``."""
    return sorted(
        name
        for name, text in pages.items()
        if not (folder / name).is_file() or (folder / name).read_bytes() != text.encode("utf-8")
    )


def main(argv: list[str]) -> int:
    pages = gallery(EXAMPLES)
    if "--check" in argv:
        outdated = stale(pages, REPORTS)
        for name in outdated:
            print(f"reports/{name} is out of date: run make gallery", file=sys.stderr)
        return 1 if outdated else 0
    REPORTS.mkdir(exist_ok=True)
    for name, text in sorted(pages.items()):
        (REPORTS / name).write_bytes(text.encode("utf-8"))
        print(f"wrote reports/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

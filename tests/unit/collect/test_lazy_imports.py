"""Which imports run at import time: the block headers above an indented import decide."""

from __future__ import annotations

import pytest

from fitness.collect.python.lazy import IMPORT, LAZY, TYPE_CHECKING, import_kind

SOURCE = b"""\
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from shop.orders import Order
try:
    import ujson as json
except ImportError:
    import json
class Cart:
    items = (
        1,
    )

    def total(self):
        x = 1
        from shop.prices import tax
        return x
    async def load(self):
        if self:
            import shop.db
if not TYPE_CHECKING:
    import shop.runtime
\r
def f():\r
    import shop.crlf\r
def g(
    a,
    b,
) -> None:
    import shop.signature
"""


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (1, IMPORT),
        (3, TYPE_CHECKING),
        (5, IMPORT),
        (7, IMPORT),
        (15, LAZY),
        (19, LAZY),
        (21, IMPORT),
        (24, LAZY),
        (29, LAZY),
    ],
)
def test_the_blocks_above_an_import_say_when_it_runs(line: int, kind: str) -> None:
    assert import_kind(SOURCE.splitlines(), line) == kind


def test_a_line_outside_the_file_is_an_ordinary_import() -> None:
    assert import_kind([b"    import x"], 0) == IMPORT
    assert import_kind([b"    import x"], 2) == IMPORT

from __future__ import annotations

import pytest

from fitness.model import FitnessError
from fitness.model.patterns import expand, matches, parse_import_expression


@pytest.mark.parametrize(
    ("pattern", "module", "expected"),
    [
        ("shop.*.api", "shop.orders.api", True),
        ("shop.*.api", "shop.api", False),
        ("shop.*.api", "shop.orders.v1.api", False),
        ("shop.**.models", "shop.models", True),
        ("shop.**.models", "shop.orders.v1.models", True),
        ("shop.**", "shop", True),
        ("shop.**", "shop.x.y", True),
        ("shop.**", "shopping", False),
        ("**.api", "api", True),
        ("**.api", "shop.orders.api", True),
        ("shop.api", "shop.api", True),
        ("shop.api", "shop.api.views", False),
    ],
)
def test_wildcards(pattern: str, module: str, expected: bool) -> None:
    assert matches(pattern, module) is expected


def test_expand_is_sorted() -> None:
    assert expand("a.*", ["a.c", "a.b", "a.b.x", "b.a"]) == ["a.b", "a.c"]


def test_import_expression() -> None:
    assert parse_import_expression(" a.b -> c.* ") == ("a.b", "c.*")
    with pytest.raises(FitnessError):
        parse_import_expression("a.b c.d")
    with pytest.raises(FitnessError, match="whole segment"):
        parse_import_expression("a.b* -> c")

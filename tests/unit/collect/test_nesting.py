"""Files that would crash a parser are found without parsing them; ordinary big files are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.collect.python import nesting
from fitness.collect.python.nesting import MAX_DEPTH, too_deep, too_deep_file


def test_deep_chains_of_every_kind_are_found_with_their_line() -> None:
    head = "import os\n\n"
    for body in (
        "x = " + "+".join(["1"] * 20_000),
        "x = a" + ".b" * 20_000,
        "x = f" + "()" * 20_000,
        "x = (\n" + "\n".join('    1 + ")" +' for _ in range(12_000)) + "\n    1)",
        'x = f"{' + "+".join(["1"] * 20_000) + '}"',
        "x = " + "(" * 6_000 + "".join("1)+1" for _ in range(6_000)),
    ):
        found = too_deep(head + body + "\n")
        assert found is not None and found.line == 3 and found.depth > MAX_DEPTH


def test_flat_data_and_long_files_are_not_deep() -> None:
    table = "TABLE = {\n" + "".join(f'    "k{i}": ("v{i}", {i} + 1, [{i}]),\n' for i in range(20_000)) + "}\n"
    sums = "X = [" + ", ".join("1 + 2 + 3 + 4" for _ in range(20_000)) + "]\n"
    code = "".join(f"def f{i}(a, b):\n    return a.b.c(d[e] + f - g * h)\n\n" for i in range(5_000))
    strings = "S = '" + "+" * 50_000 + "'\n# " + "." * 50_000 + "\n"
    for text in (table, sums, code, strings):
        assert too_deep(text) is None


def test_a_small_file_is_not_even_read(tmp_path: Path) -> None:
    small = tmp_path / "small.py"
    small.write_text("x = " + "+".join(["1"] * 5_000) + "\n")
    assert too_deep_file(str(small)) is None
    big = tmp_path / "big.py"
    big.write_text("x = " + "+".join(["1"] * 20_000) + "\n")
    assert too_deep_file(str(big)) == (1, 20_000)


def test_the_quick_bound_lets_through_only_what_the_full_scan_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_shallow`` (regular-expression passes, a loop over lines) must never pass a text the full token
    scan refuses: checked on every generated text against a tiny bound, where both answers occur."""
    monkeypatch.setattr(nesting, "MAX_DEPTH", 6)
    seen = {True: 0, False: 0}

    @settings(max_examples=1500, deadline=None, derandomize=True)
    @given(st.text(alphabet="ab fFrRxu'\"#()[]{},;+-*.\n\\ \t", max_size=120))
    def bound_holds(text: str) -> None:
        quick = nesting._shallow(text)
        full = nesting._deepest(text)
        seen[quick] += 1
        assert not (quick and full is not None), (text, full)

    bound_holds()
    assert seen[True] and seen[False]


def test_big_test_modules_pass_the_quick_bound() -> None:
    """Thousands of short statements (what big test modules are) never reach the token-by-token scan."""
    module = "".join(
        f"def test_{i}():\n    assert f(x[{i}], (a + b) * c) == {{'k': [1, 2, -3]}}\n" for i in range(4_000)
    )
    assert sum(map(module.count, "+-*/%@&|^~<>.([{")) > MAX_DEPTH
    assert nesting._shallow(module) and too_deep(module) is None

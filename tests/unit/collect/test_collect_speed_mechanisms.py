"""The mechanisms that make the service side cheaper give exactly what the plain ones gave: lazily
compiled patterns, the breadth-first walk, line starts, the readers of a file, a batch of time caps."""

from __future__ import annotations

import ast
import re
import signal
import time
from pathlib import Path

from fitness.collect.code.lazy_re import MADE, lazy
from fitness.collect.code.registry import DETECTOR_MODULES, Registry, _reads, registry
from fitness.collect.python.pywalk import _NOT_NODES, walk
from fitness.collect.source_file import SourceFile
from fitness.collect.time_cap import batch_of_caps, time_cap
from fitness.model.facts import SourceFacts

HERE = Path(__file__).resolve()
FITNESS = HERE.parents[3] / "fitness"


def test_every_lazy_pattern_compiles_to_what_re_compile_gives() -> None:
    assert len(registry().detectors) == len(DETECTOR_MODULES)  # every detector module imported
    assert len(MADE) > 100
    for made in MADE:
        pattern, flags = made._source
        assert made.pattern == pattern and made.flags == re.compile(pattern, flags).flags


def test_a_lazy_pattern_behaves_as_the_compiled_one() -> None:
    text = "a=1, b=22, c=333"
    eager, late = re.compile(r"(\w)=(\d+)"), lazy(r"(\w)=(\d+)")
    assert [m.groups() for m in late.finditer(text)] == [m.groups() for m in eager.finditer(text)]
    assert late.sub(r"\2", text) == eager.sub(r"\2", text)
    assert late.search(text, 3).span() == eager.search(text, 3).span()  # type: ignore[union-attr]
    assert late.groups == 2 and late.pattern == eager.pattern


def test_walk_gives_ast_walks_order_without_the_leaves() -> None:
    for path in sorted(FITNESS.rglob("*.py"))[:80]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert list(walk(tree)) == [n for n in ast.walk(tree) if type(n) not in _NOT_NODES]


def test_line_starts_and_lines_of_offsets() -> None:
    for text in ("", "a", "\n", "ab\ncd\n\nx", "\n\n", "x\n"):
        file = SourceFile("p.py", text, ".py")
        starts = [0, *(m.end() for m in re.finditer("\n", text))]
        for line in range(-1, 8):
            assert file.line_start(line) == (starts[line - 1] if 0 < line <= len(starts) else 0)
        for offset in range(len(text) + 1):
            assert file.line_of(offset) == text.count("\n", 0, offset) + 1


class _Named:
    name: str = "named"
    suffixes: frozenset[str] = frozenset({"nginx.conf", ".java"})
    triggers: tuple[str, ...] = ("x",)

    def __init__(self) -> None:
        self.read: list[str] = []

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        self.read.append(file.path)


def test_a_detector_reading_a_file_by_name_gets_it_whatever_its_suffix() -> None:
    detector = _Named()
    files = [SourceFile(p, "x", s) for p, s in (("a/nginx.conf", ".conf"), ("b/other.conf", ".conf"))]
    files.append(SourceFile("c/A.java", "x", ".java"))
    Registry((detector,)).run(files)
    assert detector.read == ["a/nginx.conf", "c/A.java"]
    assert [_reads(detector, f) for f in files] == [True, False, True]


def test_caps_in_a_batch_expire_alone_and_the_handler_is_restored_after() -> None:
    with batch_of_caps():
        with time_cap(0.05) as first:
            time.sleep(2)
        with time_cap(5) as second:
            pass
        assert signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None)  # held for the batch
    assert first.expired and not second.expired
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)


def test_scan_texts_gives_what_scan_calls_gives(tmp_path: Path) -> None:
    from fitness.collect.code.calls import scan_calls, scan_texts
    from fitness.collect.python.parse_cache import ParseCache

    files = {
        "a/x.py": '"""Docs at http://docs.acme.io/a"""\nAPI = "http://inventory:8080/items"\ndef f(:\n',
        "b/x.py": '"""See http://payments:9000/pay"""\nx = """\nhttp://orders:7000/o\n""".format(1)\n',
        "pkg/__init__.py": "",
        "pkg/m.py": 'def g():\n    """Calls http://shipping:8000/ship"""\n    s = """http://cart:7070/c"""\n',
        "pkg/deep.py": 'import requests\nURL = "http://stock:9999/s"\nrequests.get(URL)\n',
        "conf/app.yaml": "inventory:\n  url: http://inventory:8080\n",
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    paths = sorted(tmp_path / relative for relative in files)
    for python_ast in (True, False):
        expected = scan_calls(paths, tmp_path, None, ParseCache(), python_ast)
        got = scan_texts(files, str(tmp_path), ParseCache(), python_ast)
        assert (got.calls, got.messages, got.unresolved, got.warnings) == (
            expected.calls,
            expected.messages,
            expected.unresolved,
            expected.warnings,
        )
        hosts = {call.host for call in got.calls}
        assert "shipping" not in hosts and "cart" in hosts  # a docstring is prose, a string assigned is not
        assert any("a/x.py:3: syntax error" in warning for warning in got.warnings)

"""The call collector on bad input: nothing crashes and every skipped file is a warning."""

from __future__ import annotations

from pathlib import Path

from fitness.collect.code import calls
from fitness.collect.code.calls import scan_calls
from tests.conftest import WriteTree


def test_bad_files_are_skipped_with_a_warning_and_the_rest_is_scanned(
    write_tree: WriteTree, monkeypatch
) -> None:
    monkeypatch.setattr(calls, "MAX_BYTES", 20_000)
    root = write_tree(
        {
            "svc/broken.py": 'import requests\nURL = "http://inventory:8000"\ndef f(:\n',
            "svc/latin1.txt.py": b"\xff\xfe not utf-8 http://hidden:1\n",
            "svc/cookie.py": "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\nURL = 'http://payments:1'\n".encode(
                "latin-1"
            ),
            "svc/blob.json": b'{"url": "http://blob:1"}\x00\x01\x02',
            "svc/huge.yaml": "INVENTORY_URL: http://huge:1\n" + "# padding\n" * 2500,
            "svc/bundle.js": "var a=1;" * 1000 + 'fetch("http://minified:1")',
            "svc/empty.py": "",
            "svc/deep.py": "import requests\nrequests.get(" + "'a' + " * 3000 + "'http://deep:1')\n",
            "svc/ok.go": 'const inventoryURL = "http://orders:8080"\n',
        }
    )
    files = sorted(p for p in root.rglob("*") if p.is_file())
    result = scan_calls([*files, root / "svc/missing.py"], root)
    deep = [w for w in result.warnings if w.startswith("svc/deep.py")]
    assert len(deep) == 1  # the parser's own nesting limit (RecursionError or SyntaxError by version)
    assert [w for w in result.warnings if w not in deep] == [
        "skipped 2 minified, vendored or generated files: 1 larger than 20000 bytes, 1 minified "
        "(e.g. svc/bundle.js, svc/huge.yaml)",
        "svc/blob.json: binary file, skipped",
        "svc/broken.py:3: syntax error (invalid syntax); calls in code not analysed, text pass only",
        "svc/latin1.txt.py: not valid UTF-8, skipped",
        "svc/missing.py: cannot be read (No such file or directory), skipped",
    ]
    assert sorted((c.host, c.evidence.path, c.evidence.how) for c in result.calls) == [
        ("deep", "svc/deep.py", "source-text"),
        ("inventory", "svc/broken.py", "source-text"),
        ("orders", "svc/ok.go", "source-text"),
        ("payments", "svc/cookie.py", "source-text"),
    ]


def test_files_outside_the_root_are_skipped_with_a_warning(write_tree: WriteTree, tmp_path: Path) -> None:
    root = write_tree({"svc/a.yaml": "X_URL: http://inventory:1\n", "other/b.yaml": "Y_URL: http://pay:1\n"})
    result = scan_calls([root / "svc/a.yaml", root / "other/b.yaml"], root / "svc")
    assert [(c.host, c.evidence.path) for c in result.calls] == [("inventory", "a.yaml")]
    assert result.warnings == [
        f"{tmp_path / 'other/b.yaml'}: outside the analysed root {root / 'svc'}, skipped"
    ]


def test_relative_paths_duplicates_and_determinism(write_tree: WriteTree, monkeypatch) -> None:
    root = write_tree(
        {
            "b/client.py": "import requests\nrequests.get('http://inventory:1/x')\n",
            "a/config.yaml": "PAYMENTS_URL: http://payments:2\n",
        }
    )
    monkeypatch.chdir(root.parent)
    first = scan_calls([Path("b/client.py"), root / "a/config.yaml", root / "b/client.py"], root)
    second = scan_calls([root / "a/config.yaml", Path("b/client.py")], root)
    assert first == second
    assert [(c.host, c.evidence.path) for c in first.calls] == [
        ("inventory", "b/client.py"),
        ("payments", "a/config.yaml"),
    ]


def test_long_concatenations_and_self_references_do_not_crash(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "svc/long.py": (
                "import requests\n"
                "url = 'http://inventory:1'\n"
                "url = url + '/a'\n"
                "requests.get(url)\n"
                "requests.get('http://pricing:2' + " + " + ".join(["'/x'"] * 300) + ")\n"
                "class C:\n"
                "    def __init__(self):\n"
                "        self.u = self.u + '/x'\n"
                "    def f(self):\n"
                "        requests.get(self.u)\n"
            ),
        }
    )
    result = scan_calls(sorted(root.rglob("*.py")), root)
    assert result.warnings == []
    assert [(c.host, c.evidence.line, c.evidence.how) for c in result.calls] == [
        ("inventory", 4, "code"),
        ("pricing", 5, "code"),
    ]
    assert [(u.kind, u.evidence.line) for u in result.unresolved] == [("url", 10)]


def test_vendored_minified_and_generated_files_make_one_counted_warning(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "web/app.py": 'URL = "http://inventory:1"\n',
            "web/static/app.min.js": 'fetch("http://min:1")',
            "web/static/main.bundle.js": 'fetch("http://bundle:1")',
            "web/static/built.js": "var a=1;" * 1000 + 'fetch("http://built:1")',
            "web/node_modules/lib/index.js": 'fetch("http://npm:1")',
            "web/vendor/lib.php": '<?php $u = "http://vendored:1";',
            "web/package-lock.json": '{"resolved": "https://registry.npmjs.org/x"}',
            "web/poetry.lock": 'url = "https://pypi.org/simple"\n',
            "web/.git/config": 'url = "https://example.com/repo"\n',
        }
    )
    result = scan_calls(sorted(p for p in root.rglob("*") if p.is_file()), root)
    assert [c.host for c in result.calls] == ["inventory"]
    assert result.warnings == [
        "skipped 7 minified, vendored or generated files: 3 minified, 2 lock files, 2 vendored "
        "(e.g. web/node_modules/lib/index.js, web/package-lock.json, web/poetry.lock, ...)"
    ]


def test_fold_skipped_leaves_other_warnings_alone() -> None:
    warnings = ["a.py:1: syntax error", calls.Skipped("b.min.js", "minified"), "c.bin: binary file, skipped"]
    assert calls.fold_skipped(warnings) == [
        "a.py:1: syntax error",
        "c.bin: binary file, skipped",
        "skipped 1 minified, vendored or generated file: 1 minified (e.g. b.min.js)",
    ]
    assert calls.fold_skipped(["x"]) == ["x"]
    assert str(calls.Skipped("b.min.js", "minified")) == "b.min.js: minified, skipped"

"""Function and loop spans of a source file, for the files where a call, a message or a write was seen.

``spans(path, text)`` returns ``Interaction("function", name, evidence, end)`` for each function or
method body (evidence: its first line, decorators and annotations included in Python) and
``Interaction("loop", "for", evidence, end)`` for each loop body. Python is read with ``ast``
(functions, ``for``/``while``, comprehensions); Java, Kotlin, Go, JavaScript/TypeScript and C# with a
brace-aware scan that skips strings and comments: declarations ``Type name(...) {``, ``func (r) Name(...)
{``, ``function name(...) {``, ``fun name(...): T {``, lambdas ``=> {``; loops ``for (``, ``while (``,
``foreach (``, Go ``for ... {``, ``.forEach(``. The resolver asks only for files it needs, so a large
code base pays for the few files that hold a call, a message or a write.

It also returns ``Interaction("local-call", callee, evidence, line)`` for each call, inside a function, of
another function of the same file (``name(...)``, ``self.name(...)``, ``this.name(...)``), so that a
judgement can follow one level of helpers: a handler that calls ``self._save()`` and ``self._publish()``
writes and publishes as surely as one that does both itself.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from fitness.collect.code.detectors._scan import close_of, commented
from fitness.collect.python.parse_cache import ParseError, shared_parse
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.model.facts import Interaction

BRACE_SUFFIXES = frozenset(
    {".java", ".kt", ".scala", ".go", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".cs"}
)
_KEYWORDS = frozenset(
    {"if", "for", "while", "switch", "catch", "synchronized", "return", "else", "try", "using", "lock"}
    | {"foreach", "when", "func", "function", "fun", "new", "throw", "sizeof", "typeof", "await", "do"}
    | {"select", "case", "go", "defer", "super", "this", "elif", "with", "assert", "in", "of"}
)
_DECLARATION = re.compile(
    r"^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:async[ \t]+)?"
    r"(?:func[ \t]*(?:\([^()\n]*\)[ \t]*)?|function\*?[ \t]+|fun[ \t]+(?:<[^>\n]*>[ \t]*)?(?:\w+\.)?"
    r"|(?:[\w@<>\[\],.?:*&]+[ \t]+)*?)([A-Za-z_]\w*)[ \t]*(?:<[^>\n]*>)?\(",
    re.M,
)
_AFTER_PARAMS = re.compile(
    r"[ \t]*(?:\n[ \t]*)?(?:(?::|throws)[^;{}=\n]{0,160}|\([^;{}=\n]{0,120}\)|[\w*.\[\]]{1,80})?[ \t]*\{"
)
_ARROW = re.compile(r"=>\s*\{")
_LOOP = re.compile(
    r"\b(?:for|while|foreach)\b[ \t]*\(|^[ \t]*for\b[^{\n;]*(?:;[^{\n]*)?\{|\.forEach\s*\(", re.M
)


def spans(path: str, text: str) -> list[Interaction]:
    suffix = suffix_of(path)
    if suffix == ".py":
        return _python(SourceFile(path, text, suffix))
    if suffix in BRACE_SUFFIXES:
        return _braces(SourceFile(path, text, suffix))
    return []


def _python(file: SourceFile) -> list[Interaction]:
    try:
        tree = shared_parse(file.path, file.text)
    except ParseError:
        return []
    starts = [0, *(match.end() for match in re.finditer("\n", file.text))]

    def at(line: int) -> int:
        return starts[line - 1] if 0 < line <= len(starts) else 0

    found: list[Interaction] = []
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    names = {function.name for function in functions}
    for function in functions:
        found.extend(_python_local_calls(file, function, names, at))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            end = node.end_lineno or node.lineno
            found.append(Interaction("function", node.name, file.evidence(at(start), "code"), end))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            start = node.body[0].lineno if node.body else node.lineno
            found.append(
                Interaction("loop", "for", file.evidence(at(start), "code"), node.end_lineno or start)
            )
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            end = node.end_lineno or node.lineno
            found.append(Interaction("loop", "for", file.evidence(at(node.lineno), "code"), end))
    return found


def _python_local_calls(
    file: SourceFile,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    names: set[str],
    at: Callable[[int], int],
) -> Iterator[Interaction]:
    """Calls in ``function``'s body of functions defined in the same file (``f()``, ``self.f()``)."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        if isinstance(callee, ast.Name):
            name = callee.id
        elif isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name):
            name = callee.attr if callee.value.id in ("self", "cls") else ""
        else:
            continue
        if name in names and name != function.name:
            yield Interaction("local-call", name, file.evidence(at(node.lineno), "code"), node.lineno)


def _braces(file: SourceFile) -> list[Interaction]:
    text = file.text
    bodies = list(_functions(text))
    found = [
        Interaction("function", name, file.evidence(start, "code"), file.line_of(end))
        for start, end, name in bodies
    ]
    found.extend(_brace_local_calls(file, bodies))
    for match in _LOOP.finditer(text):
        if commented(text, match.start()):
            continue
        end = _loop_end(text, match)
        if end > 0:
            found.append(Interaction("loop", "for", file.evidence(match.start(), "code"), file.line_of(end)))
    return found


def _brace_local_calls(file: SourceFile, bodies: list[tuple[int, int, str]]) -> Iterator[Interaction]:
    """Calls in each function body of functions declared in the same file (``name(``, ``this.name(``)."""
    names = {name for _, _, name in bodies if name != "=>"}
    if not names:
        return
    called = re.compile(
        r"(?<![\w.])(?:this\.|self\.)?(" + "|".join(sorted(map(re.escape, names))) + r")\s*\("
    )
    text = file.text
    for start, end, caller in bodies:
        body = text.find("{", start, end)
        for match in called.finditer(text, body + 1 if body >= 0 else end, end):
            name = match.group(1)
            if name != caller and not commented(text, match.start()):
                line = file.line_of(match.start())
                yield Interaction("local-call", name, file.evidence(match.start(), "code"), line)


def _functions(text: str) -> Iterator[tuple[int, int, str]]:
    """(start offset, end offset, name) of every function or method body, and of ``=> {`` lambdas."""
    for match in _DECLARATION.finditer(text):
        name = match.group(1)
        if name in _KEYWORDS or commented(text, match.start(1)):
            continue
        close = close_of(text, match.end() - 1)
        if close < 0:
            continue
        after = _AFTER_PARAMS.match(text, close)
        if after is None:
            continue
        end = close_of(text, after.end() - 1)
        if end > 0:
            yield (match.start(1), end, name)
    for match in _ARROW.finditer(text):
        end = close_of(text, match.end() - 1)
        if end > 0:
            yield (match.start(), end, "=>")


def _loop_end(text: str, match: re.Match[str]) -> int:
    token = match.group(0)
    if token.endswith("("):
        close = close_of(text, match.end() - 1)
        if close < 0 or token.startswith(".forEach"):
            return close
        brace = re.match(r"\s*\{", text[close : close + 200])
        return close_of(text, close + brace.end() - 1) if brace else close
    return close_of(text, match.end() - 1)

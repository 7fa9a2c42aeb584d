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
from collections import deque
from collections.abc import Callable, Iterator

from fitness.collect.code.detectors._scan import close_of, commented
from fitness.collect.python.parse_cache import ParseError, shared_parse
from fitness.collect.python.pywalk import child_nodes
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
    at = file.line_start

    # one breadth-first walk (ast.walk's order) for the spans, and for each call the functions it lies
    # in: each function's local calls come out in the order a walk of that function alone gives (the
    # order of a breadth-first walk restricted to a subtree is the subtree's own)
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    calls: list[tuple[ast.Call, tuple[int, ...]]] = []
    spans_found: list[Interaction] = []
    todo: deque[tuple[ast.AST, tuple[int, ...]]] = deque([(tree, ())])  # node, the functions holding it
    while todo:
        node, held = todo.popleft()
        kind = node.__class__
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            end = node.end_lineno or node.lineno
            spans_found.append(Interaction("function", node.name, file.evidence(at(start), "code"), end))
            held = (*held, len(functions))
            functions.append(node)
        elif kind is ast.For or kind is ast.AsyncFor or kind is ast.While:
            assert isinstance(node, (ast.For, ast.AsyncFor, ast.While))
            start = node.body[0].lineno if node.body else node.lineno
            end = node.end_lineno or start
            spans_found.append(Interaction("loop", "for", file.evidence(at(start), "code"), end))
        elif kind in _COMPREHENSIONS:
            assert isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
            end = node.end_lineno or node.lineno
            spans_found.append(Interaction("loop", "for", file.evidence(at(node.lineno), "code"), end))
        elif kind is ast.Call and held:
            assert isinstance(node, ast.Call)
            calls.append((node, held))
        todo.extend((child, held) for child in child_nodes(node))
    names = {function.name for function in functions}
    by_function: list[list[ast.Call]] = [[] for _ in functions]
    for call, held in calls:
        for index in held:
            by_function[index].append(call)
    found: list[Interaction] = []
    for function, its_calls in zip(functions, by_function, strict=True):
        found.extend(_python_local_calls(file, function, its_calls, names, at))
    return found + spans_found


_COMPREHENSIONS = frozenset({ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp})


def _python_local_calls(
    file: SourceFile,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    calls: list[ast.Call],
    names: set[str],
    at: Callable[[int], int],
) -> Iterator[Interaction]:
    """Of the ``calls`` in ``function`` (nested functions included), those of functions defined in the
    same file (``f()``, ``self.f()``)."""
    for node in calls:
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

"""What the call collector knows about one Python module: one parse, one walk, then static resolution.

The walk records imports, name bindings per scope (assignments, ``with ... as``, parameter defaults and
annotations, ``self.x = ...`` in methods), every call, every function and class. Nothing is evaluated:
resolution follows names to the expressions bound to them and folds string literals, f-strings, ``+``,
``%``, ``str.format`` and ``os.environ.get/os.getenv`` defaults into a :class:`Str`, whose dynamic
parts keep their source text. Example::

    BASE = os.getenv("INVENTORY_URL", "http://inventory:8000")
    requests.get(f"{BASE}/items/{item_id}")
    # the URL resolves to  http://inventory:8000/items/{item_id}  (env INVENTORY_URL may override it)

Names imported from another module of the same scan (``from orders.config import BASE``) are looked up
in that module's top level. The walk that fills a PyModule is in :mod:`calls_pywalk`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from fitness.model.facts import Call, Message, Unresolved

Scope = tuple[str, ...]  # () is the module, ("Orders",) a class body, ("Orders", "place") a method
MAX_DEPTH = 40  # name -> value -> name ... hops, and nested expressions, followed before giving up
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx]")
_BRACES = re.compile(r"\{[^{}]*\}")


class Modules(Protocol):
    """The modules of one scan by dotted name (``calls_pywalk.Registry``)."""

    def get(self, name: str) -> PyModule | None: ...


class Binding(NamedTuple):
    """``value`` bound to a name on ``line`` in ``scope``; a str value is the qualname of an annotation."""

    line: int
    value: ast.expr | str
    scope: Scope


@dataclass
class ClassInfo:
    node: ast.ClassDef
    scope: Scope
    attrs: dict[str, list[Binding]] = field(default_factory=dict)  # class body names and self.x


class Ctx(NamedTuple):
    """Where an expression is resolved: its module, lexical scope, enclosing class and line."""

    module: PyModule
    scope: Scope
    cls: ClassInfo | None
    line: int


class FunctionInfo(NamedTuple):
    node: ast.FunctionDef | ast.AsyncFunctionDef
    ctx: Ctx  # the scope the function is defined in (decorators are evaluated there)


@dataclass
class Str:
    """A statically folded string: ``parts`` are (text, literal?); a dynamic part's text is its source."""

    parts: list[tuple[str, bool]]
    sources: set[tuple[str, int]] = field(default_factory=set)  # (path, line) of the literals used
    env: str = ""  # an environment variable that may override the value

    @property
    def literal(self) -> str | None:
        """The whole value when every part is literal."""
        return "".join(t for t, _ in self.parts) if all(lit for _, lit in self.parts) else None

    def render(self) -> str:
        """The value as written, dynamic parts in braces: ``http://inventory:8000/items/{item_id}``."""
        return "".join(t if lit else "{" + t + "}" for t, lit in self.parts)

    def __add__(self, other: Str) -> Str:
        return Str(self.parts + other.parts, self.sources | other.sources, self.env or other.env)


@dataclass
class Found:
    """What the Python detectors report, and the literals they used: ``consumed[(path, line)]`` holds
    the hosts whose URL literal on that line a Call already stands for (the text pass skips them)."""

    calls: list[Call] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    consumed: dict[tuple[str, int], set[str]] = field(default_factory=dict)


def dynamic(text: str, env: str = "") -> Str:
    return Str([(text[:80], False)], env=env)


@dataclass
class PyModule:
    path: str
    name: str
    lines: list[str]
    tree: ast.Module
    registry: Modules
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    scopes: dict[Scope, dict[str, list[Binding]]] = field(default_factory=dict)
    classes: dict[Scope, ClassInfo] = field(default_factory=dict)
    calls: list[tuple[ast.Call, Ctx]] = field(default_factory=list)
    functions: list[FunctionInfo] = field(default_factory=list)
    tasks: dict[str, str] | None = None  # Celery tasks defined here, filled by calls_python.task_names

    def text(self, line: int) -> str:
        return self.lines[line - 1].strip()[:200] if 0 < line <= len(self.lines) else ""

    def roots(self) -> set[str]:
        """Top-level packages imported (``{"requests", "kafka"}``)."""
        return {q.split(".")[0] for q in self.imports.values()}

    def qualname(self, expr: ast.expr, ctx: Ctx | None = None) -> str | None:
        """``r.get`` -> ``requests.get`` after ``import requests as r``; None unless the head is imported
        (and, given ``ctx``, not shadowed there by a parameter or an assignment)."""
        attrs: list[str] = []
        while isinstance(expr, ast.Attribute):
            attrs.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name) or expr.id not in self.imports:
            return None
        if ctx is not None and self.lookup(expr.id, ctx) is not None:
            return None
        return ".".join([self.imports[expr.id], *reversed(attrs)])

    # -- following names ------------------------------------------------------------------------

    def lookup(self, name: str, ctx: Ctx) -> tuple[Binding, Ctx] | None:
        """The binding of ``name`` seen from ``ctx``: innermost function scope first (last binding
        before the line), then enclosing scopes (last binding), skipping class bodies as Python does."""
        scope = ctx.scope
        innermost = True
        while True:
            if innermost or scope not in self.classes:
                found = self.scopes.get(scope, {}).get(name)
                if found:
                    before = [b for b in found if b.line < ctx.line] if innermost else found
                    if before:
                        return before[-1], self._ctx_of(before[-1])
            if not scope:
                return None
            scope, innermost = scope[:-1], False

    def _ctx_of(self, binding: Binding) -> Ctx:
        return Ctx(self, binding.scope, self._class_of(binding.scope), binding.line)

    def _class_of(self, scope: Scope) -> ClassInfo | None:
        for end in range(len(scope), 0, -1):
            if scope[:end] in self.classes:
                return self.classes[scope[:end]]
        return None

    def attribute(self, expr: ast.Attribute, ctx: Ctx) -> tuple[Binding, Ctx] | None:
        """``self.x`` / ``cls.x`` / ``ClassName.x`` in this module, or ``module.NAME`` of another module
        of the scan."""
        owner = expr.value
        cls: ClassInfo | None = None
        if isinstance(owner, ast.Name):
            cls = ctx.cls if owner.id in ("self", "cls") else self.classes.get((owner.id,))
        if cls is not None:
            found = cls.attrs.get(expr.attr)
            if found:
                return found[-1], self._ctx_of(found[-1])
            return None
        qual = self.qualname(expr)
        return self.external(qual) if qual else None

    def external(self, qual: str) -> tuple[Binding, Ctx] | None:
        """A top-level name of another module of this scan: ``orders.config.BASE``."""
        module_name, _, name = qual.rpartition(".")
        other = self.registry.get(module_name)
        if other is None or other is self:
            return None
        found = other.scopes.get((), {}).get(name)
        if not found:
            return None
        return found[-1], other._ctx_of(found[-1])

    def follow(self, expr: ast.expr, ctx: Ctx, depth: int = 0) -> tuple[ast.expr | str, Ctx]:
        """Strip ``await`` and follow names to the value bound to them (a call, usually)."""
        while depth < MAX_DEPTH:
            depth += 1
            if isinstance(expr, ast.Await):
                expr = expr.value
                continue
            found: tuple[Binding, Ctx] | None = None
            if isinstance(expr, ast.Name):
                found = self.lookup(expr.id, ctx)
                if found is None and expr.id in self.imports:
                    found = self.external(self.imports[expr.id])
            elif isinstance(expr, ast.Attribute):
                found = self.attribute(expr, ctx)
            if found is None:
                return expr, ctx
            binding, ctx = found
            if isinstance(binding.value, str):
                return binding.value, ctx
            expr = binding.value
            if ctx.module is not self:
                return ctx.module.follow(expr, ctx, depth)
        return expr, ctx

    # -- folding strings ------------------------------------------------------------------------

    def resolve_str(self, expr: ast.expr, ctx: Ctx, depth: int = 0) -> Str:
        if depth > MAX_DEPTH:
            return dynamic(_source(expr))
        depth += 1
        if isinstance(expr, ast.Constant):
            if isinstance(expr.value, str):
                lines = range(expr.lineno, (expr.end_lineno or expr.lineno) + 1)
                return Str([(expr.value, True)], {(self.path, n) for n in lines})
            return dynamic(_source(expr))
        if isinstance(expr, ast.JoinedStr):
            return self._fstring(expr, ctx, depth)
        if isinstance(expr, ast.BinOp):
            return self._binop(expr, ctx, depth)
        if isinstance(expr, ast.Call):
            return self._call(expr, ctx, depth)
        if isinstance(expr, ast.Subscript):
            if self.qualname(expr.value) == "os.environ":
                name = expr.slice.value if isinstance(expr.slice, ast.Constant) else ""
                return dynamic(_source(expr), env=str(name))
            return dynamic(_source(expr))
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            first = self.resolve_str(expr.values[0], ctx, depth)
            last = self.resolve_str(expr.values[-1], ctx, depth)
            return Str(last.parts, last.sources, first.env or last.env) if first.env else first
        if isinstance(expr, (ast.Name, ast.Attribute)):
            return self._name(expr, ctx, depth)
        return dynamic(_source(expr))

    def _name(self, expr: ast.Name | ast.Attribute, ctx: Ctx, depth: int) -> Str:
        if isinstance(expr, ast.Name):
            found = self.lookup(expr.id, ctx)
            if found is None and expr.id in self.imports:
                found = self.external(self.imports[expr.id])
        else:
            found = self.attribute(expr, ctx)
        if found is None or isinstance(found[0].value, str):
            return dynamic(_source(expr))
        value, where = found[0].value, found[1]
        return where.module.resolve_str(value, where, depth)

    def _fstring(self, expr: ast.JoinedStr, ctx: Ctx, depth: int) -> Str:
        result = Str([])
        for value in expr.values:
            if isinstance(value, ast.FormattedValue) and value.format_spec is None:
                result = result + self.resolve_str(value.value, ctx, depth)
            elif isinstance(value, ast.FormattedValue):
                result = result + dynamic(_source(value.value))
            else:
                result = result + self.resolve_str(value, ctx, depth)
        if result.parts and all(lit for _, lit in result.parts):
            result.sources.update((self.path, n) for n in range(expr.lineno, (expr.end_lineno or 0) + 1))
        return result

    def _binop(self, expr: ast.BinOp, ctx: Ctx, depth: int) -> Str:
        if isinstance(expr.op, ast.Add):  # a + b + c nests to the left: flatten, do not recurse
            operands: list[ast.expr] = [expr.right]
            left = expr.left
            while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
                operands.append(left.right)
                left = left.left
            operands.append(left)
            result = Str([])
            for operand in reversed(operands):
                result = result + self.resolve_str(operand, ctx, depth)
            return result
        if isinstance(expr.op, ast.Mod):
            template = self.resolve_str(expr.left, ctx, depth)
            return _template(template, _PERCENT) if template.literal is not None else template
        return dynamic(_source(expr))

    def _call(self, expr: ast.Call, ctx: Ctx, depth: int) -> Str:
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "format":
            template = self.resolve_str(func.value, ctx, depth)
            if template.literal is not None:
                return _template(template, _BRACES)
        qual = self.qualname(func)
        is_env = qual in ("os.getenv", "os.environ.get")
        if isinstance(func, ast.Attribute) and func.attr == "get":
            is_env = is_env or self.qualname(func.value) == "os.environ"
        if is_env and expr.args and isinstance(expr.args[0], ast.Constant):
            name = str(expr.args[0].value)
            default = expr.args[1] if len(expr.args) > 1 else keyword(expr, "default")
            if default is None or (isinstance(default, ast.Constant) and default.value is None):
                return dynamic(_source(expr), env=name)
            found = self.resolve_str(default, ctx, depth)
            return Str(found.parts, found.sources, name)
        if qual == "builtins.str" or (
            isinstance(func, ast.Name) and func.id == "str" and len(expr.args) == 1
        ):
            return self.resolve_str(expr.args[0], ctx, depth)
        return dynamic(_source(expr))


def _template(template: Str, placeholder: re.Pattern[str]) -> Str:
    text = template.literal or ""
    parts: list[tuple[str, bool]] = []
    end = 0
    for match in placeholder.finditer(text):
        parts.append((text[end : match.start()], True))
        parts.append((match.group(0).strip("{}") or "...", False))
        end = match.end()
    parts.append((text[end:], True))
    return Str([p for p in parts if p[0] or not p[1]], template.sources, template.env)


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    """The argument passed by keyword ``name`` or at position ``index``."""
    found = keyword(call, name)
    if found is not None:
        return found
    args = call.args
    if index < len(args) and not any(isinstance(a, ast.Starred) for a in args[: index + 1]):
        return args[index]
    return None


def _source(expr: ast.AST) -> str:
    try:
        return ast.unparse(expr)
    except (ValueError, RecursionError):  # pragma: no cover - unparse of a parsed tree
        return "..."

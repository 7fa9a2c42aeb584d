"""The one walk over a parsed Python module that fills a :class:`PyModule`, and the registry of the
modules of one scan (parsed lazily when only their constants or tasks are needed)."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

from fitness.collect.python.nesting import ExpressionTooDeep
from fitness.collect.python.parse_cache import ParseCache, parse
from fitness.collect.python.pymodel import Binding, ClassInfo, Ctx, FunctionInfo, PyModule, Scope


class Registry:
    """The Python modules of one scan by dotted name. A module not analysed for calls is parsed the
    first time another module needs one of its constants or tasks, and then only its top level."""

    def __init__(self, warnings: list[str], trees: ParseCache | None = None) -> None:
        self.warnings = warnings
        self.trees = trees
        self._built: dict[str, PyModule | None] = {}
        self._sources: dict[str, tuple[str, str]] = {}  # name -> (path, text)

    def add_source(self, name: str, path: str, text: str) -> None:
        self._sources.setdefault(name, (path, text))

    def add(self, name: str, path: str, module: PyModule | None) -> None:
        """The result of parsing ``path`` (None: it failed, do not try again)."""
        if self._sources.get(name, (path,))[0] == path:
            self._built[name] = module

    def tree(self, name: str, path: str) -> ast.Module | None:
        """The tree of module ``name`` if its source is ``path`` (None otherwise, or if it does not
        parse), without walking it when no scan has: what :meth:`get` would give as ``.tree``."""
        if name not in self._built and self._sources.get(name, ("",))[0] == path:
            return parse_tree(*self._sources[name], self)  # (not kept: the trees cache keeps the parse)
        module = self.get(name)
        return module.tree if module is not None and module.path == path else None

    def get(self, name: str) -> PyModule | None:
        if name not in self._built:
            source = self._sources.get(name)
            self._built[name] = parse_module(*source, name, self, shallow=True) if source else None
        return self._built[name]


def parse_module(
    path: str, text: str, name: str, registry: Registry, *, shallow: bool = False
) -> PyModule | None:
    """Parse and walk one module; a syntax error is a warning (``path:line``) and None."""
    tree = parse_tree(path, text, registry)
    return None if tree is None else build_module(path, name, text, tree, registry, shallow=shallow)


def parse_tree(path: str, text: str, registry: Registry) -> ast.Module | None:
    """The tree of one module; a syntax error is a warning (``path:line``) and None."""
    try:
        return parse(path, text, registry.trees)
    except SyntaxError as error:
        where = f"{path}:{error.lineno}" if error.lineno else path
        registry.warnings.append(
            f"{where}: syntax error ({error.msg}); calls in code not analysed, text pass only"
        )
        return None
    except ExpressionTooDeep as error:
        registry.warnings.append(f"{path}:{error.found.line}: {error.found.reason()}")  # as the import scan
        return None
    except (ValueError, RecursionError, MemoryError) as error:
        registry.warnings.append(f"{path}: cannot be parsed ({type(error).__name__}); text pass only")
        return None


def build_module(
    path: str, name: str, source: str, tree: ast.Module, registry: Registry, *, shallow: bool = False
) -> PyModule:
    """Record imports, bindings, calls, functions and classes of ``tree`` in one pass (no recursion, so
    deeply nested expressions cannot overflow the stack). ``shallow`` reads the top level only: the
    imports, constants, classes and decorated functions other modules may ask for."""
    module = PyModule(path, name, source.splitlines(), tree, registry)
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    # depth first in source order, so that imports are known before the annotations that use them
    stack: list[tuple[ast.AST, Scope, ClassInfo | None]] = [(n, (), None) for n in reversed(tree.body)]
    while stack:
        node, scope, cls = stack.pop()
        kind = type(node)
        if kind is ast.Call:
            assert isinstance(node, ast.Call)
            module.calls.append((node, Ctx(module, scope, cls, node.lineno)))
        elif kind is ast.Import:
            assert isinstance(node, ast.Import)
            for alias in node.names:
                head = alias.name.split(".")[0]
                module.imports[alias.asname or head] = alias.name if alias.asname else head
            continue
        elif kind is ast.ImportFrom:
            assert isinstance(node, ast.ImportFrom)
            _import_from(module, node, package)
            continue
        elif kind is ast.ClassDef:
            assert isinstance(node, ast.ClassDef)
            inner = (*scope, node.name)
            info = module.classes[inner] = ClassInfo(node, inner)
            stack.extend((n, inner, info) for n in reversed(node.body))
            if not shallow:
                stack.extend((n, scope, cls) for n in (*node.decorator_list, *node.bases, *node.keywords))
            continue
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            _function(module, node, scope, cls, stack, shallow)
            continue
        elif kind is ast.Assign or kind is ast.AnnAssign:
            assert isinstance(node, (ast.Assign, ast.AnnAssign))
            if node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    _bind(module, target, node.value, scope, cls, node.lineno)
        elif kind is ast.With or kind is ast.AsyncWith:
            assert isinstance(node, (ast.With, ast.AsyncWith))
            for item in node.items:
                if item.optional_vars is not None:
                    _bind(module, item.optional_vars, item.context_expr, scope, cls, node.lineno)
        children = child_nodes(node)
        if shallow:  # statements only: constants under `if`/`try` at the top level still count
            children = [c for c in children if isinstance(c, (ast.stmt, ast.excepthandler))]
        stack.extend((child, scope, cls) for child in reversed(children))
    for names in (*module.scopes.values(), *(c.attrs for c in module.classes.values())):
        for bindings in names.values():
            bindings.sort(key=lambda b: b.line)
    module.calls.sort(key=lambda c: (c[0].lineno, c[0].col_offset))
    module.functions.sort(key=lambda f: f.node.lineno)
    return module


def _subclasses(*roots: type) -> frozenset[type]:
    found: set[type] = set()
    todo = list(roots)
    while todo:
        kind = todo.pop()
        found.add(kind)
        todo.extend(kind.__subclasses__())
    return frozenset(found)


# nodes that hold nothing the walk looks for; skipping them halves the nodes visited
_LEAVES = _subclasses(
    ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.Name, ast.Constant, ast.alias
) | {ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal}


_NOT_NODES = _LEAVES | {str, int, float, complex, bytes, bool, type(None), type(...)}


def walk(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``tree`` in ``ast.walk``'s order (breadth first), leaves that hold no other node
    (names, constants, operators, ``pass``: :data:`_NOT_NODES`) left out, so the same order for every
    node that can hold a call, a function or a loop, in about half of ``ast.walk``'s time."""
    todo = deque([tree])
    pop, extend = todo.popleft, todo.extend
    while todo:
        node = pop()
        yield node
        extend(child_nodes(node))


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The children of ``node`` that can hold another node, in ``ast.iter_child_nodes``'s order; the
    fields that only ever hold a name, a number or an operator are not read."""
    kind = node.__class__
    names = _NODE_FIELDS.get(kind)
    if names is None:
        names = _NODE_FIELDS[kind] = tuple(n for n in kind._fields if n not in _NAME_FIELDS)
    out: list[ast.AST] = []
    for name in names:
        value = getattr(node, name, None)
        if value.__class__ is list:
            out += [item for item in value if item.__class__ not in _NOT_NODES]
        elif value.__class__ not in _NOT_NODES:
            out.append(value)  # type: ignore[arg-type]
    return out


_NAME_FIELDS = frozenset(
    {"id", "attr", "name", "arg", "module", "level", "kind", "conversion", "simple", "is_async", "tag"}
    | {"type_comment", "ctx", "op", "ops"}
)
"""Fields of ``ast`` nodes that hold an identifier, a number, a string or an operator, never a node
that can hold another."""
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}


def _import_from(module: PyModule, node: ast.ImportFrom, package: str) -> None:
    base = node.module or ""
    if node.level:
        parts = package.split(".") if package else []
        parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        base = ".".join([*parts, *([node.module] if node.module else [])])
    for alias in node.names:
        if alias.name != "*":
            module.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name


def _function(
    module: PyModule,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    scope: Scope,
    cls: ClassInfo | None,
    stack: list[tuple[ast.AST, Scope, ClassInfo | None]],
    shallow: bool,
) -> None:
    module.functions.append(FunctionInfo(node, Ctx(module, scope, cls, node.lineno)))
    inner = (*scope, node.name)
    body_cls = module.classes.get(scope, cls)
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip([*positional, *args.kwonlyargs], [*defaults, *args.kw_defaults], strict=False):
        annotation = _annotation(module, arg.annotation) if arg.annotation is not None else None
        value: ast.expr | str = annotation or default or ""  # "" = a parameter we know nothing of
        module.scopes.setdefault(inner, {}).setdefault(arg.arg, []).append(Binding(node.lineno, value, inner))
    if shallow:
        return
    outer = [*node.decorator_list, *args.defaults, *(d for d in args.kw_defaults if d is not None)]
    stack.extend((n, inner, body_cls) for n in reversed(node.body))
    stack.extend((n, scope, cls) for n in outer)


def _annotation(module: PyModule, expr: ast.expr) -> str | None:
    """The class an annotation names: ``httpx.AsyncClient``, ``AsyncClient | None``,
    ``Optional[AsyncClient]``."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _annotation(module, expr.left) or _annotation(module, expr.right)
    if isinstance(expr, ast.Subscript) and module.qualname(expr.value) in ("typing.Optional", "typing.Union"):
        inner = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        return next((q for q in (_annotation(module, e) for e in inner) if q), None)
    return module.qualname(expr)


def _bind(
    module: PyModule, target: ast.expr, value: ast.expr, scope: Scope, cls: ClassInfo | None, line: int
) -> None:
    if isinstance(target, ast.Name):
        module.scopes.setdefault(scope, {}).setdefault(target.id, []).append(Binding(line, value, scope))
        if cls is not None and scope == cls.scope:
            cls.attrs.setdefault(target.id, []).append(Binding(line, value, scope))
    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        if target.value.id in ("self", "cls") and cls is not None:
            cls.attrs.setdefault(target.attr, []).append(Binding(line, value, scope))
    elif (
        isinstance(target, (ast.Tuple, ast.List))
        and isinstance(value, (ast.Tuple, ast.List))
        and len(target.elts) == len(value.elts)
    ):
        for sub_target, sub_value in zip(target.elts, value.elts, strict=True):
            _bind(module, sub_target, sub_value, scope, cls, line)


def docstring_lines(tree: ast.Module) -> set[int]:
    """Lines inside string statements (docstrings and bare strings): prose, not configuration.
    Only statements are visited, never expressions."""
    lines: set[int] = set()
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            if isinstance(node.value.value, str):
                lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
            continue
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(node, name, None)
            if type(block) is list:
                for child in block:
                    todo.extend(
                        child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child]
                    )
    return lines

"""The built-in renderer: runs a chart's parsed templates with its values, as Go templates would.

Control flow (if/with/range/break/continue), variables, pipelines, ``include``/``template``/``tpl``;
an expression it does not understand renders as empty and is counted, and the steps and output of
one chart are bounded, so any template renders in bounded time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fitness.collect.manifests.helm.functions import FUNCTIONS
from fitness.collect.manifests.helm.govalues import go_str, resolve, small, truthy
from fitness.collect.manifests.helm.lexer import ParseError
from fitness.collect.manifests.helm.limits import (
    ERRORS,
    MAX_INCLUDE_DEPTH,
    MAX_OUTPUT,
    MAX_STEPS,
    NOTHING,
    Break,
    Continue,
    TooLarge,
    Unsupported,
)
from fitness.collect.manifests.helm.parser import (
    Action,
    Call,
    Field,
    Fn,
    If,
    Lit,
    Node,
    Operand,
    Parser,
    Pipe,
    Range,
    Sub,
    Text,
    Var,
)
from fitness.collect.manifests.helm.values import chart_templates
from fitness.collect.manifests.yaml_lines import relative


@dataclass
class Chunk:
    """Rendered text of one template file."""

    template: Path
    text: str


class Renderer:
    """Renders one chart (and its subcharts) with values.yaml; counts what it does not understand."""

    def __init__(self, root: Path, label: str, warnings: list[str]) -> None:
        self.root = root
        self.label = label
        self.warnings = warnings
        self.defines: dict[str, list[Node]] = {}
        self.unsupported = 0
        self.steps = 0
        self.output = 0
        self.tpl_cache: dict[str, list[Node]] = {}

    def render(self, chart: Path, meta: dict[str, Any], name: str) -> list[Chunk]:
        """The rendered text of each template of ``chart`` (helpers and NOTES.txt left out)."""
        templates = chart_templates(chart, meta, name, self.root, self.label, self.warnings, self.defines)
        chunks: list[Chunk] = []
        for template in templates:
            if template.path.name.startswith("_") or template.path.name == "NOTES.txt":
                continue
            out: list[str] = []
            context = template.context
            try:
                self._run(template.nodes, context, [{"$": context}], out, 0)
            except (Break, Continue):
                self.unsupported += 1
            except TooLarge:
                self.warnings.append(
                    f"{self.label}: rendering stopped at "
                    f"{relative(template.path, self.root)} (output or work over its bound)"
                )
                break
            except RecursionError:
                self.unsupported += 1
                continue
            text = "".join(out)
            if text.strip():
                chunks.append(Chunk(template.path, text))
        return chunks

    def _run(
        self, nodes: list[Node], dot: Any, scopes: list[dict[str, Any]], out: list[str], depth: int
    ) -> None:
        for node in nodes:
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise TooLarge
            if isinstance(node, Text):
                self._write(out, node.text)
            elif isinstance(node, Action):
                try:
                    value = self._pipe(node.pipe, dot, scopes, depth)
                    text = "" if node.pipe.decl else go_str(value)
                except (Unsupported, *ERRORS):
                    self.unsupported += 1
                    continue
                self._write(out, text)
            elif isinstance(node, If):
                self._conditional(node, dot, scopes, out, depth)
            elif isinstance(node, Range):
                self._range(node, dot, scopes, out, depth)
            elif isinstance(node, Call):
                try:
                    argument = self._pipe(node.pipe, dot, scopes, depth) if node.pipe else None
                    self._write(out, self._include(node.name, argument, depth))
                except Unsupported:
                    self.unsupported += 1
            else:
                raise Break if node.word == "break" else Continue

    def _write(self, out: list[str], text: str) -> None:
        self.output += len(text)
        if self.output > MAX_OUTPUT:
            raise TooLarge
        out.append(text)

    def _conditional(
        self, node: If, dot: Any, scopes: list[dict[str, Any]], out: list[str], depth: int
    ) -> None:
        for kind, pipe, body in node.branches:
            try:
                value = self._pipe(pipe, dot, scopes, depth)
            except Unsupported:
                self.unsupported += 1
                value = None
            if truthy(value):
                scopes.append({})
                try:
                    self._run(body, value if kind == "with" else dot, scopes, out, depth)
                finally:
                    scopes.pop()
                return
        scopes.append({})
        try:
            self._run(node.otherwise, dot, scopes, out, depth)
        finally:
            scopes.pop()

    def _range(self, node: Range, dot: Any, scopes: list[dict[str, Any]], out: list[str], depth: int) -> None:
        try:
            value = self._pipe(node.pipe, dot, scopes, depth, declare=False)
            items = _items(value)
        except Unsupported:
            self.unsupported += 1
            items = []
        if not items:
            scopes.append({})
            try:
                self._run(node.otherwise, dot, scopes, out, depth)
            finally:
                scopes.pop()
            return
        names = node.pipe.decl
        for key, element in items:
            scope: dict[str, Any] = {}
            if len(names) == 2:
                scope[names[0]], scope[names[1]] = key, element
            elif names:
                scope[names[0]] = element
            scopes.append(scope)
            try:
                self._run(node.body, element, scopes, out, depth)
            except Break:
                break
            except Continue:
                continue
            finally:
                scopes.pop()

    def _include(self, name: Any, argument: Any, depth: int) -> str:
        body = self.defines.get(name) if isinstance(name, str) else None
        if body is None or depth >= MAX_INCLUDE_DEPTH:
            raise Unsupported
        out: list[str] = []
        try:
            self._run(body, argument, [{"$": argument}], out, depth + 1)
        except (Break, Continue) as error:
            raise Unsupported from error
        return "".join(out)

    def _tpl(self, text: Any, argument: Any, depth: int) -> str:
        if not isinstance(text, str) or depth >= MAX_INCLUDE_DEPTH:
            raise Unsupported
        nodes = self.tpl_cache.get(text)
        if nodes is None:
            try:
                nodes = Parser(text, self.defines).parse()
            except (ParseError, RecursionError) as error:
                raise Unsupported from error
            self.tpl_cache[text] = nodes
        out: list[str] = []
        try:
            self._run(nodes, argument, [{"$": argument}], out, depth + 1)
        except (Break, Continue) as error:
            raise Unsupported from error
        return "".join(out)

    def _pipe(
        self, pipe: Pipe, dot: Any, scopes: list[dict[str, Any]], depth: int, declare: bool = True
    ) -> Any:
        value: Any = NOTHING
        for cmd in pipe.cmds:
            value = self._cmd(cmd, dot, scopes, depth, value)
        if declare and pipe.decl:
            name = pipe.decl[0]
            if pipe.assign:
                for scope in reversed(scopes):
                    if name in scope:
                        scope[name] = value
                        break
                else:
                    scopes[-1][name] = value
            else:
                scopes[-1][name] = value
        return value

    def _cmd(self, cmd: list[Operand], dot: Any, scopes: list[dict[str, Any]], depth: int, piped: Any) -> Any:
        head, rest = cmd[0], cmd[1:]
        if isinstance(head, Fn):
            name = head.name
            if name in ("and", "or"):
                return self._logic(name == "and", rest, dot, scopes, depth, piped)
            args = [self._operand(arg, dot, scopes, depth) for arg in rest]
            if piped is not NOTHING:
                args.append(piped)
            if name in ("include", "template") and len(args) in (1, 2):
                return self._include(args[0], args[1] if len(args) == 2 else None, depth)
            if name == "tpl" and len(args) == 2:
                return self._tpl(args[0], args[1], depth)
            function = FUNCTIONS.get(name)
            if function is None:
                raise Unsupported
            try:
                return small(function(*args))
            except ERRORS as error:
                raise Unsupported from error
        if not rest and piped is NOTHING:
            return self._operand(head, dot, scopes, depth)
        target = self._operand(head, dot, scopes, depth)
        if not callable(target):
            raise Unsupported  # arguments given to something that is not a function
        args = [self._operand(arg, dot, scopes, depth) for arg in rest]
        if piped is not NOTHING:
            args.append(piped)
        try:
            return small(target(*args))
        except ERRORS as error:
            raise Unsupported from error

    def _logic(
        self,
        is_and: bool,
        rest: list[Operand],
        dot: Any,
        scopes: list[dict[str, Any]],
        depth: int,
        piped: Any,
    ) -> Any:
        operands: list[Operand] = list(rest)
        if piped is not NOTHING:
            operands.append(Lit(piped))
        if not operands:
            raise Unsupported
        value: Any = None
        for operand in operands:  # evaluated one by one: and/or stop at the first that decides
            value = self._operand(operand, dot, scopes, depth)
            if truthy(value) != is_and:
                return value
        return value

    def _operand(self, operand: Operand, dot: Any, scopes: list[dict[str, Any]], depth: int) -> Any:
        if isinstance(operand, Lit):
            return operand.value
        if isinstance(operand, Field):
            return resolve(dot, operand.names)
        if isinstance(operand, Var):
            for scope in reversed(scopes):
                if operand.name in scope:
                    return resolve(scope[operand.name], operand.names)
            raise Unsupported  # undefined variable
        if isinstance(operand, Sub):
            return resolve(self._pipe(operand.pipe, dot, scopes, depth), operand.names)
        return self._cmd([operand], dot, scopes, depth, NOTHING)  # a function without arguments


def _items(value: Any) -> list[tuple[Any, Any]]:
    """What ``range`` goes over: a map's pairs by key, a list's items by index, or 0..n-1."""
    if value is None or value is NOTHING:
        return []
    if isinstance(value, dict):
        return [(key, value[key]) for key in sorted(value, key=str)]
    if isinstance(value, (list, tuple)):
        return list(enumerate(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return [(index, index) for index in range(min(value, MAX_STEPS))]
    raise Unsupported

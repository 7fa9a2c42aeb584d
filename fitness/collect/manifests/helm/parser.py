"""Go template tokens to a tree of nodes the evaluator runs.

Actions, pipelines and the control words (if/else if/with/range/define/block/template/break/continue)
become plain dataclasses, so the evaluator needs no knowledge of the syntax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fitness.collect.manifests.helm.lexer import ParseError, Token, lex, parse_number, tokenize, unquote


@dataclass
class Lit:
    value: Any


@dataclass
class Fn:
    name: str


@dataclass
class Field:
    names: list[str]


@dataclass
class Var:
    name: str
    names: list[str]


@dataclass
class Sub:
    pipe: Pipe
    names: list[str]


Operand = Lit | Fn | Field | Var | Sub


@dataclass
class Pipe:
    cmds: list[list[Operand]]
    decl: list[str] = field(default_factory=list)
    assign: bool = False


@dataclass
class Text:
    text: str


@dataclass
class Action:
    pipe: Pipe


@dataclass
class If:
    branches: list[tuple[str, Pipe, list[Node]]]  # ("if" | "with", condition, body)
    otherwise: list[Node]


@dataclass
class Range:
    pipe: Pipe
    body: list[Node]
    otherwise: list[Node]


@dataclass
class Call:
    name: str
    pipe: Pipe | None


@dataclass
class Control:
    word: str


Node = Text | Action | If | Range | Call | Control


class Parser:
    """Go template text to nodes; ``define`` bodies go to ``defines``."""

    def __init__(self, text: str, defines: dict[str, list[Node]]) -> None:
        self.items = lex(text)
        self.index = 0
        self.defines = defines

    def parse(self) -> list[Node]:
        nodes, _, _ = self._list(inside=False)
        return nodes

    def _list(self, inside: bool) -> tuple[list[Node], str, list[Token]]:
        nodes: list[Node] = []
        while self.index < len(self.items):
            item = self.items[self.index]
            self.index += 1
            if isinstance(item, str):
                if item:
                    nodes.append(Text(item))
                continue
            tokens = tokenize(item[0])
            if not tokens:
                raise ParseError("empty action {{ }}")
            word = tokens[0].text if tokens[0].kind == "ident" else ""
            if word in ("end", "else"):
                if not inside:
                    raise ParseError(f"unexpected {{{{ {word} }}}}")
                return nodes, word, tokens[1:]
            if word in ("if", "with"):
                nodes.append(self._conditional(word, tokens[1:]))
            elif word == "range":
                pipe = _parse_pipe(tokens[1:])
                body, end, rest = self._list(inside=True)
                otherwise: list[Node] = []
                if end == "else":
                    if rest:
                        raise ParseError("else if in a range")
                    otherwise, end, _ = self._list(inside=True)
                if end != "end":
                    raise ParseError("range without end")
                nodes.append(Range(pipe, body, otherwise))
            elif word in ("define", "block"):
                if len(tokens) < 2 or tokens[1].kind not in ("str", "raw"):
                    raise ParseError(f"{word} without a name")
                name = unquote(tokens[1])
                body, end, _ = self._list(inside=True)
                if end != "end":
                    raise ParseError(f"{word} without end")
                self.defines[name] = body
                if word == "block":
                    nodes.append(Call(name, _parse_pipe(tokens[2:]) if tokens[2:] else None))
            elif word == "template":
                if len(tokens) < 2 or tokens[1].kind not in ("str", "raw"):
                    raise ParseError("template without a name")
                nodes.append(Call(unquote(tokens[1]), _parse_pipe(tokens[2:]) if tokens[2:] else None))
            elif word in ("break", "continue"):
                nodes.append(Control(word))
            else:
                nodes.append(Action(_parse_pipe(tokens)))
        if inside:
            raise ParseError("missing {{ end }}")
        return nodes, "", []

    def _conditional(self, word: str, tokens: list[Token]) -> If:
        branches: list[tuple[str, Pipe, list[Node]]] = []
        otherwise: list[Node] = []
        kind, pipe = word, _parse_pipe(tokens)
        while True:
            body, end, rest = self._list(inside=True)
            branches.append((kind, pipe, body))
            if end == "end":
                break
            if rest and rest[0].kind == "ident" and rest[0].text in ("if", "with"):
                kind, pipe = rest[0].text, _parse_pipe(rest[1:])
                continue
            if rest:
                raise ParseError("unexpected words after else")
            otherwise, end, _ = self._list(inside=True)
            if end != "end":
                raise ParseError("else after else")
            break
        return If(branches, otherwise)


def _parse_pipe(tokens: list[Token]) -> Pipe:
    if not tokens:
        raise ParseError("missing value")
    decl: list[str] = []
    assign = False
    first = tokens[0]
    if first.kind == "var" and "." not in first.text and len(tokens) > 1:
        if tokens[1].kind in ("declare", "assign"):
            decl, assign, tokens = [first.text], tokens[1].kind == "assign", tokens[2:]
        elif (
            len(tokens) > 3
            and tokens[1].kind == "comma"
            and tokens[2].kind == "var"
            and tokens[3].kind == "declare"
        ):
            decl, tokens = [first.text, tokens[2].text], tokens[4:]
    stream = _Stream(tokens)
    cmds = _parse_cmds(stream, in_paren=False)
    if stream.pos != len(tokens):
        raise ParseError(f"unexpected {tokens[stream.pos].text!r}")
    return Pipe(cmds, decl, assign)


@dataclass
class _Stream:
    tokens: list[Token]
    pos: int = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self) -> Token:
        token = self.peek()
        if token is None:
            raise ParseError("unexpected end of action")
        self.pos += 1
        return token


def _parse_cmds(stream: _Stream, in_paren: bool) -> list[list[Operand]]:
    cmds: list[list[Operand]] = []
    current: list[Operand] = []
    while (token := stream.peek()) is not None:
        if token.kind == "pipe":
            if not current:
                raise ParseError("missing command before |")
            cmds.append(current)
            current = []
            stream.next()
        elif token.kind == "rparen":
            if not in_paren:
                raise ParseError("unexpected )")
            break
        else:
            current.append(_parse_operand(stream))
    if not current:
        raise ParseError("missing value")
    cmds.append(current)
    return cmds


def _parse_operand(stream: _Stream) -> Operand:
    try:
        return _operand(stream)
    except ValueError as error:  # 0x_, \U0011ffff
        raise ParseError(f"bad literal ({error})") from error


def _operand(stream: _Stream) -> Operand:
    token = stream.next()
    kind = token.kind
    if kind in ("str", "raw", "char"):
        return Lit(unquote(token))
    if kind == "num":
        return Lit(parse_number(token.text))
    if kind == "ident":
        constants = {"true": True, "false": False, "nil": None}
        return Lit(constants[token.text]) if token.text in constants else Fn(token.text)
    if kind == "field":
        return Field([name for name in token.text.split(".") if name])
    if kind == "var":
        name, *names = token.text.split(".")
        return Var(name, names)
    if kind == "lparen":
        pipe = Pipe(_parse_cmds(stream, in_paren=True))
        close = stream.next()
        if close.kind != "rparen":
            raise ParseError("missing )")
        after = stream.peek()
        if after is not None and after.kind == "field" and after.start == close.end:
            stream.next()
            return Sub(pipe, [name for name in after.text.split(".") if name])
        return Sub(pipe, [])
    raise ParseError(f"unexpected {token.text!r}")

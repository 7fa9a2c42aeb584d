"""A small protobuf parser: enough of a ``.proto`` file to compare two revisions of it.

It reads the package, messages (nested ones by full name, ``orders.v1.Order.Line``), enums, fields with
their numbers, types and labels (``map<K,V>`` and oneof members too), ``reserved`` numbers and names, and
services with their rpcs. Options, imports, extensions and ``extend`` blocks are skipped. No protoc, no
external tool::

    package orders.v1;
    message Order {
      reserved 4, 9 to 11;            # ranges (4,4), (9,11)
      string id = 1;
      repeated Line lines = 2;
      map<string, int32> counts = 3;  # type "map<string,int32>"
    }

A file it cannot follow is a FitnessError naming ``path:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fitness.model import FitnessError
from fitness.model.contracts import ProtoField, ProtoFile, ProtoReserved, ProtoRpc, ProtoService, ProtoType

MAX_NUMBER = 536_870_911  # ``reserved 100 to max``

_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>//[^\n]*|/\*.*?\*/)|(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')"""
    r"""|(?P<word>[A-Za-z_.][\w.]*)|(?P<number>-?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?))"""
    r"""|(?P<symbol>[{}()\[\]<>;,=:/+-])""",
    re.S,
)
_LABELS = frozenset({"optional", "required", "repeated"})
_SKIPPED = frozenset({"option", "import", "extensions", "syntax", "edition"})


@dataclass(frozen=True)
class _Token:
    text: str
    line: int
    kind: str


def parse_proto(text: str, path: str) -> ProtoFile:
    try:
        return _Parser(_tokens(text, path), path).file()
    except RecursionError as error:  # messages nested inside messages a thousand deep
        raise FitnessError("cannot parse protobuf: messages nested too deep", path) from error


def _tokens(text: str, path: str) -> list[_Token]:
    tokens: list[_Token] = []
    position, line = 0, 1
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise FitnessError(f"cannot parse protobuf: unexpected {text[position]!r}", path, line)
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            tokens.append(_Token(match.group(), line, kind))
        line += match.group().count("\n")
        position = match.end()
    return tokens


@dataclass
class _Parser:
    tokens: list[_Token]
    path: str
    position: int = 0
    package: str = ""
    package_line: int = 0
    syntax: str = "proto2"
    types: list[ProtoType] = field(default_factory=list)
    services: list[ProtoService] = field(default_factory=list)

    def file(self) -> ProtoFile:
        while not self._done():
            token = self._next()
            if token.text == "syntax" and self._peek().text == "=":
                self._next()
                self.syntax = self._next().text.strip("\"'")
                self._expect(";")
            elif token.text == "package":
                self.package, self.package_line = self._next().text, token.line
                self._expect(";")
            elif token.text == "message":
                self._message(self._name(), token.line)
            elif token.text == "enum":
                self._enum(self._name(), token.line)
            elif token.text == "service":
                self._service(token)
            elif token.text == "extend":
                self._next()
                self._skip_block()
            elif token.text in _SKIPPED:
                self._skip_statement()
            elif token.text != ";":
                raise self._error(f"unexpected {token.text!r}", token)
        return ProtoFile(
            self.path,
            self.package,
            self.package_line,
            self.syntax,
            tuple(sorted(self.types, key=lambda t: t.name)),
            tuple(sorted(self.services, key=lambda s: s.name)),
        )

    # -- declarations ---------------------------------------------------------------------------

    def _name(self) -> str:
        token = self._next()
        if token.kind != "word":
            raise self._error(f"expected a name, got {token.text!r}", token)
        return token.text

    def _full(self, scope: str, name: str) -> str:
        return f"{scope}.{name}" if scope else (f"{self.package}.{name}" if self.package else name)

    def _message(self, name: str, line: int, scope: str = "") -> None:
        full = self._full(scope, name)
        self._expect("{")
        fields: list[ProtoField] = []
        ranges: list[tuple[int, int]] = []
        names: set[str] = set()
        while (token := self._next()).text != "}":
            if token.text in ("message", "enum"):
                nested = self._name()
                if token.text == "message":
                    self._message(nested, token.line, full)
                else:
                    self._enum(nested, token.line, full)
            elif token.text == "oneof":
                self._oneof(fields)
            elif token.text == "reserved":
                self._reserved(ranges, names)
            elif token.text in ("extend", "group"):
                self._skip_block()
            elif token.text in _SKIPPED:
                self._skip_statement()
            elif token.text != ";":
                fields.append(self._field(token))
        reserved = ProtoReserved(tuple(sorted(ranges)), frozenset(names))
        self.types.append(ProtoType(full, "message", line, tuple(fields), reserved))

    def _oneof(self, fields: list[ProtoField]) -> None:
        group = self._name()
        self._expect("{")
        while (token := self._next()).text != "}":
            if token.text in _SKIPPED:
                self._skip_statement()
            elif token.text != ";":
                item = self._field(token)
                fields.append(ProtoField(item.name, item.number, item.line, item.type, "", group))

    def _field(self, first: _Token) -> ProtoField:
        label = ""
        token = first
        if token.text in _LABELS:
            label, token = token.text, self._next()
        if token.text == "map":
            self._expect("<")
            key = self._next().text
            self._expect(",")
            value = self._next().text
            self._expect(">")
            kind = f"map<{key},{value}>"
        elif token.kind == "word":
            kind = token.text
        else:
            raise self._error(f"unexpected {token.text!r}", token)
        name = self._name()
        self._expect("=")
        number = self._int(self._next())
        self._skip_statement()
        return ProtoField(name, number, first.line, kind, label)

    def _enum(self, name: str, line: int, scope: str = "") -> None:
        full = self._full(scope, name)
        self._expect("{")
        values: list[ProtoField] = []
        ranges: list[tuple[int, int]] = []
        names: set[str] = set()
        while (token := self._next()).text != "}":
            if token.text == "reserved":
                self._reserved(ranges, names)
            elif token.text in _SKIPPED:
                self._skip_statement()
            elif token.text != ";":
                self._expect("=")
                values.append(ProtoField(token.text, self._int(self._next()), token.line))
                self._skip_statement()
        reserved = ProtoReserved(tuple(sorted(ranges)), frozenset(names))
        self.types.append(ProtoType(full, "enum", line, tuple(values), reserved))

    def _reserved(self, ranges: list[tuple[int, int]], names: set[str]) -> None:
        while (token := self._next()).text != ";":
            if token.kind == "string":
                names.add(token.text[1:-1])
            elif token.kind == "word" and token.text not in ("to", "max"):
                names.add(token.text)  # editions: reserved foo;
            elif token.kind == "number":
                low = self._int(token)
                high = low
                if self._peek().text == "to":
                    self._next()
                    end = self._next()
                    high = MAX_NUMBER if end.text == "max" else self._int(end)
                ranges.append((low, high))

    def _service(self, first: _Token) -> None:
        name = self._name()
        self._expect("{")
        rpcs: list[ProtoRpc] = []
        while (token := self._next()).text != "}":
            if token.text == "rpc":
                rpcs.append(self._rpc(token))
            elif token.text in _SKIPPED:
                self._skip_statement()
            elif token.text != ";":
                raise self._error(f"unexpected {token.text!r} in service {name}", token)
        self.services.append(ProtoService(name, first.line, tuple(sorted(rpcs, key=lambda r: r.name))))

    def _rpc(self, first: _Token) -> ProtoRpc:
        name = self._name()
        client, request = self._message_type()
        self._expect("returns")
        server, response = self._message_type()
        if self._peek().text == "{":
            self._skip_block()
        else:
            self._expect(";")
        return ProtoRpc(name, request, response, first.line, client, server)

    def _message_type(self) -> tuple[bool, str]:
        self._expect("(")
        streaming = self._peek().text == "stream" and self._peek(1).text != ")"
        if streaming:
            self._next()
        kind = self._name()
        self._expect(")")
        return streaming, kind

    # -- tokens ---------------------------------------------------------------------------------

    def _skip_statement(self) -> None:
        """Up to and including the ``;`` that ends the statement (options may hold ``{...}`` and ``[...]``)."""
        depth = 0
        while True:
            token = self._next()
            if token.text in ("{", "[", "("):
                depth += 1
            elif token.text in ("}", "]", ")"):
                depth -= 1
                if depth < 0:
                    raise self._error(f"unexpected {token.text!r}", token)
            elif token.text == ";" and depth == 0:
                return

    def _skip_block(self) -> None:
        """Past the next ``{ ... }`` block."""
        while self._next().text != "{":
            pass
        depth = 1
        while depth:
            text = self._next().text
            depth += (text == "{") - (text == "}")

    def _int(self, token: _Token) -> int:
        try:
            return int(token.text, 0)
        except ValueError:
            raise self._error(f"expected a number, got {token.text!r}", token) from None

    def _expect(self, text: str) -> None:
        token = self._next()
        if token.text != text:
            raise self._error(f"expected {text!r}, got {token.text!r}", token)

    def _peek(self, ahead: int = 0) -> _Token:
        index = self.position + ahead
        return self.tokens[index] if index < len(self.tokens) else _Token("", self._last_line(), "end")

    def _next(self) -> _Token:
        if self._done():
            raise FitnessError("cannot parse protobuf: unexpected end of file", self.path, self._last_line())
        token = self.tokens[self.position]
        self.position += 1
        return token

    def _done(self) -> bool:
        return self.position >= len(self.tokens)

    def _last_line(self) -> int:
        return self.tokens[-1].line if self.tokens else 1

    def _error(self, message: str, token: _Token) -> FitnessError:
        message = message if len(message) <= 200 else message[:197] + "..."  # a 1 MB "word" is one token
        return FitnessError(f"cannot parse protobuf: {message}", self.path, token.line)

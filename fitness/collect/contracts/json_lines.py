"""The line of every key path of a JSON text, for findings on a ``.json`` or ``.avsc`` contract's line.

The values come from ``json.loads``; this scanner only walks the same text again and notes where each
object key and array item starts (1-based lines)::

    {                        # ()            -> 1
      "fields": [            # ("fields",)   -> 2
        {"name": "id"}       # ("fields", 0) -> 3, ("fields", 0, "name") -> 3
      ]
    }

It expects text ``json.loads`` accepted; on anything else it stops and returns what it has.
"""

from __future__ import annotations

from fitness.model.contracts import KeyPath

_WHITESPACE = " \t\r\n"


def json_lines(text: str) -> dict[KeyPath, int]:
    lines: dict[KeyPath, int] = {}
    scanner = _Scanner(text, lines)
    scanner.skip()
    if scanner.position < len(text):
        scanner.value(())
    return lines


class _Scanner:
    def __init__(self, text: str, lines: dict[KeyPath, int]) -> None:
        self.text = text
        self.lines = lines
        self.position = 0
        self.line = 1

    def skip(self) -> None:
        text = self.text
        while self.position < len(text) and text[self.position] in _WHITESPACE:
            if text[self.position] == "\n":
                self.line += 1
            self.position += 1

    def value(self, path: KeyPath) -> None:
        self.lines.setdefault(path, self.line)
        char = self.text[self.position] if self.position < len(self.text) else ""
        if char == "{":
            self._object(path)
        elif char == "[":
            self._array(path)
        elif char == '"':
            self.string()
        else:
            while self.position < len(self.text) and self.text[self.position] not in ",]}" + _WHITESPACE:
                self.position += 1

    def string(self) -> str:
        """The string starting at the opening quote (escapes kept as written: keys are compared raw)."""
        start = self.position + 1
        index = start
        text = self.text
        while index < len(text) and text[index] != '"':
            index += 2 if text[index] == "\\" else 1
        self.position = index + 1
        return text[start:index]

    def _object(self, path: KeyPath) -> None:
        self.position += 1
        while True:
            self.skip()
            if self.position >= len(self.text) or self.text[self.position] == "}":
                self.position += 1
                return
            if self.text[self.position] == ",":
                self.position += 1
                continue
            line = self.line
            key = _unescape(self.string())
            child: KeyPath = (*path, key)
            self.lines[child] = line
            self.skip()
            self.position += 1  # the colon
            self.skip()
            self.value(child)

    def _array(self, path: KeyPath) -> None:
        self.position += 1
        index = 0
        while True:
            self.skip()
            if self.position >= len(self.text) or self.text[self.position] == "]":
                self.position += 1
                return
            if self.text[self.position] == ",":
                self.position += 1
                continue
            item: KeyPath = (*path, index)
            self.lines[item] = self.line
            self.value(item)
            index += 1


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    import json

    try:
        return str(json.loads(f'"{raw}"'))
    except ValueError:
        return raw

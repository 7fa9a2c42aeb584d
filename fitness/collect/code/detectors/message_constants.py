"""Topic and queue names defined as constants in one file and used in another, as settings.

A messaging detector that meets ``Topics.ORDERS`` (Java/Kotlin/Scala/C#, a class of another file) or
``kafka.Topic`` (Go, a package of the repository) writes the template ``${Topics.ORDERS}``; this detector
defines that key where the constant is written, as ``Setting(key, value, how="default")``, so the
resolver substitutes it like any other setting:

- Java ``public static final String ORDERS = "orders";`` in ``class Topics`` -> ``Topics.ORDERS = orders``;
- Kotlin ``const val ORDERS = "orders"`` in ``object Topics`` (or a companion object of ``class Topics``);
- C# ``public const string Orders = "orders";`` / ``static readonly string Orders = ...`` in ``class Topics``;
- Go ``const Topic = "orders"`` / ``var ( Topic = getTopic() )`` at package level of ``package kafka`` ->
  ``kafka.Topic`` (``getTopic`` reading ``KAFKA_TOPIC`` with default ``orders`` gives ``${KAFKA_TOPIC}``
  and the default as a setting of ``KAFKA_TOPIC``).

Only constants whose name names a destination (topic, queue, exchange, destination, routing key), or
string literals in a class named after Kafka/Rabbit/JMS/AMQP/messaging/events, are written; private
ones are not (no other file can use them). A constant whose key is, in canonical form, the env key it
reads (``kafka.Topic`` = ``${KAFKA_TOPIC}``) is not written: the template already names that setting.
"""

from __future__ import annotations

import re

from fitness.collect.code.detectors._messaging import JVM, Scope, bindings, flush_defaults
from fitness.collect.code.detectors._scan import commented, finditer_at, occurrences
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import Setting, SourceFacts, canonical_key

_DESTINATION = lazy(r"(?i)topic|queue|exchange|destination|routing_?key")
_OWNER = lazy(r"(?i)topic|queue|exchange|destination|kafka|rabbit|jms|amqp|messag|event")
_CLASS_KEYWORDS = ("class", "interface", "object", "enum", "record", "struct")  # each _CLASS match starts so
_CLASS = lazy(r"(?<!companion )\b(?:class|interface|object|enum|record|struct)\s+([A-Z]\w*)")
_CONSTANT = {
    ".java": lazy(r"\bstatic\b.*\bfinal\b|\bfinal\b.*\bstatic\b"),
    ".kt": lazy(r"\bconst\s+val\b|\bval\s+[A-Z][A-Z0-9_]*\b"),
    ".kts": lazy(r"\bconst\s+val\b"),
    ".scala": lazy(r"\b(?:final\s+)?val\s+[A-Z]\w*\b"),
    ".cs": lazy(r"\bconst\b|\bstatic\s+readonly\b|\breadonly\s+static\b"),
}
_CONSTANT_WORDS: dict[str, tuple[str, ...]] = {".java": ("final",), ".kt": ("val",), ".kts": ("const",)}
_CONSTANT_WORDS |= {".scala": ("val",), ".cs": ("const", "readonly")}
"""A word every line matching _CONSTANT holds."""


class MessageConstants:
    name = "message-constants"
    suffixes = JVM | {".go", ".cs"}
    triggers = ("opic", "ueue", "xchange", "estination", "outing")

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        text, scope = file.text, Scope.of(file)
        package = re.search(r"^package\s+(\w+)", text, re.M) if file.suffix == ".go" else None
        classes: list[re.Match[str]] | None = None
        for name, bound in list(scope.names.items()) if package else _constants(file, scope):
            if bound is None or commented(text, bound[1]):
                continue
            start = text.rfind("\n", 0, bound[1]) + 1
            line = text[start : bound[1]]
            if package:
                owner = package.group(1) if name[0].isupper() and _go_package_level(text, start) else None
            elif file.suffix in _CONSTANT and _CONSTANT[file.suffix].search(line) and "private" not in line:
                if classes is None:
                    starts = sorted(at for word in _CLASS_KEYWORDS for at in occurrences(text, word))
                    classes = list(finditer_at(_CLASS, text, starts))
                owners = [m.group(1) for m in classes if m.end() <= bound[1]]  # finditer(text, 0, bound[1])
                owner = owners[-1] if owners else None
            else:
                owner = None
            literal = re.fullmatch(r"\"[^\"\n]+\"", bound[0].strip())
            if owner is None or not (_DESTINATION.search(name) or (_OWNER.search(owner) and literal)):
                continue
            value = scope.fold_one(bound[0], bound[1])
            key = f"{owner}.{name}"
            if value is None or (
                value == "${" + value[2:-1] + "}" and canonical_key(value[2:-1]) == canonical_key(key)
            ):
                continue
            facts.settings.append(Setting(key, value, file.evidence(bound[1], "default")))
        flush_defaults(file, facts, scope)


def _constants(file: SourceFile, scope: Scope) -> list[tuple[str, tuple[str, int]]]:
    """What ``scope.names.items()`` holds for the names bound on a line that may declare a constant (the
    others have no owner), in the same order (that of their first binding), without reading the file's
    every binding: the names bound at each "=" of such a line, then each name's bindings."""
    text = file.text
    lines = {
        text.rfind("\n", 0, at) + 1
        for word in _CONSTANT_WORDS.get(file.suffix, ())
        for at in occurrences(text, word)
    }
    names: dict[str, tuple[str, int]] = {}
    for start in lines:
        end = text.find("\n", start)
        equals = text.find("=", start, len(text) if end < 0 else end)
        while equals >= 0:
            for name in bindings(file).bound_at(equals):
                bound = scope.bound(name)
                if bound is not None:
                    names[name] = bound
            equals = text.find("=", equals + 1, len(text) if end < 0 else end)
    return sorted(names.items(), key=lambda item: item[1][1])


def _go_package_level(text: str, start: int) -> bool:
    """The line at ``start`` declares at package level: ``const X``/``var X`` at column 0, or one level
    into a ``const (`` / ``var (`` block."""
    line = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
    if re.match(r"(?:const|var)\s", line):
        return True
    if not re.match(r"(?:\t| {2,4})\w", line):
        return False
    block = text.rfind("\n(", 0, start)
    opener = max(text.rfind("\nconst (", 0, start), text.rfind("\nvar (", 0, start))
    closer = text.rfind("\n)", 0, start)
    return opener > closer and opener >= 0 and block <= opener + 8


DETECTOR = MessageConstants()

"""Messaging declared in configuration: Spring Cloud Stream bindings in ``application*.yml`` / ``.yaml`` /
``.properties`` (and ``bootstrap*``).

- ``spring.cloud.stream.bindings.<binding>.destination: orders`` -> a Message on ``orders`` (a comma-separated
  list gives one per destination; ``${ORDERS_TOPIC:orders}`` becomes the template ``${ORDERS_TOPIC}``).
  The direction comes from the binding name: ``process-in-0`` / ``input`` / ``orderInput`` -> subscribe,
  ``process-out-0`` / ``output`` / ``orderOutput`` -> publish; a name renamed by
  ``spring.cloud.stream.function.bindings.process-in-0: orders`` takes the direction of the function's
  binding; any other name is Unresolved (direction unknown).
- The broker is ``kafka`` or ``amqp`` from the binding's ``binder``, else ``spring.cloud.stream.default-binder``,
  else the binder configured in the file (``spring.cloud.stream.kafka`` / ``...rabbit``), else ``kafka`` (the
  usual binder). With the Rabbit binder the destination is an exchange; its consumers bind a queue to it,
  which is a subscribe on the exchange, as everywhere for AMQP.

A topic or queue name written under any other key (``app.kafka.topic: orders``) is a setting, not a
message: the resolver substitutes it where code reads it, so nothing is written for it here.
"""

from __future__ import annotations

import re

from fitness.collect.code.lazy_re import lazy
from fitness.collect.manifests.yaml_lines import parse_yaml
from fitness.collect.source_file import SourceFile
from fitness.model import Evidence, FitnessError
from fitness.model.facts import Message, SourceFacts, Unresolved

_PREFIX = "spring.cloud.stream."
_BINDING = lazy(r"^spring\.cloud\.stream\.bindings\.(.+)\.(destination|binder)$")
_FUNCTION = lazy(r"^spring\.cloud\.stream\.function\.bindings\.(.+)$")
_PLACEHOLDER = lazy(r"\$\{([^}:]+)(?::[^}]*)?\}")
_PROPERTY = lazy(r"^[ \t]*([^#!\s=:][^=:\s]*)[ \t]*[=:][ \t]*(.*?)[ \t]*$", re.M)


class StreamBindings:
    name = "stream-bindings"
    suffixes = frozenset({".yml", ".yaml", ".properties"})
    triggers = ("bindings",)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        if not re.match(r"(?:application|bootstrap)\b", file.name.lower()):
            return
        try:
            entries = _properties(file) if file.suffix == ".properties" else _yaml(file)
        except FitnessError as error:
            facts.warnings.append(f"{file.path}: Spring Cloud Stream bindings not read ({error})")
            return
        values = {key: value for key, value, _ in entries}
        renamed = {
            value: match.group(1) for key, value, _ in entries if (match := _FUNCTION.match(key)) is not None
        }
        default_binder = values.get(_PREFIX + "default-binder", "")
        for key, value, line in entries:
            match = _BINDING.match(key)
            if not match or match.group(2) != "destination" or not value:
                continue
            binding = match.group(1)
            evidence = Evidence(file.path, line, _line(file.text, line), "config")
            direction = _direction(renamed.get(binding, binding))
            if direction is None:
                why = f"Spring Cloud Stream binding `{binding}`: direction unknown from its name"
                facts.unresolved.append(Unresolved("topic", why, evidence))
                continue
            binder = values.get(f"{_PREFIX}bindings.{binding}.binder", default_binder)
            broker = _broker(binder, file.text)
            for destination in value.split(","):
                topic = _PLACEHOLDER.sub(r"${\1}", destination.strip())
                if topic:
                    facts.messages.append(Message(topic, direction, broker, evidence))


def _direction(binding: str) -> str | None:
    lower = binding.lower()
    if re.search(r"-in-\d+$", lower) or lower.endswith("input"):
        return "subscribe"
    if re.search(r"-out-\d+$", lower) or lower.endswith("output"):
        return "publish"
    return None


def _broker(binder: str, text: str) -> str:
    for clue in (binder.lower(), text.lower()):
        kafka, rabbit = "kafka" in clue, "rabbit" in clue
        if kafka != rabbit:
            return "kafka" if kafka else "amqp"
    return "kafka"


def _properties(file: SourceFile) -> list[tuple[str, str, int]]:
    return [
        (m.group(1), m.group(2), file.line_of(m.start(1)))
        for m in _PROPERTY.finditer(file.text)
        if m.group(1).startswith(_PREFIX)
    ]


def _yaml(file: SourceFile) -> list[tuple[str, str, int]]:
    """``(dotted key, scalar as written, line)`` of every scalar under ``spring.cloud.stream``."""
    entries = []
    for doc in parse_yaml(file.text, file.path):
        for path, raw in doc.scalars.items():
            key = ".".join(str(part) for part in path)
            if key.startswith(_PREFIX):
                entries.append((key, raw, doc.line(path)))
    return entries


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ""


DETECTOR = StreamBindings()

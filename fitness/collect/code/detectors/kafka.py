"""Kafka producers and consumers in Java, Kotlin, Scala, Go, C# and JavaScript/TypeScript (Python has
its own ``ast`` pass). Broker ``kafka``; topics are folded by :class:`~._messaging.Scope` (literals,
constants of the file, ``${KEY}`` templates for placeholders and env/config reads), else Unresolved.

Java / Kotlin / Scala:

- ``@KafkaListener(topics = "order")``, ``topics = {"a", "b"}`` / ``["a"]``, ``topics = "${kafka.topic}"``,
  ``topicPartitions = @TopicPartition(topic = "x", ...)`` -> subscribe; ``topicPattern = "x.*"`` -> Unresolved;
  ``@SendTo("replies")`` in a file with ``@KafkaListener`` -> publish;
- ``kafkaTemplate.send("order", key, value)`` on a ``KafkaTemplate``/``KafkaOperations``/
  ``ReactiveKafkaProducerTemplate`` (declared in the file, or a name containing ``kafkaTemplate``) -> publish;
  ``send(record)`` with one argument is left to the record's constructor;
- ``new ProducerRecord<>("order", v)`` / ``ProducerRecord("order", v)`` / ``new ProducerRecord[K, V]("order", v)``
  -> publish;
- with ``org.apache.kafka`` imported: ``consumer.subscribe(listOf("x"))`` / ``Arrays.asList`` /
  ``Collections.singletonList`` / ``List.of`` (also ``KafkaConsumer(props).apply { subscribe(listOf(topic)) }``)
  -> subscribe, ``subscribe(Pattern.compile(...))`` -> Unresolved; Kafka Streams ``builder.stream("in")``,
  ``.table("t")`` -> subscribe and ``.to("out")`` -> publish (only when the topic folds);
- Alpakka ``Subscriptions.topics("a", "b")`` -> subscribe.

Go: sarama ``&sarama.ProducerMessage{Topic: topic}`` -> publish, ``ConsumePartition(topic, ...)`` and a
consumer group's ``Consume(ctx, []string{topic}, handler)`` -> subscribe; segmentio/kafka-go
``kafka.ReaderConfig{Topic:, GroupTopics:}`` -> subscribe, ``kafka.Writer{Topic:}`` / ``kafka.WriterConfig`` /
``kafka.Message{Topic:}`` -> publish; confluent-kafka-go ``SubscribeTopics([]string{"x"}, nil)`` /
``Subscribe("x", nil)`` -> subscribe, ``kafka.Message{TopicPartition: kafka.TopicPartition{Topic: &topic}}``
-> publish; franz-go ``kgo.ConsumeTopics("x")`` -> subscribe, ``kgo.Record{Topic: "x"}`` /
``kgo.DefaultProduceTopic("x")`` -> publish.

C# (Confluent.Kafka): ``consumer.Subscribe(topic)`` / ``Subscribe(new[] {"a", "b"})`` -> subscribe;
``producer.Produce("x", msg)`` / ``ProduceAsync("x", msg)`` / ``Produce(new TopicPartition("x", p), msg)`` ->
publish (receiver named ``*consumer*``/``*producer*`` or declared ``IConsumer<>``/``IProducer<>``).

JavaScript / TypeScript (kafkajs, node-rdkafka, kafka-node): ``producer.send({ topic: 'x', messages })`` and
``sendBatch({ topicMessages: [{ topic: 'x' }] })`` -> publish; ``consumer.subscribe({ topic: 'x' })`` /
``{ topics: ['a', 'b'] }`` / ``subscribe(['x'])`` -> subscribe (a ``/regex/`` topic is Unresolved);
``producer.produce('x', partition, value)`` -> publish; kafka-node ``producer.send([{ topic: 'x', messages }])``
-> publish, ``new Consumer(client, [{ topic: 'x' }])`` / ``new ConsumerGroup(options, ['x'])`` -> subscribe.
"""

from __future__ import annotations

import re

from fitness.collect.code.detectors._messaging import CODE, JS, JVM, Scope, emit, flush_defaults, object_props
from fitness.collect.code.detectors._scan import (
    ANY_FILE,
    call_args,
    close_of,
    find_all,
    holds,
    lowered,
    named,
    split_top,
)
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import SourceFacts, Unresolved

BROKER = "kafka"
_GEN = r"(?:<(?:[^<>]|<[^<>]*>)*>|\[[^\]]*\])?"
_LISTENER = lazy(r"@KafkaListener\s*\(")
_SEND_TO = lazy(r"@SendTo\s*\(")
_TEMPLATE_DECL = lazy(
    rf"\b(?:KafkaTemplate|KafkaOperations|ReactiveKafkaProducerTemplate){_GEN}\s+(\w+)"
    rf"|\b(\w+)\s*:\s*(?:KafkaTemplate|KafkaOperations|ReactiveKafkaProducerTemplate)\b"
)
_SEND = lazy(r"\b(\w+)\s*[!?]?\.\s*send\s*\(")
_RECORD = lazy(rf"\bProducerRecord\s*{_GEN}\s*\(")
_SUBSCRIBE = lazy(r"(?:\b(\w+)\s*[!?]?\.\s*)?\bsubscribe\s*\(")
_STREAMS = lazy(r"\.\s*(stream|table|globalTable|to|through)\s*\(")
_ALPAKKA = lazy(r"\bSubscriptions\.topics\s*\(")
_GO_STRUCT = lazy(
    r"\b(sarama\.ProducerMessage|kafka\.ReaderConfig|kafka\.WriterConfig|kafka\.Writer|kafka\.Message|kgo\.Record)\s*\{"
)
_GO_CALL = lazy(
    r"\.(ConsumePartition|Consume|SubscribeTopics|Subscribe)\s*\(|\bkgo\.(ConsumeTopics|DefaultProduceTopic)\s*\("
)
_CS_DECL = lazy(r"\bI(Consumer|Producer)\s*<[^>]*>\s+(\w+)")
_CS_CALL = lazy(r"\b(\w+)\s*\??\.\s*(Subscribe|Produce|ProduceAsync)\s*\(")
_JS_NODE_CONSUMER = lazy(r"\bnew\s+(?:\w+\.)?(?:Consumer|ConsumerGroup|ConsumerGroupStream)\s*\(")
_JS_CALL = lazy(r"\b(\w+)\s*\??\.\s*(send|sendBatch|subscribe|produce)\s*\(")


_NEEDLES = ("Kafka", "kafka", "sarama", "ProducerRecord", "kgo.")


def _worth(file: SourceFile) -> bool:
    """The file holds one of _NEEDLES (the registry's condition) and what its language needs: C#
    Confluent.Kafka, Go sarama, kafka or kgo. (of each client's types and calls), JS/TS kafka in any case."""
    text, suffix = file.text, file.suffix
    if suffix == ".cs":
        return "Confluent.Kafka" in text
    if suffix == ".go":
        return holds(text, ("sarama", "kafka", "kgo."))
    if suffix in JS:
        return "kafka" in lowered(file) and holds(text, _NEEDLES)
    return holds(text, _NEEDLES)


class Kafka:
    name = "kafka"
    suffixes = CODE
    triggers = (ANY_FILE, *_NEEDLES)  # detect checks the needles (see _scan.ANY_FILE)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        if not _worth(file):
            return
        scope = Scope.of(file)
        if file.suffix in JVM:
            self._jvm(file, facts, scope)
        elif file.suffix == ".go":
            self._go(file, facts, scope)
        elif file.suffix == ".cs" and "Confluent.Kafka" in file.text:
            self._cs(file, facts, scope)
        elif file.suffix in JS and re.search(r"kafkajs|node-rdkafka|kafka", file.text, re.I):
            self._js(file, facts, scope)
        flush_defaults(file, facts, scope)

    def _jvm(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        text = file.text
        for match in find_all(file, _LISTENER):
            attrs = named(call_args(text, match.end() - 1) or [])
            found = False
            for key in ("topics", "value"):
                if key in attrs:
                    found = True
                    emit(file, facts, scope, match.start(), attrs[key], "subscribe", BROKER)
            for part in re.finditer(r"@TopicPartition\s*\(\s*topic\s*=\s*", attrs.get("topicPartitions", "")):
                found = True
                expr = split_top(attrs["topicPartitions"][part.end() :])[0]
                emit(file, facts, scope, match.start(), expr.rstrip(")"), "subscribe", BROKER)
            if not found:
                why = (
                    "kafka subscribe by topicPattern"
                    if "topicPattern" in attrs
                    else "kafka listener without topics"
                )
                facts.unresolved.append(Unresolved("topic", why, file.evidence(match.start(), "code")))
        if _LISTENER.search(text):
            for match in find_all(file, _SEND_TO):
                args = call_args(text, match.end() - 1)
                if args:
                    emit(file, facts, scope, match.start(), args[0], "publish", BROKER)
        templates = {m.group(1) or m.group(2) for m in _TEMPLATE_DECL.finditer(text)}
        for match in find_all(file, _SEND):
            receiver = match.group(1)
            if receiver in templates or "kafkatemplate" in receiver.lower():
                args = call_args(text, match.end() - 1) or []
                if len(args) >= 2:
                    emit(file, facts, scope, match.start(), args[0], "publish", BROKER)
        for match in find_all(file, _RECORD):
            args = call_args(text, match.end() - 1)
            if args:
                emit(file, facts, scope, match.start(), args[0], "publish", BROKER)
        for match in find_all(file, _ALPAKKA):
            for arg in call_args(text, match.end() - 1) or []:
                emit(file, facts, scope, match.start(), arg, "subscribe", BROKER)
        if "org.apache.kafka" not in text and "KafkaConsumer" not in text:
            return
        for match in find_all(file, _SUBSCRIBE):
            receiver = match.group(1)
            chained = text[max(0, match.start() - 80) : match.start()].rstrip().endswith((".", "?"))
            args = call_args(text, match.end() - 1)
            if not args:
                continue
            if (receiver and "consumer" in receiver.lower()) or (
                receiver is None
                and not chained
                and "KafkaConsumer" in text
                and scope.fold(args[0], match.start())
            ):
                emit(file, facts, scope, match.start(), args[0], "subscribe", BROKER)
        if "org.apache.kafka.streams" in text:
            for match in find_all(file, _STREAMS):
                args = call_args(text, match.end() - 1)
                if args and scope.fold(args[0], match.start()):
                    direction = "publish" if match.group(1) in ("to", "through") else "subscribe"
                    emit(file, facts, scope, match.start(), args[0], direction, BROKER)

    def _go(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        text = file.text
        for match in find_all(file, _GO_STRUCT):
            kind = match.group(1)
            if kind.startswith("kafka.") and not re.search(r"segmentio/kafka-go|confluent-kafka-go", text):
                continue
            end = close_of(text, match.end() - 1)
            props = named(split_top(text[match.end() : end - 1]), ":") if end > 0 else {}
            if "TopicPartition" in props and "Topic" not in props:
                inner = re.search(r"\{(.*)\}", props["TopicPartition"], re.S)
                props = named(split_top(inner.group(1)), ":") if inner else {}
            direction = "subscribe" if kind == "kafka.ReaderConfig" else "publish"
            for key in ("Topic", "GroupTopics"):
                if key in props:
                    emit(file, facts, scope, match.start(), props[key], direction, BROKER)
        sarama, confluent = "sarama" in text, "confluent-kafka-go" in text
        for match in find_all(file, _GO_CALL):
            method = match.group(1) or match.group(2)
            args = call_args(text, match.end() - 1) or []
            if method == "ConsumePartition" and sarama and args:
                emit(file, facts, scope, match.start(), args[0], "subscribe", BROKER)
            elif method == "Consume" and sarama and len(args) >= 3:
                emit(file, facts, scope, match.start(), args[1], "subscribe", BROKER)
            elif method in ("SubscribeTopics", "Subscribe") and confluent and args:
                emit(file, facts, scope, match.start(), args[0], "subscribe", BROKER)
            elif method == "ConsumeTopics":
                for arg in args:
                    emit(file, facts, scope, match.start(), arg, "subscribe", BROKER)
            elif method == "DefaultProduceTopic" and args:
                emit(file, facts, scope, match.start(), args[0], "publish", BROKER)

    def _cs(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        text = file.text
        declared = {m.group(2): m.group(1) for m in _CS_DECL.finditer(text)}
        for match in find_all(file, _CS_CALL):
            receiver, method = match.group(1), match.group(2)
            role = declared.get(receiver, "Consumer" if "consumer" in receiver.lower() else "")
            if not role and "producer" in receiver.lower():
                role = "Producer"
            args = call_args(text, match.end() - 1)
            if not args:
                continue
            topic = named(args, ":").get("topic", args[0])
            partition = re.match(r"new\s+TopicPartition\s*\(", topic)
            if partition:
                topic = (call_args(topic, partition.end() - 1) or [""])[0]
            if method == "Subscribe" and role == "Consumer":
                emit(file, facts, scope, match.start(), topic, "subscribe", BROKER)
            elif method != "Subscribe" and role == "Producer":
                emit(file, facts, scope, match.start(), topic, "publish", BROKER)

    def _js(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        text = file.text
        for match in find_all(file, _JS_CALL):
            receiver, method, at = match.group(1).lower(), match.group(2), match.start()
            args = call_args(text, match.end() - 1)
            if not args or not any(word in receiver for word in ("producer", "consumer", "kafka")):
                continue
            direction = "subscribe" if method == "subscribe" else "publish"
            if method == "produce":
                emit(file, facts, scope, at, args[0], direction, BROKER)
                continue
            props = object_props(scope, args[0])
            if props is None and method == "subscribe" and args[0].startswith("["):
                emit(file, facts, scope, at, args[0], direction, BROKER)
            elif props is None and method == "send":  # kafka-node: send([{ topic: 't', messages }], cb)
                self._topic_props(file, facts, scope, at, args[0], direction)
            elif props is not None:
                self._topic_props(file, facts, scope, at, props.get("topicMessages", ""), direction)
                for key in ("topic", "topics"):
                    if key in props:
                        emit(file, facts, scope, at, props[key], direction, BROKER)
        for match in find_all(file, _JS_NODE_CONSUMER):
            args = call_args(text, match.end() - 1) or []
            if len(args) >= 2 and "kafka-node" in text:
                if re.search(r"\btopic\s*:", args[1]):
                    self._topic_props(file, facts, scope, match.start(), args[1], "subscribe")
                else:
                    emit(file, facts, scope, match.start(), args[1], "subscribe", BROKER)

    def _topic_props(
        self, file: SourceFile, facts: SourceFacts, scope: Scope, at: int, source: str, direction: str
    ) -> None:
        """Every ``topic: x`` of an array of objects (written inline or bound to a name)."""
        bound = scope.bound(source.strip())
        for topic in re.finditer(r"\btopic\s*:\s*([^,}\n]+)", bound[0] if bound else source):
            emit(file, facts, scope, at, topic.group(1), direction, BROKER)


DETECTOR = Kafka()

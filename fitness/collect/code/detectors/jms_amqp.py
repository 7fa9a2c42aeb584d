"""JMS, AMQP (RabbitMQ) and STOMP producers and consumers in Java, Kotlin, Scala, Go, C# and JS/TS.

Brokers: ``jms`` for JMS and for STOMP (STOMP on ActiveMQ reaches the same queues as JMS, so a Java
``JmsTemplate`` producer and a Node STOMP consumer of ``newpolicies`` meet on one topic); ``amqp`` for
RabbitMQ/AMQP 0-9-1 and MassTransit. AMQP topics follow one rule everywhere (as the Python pass does):
a publish is on the **exchange** when it is named, else on the **routing key** (the default exchange
delivers to the queue of that name); a consume is on the **queue**, and a binding of a queue to an
exchange is a subscribe on the **exchange**.

- ``@JmsListener(destination = "${x.queueName}")`` -> subscribe; ``jmsTemplate.convertAndSend("q", event)``
  / ``send`` on a ``JmsTemplate``/``JmsMessagingTemplate`` (declared, or a name containing ``jmsTemplate``)
  -> publish; ``@SendTo("q")`` in a listener's file -> publish; with ``javax.jms``/``jakarta.jms``:
  ``session.createProducer(dest)`` -> publish and ``createConsumer(dest)`` (and durable/shared
  variants) -> subscribe, ``dest = session.createQueue("q")`` / ``new ActiveMQQueue("q")`` folded;
- ``@RabbitListener(queues = "q")``, ``queuesToDeclare = @Queue("q")`` -> subscribe on ``q``;
  ``bindings = @QueueBinding(value = @Queue, exchange = @Exchange("ex"), key = "k")`` -> subscribe on ``ex``;
  ``rabbitTemplate.convertAndSend("ex", "key", msg)`` -> publish on ``ex`` (``convertAndSend("key", msg)``,
  or with a post-processor or correlation data third, -> on ``key``; ``""`` as exchange -> on ``key``) on a
  ``RabbitTemplate``/``AmqpTemplate``/``RabbitMessagingTemplate``; ``@SendTo("ex/key")`` likewise;
- Go amqp091/streadway: ``ch.Publish("ex", "key", ...)`` / ``PublishWithContext(ctx, "ex", "key", ...)``
  -> publish, ``ch.Consume(q.Name, ...)`` -> subscribe (``q, _ := ch.QueueDeclare("q", ...)`` folded),
  ``ch.QueueBind(q.Name, "key", "ex", ...)`` -> subscribe on ``ex``;
- Node amqplib: ``channel.sendToQueue('q', buf)`` and ``channel.publish('ex', 'key', buf)`` -> publish,
  ``channel.consume('q', fn)`` -> subscribe, ``channel.bindQueue(q, 'ex', 'key')`` -> subscribe on ``ex``;
- STOMP (stompit, @stomp/stompjs, stompjs, stomp-client, webstomp): ``client.subscribe('/queue/x', fn)``,
  ``channel.subscribe({ destination: '/queue/x' }, fn)`` (the headers object inline or bound to a name),
  ``client.send('/queue/x', ...)`` / ``client.publish({ destination: ... })`` -> subscribe/publish on ``x``:
  the ``/queue/`` or ``/topic/`` prefix is stripped, other ``/``-prefixed destinations (``/app/``,
  ``/user/``: Spring WebSocket) are ignored;
- .NET RabbitMQ.Client: ``BasicPublish(exchange: "", routingKey: "q", ...)`` (positional too) -> publish,
  ``BasicConsume(queue: "q", ...)`` -> subscribe, ``QueueBind(queue, "ex", key)`` -> subscribe on ``ex``;
  MassTransit: ``cfg.ReceiveEndpoint("q", e => ...)`` -> subscribe on ``q``,
  ``GetSendEndpoint(new Uri("queue:q"))`` -> publish on ``q``, ``class X : IConsumer<OrderPlaced>`` ->
  subscribe and ``Publish<OrderPlaced>(...)`` / ``Publish(new OrderPlaced ...)`` -> publish on ``OrderPlaced``.
"""

from __future__ import annotations

import re

from fitness.collect.code.detectors._messaging import CODE, JS, JVM, Scope, emit, flush_defaults, object_props
from fitness.collect.code.detectors._scan import (
    ANY_FILE,
    call_args,
    find_all,
    holds,
    lowered,
    named,
    split_top,
)
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import Message, SourceFacts

JMS, AMQP = "jms", "amqp"
_GEN = r"(?:<(?:[^<>]|<[^<>]*>)*>)?"
_TEMPLATES = {
    JMS: r"JmsTemplate|JmsOperations|JmsMessagingTemplate",
    AMQP: r"RabbitTemplate|AmqpTemplate|RabbitOperations|RabbitMessagingTemplate|AsyncRabbitTemplate",
}
_SEND = lazy(
    r"\b(\w+)\s*[!?]?\.\s*(convertAndSend|send|convertSendAndReceive|sendAndReceive|convertSendAndReceiveAsType)\s*\("
)
_ANNOTATION = lazy(r"@(JmsListener|RabbitListener|SendTo)\s*\(")
_JMS_API = lazy(
    r"\.\s*(createProducer|createConsumer|createDurableSubscriber|createDurableConsumer|createSharedConsumer"
    r"|createSharedDurableConsumer)\s*\("
)
_GO_CALL = lazy(r"\.(Publish\w*|Consume|ConsumeWithContext|QueueBind)\s*\(")
_JS_AMQP = lazy(r"\b(\w+)\s*\??\.\s*(sendToQueue|publish|consume|bindQueue)\s*\(")
_STOMP = lazy(r"\b(\w+)\s*\??\.\s*(subscribe|send|publish|watch)\s*\(")
_STOMP_LIBS = lazy(r"stompit|@stomp/|stompjs|stomp-client|webstomp|['\"]stomp['\"]")
_CS_RABBIT = lazy(r"\.\s*(BasicPublish|BasicConsume|QueueBind)(?:Async)?\s*\(")
_MASS_TRANSIT = lazy(
    r"\.\s*(ReceiveEndpoint)\s*\(|\bGetSendEndpoint\s*\(\s*new\s+Uri\s*\(|\bIConsumer\s*<\s*(\w+)\s*>"
    r"|\.\s*Publish\s*(?:<\s*(\w+)\s*>\s*\(|\(\s*new\s+(\w+))"
)


_NEEDLES = ("Jms", "jms", "Rabbit", "amqp", "AMQP", "Amqp", "stomp", "Stomp", "RabbitMQ", "MassTransit")


class JmsAmqp:
    name = "jms-amqp"
    suffixes = CODE
    triggers = (ANY_FILE, *_NEEDLES)  # detect checks the needles (see _scan.ANY_FILE)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        if not _worth(file):
            return
        scope = Scope.of(file)
        if file.suffix in JVM:
            self._jvm(file, facts, scope)
        elif file.suffix == ".go" and re.search(r"amqp091-go|streadway/amqp", file.text):
            self._go(file, facts, scope)
        elif file.suffix == ".cs":
            self._cs(file, facts, scope)
        elif file.suffix in JS:
            self._js(file, facts, scope)
        flush_defaults(file, facts, scope)

    def _jvm(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        text = file.text
        listens = {kind for kind in ("JmsListener", "RabbitListener") if f"@{kind}" in text}
        for match in find_all(file, _ANNOTATION):
            args_list = call_args(text, match.end() - 1) or []
            attrs, kind, at = named(args_list), match.group(1), match.start()
            if kind == "JmsListener" and "destination" in attrs:
                emit(file, facts, scope, at, attrs["destination"], "subscribe", JMS)
            elif kind == "RabbitListener":
                exchanges = re.findall(r"@Exchange\s*\(([^)]*)\)", attrs.get("bindings", ""))
                for exchange in exchanges:
                    inner = named(split_top(exchange))
                    emit(
                        file, facts, scope, at, inner.get("value", inner.get("name", '""')), "subscribe", AMQP
                    )
                queues = [attrs[k] for k in ("queues", "value") if k in attrs and not exchanges]
                for declared in re.findall(r"@Queue\s*\(([^)]*)\)", attrs.get("queuesToDeclare", "")):
                    inner = named(split_top(declared))
                    queues.append(inner.get("value", inner.get("name", '""')))
                for queue in queues:
                    emit(file, facts, scope, at, queue, "subscribe", AMQP)
            elif kind == "SendTo" and args_list and listens:
                if "JmsListener" in listens:
                    emit(file, facts, scope, at, args_list[0], "publish", JMS)
                else:
                    self._rabbit_send_to(file, facts, scope, at, args_list[0])
        kinds = {
            m.group(1) or m.group(2): broker
            for broker, types in _TEMPLATES.items()
            for m in re.finditer(rf"\b(?:{types}){_GEN}\s+(\w+)|\b(\w+)\s*:\s*(?:{types})\b", text)
        }
        for match in find_all(file, _SEND):
            receiver = match.group(1)
            broker = kinds.get(receiver) or (
                JMS
                if re.search(r"(?i)jms\w*template", receiver)
                else AMQP
                if re.search(r"(?i)(rabbit|amqp)\w*template", receiver)
                else ""
            )
            args = call_args(text, match.end() - 1) or []
            if broker == JMS and len(args) >= 2:
                emit(file, facts, scope, match.start(), args[0], "publish", JMS)
            elif broker == AMQP and len(args) >= 2:
                exchange_form = len(args) >= 3 and not re.search(r"->|PostProcessor|[Cc]orrelation", args[2])
                exchange, key = (args[0], args[1]) if exchange_form else ('""', args[0])
                self._amqp_publish(file, facts, scope, match.start(), exchange, key)
        if re.search(r"\b(?:javax|jakarta)\.jms\b", text):
            for match in find_all(file, _JMS_API):
                args = call_args(text, match.end() - 1) or []
                if args:
                    direction = "publish" if match.group(1) == "createProducer" else "subscribe"
                    emit(file, facts, scope, match.start(), args[0], direction, JMS)

    def _rabbit_send_to(self, file: SourceFile, facts: SourceFacts, scope: Scope, at: int, expr: str) -> None:
        value = scope.fold_one(expr, at)
        if value is None or "/" not in value:
            emit(file, facts, scope, at, expr, "publish", AMQP)
        else:
            exchange, _, key = value.partition("/")
            facts.messages.append(Message(exchange or key, "publish", AMQP, file.evidence(at, "code")))

    def _amqp_publish(
        self, file: SourceFile, facts: SourceFacts, scope: Scope, at: int, exchange: str, key: str
    ) -> None:
        """On the exchange when it is named, else on the routing key."""
        folded = scope.fold_one(exchange, at)
        emit(file, facts, scope, at, exchange if folded != "" else key, "publish", AMQP)

    def _go(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        for match in find_all(file, _GO_CALL):
            method, args = match.group(1), call_args(file.text, match.end() - 1) or []
            skip = 1 if method.endswith("Context") else 0
            args = args[skip:]
            if method.startswith("Publish") and len(args) >= 3:
                self._amqp_publish(file, facts, scope, match.start(), args[0], args[1])
            elif method.startswith("Consume") and len(args) >= 3:
                if scope.fold_one(args[0]) != "":
                    emit(file, facts, scope, match.start(), args[0], "subscribe", AMQP)
            elif method == "QueueBind" and len(args) >= 3:
                emit(file, facts, scope, match.start(), args[2], "subscribe", AMQP)

    def _cs(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        text = file.text
        if "RabbitMQ.Client" in text:
            for match in find_all(file, _CS_RABBIT):
                args = call_args(text, match.end() - 1) or []
                keyed = named(args, ":")
                plain = [a for a in args if not re.match(r"^\w+\s*:(?!:)", a)]
                plain += ['""'] * 3
                if match.group(1) == "BasicPublish":
                    exchange, key = keyed.get("exchange", plain[0]), keyed.get("routingKey", plain[1])
                    self._amqp_publish(file, facts, scope, match.start(), exchange, key)
                elif match.group(1) == "BasicConsume":
                    queue = keyed.get("queue") or (
                        plain[0] if scope.fold_one(plain[0]) is not None else plain[1]
                    )
                    emit(file, facts, scope, match.start(), queue, "subscribe", AMQP)
                else:
                    emit(
                        file, facts, scope, match.start(), keyed.get("exchange", plain[1]), "subscribe", AMQP
                    )
        if "MassTransit" not in text:
            return
        for match in find_all(file, _MASS_TRANSIT):
            at = match.start()
            if match.group(2) or match.group(3) or match.group(4):
                direction = "subscribe" if match.group(2) else "publish"
                name = match.group(2) or match.group(3) or match.group(4)
                facts.messages.append(Message(name, direction, AMQP, file.evidence(at, "code")))
                continue
            args = call_args(text, match.end() - 1) or []
            if match.group(1):  # ReceiveEndpoint(host?, "queue", ...)
                queue = next((a for a in args if scope.fold_one(a, at)), args[0] if args else "")
                emit(file, facts, scope, at, queue, "subscribe", AMQP)
            elif args:
                uri = scope.fold_one(args[0], at)
                name = re.sub(r"^(?:queue|exchange|topic):|^\w+://[^/]*/(?:.*/)?", "", uri or "")
                if uri is None or not name:
                    emit(file, facts, scope, at, args[0], "publish", AMQP)
                else:
                    facts.messages.append(
                        Message(name.split("?")[0], "publish", AMQP, file.evidence(at, "code"))
                    )

    def _js(self, file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
        text = file.text
        if re.search(r"amqplib|amqp-connection-manager", text):
            for match in find_all(file, _JS_AMQP):
                method, args, at = match.group(2), call_args(text, match.end() - 1) or [], match.start()
                if method == "sendToQueue" and args:
                    emit(file, facts, scope, at, args[0], "publish", AMQP)
                elif method == "publish" and len(args) >= 3:
                    self._amqp_publish(file, facts, scope, at, args[0], args[1])
                elif method == "consume" and len(args) >= 2:
                    emit(file, facts, scope, at, args[0], "subscribe", AMQP)
                elif method == "bindQueue" and len(args) >= 2:
                    emit(file, facts, scope, at, args[1], "subscribe", AMQP)
        if not _STOMP_LIBS.search(text):
            return
        for match in find_all(file, _STOMP):
            args, at = call_args(text, match.end() - 1) or [], match.start()
            if not args:
                continue
            direction = "subscribe" if match.group(2) in ("subscribe", "watch") else "publish"
            props = object_props(scope, args[0])
            expr = props.get("destination") if props is not None else args[0]
            value = scope.fold_one(expr, at) if expr else None
            if value is None:
                if props is not None and expr:  # a destination we cannot read
                    emit(file, facts, scope, at, expr, direction, JMS)
                continue
            destination = re.sub(r"^/(?:queue|topic|amq/queue)/", "", value)
            if (
                destination
                and not destination.startswith("/")
                and (props is not None or destination != value)
            ):
                facts.messages.append(Message(destination, direction, JMS, file.evidence(at, "code")))


def _worth(file: SourceFile) -> bool:
    """The file holds one of _NEEDLES (the registry's condition) and what its language needs: Go the
    amqp091-go or streadway/amqp import, C# RabbitMQ.Client or MassTransit, JS/TS amqplib,
    amqp-connection-manager or a STOMP library; in JVM code listeners and template types hold Jms, Rabbit
    or Amqp, the JMS API jms, and a receiver named like a template (any case) "template"."""
    text, suffix = file.text, file.suffix
    if suffix == ".go":
        return "amqp" in text
    if suffix == ".cs":
        return "RabbitMQ.Client" in text or "MassTransit" in text
    if suffix in JS:
        return "amqp" in text or "stomp" in text
    if holds(text, ("Jms", "jms", "Rabbit", "Amqp")):
        return True
    return "template" in lowered(file) and holds(text, _NEEDLES)


DETECTOR = JmsAmqp()

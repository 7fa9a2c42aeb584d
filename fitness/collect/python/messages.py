"""Receivers and messages in Python code (``ast`` only; see :mod:`calls_python` for calls).

A receiver's kind comes from the constructor bound to it, a parameter annotation, or an import;
without one, a few names count in a module that imports the client library (below).

- Kafka (kafka-python, aiokafka, confluent-kafka): ``send``/``send_and_wait``/``produce`` on a producer,
  topics given to ``KafkaConsumer``/``AIOKafkaConsumer`` and ``subscribe``. Without a known constructor, a
  receiver whose name contains ``producer``/``consumer`` counts in a module that imports a Kafka client.
  A pattern subscription (``pattern=``, ``^regex``) is Unresolved.
- RabbitMQ: pika ``basic_publish`` (topic = the exchange when non-empty, else the routing key: that is
  where a default-exchange publish lands), ``basic_consume(queue)``, ``queue_bind(exchange)`` (subscribe on
  the exchange); aio-pika and kombu ``publish(msg, routing_key=, exchange=)`` (same rule, the exchange
  known from ``declare_exchange``/``get_exchange``/``Exchange``; an exchange object we cannot identify
  counts as the default one), ``declare_queue("q")`` followed by ``.consume``/``.iterator`` (subscribe on
  ``q``) or ``.bind(exchange)``. ``queue_declare`` alone is not a subscription.
- Celery: ``@app.task``/``@shared_task`` subscribe on ``name=`` or ``<module>.<function>``;
  ``send_task("name")`` and ``task.delay()/apply_async()`` on an imported or local task publish on it
  (on the task's ``name=`` when its module is part of the scan).
- Nameko: ``@rpc`` subscribes on ``<service name>.<method>``; ``@event_handler("payments", "paid")`` on
  ``payments.paid``; an ``EventDispatcher`` attribute called with ``"placed"`` publishes on
  ``<own name>.placed`` (``event_dispatcher(config)("orders", "placed")`` on ``orders.placed``);
  ``RpcProxy("inventory")``/``ServiceRpc``/``ClusterRpcProxy`` calls are Calls with protocol ``rpc``
  (a proxy never called in its module is still one Call, at its declaration).
- Redis: ``publish("ch")`` on a client, ``subscribe``/``psubscribe`` on a pubsub (a psubscribe topic is
  the glob as written; ``subscribe(ch=handler)`` names the channel ``ch``).

A topic that does not fold to a literal is Unresolved(kind="topic").
"""

from __future__ import annotations

import ast

from fitness.collect.python.pymodel import Ctx, Found, PyModule, Str, argument, keyword
from fitness.model import Evidence
from fitness.model.facts import Call, Message, Unresolved

KAFKA_CONSUMERS = frozenset({"kafka.KafkaConsumer", "aiokafka.AIOKafkaConsumer"})
CONSTRUCTORS: dict[str, str] = {
    **dict.fromkeys(
        ["requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client"], "http"
    ),
    **dict.fromkeys(["httpx.AsyncClient", "aiohttp.ClientSession", "aiohttp.client.ClientSession"], "http"),
    **dict.fromkeys(
        ["kafka.KafkaProducer", "aiokafka.AIOKafkaProducer", "confluent_kafka.Producer"], "kafka-producer"
    ),
    "confluent_kafka.SerializingProducer": "kafka-producer",
    **dict.fromkeys([*KAFKA_CONSUMERS, "confluent_kafka.Consumer"], "kafka-consumer"),
    "confluent_kafka.DeserializingConsumer": "kafka-consumer",
    **{f"{m}.{c}": "redis" for m in ("redis", "redis.asyncio", "aioredis") for c in ("Redis", "StrictRedis")},
    **{f"{m}.from_url": "redis" for m in ("redis", "redis.asyncio", "aioredis", "redis.Redis")},
    **dict.fromkeys(["nameko.rpc.RpcProxy", "nameko.rpc.ServiceRpc"], "nameko-proxy"),
    **dict.fromkeys(
        ["nameko.standalone.rpc.ServiceRpcProxy", "nameko.standalone.rpc.ServiceRpcClient"], "nameko-proxy"
    ),
    **dict.fromkeys(
        ["nameko.standalone.rpc.ClusterRpcProxy", "nameko.standalone.rpc.ClusterRpcClient"], "nameko-cluster"
    ),
    "nameko.events.EventDispatcher": "nameko-dispatcher",
    "nameko.standalone.events.event_dispatcher": "nameko-standalone",
    "urllib.request.Request": "urllib-request",
    "kombu.Exchange": "amqp-exchange",
}
_DERIVED = {
    "declare_queue": "amqp-queue",
    "declare_exchange": "amqp-exchange",
    "get_exchange": "amqp-exchange",
}
KAFKA_ROOTS = frozenset({"kafka", "aiokafka", "confluent_kafka"})
REDIS_ROOTS = frozenset({"redis", "aioredis"})
NOT_CELERY = frozenset({"prefect", "invoke", "luigi", "airflow", "dagster"})
CELERY_DECORATORS = frozenset({"celery.shared_task", "celery.task", "celery.app.shared_task"})
Kind = tuple[str, "ast.Call | None", Ctx]


def task_names(module: PyModule) -> dict[str, str]:
    """Celery tasks defined in ``module``: function name -> task name."""
    if module.tasks is None:
        module.tasks = {}
        for function in module.functions:
            for decorator in function.node.decorator_list:
                name = _task_name(module, function.node, decorator, function.ctx)
                if name is not None and name.literal is not None:
                    module.tasks[function.node.name] = name.literal
    return module.tasks


def _task_name(module: PyModule, node: ast.AST, decorator: ast.expr, ctx: Ctx) -> Str | None:
    """The name a Celery task decorator gives its function (``name=`` or ``<module>.<function>``)."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    qual = module.qualname(target)
    if qual not in CELERY_DECORATORS:
        if not isinstance(target, ast.Attribute) or target.attr != "task":
            return None
        if qual is not None and qual.split(".")[0] in NOT_CELERY:
            return None
    explicit = keyword(decorator, "name") if isinstance(decorator, ast.Call) else None
    if explicit is not None:
        return module.resolve_str(explicit, ctx)
    return Str([(f"{module.name}.{getattr(node, 'name', '')}", True)])


class MessageDetector:
    """What every detector needs (evidence, topics, receiver kinds) and the message constructs."""

    def __init__(self, module: PyModule, found: Found) -> None:
        self.module = module
        self.found = found
        self.roots = module.roots()
        self.used_proxies: set[int] = set()

    # -- evidence and topics --------------------------------------------------------------------

    def evidence(self, line: int) -> Evidence:
        return Evidence(self.module.path, line, self.module.text(line), "code")

    def topic(self, line: int, expr: ast.expr | None, ctx: Ctx, direction: str, broker: str) -> None:
        if expr is not None:
            self.topic_value(line, ctx.module.resolve_str(expr, ctx), direction, broker)

    def topic_value(self, line: int, value: Str, direction: str, broker: str) -> None:
        """A Message when ``value`` is literal, else Unresolved(kind="topic")."""
        if value.literal is not None:
            self.found.messages.append(Message(value.literal, direction, broker, self.evidence(line)))
        else:
            source = f"environment variable {value.env}" if value.env else "code"
            why = f"{broker} {direction} topic built at run time ({source}): {value.render()}"
            self.found.unresolved.append(Unresolved("topic", why, self.evidence(line)))

    def dotted(self, ctx: Ctx, first: ast.expr | str | None, second: ast.expr | None) -> Str | None:
        """``first.second`` as a Str (nameko's ``service.event``); None when an argument is missing."""
        if first is None or second is None:
            return None
        head = Str([(first, True)]) if isinstance(first, str) else ctx.module.resolve_str(first, ctx)
        return head + Str([(".", True)]) + ctx.module.resolve_str(second, ctx)

    # -- kinds of receivers ---------------------------------------------------------------------

    def kind(self, expr: ast.expr, ctx: Ctx, depth: int = 0) -> Kind | None:
        """What object ``expr`` is, from the constructor or annotation it was bound to."""
        if depth > 6:
            return None
        target, where = ctx.module.follow(expr, ctx)
        if isinstance(target, str):
            return (CONSTRUCTORS[target], None, where) if target in CONSTRUCTORS else None
        if isinstance(target, ast.Attribute) and target.attr == "default_exchange":
            return "amqp-default", None, where
        if not isinstance(target, ast.Call):
            return None
        qual = where.module.qualname(target.func)
        if qual in CONSTRUCTORS:
            return CONSTRUCTORS[qual], target, where
        func = target.func
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr in _DERIVED:
            return _DERIVED[func.attr], target, where
        if func.attr in ("pubsub", "start"):
            inner = self.kind(func.value, where, depth + 1)
            if func.attr == "pubsub" and (
                (inner is not None and inner[0] == "redis") or REDIS_ROOTS & self.roots
            ):
                return "redis-pubsub", target, where
            return inner if func.attr != "pubsub" else None
        return None

    def kind_name(self, expr: ast.expr, ctx: Ctx) -> str:
        found = self.kind(expr, ctx)
        return found[0] if found else ""

    def strings(self, args: list[ast.expr], ctx: Ctx) -> list[ast.expr]:
        """String arguments, with ``*TOPICS`` and list/tuple literals (or names bound to them) spread."""
        out: list[ast.expr] = []
        for arg in args:
            value = arg.value if isinstance(arg, ast.Starred) else arg
            target, _ = self.module.follow(value, ctx)
            if isinstance(target, (ast.List, ast.Tuple, ast.Set)):
                out.extend(target.elts)
            else:
                out.append(value)
        return out

    # -- messages -------------------------------------------------------------------------------

    def kafka_publish(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        kind = self.kind_name(receiver, ctx)
        if kind == "kafka-producer" or (
            not kind and KAFKA_ROOTS & self.roots and "producer" in _name(receiver)
        ):
            self.topic(call.lineno, argument(call, 0, "topic"), ctx, "publish", "kafka")

    def subscribe(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        assert isinstance(call.func, ast.Attribute)
        kind = self.kind_name(receiver, ctx)
        name = _name(receiver)
        if kind == "redis-pubsub" or (not kind and REDIS_ROOTS & self.roots and "pubsub" in name):
            topics = self.strings(call.args, ctx)
            for expr in topics:
                self.topic(call.lineno, expr, ctx, "subscribe", "redis")
            for kw in call.keywords:  # subscribe(orders=handler)
                if kw.arg is not None:
                    self.topic(
                        call.lineno, ast.Constant(kw.arg, lineno=call.lineno), ctx, "subscribe", "redis"
                    )
        elif call.func.attr == "subscribe" and (
            kind == "kafka-consumer" or (not kind and KAFKA_ROOTS & self.roots and "consumer" in name)
        ):
            pattern = keyword(call, "pattern")
            if pattern is not None:
                why = f"kafka subscribe by pattern: {self.module.resolve_str(pattern, ctx).render()}"
                self.found.unresolved.append(Unresolved("topic", why, self.evidence(call.lineno)))
            given = argument(call, 0, "topics")
            for expr in self.strings([given] if given is not None else [], ctx):
                value = self.module.resolve_str(expr, ctx).literal
                if value is not None and value.startswith("^"):
                    why = f"kafka subscribe by pattern: {value}"
                    self.found.unresolved.append(Unresolved("topic", why, self.evidence(call.lineno)))
                else:
                    self.topic(call.lineno, expr, ctx, "subscribe", "kafka")

    def publish(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        routing_key, exchange = keyword(call, "routing_key"), keyword(call, "exchange")
        if routing_key is not None or exchange is not None:
            if exchange is None:  # aio-pika: exchange.publish(message, routing_key=...)
                self.amqp_publish(call.lineno, ctx, receiver, routing_key, receiver=True)
            else:  # kombu: producer.publish(body, exchange=..., routing_key=...)
                self.amqp_publish(call.lineno, ctx, exchange, routing_key)
            return
        kind = self.kind_name(receiver, ctx)
        name = _name(receiver)
        if kind == "redis" or (not kind and REDIS_ROOTS & self.roots and ("redis" in name or name == "r")):
            self.topic(call.lineno, argument(call, 0, "channel"), ctx, "publish", "redis")

    def amqp_publish(
        self, line: int, ctx: Ctx, exchange: ast.expr | None, key: ast.expr | None, *, receiver: bool = False
    ) -> None:
        """Publish on the exchange when it is named, else on the routing key (the default exchange
        routes to the queue of that name); an exchange object we cannot identify counts as default."""
        name = self.exchange_name(exchange, ctx) if exchange is not None else Str([("", True)])
        if name.literal == "" or (name.literal is None and receiver):
            self.topic(line, key, ctx, "publish", "rabbitmq")
        else:
            self.topic_value(line, name, "publish", "rabbitmq")

    def exchange_name(self, expr: ast.expr, ctx: Ctx) -> Str:
        """The name of an exchange: a string, ``Exchange("orders")``, ``declare_exchange("orders")``;
        empty for the default exchange."""
        kind = self.kind(expr, ctx)
        if kind is not None and kind[0] == "amqp-exchange" and kind[1] is not None:
            name = argument(kind[1], 0, "name")
            return kind[2].module.resolve_str(name, kind[2]) if name is not None else Str([("", True)])
        if kind is not None and kind[0] == "amqp-default":
            return Str([("", True)])
        return ctx.module.resolve_str(expr, ctx)

    def pika(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        assert isinstance(call.func, ast.Attribute)
        method = call.func.attr
        if method == "basic_publish":
            self.amqp_publish(
                call.lineno, ctx, argument(call, 0, "exchange"), argument(call, 1, "routing_key")
            )
        elif method == "queue_bind":
            self.topic(call.lineno, argument(call, 1, "exchange"), ctx, "subscribe", "rabbitmq")
        else:  # basic_consume(queue=...), basic_consume("q", cb) (pika 1) or basic_consume(cb, "q") (0.x)
            queue = keyword(call, "queue")
            if queue is None and call.args:
                first = self.module.resolve_str(call.args[0], ctx)
                queue = call.args[1] if first.literal is None and len(call.args) > 1 else call.args[0]
            self.topic(call.lineno, queue, ctx, "subscribe", "rabbitmq")

    def queue_use(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        assert isinstance(call.func, ast.Attribute)
        kind = self.kind(receiver, ctx)
        if kind is None or kind[0] != "amqp-queue" or kind[1] is None:
            return
        if call.func.attr == "bind":
            exchange = argument(call, 0, "exchange")
            if exchange is not None:
                self.topic_value(call.lineno, self.exchange_name(exchange, ctx), "subscribe", "rabbitmq")
            return
        _, declared, where = kind
        name = argument(declared, 0, "name") if declared is not None else None
        if name is not None:
            self.topic(call.lineno, name, where, "subscribe", "rabbitmq")

    def send_task(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        self.topic(call.lineno, argument(call, 0, "name"), ctx, "publish", "celery")

    def delay(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        module = self.module
        if isinstance(receiver, ast.Name) and receiver.id in task_names(module):
            qual: str | None = f"{module.name}.{receiver.id}"
        else:
            qual = module.qualname(receiver)
        if qual is None:
            return
        module_name, _, function = qual.rpartition(".")
        other = module.registry.get(module_name)
        if other is not None:
            if function not in task_names(other):
                return
            qual = task_names(other)[function]
        line = call.lineno
        self.found.messages.append(Message(qual, "publish", "celery", self.evidence(line)))

    # -- decorators and nameko ------------------------------------------------------------------

    def decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Ctx) -> None:
        for decorator in node.decorator_list:
            line = decorator.lineno
            name = _task_name(self.module, node, decorator, ctx)
            if name is not None:
                self.topic_value(line, name, "subscribe", "celery")
                continue
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            qual = self.module.qualname(target)
            topic: Str | None = None
            if qual == "nameko.rpc.rpc":
                service = self.service_name(ctx)
                topic = Str([(f"{service}.{node.name}", True)]) if service is not None else None
            elif qual == "nameko.events.event_handler" and isinstance(decorator, ast.Call):
                source, event = argument(decorator, 0, "source_service"), argument(decorator, 1, "event_type")
                topic = self.dotted(ctx, source, event)
            if topic is not None:
                self.topic_value(line, topic, "subscribe", "nameko")

    def service_name(self, ctx: Ctx) -> str | None:
        """The ``name = "orders"`` of the nameko service class around ``ctx`` (Unresolved if not literal)."""
        cls = ctx.cls
        found = cls.attrs.get("name") if cls is not None else None
        if found and not isinstance(found[-1].value, str):
            value = self.module.resolve_str(found[-1].value, ctx).literal
            if value is not None:
                return value
        why = "nameko service class without a literal name"
        self.found.unresolved.append(Unresolved("topic", why, self.evidence(ctx.line)))
        return None

    def nameko_call(self, call: ast.Call, ctx: Ctx, func: ast.Attribute) -> None:
        is_self = isinstance(func.value, ast.Name) and func.value.id == "self"
        if is_self and self.kind_name(func, ctx) == "nameko-dispatcher":
            topic = self.dotted(ctx, self.service_name(ctx), argument(call, 0, "event_type"))
            if topic is not None:
                self.topic_value(call.lineno, topic, "publish", "nameko")
            return
        if func.attr == "call_async" and isinstance(func.value, ast.Attribute):
            func = func.value
        receiver = func.value
        kind = self.kind(receiver, ctx)
        if kind is not None and kind[0] == "nameko-proxy" and kind[1] is not None:
            self.used_proxies.add(id(kind[1]))
            service = _proxy_target(kind[1], kind[2])
            if service is not None:
                self.rpc(call.lineno, service, func.attr)
        elif isinstance(receiver, ast.Attribute) and self.kind_name(receiver.value, ctx) == "nameko-cluster":
            self.rpc(call.lineno, receiver.attr, func.attr)

    def rpc(self, line: int, service: str, method: str) -> None:
        target = f"{service}.{method}" if method else service
        self.found.calls.append(Call(service, target, "rpc", self.evidence(line)))

    def unused_proxies(self) -> None:
        """An ``RpcProxy("inventory")`` attribute never called in this module still names a dependency."""
        for cls in self.module.classes.values():
            for bindings in cls.attrs.values():
                for binding in bindings:
                    value = binding.value
                    if not isinstance(value, ast.Call) or id(value) in self.used_proxies:
                        continue
                    if CONSTRUCTORS.get(self.module.qualname(value.func) or "") == "nameko-proxy":
                        service = _proxy_target(value, Ctx(self.module, binding.scope, cls, binding.line))
                        if service is not None:
                            self.rpc(binding.line, service, "")


MESSAGE_METHODS = {
    **dict.fromkeys(("send", "send_and_wait", "produce"), MessageDetector.kafka_publish),
    **dict.fromkeys(("subscribe", "psubscribe"), MessageDetector.subscribe),
    "publish": MessageDetector.publish,
    **dict.fromkeys(("basic_publish", "basic_consume", "queue_bind"), MessageDetector.pika),
    **dict.fromkeys(("consume", "iterator", "bind"), MessageDetector.queue_use),
    "send_task": MessageDetector.send_task,
    **dict.fromkeys(("delay", "apply_async"), MessageDetector.delay),
}


def _proxy_target(proxy: ast.Call, ctx: Ctx) -> str | None:
    """The service an ``RpcProxy("inventory")`` / ``ServiceRpcProxy("inventory", config)`` calls."""
    target = argument(proxy, 0, "target_service") or keyword(proxy, "service_name")
    return ctx.module.resolve_str(target, ctx).literal if target is not None else None


def _name(expr: ast.expr) -> str:
    """The last identifier of a receiver, lower-case: ``self.kafka_producer`` -> ``kafka_producer``."""
    if isinstance(expr, ast.Name):
        return expr.id.lower()
    if isinstance(expr, ast.Attribute):
        return expr.attr.lower()
    return ""

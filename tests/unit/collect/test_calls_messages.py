"""The call collector on real files in tmp_path: publish and subscribe in Python (Kafka, RabbitMQ,
Celery, Nameko, Redis)."""

from __future__ import annotations

from fitness.collect.code.calls import CallScan, scan_calls
from fitness.model import Evidence
from fitness.model.facts import Call
from tests.conftest import WriteTree


def scan(write_tree: WriteTree, files: dict[str, str | bytes]) -> CallScan:
    root = write_tree(files)
    return scan_calls(sorted(p for p in root.rglob("*") if p.is_file()), root)


def facts(result: CallScan) -> list[tuple[str, str, str, int]]:
    """(direction, broker, topic, line), in line order."""
    return sorted(
        ((m.direction, m.broker, m.topic, m.evidence.line) for m in result.messages),
        key=lambda f: (f[3], f[2]),
    )


def unresolved(result: CallScan) -> list[tuple[str, int, str]]:
    return sorted((u.kind, u.evidence.line, u.reason) for u in result.unresolved)


def test_kafka_python_aiokafka_and_confluent(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/events.py": (
                "from kafka import KafkaConsumer, KafkaProducer\n"
                "from aiokafka import AIOKafkaConsumer, AIOKafkaProducer\n"
                "import confluent_kafka\n"
                'TOPICS = ["payments", "refunds"]\n'
                "producer = KafkaProducer(bootstrap_servers='kafka:9092')\n"
                "\n"
                "def run(topic):\n"
                '    producer.send("orders", b"x")\n'
                '    KafkaConsumer("stock", "prices", group_id="g")\n'
                "    consumer = KafkaConsumer(*TOPICS)\n"
                '    consumer.subscribe(topics=["audit"])\n'
                "    producer.send(topic, b'x')\n"
                "    consumer.subscribe(pattern='^shop-.*')\n"
                "\n"
                "class Bus:\n"
                "    def __init__(self):\n"
                '        self.p = confluent_kafka.Producer({"bootstrap.servers": "kafka:9092"})\n'
                '        self.c = confluent_kafka.Consumer({"group.id": "g"})\n'
                "    def go(self):\n"
                '        self.p.produce("invoices", value=b"x")\n'
                '        self.c.subscribe(["invoices-dlq"])\n'
                "\n"
                "async def aio():\n"
                '    p = AIOKafkaProducer(bootstrap_servers="kafka:9092")\n'
                '    await p.send_and_wait(topic="shipments", value=b"x")\n'
                '    c = AIOKafkaConsumer("returns")\n'
                "\n"
                "def untyped(kafka_producer, order_consumer, queue):\n"
                '    kafka_producer.send("by-name", b"x")\n'
                '    order_consumer.subscribe(["by-name-in"])\n'
                '    queue.send("not-kafka")\n'
            )
        },
    )
    assert facts(result) == [
        ("publish", "kafka", "orders", 8),
        ("subscribe", "kafka", "prices", 9),
        ("subscribe", "kafka", "stock", 9),
        ("subscribe", "kafka", "payments", 10),
        ("subscribe", "kafka", "refunds", 10),
        ("subscribe", "kafka", "audit", 11),
        ("publish", "kafka", "invoices", 20),
        ("subscribe", "kafka", "invoices-dlq", 21),
        ("publish", "kafka", "shipments", 25),
        ("subscribe", "kafka", "returns", 26),
        ("publish", "kafka", "by-name", 29),
        ("subscribe", "kafka", "by-name-in", 30),
    ]
    assert unresolved(result) == [
        ("topic", 12, "kafka publish topic built at run time (code): {topic}"),
        ("topic", 13, "kafka subscribe by pattern: ^shop-.*"),
    ]
    assert result.messages[0].evidence == Evidence(
        "svc/events.py", 11, 'consumer.subscribe(topics=["audit"])', "code"
    )


def test_send_without_a_kafka_import_is_not_a_message(write_tree: WriteTree) -> None:
    result = scan(
        write_tree, {"svc/ws.py": 'def f(producer, sock):\n    producer.send("x")\n    sock.send("y")\n'}
    )
    assert result.messages == [] and result.unresolved == []


def test_pika(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/rabbit.py": (
                "import pika\n"
                "QUEUE = 'orders'\n"
                "def run(channel, cb):\n"
                "    channel.queue_declare(queue=QUEUE)\n"
                '    channel.basic_publish(exchange="", routing_key=QUEUE, body=b"x")\n'
                '    channel.basic_publish("events", "order.placed", b"x")\n'
                "    channel.basic_consume(queue='payments', on_message_callback=cb)\n"
                "    channel.basic_consume('stock', cb)\n"
                "    channel.basic_consume(cb, 'legacy')\n"
                "    channel.queue_bind(queue='mine', exchange='billing', routing_key='#')\n"
            )
        },
    )
    assert facts(result) == [
        ("publish", "rabbitmq", "orders", 5),
        ("publish", "rabbitmq", "events", 6),
        ("subscribe", "rabbitmq", "payments", 7),
        ("subscribe", "rabbitmq", "stock", 8),
        ("subscribe", "rabbitmq", "legacy", 9),
        ("subscribe", "rabbitmq", "billing", 10),
    ]


def test_aio_pika_and_kombu(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/amqp.py": (
                "import aio_pika\n"
                "from kombu import Exchange\n"
                "async def main(channel, msg, producer):\n"
                '    await channel.default_exchange.publish(msg, routing_key="emails")\n'
                '    exchange = await channel.declare_exchange("orders", aio_pika.ExchangeType.FANOUT)\n'
                '    await exchange.publish(msg, routing_key="ignored")\n'
                '    queue = await channel.declare_queue("invoices", durable=True)\n'
                "    await queue.consume(print)\n"
                '    other = await channel.declare_queue("refunds")\n'
                "    async with other.iterator() as it:\n"
                "        pass\n"
                "    await other.bind(exchange)\n"
                '    await channel.declare_queue("declared-only")\n'
                '    producer.publish({}, exchange=Exchange("billing"), routing_key="x")\n'
            )
        },
    )
    assert facts(result) == [
        ("publish", "rabbitmq", "emails", 4),
        ("publish", "rabbitmq", "orders", 6),
        ("subscribe", "rabbitmq", "invoices", 8),
        ("subscribe", "rabbitmq", "refunds", 10),
        ("subscribe", "rabbitmq", "orders", 12),
        ("publish", "rabbitmq", "billing", 14),
    ]


def test_celery_tasks_send_task_delay_and_apply_async(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "shop/__init__.py": "",
            "shop/tasks.py": (
                "from celery import Celery, shared_task\n"
                "app = Celery('shop')\n"
                "@app.task\n"
                "def reserve(order_id):\n"
                "    pass\n"
                "@shared_task(name='billing.charge', bind=True)\n"
                "def charge(self):\n"
                "    reserve.delay(1)\n"
                "def plain():\n"
                "    pass\n"
            ),
            "shop/api.py": (
                "from shop.tasks import charge, plain, reserve\n"
                "from . import tasks\n"
                "from notifications.tasks import send_email\n"
                "from .celery import app\n"
                "def place(name):\n"
                "    reserve.delay(1)\n"
                "    tasks.charge.apply_async(args=[1])\n"
                "    send_email.delay('x')\n"
                "    app.send_task('shipping.ship', args=[1])\n"
                "    app.send_task(name)\n"
                "    plain.delay()\n"
            ),
        },
    )
    assert sorted(facts(result)) == [
        ("publish", "celery", "billing.charge", 7),
        ("publish", "celery", "notifications.tasks.send_email", 8),
        ("publish", "celery", "shipping.ship", 9),
        ("publish", "celery", "shop.tasks.reserve", 6),
        ("publish", "celery", "shop.tasks.reserve", 8),
        ("subscribe", "celery", "billing.charge", 6),
        ("subscribe", "celery", "shop.tasks.reserve", 3),
    ]
    by_path = {(m.evidence.path, m.evidence.line) for m in result.messages}
    assert ("shop/tasks.py", 8) in by_path and ("shop/api.py", 8) in by_path
    assert unresolved(result) == [("topic", 10, "celery publish topic built at run time (code): {name}")]


def test_nameko_rpc_events_and_proxies(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "orders/service.py": (
                "from nameko.events import EventDispatcher, event_handler\n"
                "from nameko.rpc import RpcProxy, rpc\n"
                "from nameko.standalone.rpc import ClusterRpcProxy\n"
                "\n"
                "class OrdersService:\n"
                '    name = "orders"\n'
                '    inventory = RpcProxy("inventory")\n'
                '    audit = RpcProxy("audit")\n'
                "    dispatch = EventDispatcher()\n"
                "\n"
                "    @rpc\n"
                "    def place(self, order):\n"
                "        self.inventory.reserve(order)\n"
                "        self.inventory.release.call_async(order)\n"
                '        self.dispatch("order_placed", order)\n'
                "\n"
                '    @event_handler("payments", "payment_completed")\n'
                "    def paid(self, payload):\n"
                "        pass\n"
                "\n"
                "def script(config):\n"
                "    with ClusterRpcProxy(config) as cluster:\n"
                "        cluster.shipping.ship(1)\n"
            )
        },
    )
    path = "orders/service.py"
    assert facts(result) == [
        ("subscribe", "nameko", "orders.place", 11),
        ("publish", "nameko", "orders.order_placed", 15),
        ("subscribe", "nameko", "payments.payment_completed", 17),
    ]
    assert [(c.host, c.target, c.protocol, c.evidence.line) for c in result.calls] == [
        ("audit", "audit", "rpc", 8),
        ("inventory", "inventory.release", "rpc", 14),
        ("inventory", "inventory.reserve", "rpc", 13),
        ("shipping", "shipping.ship", "rpc", 23),
    ]
    assert result.calls[2] == Call(
        "inventory", "inventory.reserve", "rpc", Evidence(path, 13, "self.inventory.reserve(order)", "code")
    )


def test_redis_pub_sub(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/live.py": (
                "import redis\n"
                "r = redis.Redis(host='redis')\n"
                "def run(cache):\n"
                "    r.publish('prices', '1')\n"
                "    p = r.pubsub()\n"
                "    p.subscribe('stock', 'orders')\n"
                "    p.psubscribe('news.*')\n"
                "    r.pubsub().subscribe(alerts=print)\n"
                "    cache.publish('not-redis')\n"
            )
        },
    )
    assert facts(result) == [
        ("publish", "redis", "prices", 4),
        ("subscribe", "redis", "orders", 6),
        ("subscribe", "redis", "stock", 6),
        ("subscribe", "redis", "news.*", 7),
        ("subscribe", "redis", "alerts", 8),
    ]


def test_messages_from_constants_and_env_defaults(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/conf.py": "import os\nTOPIC = os.getenv('ORDERS_TOPIC', 'orders')\n",
            "svc/pub.py": (
                "import os\n"
                "from kafka import KafkaProducer\n"
                "from conf import TOPIC\n"
                "p = KafkaProducer()\n"
                "p.send(TOPIC, b'')\n"
                "p.send(os.environ['OTHER_TOPIC'], b'')\n"
            ),
        },
    )
    assert facts(result) == [("publish", "kafka", "orders", 5)]
    assert unresolved(result) == [
        (
            "topic",
            6,
            "kafka publish topic built at run time (environment variable OTHER_TOPIC): {os.environ['OTHER_TOPIC']}",
        )
    ]


def test_nameko_names_built_at_run_time_and_standalone_clients(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/tools.py": (
                "import os\n"
                "from nameko.events import event_handler\n"
                "from nameko.rpc import rpc\n"
                "from nameko.standalone.events import event_dispatcher\n"
                "from nameko.standalone.rpc import ServiceRpcProxy\n"
                "\n"
                "class Nameless:\n"
                "    @rpc\n"
                "    def ping(self):\n"
                "        pass\n"
                '    @event_handler(os.environ["SOURCE"], "done")\n'
                "    def done(self, payload):\n"
                "        pass\n"
                "\n"
                "def script(config):\n"
                "    dispatch = event_dispatcher(config)\n"
                '    dispatch("billing", "invoice_sent", {})\n'
                '    with ServiceRpcProxy("ledger", config) as ledger:\n'
                "        ledger.record(1)\n"
            )
        },
    )
    assert facts(result) == [("publish", "nameko", "billing.invoice_sent", 17)]
    assert [(c.host, c.target, c.protocol, c.evidence.line) for c in result.calls] == [
        ("ledger", "ledger.record", "rpc", 19)
    ]
    assert unresolved(result) == [
        ("topic", 9, "nameko service class without a literal name"),
        (
            "topic",
            11,
            "nameko subscribe topic built at run time (environment variable SOURCE): "
            "{os.environ['SOURCE']}.done",
        ),
    ]


def test_aio_pika_exchange_objects_we_cannot_identify_publish_on_the_routing_key(
    write_tree: WriteTree,
) -> None:
    result = scan(
        write_tree,
        {
            "svc/pub.py": (
                "import aio_pika\n"
                "class Publisher:\n"
                "    async def send(self, msg, key):\n"
                '        await self.exchange.publish(msg, routing_key="order.created")\n'
                "        await self.exchange.publish(msg, routing_key=key)\n"
            )
        },
    )
    assert facts(result) == [("publish", "rabbitmq", "order.created", 4)]
    assert unresolved(result) == [("topic", 5, "rabbitmq publish topic built at run time (code): {key}")]

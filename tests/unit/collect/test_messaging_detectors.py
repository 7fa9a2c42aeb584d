"""The messaging detectors (kafka, jms_amqp, stream_bindings, message_constants) on small realistic
snippets per language, and on real corpus files when /work/shared/corpus exists."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from fitness.collect.code.registry import DETECTOR_MODULES, registry
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.model.facts import SourceFacts

CORPUS = Path("/work/shared/corpus")
Fact = tuple[str, str, str, int]


def run(module: str, path: str, text: str) -> SourceFacts:
    facts = SourceFacts()
    file = SourceFile(path, text, suffix_of(path))
    importlib.import_module(f"fitness.collect.code.detectors.{module}").DETECTOR.detect(file, facts)
    return facts


def messages(facts: SourceFacts) -> list[Fact]:
    """(direction, broker, topic, line) in line order."""
    return sorted(
        ((m.direction, m.broker, m.topic, m.evidence.line) for m in facts.messages),
        key=lambda f: (f[3], f[2]),
    )


def unresolved(facts: SourceFacts) -> list[tuple[int, str]]:
    return sorted((u.evidence.line, u.reason) for u in facts.unresolved)


def settings(facts: SourceFacts) -> list[tuple[str, str, int, str]]:
    return sorted((s.key, s.value, s.evidence.line, s.evidence.how) for s in facts.settings)


# -- kafka ---------------------------------------------------------------------------------------


SPRING_KAFKA = """\
package shop.orders;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

@Service
public class OrderEvents {
    private static final String PAYMENTS = "payments";

    @Value("${app.topics.refunds}")
    private String refundsTopic;

    private final KafkaTemplate<String, Order> template;

    @KafkaListener(topics = {"orders", PAYMENTS}, groupId = "shipping")
    public void onOrder(Order order) {}

    @KafkaListener(topics = "${kafka.inbound:inbound}")
    public void onInbound(String raw) {}

    @KafkaListener(topicPattern = "audit-.*")
    public void onAudit(String raw) {}

    public void publish(Order order) {
        template.send(PAYMENTS, order.getId(), order);
        template.send(refundsTopic, order);
        // template.send("old-topic", order);
        template.send(record);
        template.send(Topics.SHIPPED, order);
    }
}
"""


def test_spring_kafka_listeners_and_template() -> None:
    facts = run("kafka", "orders/src/main/java/shop/orders/OrderEvents.java", SPRING_KAFKA)
    assert messages(facts) == [
        ("subscribe", "kafka", "orders", 15),
        ("subscribe", "kafka", "payments", 15),
        ("subscribe", "kafka", "${kafka.inbound}", 18),
        ("publish", "kafka", "payments", 25),
        ("publish", "kafka", "${app.topics.refunds}", 26),
        ("publish", "kafka", "${Topics.SHIPPED}", 29),  # defined where Topics is: message_constants
    ]
    assert unresolved(facts) == [(21, "kafka subscribe by topicPattern")]


def test_kotlin_plain_consumer_with_env_topic_and_default() -> None:
    text = """\
import org.apache.kafka.clients.consumer.KafkaConsumer

val topic: String = System.getenv("KAFKA_TOPIC") ?: "orders"

fun main() {
    val consumer = KafkaConsumer<String, ByteArray>(props).apply {
        subscribe(listOf(topic))
    }
    flux.subscribe { println(it) }
    other.subscribe(Pattern.compile("orders-.*"))
    consumer.subscribe(Pattern.compile("orders-.*"))
}
"""
    facts = run("kafka", "fraud/src/main/kotlin/main.kt", text)
    assert messages(facts) == [("subscribe", "kafka", "${KAFKA_TOPIC}", 7)]
    assert settings(facts) == [("KAFKA_TOPIC", "orders", 3, "default")]
    assert unresolved(facts) == [(11, 'kafka subscribe by pattern `Pattern.compile("orders-.*")`')]


def test_producer_records_and_java_consumer_collections() -> None:
    text = """\
import org.apache.kafka.clients.producer.ProducerRecord;

class Relay {
    static final String OUT = "relay-out";
    void run() {
        consumer.subscribe(Arrays.asList("clicks", "views"));
        kafkaConsumer.subscribe(Collections.singletonList(OUT));
        producer.send(new ProducerRecord<>(OUT, key, value));
        producer.send(new ProducerRecord<String, String>("audit", value));
    }
}
"""
    facts = run("kafka", "relay/Relay.java", text)
    assert messages(facts) == [
        ("subscribe", "kafka", "clicks", 6),
        ("subscribe", "kafka", "views", 6),
        ("subscribe", "kafka", "relay-out", 7),
        ("publish", "kafka", "relay-out", 8),
        ("publish", "kafka", "audit", 9),
    ]


def test_kafka_streams_topology() -> None:
    text = """\
import org.apache.kafka.streams.StreamsBuilder;

class Topology {
    void build(StreamsBuilder builder) {
        builder.stream("page-views").mapValues(v -> v).to("enriched-views");
        builder.table(inputTopic);
    }
}
"""
    facts = run("kafka", "streams/Topology.java", text)
    assert messages(facts) == [
        ("publish", "kafka", "enriched-views", 5),
        ("subscribe", "kafka", "page-views", 5),
    ]
    assert unresolved(facts) == []  # a stream whose topic does not fold is not reported


def test_go_sarama_producer_and_consumers() -> None:
    text = """\
package main

import (
\t"os"

\t"github.com/IBM/sarama"
\t"github.com/acme/shop/checkout/kafka"
)

const ordersTopic = "orders" // where orders go

func send(p sarama.AsyncProducer) {
\tpayments := os.Getenv("PAYMENTS_TOPIC")
\tp.Input() <- &sarama.ProducerMessage{Topic: ordersTopic, Value: sarama.StringEncoder("x")}
\tmsg := sarama.ProducerMessage{
\t\tTopic: payments,
\t}
\tp.Input() <- &sarama.ProducerMessage{Topic: kafka.Topic}
\tpc, _ := consumer.ConsumePartition("refunds", 0, sarama.OffsetNewest)
\terr := group.Consume(ctx, []string{ordersTopic, "returns"}, handler)
}
"""
    facts = run("kafka", "checkout/main.go", text)
    assert messages(facts) == [
        ("publish", "kafka", "orders", 14),
        ("publish", "kafka", "${PAYMENTS_TOPIC}", 15),
        ("publish", "kafka", "${kafka.Topic}", 18),
        ("subscribe", "kafka", "refunds", 19),
        ("subscribe", "kafka", "orders", 20),
        ("subscribe", "kafka", "returns", 20),
    ]


def test_go_kafka_go_and_confluent() -> None:
    segmentio = """\
package main

import kafka "github.com/segmentio/kafka-go"

func run() {
\tr := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: "clicks", GroupID: "stats"})
\tw := &kafka.Writer{Addr: kafka.TCP(addr), Topic: getEnv("VIEWS_TOPIC", "views")}
}
"""
    facts = run("kafka", "stats/main.go", segmentio)
    assert messages(facts) == [("subscribe", "kafka", "clicks", 6), ("publish", "kafka", "${VIEWS_TOPIC}", 7)]
    assert settings(facts) == [("VIEWS_TOPIC", "views", 7, "default")]
    confluent = """\
package main

import "github.com/confluentinc/confluent-kafka-go/v2/kafka"

func run() {
\ttopic := "deliveries"
\tc.SubscribeTopics([]string{"orders"}, nil)
\tp.Produce(&kafka.Message{TopicPartition: kafka.TopicPartition{Topic: &topic, Partition: kafka.PartitionAny}}, nil)
}
"""
    facts = run("kafka", "courier/main.go", confluent)
    assert messages(facts) == [("subscribe", "kafka", "orders", 7), ("publish", "kafka", "deliveries", 8)]


def test_csharp_confluent_consumer_and_producer() -> None:
    text = """\
using Confluent.Kafka;

internal class Consumer : BackgroundService
{
    private static readonly string TopicName = Environment.GetEnvironmentVariable("KAFKA_TOPIC") ?? "orders";
    private readonly IConsumer<string, byte[]> _consumer;
    private readonly IProducer<string, string> _events;

    public Consumer()
    {
        _consumer.Subscribe(TopicName);
        _events.Produce("ledger", new Message<string, string> { Value = "x" });
        await producer.ProduceAsync(new TopicPartition("audit", new Partition(0)), message);
        updates.Subscribe(x => Console.WriteLine(x));
    }
}
"""
    facts = run("kafka", "accounting/Consumer.cs", text)
    assert messages(facts) == [
        ("subscribe", "kafka", "${KAFKA_TOPIC}", 11),
        ("publish", "kafka", "ledger", 12),
        ("publish", "kafka", "audit", 13),
    ]
    assert settings(facts) == [("KAFKA_TOPIC", "orders", 5, "default")]


def test_node_kafkajs() -> None:
    text = """\
const { Kafka } = require('kafkajs')
const TOPIC = process.env.ORDERS_TOPIC || 'orders'

async function run() {
  await producer.send({ topic: TOPIC, messages: [{ value: 'x' }] })
  await consumer.subscribe({ topic: 'payments', fromBeginning: true })
  await consumer.subscribe({ topics: ['refunds', 'returns'] })
  await consumer.subscribe({ topic: /audit-.*/ })
  await producer.sendBatch({ topicMessages: [{ topic: 'batch-a', messages }] })
  socket.send({ topic: 'chat' })
}
"""
    facts = run("kafka", "web/src/events.js", text)
    assert messages(facts) == [
        ("publish", "kafka", "${ORDERS_TOPIC}", 5),
        ("subscribe", "kafka", "payments", 6),
        ("subscribe", "kafka", "refunds", 7),
        ("subscribe", "kafka", "returns", 7),
        ("publish", "kafka", "batch-a", 9),
    ]
    assert unresolved(facts) == [(8, "kafka subscribe by pattern `/audit-.*/`")]
    assert settings(facts) == [("ORDERS_TOPIC", "orders", 2, "default")]


def test_node_kafka_node() -> None:
    text = """\
const kafka = require('kafka-node')
const payloads = [{ topic: 'clicks', messages: 'hi', partition: 0 }]
producer.send(payloads, done)
const consumer = new kafka.Consumer(client, [{ topic: 'views', partition: 0 }], { autoCommit: false })
const group = new ConsumerGroup(options, ['orders', 'refunds'])
"""
    facts = run("kafka", "tracker/index.js", text)
    assert messages(facts) == [
        ("publish", "kafka", "clicks", 3),
        ("subscribe", "kafka", "views", 4),
        ("subscribe", "kafka", "orders", 5),
        ("subscribe", "kafka", "refunds", 5),
    ]


# -- JMS, AMQP, STOMP ----------------------------------------------------------------------------


def test_spring_jms_listener_template_and_send_to() -> None:
    text = """\
import org.springframework.jms.core.JmsTemplate;

@Component
public class RiskEvents {
    @Value("${riskmanagement.queueName}")
    private String queueName;

    @Autowired
    private JmsTemplate jmsTemplate;

    @Autowired
    private SimpMessagingTemplate messagingTemplate;

    @JmsListener(destination = "${policy.queueName}")
    @SendTo("policy-replies")
    public String onPolicy(String event) { return event; }

    public void emit(Object event) {
        jmsTemplate.convertAndSend(queueName, event);
        jmsTemplate.convertAndSend(event);
        messagingTemplate.convertAndSend("/topic/greetings", event);
    }
}
"""
    facts = run("jms_amqp", "policy/RiskEvents.java", text)
    assert messages(facts) == [
        ("subscribe", "jms", "${policy.queueName}", 14),
        ("publish", "jms", "policy-replies", 15),
        ("publish", "jms", "${riskmanagement.queueName}", 19),
    ]
    assert unresolved(facts) == []


def test_spring_amqp_listeners_and_rabbit_template() -> None:
    text = """\
import org.springframework.amqp.rabbit.core.RabbitTemplate;

class Billing {
    static final String EXCHANGE = "orders.exchange";
    private final RabbitTemplate rabbit;

    @RabbitListener(queues = "invoices")
    void invoices(String m) {}

    @RabbitListener(queuesToDeclare = @Queue("reminders"))
    void reminders(String m) {}

    @RabbitListener(bindings = @QueueBinding(value = @Queue("billing-orders"),
            exchange = @Exchange(value = "orders.exchange", type = "topic"), key = "order.*"))
    void orders(String m) {}

    void send(Object e) {
        rabbit.convertAndSend(EXCHANGE, "order.created", e);
        rabbit.convertAndSend("work", e);
        rabbit.convertAndSend("", "direct-queue", e);
        rabbit.convertAndSend("audit", e, m -> m);
    }
}
"""
    facts = run("jms_amqp", "billing/Billing.java", text)
    assert messages(facts) == [
        ("subscribe", "amqp", "invoices", 7),
        ("subscribe", "amqp", "reminders", 10),
        ("subscribe", "amqp", "orders.exchange", 13),
        ("publish", "amqp", "orders.exchange", 18),
        ("publish", "amqp", "work", 19),
        ("publish", "amqp", "direct-queue", 20),
        ("publish", "amqp", "audit", 21),
    ]


def test_plain_jms_api() -> None:
    text = """\
import javax.jms.*;

class Legacy {
    void run(Session session) throws JMSException {
        Destination orders = session.createQueue("legacy-orders");
        MessageProducer producer = session.createProducer(orders);
        MessageConsumer news = session.createConsumer(session.createTopic("news"));
    }
}
"""
    facts = run("jms_amqp", "legacy/Legacy.java", text)
    assert messages(facts) == [("publish", "jms", "legacy-orders", 6), ("subscribe", "jms", "news", 7)]


def test_go_amqp091() -> None:
    text = """\
package main

import amqp "github.com/rabbitmq/amqp091-go"

func run(ch *amqp.Channel) {
\tq, err := ch.QueueDeclare(
\t\t"tasks", // name
\t\ttrue, false, false, false, nil)
\terr = ch.PublishWithContext(ctx, "", q.Name, false, false, amqp.Publishing{Body: body})
\terr = ch.Publish("logs", "", false, false, amqp.Publishing{Body: body})
\tmsgs, err := ch.Consume(q.Name, "", true, false, false, false, nil)
\tanon, err := ch.QueueDeclare("", false, false, true, false, nil)
\terr = ch.QueueBind(
\t\tanon.Name, // queue name
\t\t"",        // routing key
\t\t"logs",    // exchange
\t\tfalse, nil)
\tall, err := ch.Consume(anon.Name, "", true, false, false, false, nil)
}
"""
    facts = run("jms_amqp", "worker/main.go", text)
    assert messages(facts) == [
        ("publish", "amqp", "tasks", 9),
        ("publish", "amqp", "logs", 10),
        ("subscribe", "amqp", "tasks", 11),
        ("subscribe", "amqp", "logs", 13),  # the server-named queue's consume is not a topic
    ]
    assert unresolved(facts) == []


def test_node_amqplib() -> None:
    text = """\
const amqp = require('amqplib')
const QUEUE = 'tasks'
const exchange = 'logs'

async function main() {
  ch.sendToQueue(QUEUE, Buffer.from('work'))
  ch.publish(exchange, '', Buffer.from('line'))
  const q = await ch.assertQueue('results', { durable: true })
  ch.consume(q.queue, (msg) => handle(msg))
  await ch.bindQueue(q.queue, exchange, '')
}
"""
    facts = run("jms_amqp", "worker/index.js", text)
    assert messages(facts) == [
        ("publish", "amqp", "tasks", 6),
        ("publish", "amqp", "logs", 7),
        ("subscribe", "amqp", "results", 9),
        ("subscribe", "amqp", "logs", 10),
    ]


def test_stomp_clients() -> None:
    text = """\
const nconf = require('nconf')
const stompit = require('stompit')

function consume() {
  const mq_config = nconf.get('activemq')
  const subscribeHeaders = {
    destination: `/queue/${mq_config.queueName}`,
    ack: 'client-individual',
  }
  channel.subscribe(subscribeHeaders, onMessage)
  client.send({ destination: '/topic/prices', 'content-type': 'text/plain' })
  client.subscribe('/queue/direct', onMessage)
  client.subscribe('/app/chat', onMessage)
  ws.send('hello')
}
"""
    facts = run("jms_amqp", "risk/index.js", text)
    assert messages(facts) == [
        ("subscribe", "jms", "${activemq.queueName}", 10),
        ("publish", "jms", "prices", 11),
        ("subscribe", "jms", "direct", 12),
    ]
    assert unresolved(facts) == []


def test_dotnet_rabbitmq_client_and_masstransit() -> None:
    text = """\
using RabbitMQ.Client;
using MassTransit;

public class OrderConsumer : IConsumer<OrderSubmitted>
{
    void Setup(IModel channel)
    {
        await channel.BasicPublishAsync(exchange: string.Empty, routingKey: "hello", body: body);
        channel.BasicPublish("logs", "", null, body);
        channel.BasicConsume(queue: "hello", autoAck: true, consumer: consumer);
        channel.QueueBind(queue: queueName, exchange: "logs", routingKey: "");
        cfg.ReceiveEndpoint("order-service", e => e.ConfigureConsumer<OrderConsumer>(context));
        var endpoint = await bus.GetSendEndpoint(new Uri("queue:billing"));
        await publishEndpoint.Publish<OrderAccepted>(new { Id = 1 });
    }
}
"""
    facts = run("jms_amqp", "orders/OrderConsumer.cs", text)
    assert messages(facts) == [
        ("subscribe", "amqp", "OrderSubmitted", 4),
        ("publish", "amqp", "hello", 8),
        ("publish", "amqp", "logs", 9),
        ("subscribe", "amqp", "hello", 10),
        ("subscribe", "amqp", "logs", 11),
        ("subscribe", "amqp", "order-service", 12),
        ("publish", "amqp", "billing", 13),
        ("publish", "amqp", "OrderAccepted", 14),
    ]


# -- config: Spring Cloud Stream -----------------------------------------------------------------


def test_spring_cloud_stream_yaml_bindings() -> None:
    text = """\
spring:
  cloud:
    stream:
      function:
        bindings:
          process-in-0: ordersIn
      bindings:
        ordersIn:
          destination: orders
          group: shipping
        process-out-0:
          destination: ${SHIPMENTS_TOPIC:shipments},audit
        output:
          destination: legacy-out
        notifications:
          destination: notes
      kafka:
        binder:
          brokers: kafka:9092
app:
  kafka:
    topic: orders
"""
    facts = run("stream_bindings", "shipping/src/main/resources/application.yml", text)
    assert messages(facts) == [
        ("subscribe", "kafka", "orders", 9),
        ("publish", "kafka", "${SHIPMENTS_TOPIC}", 12),
        ("publish", "kafka", "audit", 12),
        ("publish", "kafka", "legacy-out", 14),
    ]
    assert unresolved(facts) == [
        (16, "Spring Cloud Stream binding `notifications`: direction unknown from its name")
    ]
    assert {m.evidence.how for m in facts.messages} == {"config"}


def test_spring_cloud_stream_properties_with_rabbit_binder() -> None:
    text = """\
spring.cloud.stream.bindings.input.destination=payments
spring.cloud.stream.bindings.input.binder=rabbit
# spring.cloud.stream.bindings.old-in-0.destination=old
spring.cloud.stream.bindings.emit-out-0.destination = refunds
payments.queue=payments
"""
    facts = run("stream_bindings", "pay/src/main/resources/application.properties", text)
    assert messages(facts) == [("subscribe", "amqp", "payments", 1), ("publish", "amqp", "refunds", 4)]
    assert run("stream_bindings", "pay/config/other.properties", text).messages == []


# -- constants shared between files -------------------------------------------------------------


def test_message_constants_define_the_templates_other_files_use() -> None:
    java = """\
package shop.events;

public final class Topics {
    public static final String SHIPPED = "shipped";
    public static final String ORDERS_TOPIC = PREFIX + "orders";
    private static final String PREFIX = "shop.";
    private static final String INTERNAL_TOPIC = "internal";
}
"""
    facts = run("message_constants", "common/src/main/java/shop/events/Topics.java", java)
    assert settings(facts) == [
        ("Topics.ORDERS_TOPIC", "shop.orders", 5, "default"),
        ("Topics.SHIPPED", "shipped", 4, "default"),
    ]
    go = """\
package kafka

import "os"

const DeadLetterTopic = "dead-letters"

var (
\tTopic           = getTopic()
\tProtocolVersion = sarama.V3_0_0_0
)

func getTopic() string {
\tif topic := os.Getenv("KAFKA_TOPIC"); topic != "" {
\t\treturn topic
\t}
\treturn "orders"
}
"""
    facts = run("message_constants", "checkout/kafka/producer.go", go)
    # kafka.Topic is ${KAFKA_TOPIC} itself in canonical form: only its default is written
    assert settings(facts) == [
        ("KAFKA_TOPIC", "orders", 12, "default"),
        ("kafka.DeadLetterTopic", "dead-letters", 5, "default"),
    ]


def test_detectors_are_registered() -> None:
    for module in ("kafka", "jms_amqp", "stream_bindings", "message_constants"):
        assert module in DETECTOR_MODULES
    names = {detector.name for detector in registry().detectors}
    assert {"kafka", "jms-amqp", "stream-bindings", "message-constants"} <= names


# -- the corpus ----------------------------------------------------------------------------------


def corpus_facts(system: str, paths: list[str]) -> SourceFacts:
    if not CORPUS.is_dir():
        pytest.skip("no corpus at /work/shared/corpus")
    facts = SourceFacts()
    for path in paths:
        text = (CORPUS / system / path).read_text(encoding="utf-8")
        for module in ("kafka", "jms_amqp", "stream_bindings", "message_constants"):
            facts.extend(run(module, path, text))
    return facts


def test_corpus_microservice_kafka() -> None:
    base = "microservice-kafka/microservice-kafka-"
    facts = corpus_facts(
        "microservice-kafka",
        [
            f"{base}order/src/main/java/com/ewolff/microservice/order/logic/OrderService.java",
            f"{base}shipping/src/main/java/com/ewolff/microservice/shipping/events/OrderKafkaListener.java",
            f"{base}invoicing/src/main/java/com/ewolff/microservice/invoicing/events/OrderKafkaListener.java",
        ],
    )
    assert sorted(
        (m.direction, m.topic, m.evidence.path.split("/")[1], m.evidence.line) for m in facts.messages
    ) == [
        ("publish", "order", "microservice-kafka-order", 32),
        ("subscribe", "order", "microservice-kafka-invoicing", 24),
        ("subscribe", "order", "microservice-kafka-shipping", 24),
    ]


def test_corpus_lakeside_mutual_jms_and_stomp() -> None:
    policy = "policy-management-backend/src/main/java/com/lakesidemutual/policymanagement"
    facts = corpus_facts(
        "lakeside-mutual",
        [
            f"{policy}/infrastructure/RiskManagementMessageProducer.java",
            f"{policy}/interfaces/InsuranceQuoteRequestMessageConsumer.java",
            "risk-management-server/index.js",
        ],
    )
    assert messages(facts) == [
        ("subscribe", "jms", "${insuranceQuoteRequestEvent.queueName}", 35),
        ("publish", "jms", "${riskmanagement.queueName}", 40),
        ("subscribe", "jms", "${activemq.queueName}", 98),
    ]


def test_corpus_opentelemetry_demo_orders() -> None:
    facts = corpus_facts(
        "opentelemetry-demo",
        [
            "src/checkout/main.go",
            "src/checkout/kafka/producer.go",
            "src/accounting/Consumer.cs",
            "src/fraud-detection/src/main/kotlin/frauddetection/main.kt",
        ],
    )
    assert sorted((m.direction, m.topic, m.evidence.path) for m in facts.messages) == [
        ("publish", "${kafka.Topic}", "src/checkout/main.go"),
        ("subscribe", "${KAFKA_TOPIC}", "src/accounting/Consumer.cs"),
        ("subscribe", "${KAFKA_TOPIC}", "src/fraud-detection/src/main/kotlin/frauddetection/main.kt"),
    ]
    assert {(s.key, s.value) for s in facts.settings} == {("KAFKA_TOPIC", "orders")}

"""Tell customers about their orders."""

import os

import redis
from kafka import KafkaConsumer

queue = redis.Redis.from_url(os.environ["REDIS_URL"])


def listen_for_orders() -> None:
    for message in KafkaConsumer("order-placed", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"]):
        queue.publish("outbox-emails", message.value)

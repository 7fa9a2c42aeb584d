"""Queue a message for delivery."""

import os

import redis

queue = redis.Redis.from_url(os.environ["REDIS_URL"])


def low_stock(skus: list[str]) -> None:
    queue.publish("outbox-emails", ",".join(skus))

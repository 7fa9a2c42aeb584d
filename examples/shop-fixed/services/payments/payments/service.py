"""Charging for an order."""

import os

from kafka import KafkaProducer
from sqlalchemy import create_engine, text

from shopcommon.money import Money

engine = create_engine(os.environ["DATABASE_URL"])
producer = KafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])


def charge(order_id: int, amount: Money) -> bool:
    with engine.begin() as db:
        db.execute(
            text("INSERT INTO charges (order_id, cents) VALUES (:o, :c)"), {"o": order_id, "c": amount.cents}
        )
    producer.send("payment-completed", order_id)
    return amount.cents > 0

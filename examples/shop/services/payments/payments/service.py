"""Charging for an order."""

import os

import requests
from kafka import KafkaConsumer, KafkaProducer
from shopcommon.money import Money
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
producer = KafkaProducer(bootstrap_servers="kafka:9092")
INVENTORY_URL = os.environ.get("INVENTORY_URL", "http://inventory:8000")


def charge(order_id: int, amount: Money) -> bool:
    with engine.begin() as db:
        db.execute(
            text("INSERT INTO charges (order_id, cents) VALUES (:o, :c)"), {"o": order_id, "c": amount.cents}
        )
    ok = amount.cents > 0
    if ok:
        requests.post(f"{INVENTORY_URL}/reservations/{order_id}/confirm", timeout=2)
        producer.send("payment-completed", order_id)
    return ok


def listen_for_orders() -> None:
    for message in KafkaConsumer("order-placed", bootstrap_servers="kafka:9092"):
        # at-least-once delivery: a redelivered order-placed inserts a second charge
        with engine.begin() as db:
            db.execute(
                text("INSERT INTO charges (order_id, cents) VALUES (:o, 0)"), {"o": message.value["order_id"]}
            )

"""Placing an order: one local transaction writes the order and its event (transactional outbox)."""

import json
import os

import requests
from kafka import KafkaConsumer
from shopcommon.money import Money
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
PAYMENTS_URL = os.environ["PAYMENTS_URL"]


def place_order(customer_id: int, sku: str, quantity: int, price: Money) -> int:
    with engine.begin() as db:
        order_id = db.execute(
            text("INSERT INTO orders (customer_id, status) VALUES (:c, 'new') RETURNING id"),
            {"c": customer_id},
        ).scalar_one()
        db.execute(
            text("INSERT INTO outbox (topic, payload) VALUES ('order-placed', :p)"),
            {"p": json.dumps({"order_id": order_id, "sku": sku, "quantity": quantity})},
        )
    requests.post(f"{PAYMENTS_URL}/charges", json={"order": order_id, "cents": price.cents}, timeout=2)
    return order_id


def listen_for_payments() -> None:
    for message in KafkaConsumer(
        "payment-completed", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    ):
        with engine.begin() as db:
            db.execute(text("UPDATE orders SET status = 'paid' WHERE id = :id"), {"id": message.value})

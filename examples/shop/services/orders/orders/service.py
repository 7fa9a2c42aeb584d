"""Placing an order: reserve stock in the shared table, then charge the customer."""

import os

import requests
from inventory.models import StockItem
from kafka import KafkaConsumer, KafkaProducer
from shopcommon.money import Money
from sqlalchemy import create_engine, text

from orders.models import Order

engine = create_engine(os.environ["DATABASE_URL"])
producer = KafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])
PAYMENTS_URL = os.environ.get("PAYMENTS_URL", "http://payments:8000")


def place_order(customer_id: int, sku: str, quantity: int, price: Money) -> int:
    with engine.begin() as db:
        order_id = db.execute(
            text("INSERT INTO orders (customer_id, status) VALUES (:c, 'new') RETURNING id"),
            {"c": customer_id},
        ).scalar_one()
        db.execute(
            text("INSERT INTO stock_reservations (order_id, sku, quantity) VALUES (:o, :s, :q)"),
            {"o": order_id, "s": sku, "q": quantity},
        )
        on_hand = db.execute(text("SELECT quantity FROM stock_items WHERE sku = :s"), {"s": sku}).scalar()
    if on_hand is None or on_hand < quantity:
        raise ValueError(f"not enough {StockItem.__name__} {sku}")
    requests.post(f"{PAYMENTS_URL}/charges", json={"order": order_id, "cents": price.cents}, timeout=2)
    producer.send("order-placed", {"order_id": order_id})
    return order_id


def listen_for_payments() -> None:
    for message in KafkaConsumer("payment-completed", bootstrap_servers="kafka:9092"):
        with engine.begin() as db:
            db.execute(text("UPDATE orders SET status = 'paid' WHERE id = :id"), {"id": message.value})
    Order.__table__  # noqa: B018 - the model is the table's owner in this service

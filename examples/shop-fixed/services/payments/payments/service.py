"""Charging for an order."""

import os

from kafka import KafkaProducer
from shopcommon.money import Money
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
producer = KafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])


def charge(order_id: int, amount: Money) -> bool:
    """The charge and its event commit together (transactional outbox); ``relay`` publishes the event."""
    with engine.begin() as db:
        db.execute(
            text("INSERT INTO charges (order_id, cents) VALUES (:o, :c)"), {"o": order_id, "c": amount.cents}
        )
        db.execute(text("INSERT INTO payment_outbox (order_id) VALUES (:o)"), {"o": order_id})
    return amount.cents > 0


def relay() -> None:
    with engine.begin() as db:
        rows = db.execute(text("SELECT id, order_id FROM payment_outbox WHERE sent_at IS NULL")).all()
        for row in rows:
            producer.send("payment-completed", row.order_id)
            db.execute(text("UPDATE payment_outbox SET sent_at = now() WHERE id = :id"), {"id": row.id})

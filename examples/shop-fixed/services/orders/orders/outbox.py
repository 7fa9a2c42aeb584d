"""Relay: publish the events that committed with their orders, then mark them sent."""

import os

from kafka import KafkaProducer
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
producer = KafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])


def relay() -> None:
    with engine.begin() as db:
        rows = db.execute(text("SELECT id, topic, payload FROM outbox WHERE sent_at IS NULL")).all()
        for row in rows:
            producer.send("order-placed", row.payload)
            db.execute(text("UPDATE outbox SET sent_at = now() WHERE id = :id"), {"id": row.id})

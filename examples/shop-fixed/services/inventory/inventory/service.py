"""Reserve stock when an order is placed; an idempotent consumer (the inbox remembers what it saw)."""

import json
import os

from kafka import KafkaConsumer
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])


def listen_for_orders() -> None:
    for message in KafkaConsumer("order-placed", bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"]):
        event = json.loads(message.value)
        with engine.begin() as db:
            seen = db.execute(
                text("SELECT 1 FROM inbox WHERE message_id = :m"), {"m": message.offset}
            ).first()
            if seen:
                continue
            db.execute(text("INSERT INTO inbox (message_id) VALUES (:m)"), {"m": message.offset})
            db.execute(
                text("INSERT INTO stock_reservations (order_id, sku, quantity) VALUES (:o, :s, :q)"),
                {"o": event["order_id"], "s": event["sku"], "q": event["quantity"]},
            )
            db.execute(
                text("UPDATE stock_items SET quantity = quantity - :q WHERE sku = :s"),
                {"q": event["quantity"], "s": event["sku"]},
            )

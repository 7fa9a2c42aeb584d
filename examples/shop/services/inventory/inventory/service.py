"""Releasing and confirming reservations; tells notifications when stock runs low (one call per item,
no timeout: a slow notifications service hangs every confirmation)."""

import os

import requests
from orders.schemas import OrderOut
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
NOTIFICATIONS = "http://notifications:8000"


def release(order: OrderOut) -> None:
    with engine.begin() as db:
        db.execute(text("DELETE FROM stock_reservations WHERE order_id = :o"), {"o": order.id})


def confirm(order_id: int) -> None:
    with engine.begin() as db:
        db.execute(
            text(
                "UPDATE stock_items SET quantity = quantity - r.quantity "
                "FROM stock_reservations r WHERE r.order_id = :o AND r.sku = stock_items.sku"
            ),
            {"o": order_id},
        )
        low = db.execute(text("SELECT sku FROM stock_items WHERE quantity < 5")).scalars().all()
    for sku in low:
        requests.post(f"{NOTIFICATIONS}/low-stock", json={"skus": [sku]})

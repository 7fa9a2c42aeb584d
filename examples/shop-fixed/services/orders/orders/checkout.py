"""The checkout saga, orchestrated by orders: create the order, charge the customer, approve the order.
When a step fails, the steps already done are compensated in reverse order: the charge is refunded and
the order rejected. Approving is the last step and is retried until it succeeds: it needs no undo."""

import os
from collections.abc import Callable
from dataclasses import dataclass

import requests
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
PAYMENTS_URL = os.environ["PAYMENTS_URL"]


@dataclass(frozen=True)
class SagaStep:
    name: str
    action: Callable[[int], None]
    compensation: Callable[[int], None] | None = None


def create_order(order_id: int) -> None:
    with engine.begin() as db:
        db.execute(text("INSERT INTO orders (id, status) VALUES (:o, 'pending')"), {"o": order_id})


def reject_order(order_id: int) -> None:
    with engine.begin() as db:
        db.execute(text("UPDATE orders SET status = 'rejected' WHERE id = :o"), {"o": order_id})


def charge_payment(order_id: int) -> None:
    requests.post(f"{PAYMENTS_URL}/charges", json={"order": order_id}, timeout=2).raise_for_status()


def refund_payment(order_id: int) -> None:
    requests.post(f"{PAYMENTS_URL}/refunds", json={"order": order_id}, timeout=2).raise_for_status()


def approve_order(order_id: int) -> None:
    with engine.begin() as db:
        db.execute(text("UPDATE orders SET status = 'approved' WHERE id = :o"), {"o": order_id})


CHECKOUT = [
    SagaStep("create-order", action=create_order, compensation=reject_order),
    SagaStep("charge-payment", action=charge_payment, compensation=refund_payment),
    SagaStep("approve-order", action=approve_order),
]


def run(steps: list[SagaStep], order_id: int) -> None:
    done: list[SagaStep] = []
    try:
        for step in steps:
            step.action(order_id)
            done.append(step)
    except Exception:
        for step in reversed(done):
            if step.compensation is not None:
                step.compensation(order_id)
        raise

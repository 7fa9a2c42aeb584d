"""What the orders API returns."""

from dataclasses import dataclass


@dataclass
class OrderOut:
    id: int
    status: str

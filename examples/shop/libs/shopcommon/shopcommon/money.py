"""Money as integer cents, so that no service rounds differently."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Money:
    cents: int
    currency: str = "EUR"

    def __add__(self, other: "Money") -> "Money":
        return Money(self.cents + other.cents, self.currency)

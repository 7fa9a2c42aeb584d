"""A member who borrows books."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    id: int
    email: str

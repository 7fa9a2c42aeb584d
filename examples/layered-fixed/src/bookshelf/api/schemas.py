"""Response shapes of the HTTP API."""

from dataclasses import dataclass


@dataclass
class LoanOut:
    member_id: int
    isbn: str
    due: str

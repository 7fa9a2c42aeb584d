"""HTTP handlers: parse requests, call services, shape responses."""

from bookshelf.api.schemas import LoanOut
from bookshelf.services import catalog, lending


def borrow(member_id: int, isbn: str) -> LoanOut:
    loan = lending.borrow(member_id, isbn)
    return LoanOut(loan.member.id, loan.book.isbn, loan.due.isoformat())


def search(text: str) -> list[str]:
    return [book.title for book in catalog.search(text)]

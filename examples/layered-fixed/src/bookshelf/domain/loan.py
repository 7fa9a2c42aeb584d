"""A loan of one book to one member, due after the loan period."""

from dataclasses import dataclass
from datetime import date, timedelta

from bookshelf.domain.book import Book
from bookshelf.domain.member import Member


@dataclass(frozen=True)
class Loan:
    member: Member
    book: Book
    due: date

    @classmethod
    def start(cls, member: Member, book: Book, loan_days: int) -> "Loan":
        return cls(member, book, date.today() + timedelta(days=loan_days))

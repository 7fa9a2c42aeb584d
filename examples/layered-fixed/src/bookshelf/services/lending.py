"""Use cases around lending books to members."""

from bookshelf.adapters.db import BookRepository, MemberRepository
from bookshelf.domain.loan import Loan
from bookshelf.notifications.sender import send_loan_confirmation
from bookshelf.services.catalog import default_loan_days


def borrow(member_id: int, isbn: str) -> Loan:
    member = MemberRepository().get(member_id)
    book = BookRepository().get(isbn)
    loan = Loan.start(member, book, default_loan_days())
    send_loan_confirmation(loan)
    return loan

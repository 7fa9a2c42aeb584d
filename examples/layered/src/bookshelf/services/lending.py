"""Use cases around lending books to members."""

from bookshelf.adapters.db import BookRepository, MemberRepository
from bookshelf.api.schemas import LoanOut
from bookshelf.domain.loan import Loan
from bookshelf.notifications.sender import send_loan_confirmation


def borrow(member_id: int, isbn: str) -> Loan:
    member = MemberRepository().get(member_id)
    book = BookRepository().get(isbn)
    loan = Loan.start(member, book)
    send_loan_confirmation(loan)
    return loan


def preview(member_id: int, isbn: str) -> LoanOut:
    loan = borrow(member_id, isbn)
    return LoanOut(member_id, isbn, loan.due.isoformat())

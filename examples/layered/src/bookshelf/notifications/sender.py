"""Tell members about their loans."""

from bookshelf.adapters.email import deliver
from bookshelf.domain.loan import Loan


def send_loan_confirmation(loan: Loan) -> None:
    deliver(loan.member.email, "loan", f"{loan.book.title} is due on {loan.due:%d %B}.")

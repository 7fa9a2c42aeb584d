"""Tell members about their loans."""

from bookshelf.adapters.email import deliver
from bookshelf.domain.loan import Loan
from bookshelf.notifications.templates import render_subject


def send_loan_confirmation(loan: Loan) -> None:
    body = f"{loan.book.title} is due on {loan.due:%d %B}."
    deliver(loan.member.email, render_subject("loan"), body)

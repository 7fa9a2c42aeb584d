"""SMTP delivery of rendered messages."""

import smtplib

from bookshelf import config


def deliver(to: str, subject: str, body: str) -> None:
    with smtplib.SMTP(config.SMTP_HOST) as smtp:
        smtp.sendmail("library@example.org", [to], f"Subject: {subject}\n\n{body}")

"""SMTP delivery of rendered messages."""

import smtplib

from bookshelf import config
from bookshelf.notifications.templates import render_subject


def deliver(to: str, kind: str, body: str) -> None:
    with smtplib.SMTP(config.SMTP_HOST) as smtp:
        smtp.sendmail("library@example.org", [to], f"Subject: {render_subject(kind)}\n\n{body}")

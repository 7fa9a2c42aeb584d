"""Notifications: e-mails and pushes."""

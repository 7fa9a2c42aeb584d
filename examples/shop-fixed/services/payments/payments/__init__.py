"""Payments: charges customers and announces the outcome."""

"""Payments: charges customers, and gives stock back when a charge fails."""

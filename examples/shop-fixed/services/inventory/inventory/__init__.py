"""Inventory: stock levels and reservations, kept in its own database."""

"""Bookshelf: a small lending library, layered api -> services -> domain, with adapters at the edge."""

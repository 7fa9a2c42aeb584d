"""Use cases around the catalogue of books."""

from bookshelf.adapters.db import BookRepository
from bookshelf.domain.book import Book


def search(text: str) -> list[Book]:
    return [book for book in BookRepository().all() if text.lower() in book.title.lower()]


def default_loan_days() -> int:
    return 21

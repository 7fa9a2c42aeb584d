"""A book in the catalogue."""

from dataclasses import dataclass

from bookshelf.adapters.db import connect


@dataclass(frozen=True)
class Book:
    isbn: str
    title: str

    def is_stored(self) -> bool:
        return connect().execute("select 1 from books where isbn = ?", (self.isbn,)).fetchone() is not None

"""SQLite persistence for books and members."""

import sqlite3

from bookshelf import config
from bookshelf.domain.book import Book
from bookshelf.domain.member import Member


def connect() -> sqlite3.Connection:
    return sqlite3.connect(config.DATABASE_PATH)


class BookRepository:
    def get(self, isbn: str) -> Book:
        row = connect().execute("select isbn, title from books where isbn = ?", (isbn,)).fetchone()
        return Book(*row)

    def all(self) -> list[Book]:
        return [Book(*row) for row in connect().execute("select isbn, title from books")]


class MemberRepository:
    def get(self, member_id: int) -> Member:
        row = connect().execute("select id, email from members where id = ?", (member_id,)).fetchone()
        return Member(*row)

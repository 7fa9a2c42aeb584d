"""The SQL reader's cost bounds: a long text is read statement by statement with the same answers as the
whole-text reading; statements over the size cap are skipped, multi-row INSERTs read from their head."""

from __future__ import annotations

import time

from fitness.collect.sql.parse import MAX_STATEMENT_CHARS, SPLIT_CHARS, TOO_LARGE, Sql, table_accesses

TRICKY = """\
-- a comment; with a semicolon
CREATE TABLE orders (id int primary key, note text);
INSERT INTO orders (id, note) VALUES (1, 'it''s; fine');
/* a block;
   comment */ UPDATE orders SET note = 'x' WHERE id = 1;
SELECT "odd;name" FROM customers;
DO $$ BEGIN PERFORM 1; END $$;
SELECT o.id FROM orders o JOIN lines l ON l.order_id = o.id
"""


def _reader(dialect: str | None = None) -> Sql:
    sql = Sql(dialect, [])
    sql.deadline = time.monotonic() + 60
    return sql


def _summary(sql: Sql, text: str, statements: list) -> list[tuple[int, str, list[tuple[str, str]]]]:
    return [
        (s.line, text[s.start : s.end].strip(), table_accesses(s.tree) if s.tree is not None else [])
        for s in statements
    ]


def test_statement_by_statement_reads_a_long_text_as_the_whole_text_reading_does() -> None:
    text = TRICKY * (SPLIT_CHARS // len(TRICKY) + 2)
    assert len(text) > SPLIT_CHARS
    sql = _reader("postgres")

    one_by_one = sql.statements(text)
    whole = sql._whole(text)

    assert one_by_one is not None and whole is not None
    assert _summary(sql, text, one_by_one) == _summary(sql, text, whole)
    assert ("orders", "write") in table_accesses(one_by_one[1].tree)


def test_split_skips_strings_comments_and_dollar_quotes() -> None:
    pieces = [TRICKY[start:end].strip() for _, start, end in _reader().split(TRICKY)]
    assert pieces[1] == "INSERT INTO orders (id, note) VALUES (1, 'it''s; fine')"
    assert pieces[3] == 'SELECT "odd;name" FROM customers'
    assert pieces[4] == "DO $$ BEGIN PERFORM 1; END $$"
    assert len(pieces) == 6


def test_unterminated_quotes_and_comments_cost_one_pass() -> None:
    started = time.process_time()
    for hostile in ("/*" * 200_000, "'" + "x" * 400_000, "$a$ " * 100_000):
        list(_reader().split(hostile))
    assert time.process_time() - started < 5  # quadratic would be hours, not a timing contract


def test_a_huge_insert_is_read_from_its_head_and_other_huge_statements_are_skipped() -> None:
    rows = ", ".join(f"({i}, 'row {i}')" for i in range(MAX_STATEMENT_CHARS // 10))
    text = f"INSERT INTO bulk (id, note) VALUES {rows};\nSELECT {' + '.join(['c'] * 40_000)} FROM wide;\n"
    statements = _reader().statements(text)

    assert statements is not None
    assert [(s.line, s.error) for s in statements] == [(1, ""), (2, TOO_LARGE)]
    assert statements[0].tree is not None and table_accesses(statements[0].tree) == [("bulk", "write")]


def test_a_statement_sqlglot_hangs_on_is_abandoned(monkeypatch) -> None:
    """The per-statement timer interrupts a parse that does not end (here: one that sleeps)."""
    from sqlglot.dialects.dialect import Dialect

    from fitness.collect.sql import parse

    class Stuck:
        def parse(self, *args: object) -> list[object]:
            time.sleep(30)
            return []

    monkeypatch.setattr(parse, "STATEMENT_SECONDS", 0.05)
    monkeypatch.setattr(Dialect, "parser", lambda self, **kwargs: Stuck())
    sql = _reader("mysql")  # no fast path: sqlglot reads it
    started = time.monotonic()

    statements = sql.statements("SELECT a FROM b")

    assert statements is not None and [s.error for s in statements] == [parse.TOO_SLOW]
    assert time.monotonic() - started < 25  # four dialects tried, each stopped by the timer

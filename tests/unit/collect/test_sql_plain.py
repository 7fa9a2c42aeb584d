"""Plain INSERT ... VALUES statements read by one regular expression (fitness.collect.sql.plain): whatever
it reads, the fast path and sqlglot read the same way (place, tables, Table nodes and their positions);
what it does not know it leaves to them; and the collector finds the same with it and without it."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from fitness.collect.sql.fast import FastPath
from fitness.collect.sql.parse import SPLIT_CHARS, Sql, Stmt, quiet, table_accesses
from fitness.collect.sql.plain import PlainInserts
from fitness.collect.sql.tables import SqlScan, scan_tables
from tests.conftest import WriteTree
from tests.unit.collect.test_sql_fast_path import DIALECTS, parser_words, view

TABLES = ("orders", "lines_17", "Items", "x1", "_t", "at", "user", "order", "values", "dual", "DUAL", "café")
TABLES_QUOTED = ('"Orders"', '"two words"', '"a.b"', '"x""y"', '""')
COLUMNS = ("id", "sku", "name", "type", "date", "key", "select", "from", "values", '"Note"', "total")
VALUES = (
    *("1", "-2", "2.50", "0", "'x'", "''", "'it''s'", "'a;b'", "'--x'", "'/* */'", "'été'", "NULL", "true"),
    *("False", "'two\nlines'", "'back\\slash'", "1e5", "1.", "?", ":id", "%s", "$1", "now()", "- 1", "nullx"),
)
BLANKS = (" ", " ", " ", "", "\n", "\t", "\r\n", "  \n  ", " /* c */ ", "\n-- c\n", "\x0b", "\u00a0")


def generated(seed: int, count: int) -> list[str]:
    """INSERT statements with random names, values and blanks, most of them plain, some a little beyond."""
    rng = random.Random(seed)

    def blank() -> str:
        return rng.choice(BLANKS) if rng.random() < 0.08 else " "

    def name(names: tuple[str, ...]) -> str:
        return rng.choice(TABLES_QUOTED) if rng.random() < 0.1 else rng.choice(names)

    texts = []
    for _ in range(count):
        table = ".".join(name(TABLES) for _ in range(rng.choice((1, 1, 1, 2, 3, 4))))
        text = blank() + rng.choice(("INSERT", "insert", "Insert")) + blank() + "INTO" + blank() + table
        if rng.random() < 0.7:
            columns = [name(COLUMNS) for _ in range(rng.randint(1, 3))]
            text += blank() + "(" + blank() + ("," + blank()).join(columns) + blank() + ")"
        rows = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            values = [rng.choice(VALUES[:14]) if rng.random() < 0.9 else rng.choice(VALUES) for _ in range(3)]
            rows.append("(" + blank() + (blank() + "," + blank()).join(values) + blank() + ")")
        text += blank() + rng.choice(("VALUES", "values")) + blank() + ("," + blank()).join(rows) + blank()
        if rng.random() < 0.05:
            text += rng.choice((" RETURNING id", " ON CONFLICT DO NOTHING", ")", " x"))
        texts.append(text)
    return texts


def compare(texts: list[str], dialect: str | None) -> int:
    """Assert that what the plain reader reads, sqlglot (and the fast path) read the same; the number read."""
    sql = Sql(dialect, [])
    sql.deadline = time.monotonic() + 600
    assert sql.fast is not None
    plain = PlainInserts(sql.fast)
    accepted, mismatches = 0, []
    for text in texts:
        found = plain.read(text)
        if found is None:
            continue
        accepted += 1
        line, start, end, tree, accesses = found
        mine = view([Stmt(line, start, end, tree)])
        with quiet():
            fast = sql.fast.statements(text)
            slow = view(sql.parsed(text))
        fast_view = None if fast is None else view([Stmt(*f) for f in fast])
        if not (mine == fast_view == slow and accesses == table_accesses(tree)):
            mismatches.append(
                f"{text!r}\n  plain:   {mine} {accesses}\n  fast:    {fast_view}\n  sqlglot: {slow}"
            )
    assert not mismatches, f"{len(mismatches)} mismatches, first ones:\n" + "\n".join(mismatches[:5])
    return accepted


@pytest.mark.parametrize("dialect", DIALECTS)
def test_generated_inserts_read_as_the_fast_path_and_sqlglot_read_them(dialect: str | None) -> None:
    texts = generated(seed=3 if dialect else 5, count=1500)
    accepted = compare(texts, dialect)
    assert 150 < accepted < len(texts) - 500  # many are plain; the rest is left to the fast path and sqlglot


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_word_sqlglot_reads_by_its_text_is_a_name_the_same_way(dialect: str | None) -> None:
    words = [*parser_words(), "name", "type", "date", "key", "json", "user", "first", "last", "count", "if"]
    texts = [f"INSERT INTO {w.lower()} ({w.lower()}, b) VALUES (1, 'x')" for w in words]
    texts += [f"INSERT INTO s.{w} VALUES (NULL)" for w in words]
    assert compare(texts, dialect) > 100


def test_only_plain_inserts_are_read() -> None:
    fast = FastPath.for_dialects(Sql(None, []).dialects)
    assert fast is not None
    plain = PlainInserts(fast)
    read = plain.read("\nINSERT INTO lines_1 (id, order_id, sku) VALUES (1, 0, 'sku-1')\n")
    assert read is not None and read[:3] == (2, 1, 63) and read[4] == [("lines_1", "write")]
    for text in (
        "INSERT INTO t (a) VALUES (1) RETURNING id",
        "INSERT INTO t (a) SELECT a FROM u",
        "INSERT INTO t (a) VALUES ((SELECT 1 FROM u))",
        "INSERT INTO select (a) VALUES (1)",
        "INSERT INTO t (from) VALUES (1)",
        "INSERT INTO t (a) VALUES (1) -- trailing comment",
        "REPLACE INTO t (a) VALUES (1)",
        "UPDATE t SET a = 1",
    ):
        assert plain.read(text) is None, text


def scan(root: Path, plain: bool, monkeypatch: pytest.MonkeyPatch) -> SqlScan:
    with monkeypatch.context() as patch:
        if not plain:
            patch.setattr(PlainInserts, "read", lambda self, piece: None)
        return scan_tables(sorted(p for p in root.rglob("*") if p.is_file()), root)


def test_the_collector_finds_the_same_with_and_without_the_plain_reader(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = generated(seed=9, count=400)
    dump = ";\n".join(statements) + ";\nSELECT * FROM orders o JOIN lines l ON l.id = o.id;\n"
    dump += "".join(f"INSERT INTO t_{i} (id, note) VALUES ({i}, 'n{i}');\r\n" for i in range(600))
    assert len(dump) > SPLIT_CHARS  # read statement by statement
    root = write_tree({"svc/dump.sql": dump, "svc/small.sql": "INSERT INTO small (a) VALUES (1);\n"})

    with_plain, without = scan(root, True, monkeypatch), scan(root, False, monkeypatch)

    assert with_plain == without
    assert {"t_0", "t_599", "lines"} <= {a.table for a in with_plain.accesses}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_names_end_where_the_fast_path_ends_them(dialect: str | None) -> None:
    texts = [
        "INSERT INTO tvalues (1)",
        'INSERT INTO "t"values (1)',
        'INSERT INTO "t"(a)VALUES(1)',
        "INSERT INTO t(a)VALUES(1),(2)",
        "INSERT INTO t$x VALUES (1)",
        "INSERT INTO s.t.u.v VALUES (1)",
        "INSERT INTO s . t VALUES (1)",
        "INSERT INTO t (a b) VALUES (1)",
        "INSERT INTO t VALUES (1 2)",
        "INSERT INTO t VALUES ('a' 'b')",
        "INSERT INTO t VALUES (nullx)",
        "INSERT INTO t VALUES (-1.5, 007, 'x''')",
    ]
    assert compare(texts, dialect) == 3

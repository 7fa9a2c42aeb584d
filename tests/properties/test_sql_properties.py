"""The SQL reader fed generated and mutated SQL (issue 16, item 2): tables and warnings, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from fitness.collect.sql.tables import scan_tables
from fitness.model import FitnessError
from tests.properties.strategies import mutated

REPO = Path(__file__).resolve().parents[2]
SEEDS = [path.read_text(encoding="utf-8") for path in sorted(REPO.glob("examples/*/db/*.sql"))] + [
    "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > 10;\n"
    "INSERT INTO audit (id, what) VALUES (1, 'x'), (2, 'y');\nUPDATE stock SET n = n - 1 WHERE id = 3;\n"
    "CREATE TABLE t (id INT PRIMARY KEY, name TEXT);\nDELETE FROM carts USING users WHERE carts.u = users.id;\n"
    "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN UPDATE x SET y = 1; END $$ LANGUAGE plpgsql;\n",
]
WORDS = [
    "SELECT",
    "INSERT INTO",
    "UPDATE",
    "DELETE FROM",
    "CREATE TABLE",
    "ALTER TABLE",
    "DROP",
    "WITH",
    "AS",
    "FROM",
    "JOIN",
    "WHERE",
    "VALUES",
    "(",
    ")",
    ",",
    ";",
    "'",
    '"',
    "`",
    "$$",
    "--",
    "/*",
    "*/",
    "orders",
    "schema.t",
    "[x]",
    "*",
    "1",
    "NULL",
    "\n",
    " ",
    "SET",
    "ON",
    "USING",
    "RETURNING",
    "MERGE INTO",
]
SQL = st.one_of(
    mutated(st.sampled_from(SEEDS)),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.text(max_size=200),
)


@given(text=SQL, dialect=st.sampled_from([None, "postgres", "mysql", "tsql", "sqlite", "nonsense"]))
def test_the_sql_reader_gives_tables_or_warnings(
    tmp_path_factory: object, text: str, dialect: str | None
) -> None:
    root = Path("/nonexistent-sql-root")
    try:
        scan = scan_tables([root / "db" / "schema.sql"], root, dialect, texts={"db/schema.sql": text})
    except FitnessError:
        return
    assert all(isinstance(warning, str) for warning in scan.warnings)
    assert scan.statements >= 0
    event("tables found" if scan.accesses else "no tables")

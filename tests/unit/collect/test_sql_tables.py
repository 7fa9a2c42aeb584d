"""The table collector on real files: SQL in Python calls, .sql files, migrations, dynamic and bad SQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.collect.sql import tables as sql_tables
from fitness.collect.sql.tables import SqlScan, scan_tables, table_accesses
from fitness.model import Evidence
from fitness.model.facts import TableAccess
from tests.conftest import WriteTree


def scan(root: Path, dialect: str | None = None) -> SqlScan:
    return scan_tables(sorted(p for p in root.rglob("*") if p.is_file()), root, dialect)


def found(result: SqlScan) -> list[tuple[str, str, str, int]]:
    """(table, mode, path, line) of every access, in the collector's order."""
    return [(a.table, a.mode, a.evidence.path, a.evidence.line) for a in result.accesses]


def unresolved(result: SqlScan) -> list[tuple[str, int, str]]:
    return [(u.evidence.path, u.evidence.line, u.reason) for u in result.unresolved]


def sql(text: str, dialect: str | None = None) -> list[tuple[str, str]]:
    import sqlglot

    return table_accesses(sqlglot.parse_one(text, read=dialect))


# -- SQL semantics ------------------------------------------------------------------------------


def test_select_reads_joins_subqueries_and_cte_bodies_but_not_cte_names() -> None:
    assert sql(
        "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent r JOIN customers c ON c.id = r.cid "
        "WHERE r.sku IN (SELECT sku FROM stock) AND EXISTS (SELECT 1 FROM vip v WHERE v.id = c.id) "
        "UNION SELECT * FROM archive"
    ) == [("archive", "read"), ("customers", "read"), ("orders", "read"), ("stock", "read"), ("vip", "read")]


def test_dml_writes_the_target_and_reads_the_sources() -> None:
    assert sql("INSERT INTO audit (a) SELECT a FROM events e JOIN users u ON u.id = e.uid") == [
        ("audit", "write"),
        ("events", "read"),
        ("users", "read"),
    ]
    assert sql("UPDATE orders SET total = 0 FROM customers c WHERE c.id = orders.cid") == [
        ("orders", "write"),
        ("customers", "read"),
    ]
    assert sql("DELETE FROM carts USING sessions s WHERE s.id = carts.sid", "postgres") == [
        ("carts", "write"),
        ("sessions", "read"),
    ]
    assert sql(
        "MERGE INTO stock t USING deliveries d ON t.sku = d.sku WHEN MATCHED THEN UPDATE SET qty = 1"
    ) == [
        ("stock", "write"),
        ("deliveries", "read"),
    ]
    # a table the statement writes is not also listed as read
    assert sql("UPDATE stock SET qty = (SELECT max(qty) FROM stock)") == [("stock", "write")]
    # MySQL multi-table DELETE names the target by its alias
    assert sql("DELETE o FROM orders o JOIN users u ON u.id = o.uid", "mysql") == [
        ("orders", "write"),
        ("users", "read"),
    ]
    assert sql("SELECT * INTO backup FROM orders", "postgres") == [("backup", "write"), ("orders", "read")]


def test_ddl_writes_tables_and_views_but_not_references_indexes_or_sequences() -> None:
    assert sql("CREATE TABLE lines (id int, order_id int REFERENCES orders(id))") == [("lines", "write")]
    assert sql("CREATE VIEW open_orders AS SELECT * FROM orders") == [
        ("open_orders", "write"),
        ("orders", "read"),
    ]
    assert sql("CREATE INDEX ix_sku ON billing.stock (sku)") == [("billing.stock", "write")]
    assert sql("ALTER TABLE orders RENAME TO purchases") == [("orders", "write"), ("purchases", "write")]
    assert sql("ALTER TABLE lines ADD CONSTRAINT fk FOREIGN KEY (oid) REFERENCES orders (id)") == [
        ("lines", "write")
    ]
    assert sql("DROP TABLE IF EXISTS a, b") == [("a", "write"), ("b", "write")]
    assert sql("TRUNCATE TABLE sessions") == [("sessions", "write")]
    assert sql("DROP INDEX ix_sku") == []
    assert sql("CREATE SEQUENCE order_seq") == []
    assert sql("CREATE SCHEMA billing") == []
    assert sql("GRANT SELECT ON orders TO reporting") == []
    assert sql("COPY orders FROM STDIN", "postgres") == [("orders", "write")]
    assert sql("COPY orders TO STDOUT", "postgres") == [("orders", "read")]


def test_replace_into_is_an_insert(write_tree: WriteTree) -> None:
    root = write_tree({"a.sql": "REPLACE INTO stock (sku) SELECT sku FROM deliveries;\n"})
    assert found(scan(root)) == [("deliveries", "read", "a.sql", 1), ("stock", "write", "a.sql", 1)]


def test_schema_qualified_and_quoted_names_are_lower_case_and_unquoted() -> None:
    assert sql('SELECT * FROM "Billing"."Invoices" JOIN public.Orders ON 1 = 1') == [
        ("billing.invoices", "read"),
        ("public.orders", "read"),
    ]
    assert sql("SELECT * FROM [dbo].[Orders]", "tsql") == [("dbo.orders", "read")]
    assert sql("SELECT * FROM `shop`.`Items`", "mysql") == [("shop.items", "read")]


# -- .sql files ---------------------------------------------------------------------------------


def test_sql_file_statements_keep_their_own_line(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "orders/schema.sql": (
                "-- orders schema\n"  # 1
                "CREATE TABLE orders (id int);\n"  # 2
                "\n"  # 3
                "/* seed */\n"  # 4
                "INSERT INTO orders\n"  # 5
                "SELECT * FROM legacy.orders;\n"  # 6
                "SELECT * FROM `Items`; SELECT 1;\n"  # 7  (backticks: parsed with the mysql fallback)
            ),
            "orders/readme.txt": "SELECT * FROM nothing;",  # not a .sql file: ignored
        }
    )
    result = scan(root)
    assert found(result) == [
        ("items", "read", "orders/schema.sql", 7),
        ("legacy.orders", "read", "orders/schema.sql", 5),
        ("orders", "write", "orders/schema.sql", 2),
        ("orders", "write", "orders/schema.sql", 5),
    ]
    assert result.accesses[1].evidence == Evidence(
        "orders/schema.sql", 5, "INSERT INTO orders SELECT * FROM legacy.orders", "sql-file"
    )
    assert result.statements == 4
    assert result.warnings == []
    assert result.unresolved == []


def test_sql_files_in_migration_folders_are_migrations(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "db/migration/V1__init.sql": "CREATE TABLE accounts (id int);",
            "db/seed.sql": "INSERT INTO accounts VALUES (1);",
        }
    )
    assert [(a.table, a.evidence.how) for a in scan(root).accesses] == [
        ("accounts", "migration"),
        ("accounts", "sql-file"),
    ]


def test_postgres_function_bodies_are_listed_not_guessed(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "schema.sql": (
                "CREATE TABLE orders (id int);\n"
                "CREATE FUNCTION touch() RETURNS trigger AS $$\n"
                "BEGIN UPDATE orders SET id = id; RETURN NEW; END\n"
                "$$ LANGUAGE plpgsql;\n"
            )
        }
    )
    result = scan(root)
    assert found(result) == [("orders", "write", "schema.sql", 1)]
    assert [(u.evidence.line, u.reason[:49]) for u in result.unresolved] == [
        (2, "statement not understood: CREATE FUNCTION touch()")
    ]
    assert result.warnings == []


def test_unparsable_statement_is_a_warning_and_the_rest_is_read(write_tree: WriteTree) -> None:
    root = write_tree({"a.sql": "SELECT * FROM ok1;\nSELECT FROM WHERE (;\nSELEC x;\nDELETE FROM ok2;\n"})
    result = scan(root)
    assert found(result) == [("ok1", "read", "a.sql", 1), ("ok2", "write", "a.sql", 4)]
    assert [w.split(" (")[0] for w in result.warnings] == [
        "a.sql:2: unparsable SQL",
        "a.sql:3: unparsable SQL",
    ]
    assert [(u.evidence.line, u.reason.split(":")[0]) for u in result.unresolved] == [
        (2, "unparsable SQL"),
        (3, "unparsable SQL"),
    ]
    assert result.statements == 2


def test_dialect_is_configurable_and_an_unknown_one_is_a_warning(write_tree: WriteTree) -> None:
    root = write_tree({"a.sql": "SELECT * FROM `Orders`;"})
    assert found(scan(root, "mysql")) == [("orders", "read", "a.sql", 1)]
    result = scan(root, "no-such-dialect")
    assert found(result) == [("orders", "read", "a.sql", 1)]
    assert result.warnings == ["unknown SQL dialect 'no-such-dialect', using sqlglot's default"]


# -- SQL in Python ------------------------------------------------------------------------------


def test_sql_literals_passed_to_database_calls(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "svc/repo.py": (
                "import pandas as pd\n"  # 1
                "from sqlalchemy import text\n"  # 2
                "def run(cur, conn, engine, pool, df, qs):\n"  # 3
                '    cur.execute("SELECT * FROM orders WHERE id = %s", (1,))\n'  # 4
                '    cur.executemany("INSERT INTO lines (a) VALUES (%(a)s)", rows)\n'  # 5
                '    conn.execute(text("UPDATE stock SET qty = :q"))\n'  # 6
                '    pd.read_sql("SELECT * FROM sales", engine)\n'  # 7
                '    pd.read_sql_query(sql="SELECT * FROM refunds", con=engine)\n'  # 8
                '    pd.read_sql_table("invoices", engine, schema="billing")\n'  # 9
                '    df.to_sql("report", engine)\n'  # 10
                '    conn.exec_driver_sql("DELETE FROM carts")\n'  # 11
                '    pool.fetch("SELECT * FROM users")\n'  # 12
                '    pool.fetchrow("SELECT * FROM users2")\n'  # 13
                '    pool.fetchval("SELECT count(*) FROM users3")\n'  # 14
                '    qs.raw("SELECT * FROM shop_order")\n'  # 15
                '    qs.extra(where=["id IN (SELECT oid FROM vip)"], tables=["promo"])\n'  # 16
                '    conn.execute("""\n'  # 17
                "        SELECT *\n"  # 18
                "        FROM coupons\n"  # 19
                '    """)\n'  # 20
            )
        }
    )
    result = scan(root)
    assert found(result) == [
        ("billing.invoices", "read", "svc/repo.py", 9),
        ("carts", "write", "svc/repo.py", 11),
        ("coupons", "read", "svc/repo.py", 18),  # the line of the statement in the literal
        ("lines", "write", "svc/repo.py", 5),
        ("orders", "read", "svc/repo.py", 4),
        ("promo", "read", "svc/repo.py", 16),
        ("refunds", "read", "svc/repo.py", 8),
        ("report", "write", "svc/repo.py", 10),
        ("sales", "read", "svc/repo.py", 7),
        ("shop_order", "read", "svc/repo.py", 15),
        ("stock", "write", "svc/repo.py", 6),
        ("users", "read", "svc/repo.py", 12),
        ("users2", "read", "svc/repo.py", 13),
        ("users3", "read", "svc/repo.py", 14),
        ("vip", "read", "svc/repo.py", 16),
    ]
    # the evidence text is the statement as written, whitespace collapsed
    assert result.accesses[4].evidence == Evidence(
        "svc/repo.py", 4, "SELECT * FROM orders WHERE id = %s", "sql"
    )
    assert result.unresolved == [] and result.warnings == []


def test_several_statements_in_one_literal_keep_their_lines(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "init.py": (
                "def init(conn):\n"  # 1
                "    conn.executescript('''\n"  # 2
                "        CREATE TABLE a (id int);\n"  # 3
                "        INSERT INTO a VALUES (1);\n"  # 4
                "''')\n"  # 5
            )
        }
    )
    assert found(scan(root)) == [("a", "write", "init.py", 3), ("a", "write", "init.py", 4)]


def test_query_constants_are_resolved(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "svc/__init__.py": "",
            "svc/queries.py": 'GET_ORDER = "SELECT * FROM orders WHERE id = ?"\nRAW = "DELETE FROM tmp"\n',
            "svc/repo.py": (
                "import textwrap\n"  # 1
                "from svc import queries\n"  # 2
                "from .queries import GET_ORDER\n"  # 3
                'LIST = "SELECT * FROM " "items"\n'  # 4  implicit concatenation
                'JOINED = "SELECT * FROM a " + "JOIN b ON a.id = b.id"\n'  # 5
                "class Repo:\n"  # 6
                '    SQL = "UPDATE stock SET qty = 0"\n'  # 7
                "    def run(self, cur):\n"  # 8
                "        cur.execute(LIST)\n"  # 9
                "        cur.execute(JOINED)\n"  # 10
                "        cur.execute(GET_ORDER)\n"  # 11
                "        cur.execute(queries.RAW)\n"  # 12
                "        cur.execute(self.SQL)\n"  # 13
                '        local = textwrap.dedent("""\n'  # 14
                "            SELECT * FROM audit\n"  # 15
                '        """).strip()\n'  # 16
                "        cur.execute(local)\n"  # 17
                '        q = "SELECT * FROM p WHERE 1 = 1"\n'  # 18
                '        q += " AND id IN (SELECT id FROM r)"\n'  # 19
                "        cur.execute(q)\n"  # 20
            ),
        }
    )
    result = scan(root)
    assert found(result) == [
        ("a", "read", "svc/repo.py", 10),
        ("audit", "read", "svc/repo.py", 17),
        ("b", "read", "svc/repo.py", 10),
        ("items", "read", "svc/repo.py", 9),
        ("orders", "read", "svc/repo.py", 11),
        ("p", "read", "svc/repo.py", 20),
        ("r", "read", "svc/repo.py", 20),
        ("stock", "write", "svc/repo.py", 13),
        ("tmp", "write", "svc/repo.py", 12),
    ]
    assert result.unresolved == []


def test_sql_built_at_run_time_is_unresolved_with_its_location(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "dyn.py": (
                "from sqlalchemy import text\n"  # 1
                "def f(cur, conn, table, order_id, build, rows):\n"  # 2
                '    cur.execute(f"SELECT * FROM {table}")\n'  # 3
                '    cur.execute("DELETE FROM %s WHERE id = 1" % table)\n'  # 4
                '    cur.execute("UPDATE {} SET x = 1".format(table))\n'  # 5
                '    cur.execute(f"SELECT * FROM orders WHERE id = {order_id}")\n'  # 6  the table is known
                '    cur.execute("SELECT * FROM billing_" + table)\n'  # 7
                "    cur.execute(table)\n"  # 8
                "    cur.execute(build(table))\n"  # 9  execute() also takes query objects: not reported
                '    cur.execute(f"{table}")\n'  # 10
                "    cur.executemany(build(table), rows)\n"  # 11  takes SQL text only: reported
                "    conn.execute(text(build(table)))\n"  # 12
            )
        }
    )
    result = scan(root)
    assert found(result) == [("orders", "read", "dyn.py", 6)]
    assert unresolved(result) == [
        ("dyn.py", 3, "table name built at run time: SELECT * FROM {table}"),
        ("dyn.py", 4, "table name built at run time: DELETE FROM {table} WHERE id = 1"),
        ("dyn.py", 5, "table name built at run time: UPDATE {table} SET x = 1"),
        ("dyn.py", 7, "table name built at run time: SELECT * FROM billing_{table}"),
        ("dyn.py", 8, "SQL is not a literal: table"),
        ("dyn.py", 10, "SQL is not a literal: table"),
        ("dyn.py", 11, "SQL built by a call: build(table)"),
        ("dyn.py", 12, "SQL built by a call: build(table)"),
    ]
    assert result.warnings == []


def test_unparsable_sql_in_python_is_a_warning_with_file_and_line(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "bad.py": (
                "def f(cur):\n"
                '    cur.execute("SELECT FROM WHERE (")\n'  # 2
                '    cur.execute("SELECT * FROM fine")\n'  # 3
            )
        }
    )
    result = scan(root)
    assert found(result) == [("fine", "read", "bad.py", 3)]
    assert len(result.warnings) == 1 and result.warnings[0].startswith("bad.py:2: unparsable SQL (")
    assert [(u.evidence.line, u.kind) for u in result.unresolved] == [(2, "sql")]


def test_unrelated_calls_and_strings_are_not_sql(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "other.py": (
                "def f(executor, job, graph, cur):\n"
                '    executor.execute("update the cache")\n'  # looks like SQL, does not parse: not a database
                "    executor.execute(job)\n"  # not a database receiver: no Unresolved
                '    graph.query("{ user { id } }")\n'
                '    print("SELECT * FROM not_a_query")\n'
                '    log = "DELETE FROM also_not_a_query"\n'
                '    cur.execute("BEGIN")\n'
                '    cur.execute("SET search_path TO billing")\n'
            )
        }
    )
    result = scan(root)
    assert (result.accesses, result.unresolved, result.warnings) == ([], [], [])


def test_alembic_operations_write_tables(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "alembic/versions/001_init.py": (
                "from alembic import op\n"  # 1
                "import sqlalchemy as sa\n"  # 2
                "def upgrade():\n"  # 3
                '    op.create_table("accounts", sa.Column("id", sa.Integer), schema="billing")\n'  # 4
                '    op.add_column("accounts", sa.Column("x", sa.Integer))\n'  # 5
                '    op.create_index("ix_x", "accounts", ["x"])\n'  # 6
                '    op.rename_table("old_users", "users")\n'  # 7
                '    op.create_foreign_key("fk", "lines", "orders", ["oid"], ["id"])\n'  # 8
                '    op.execute("INSERT INTO accounts SELECT * FROM legacy")\n'  # 9
                '    seed = sa.table("plans", sa.column("id"))\n'  # 10
                '    op.bulk_insert(seed, [{"id": 1}])\n'  # 11
                '    with op.batch_alter_table("users") as batch:\n'  # 12
                '        batch.drop_column("x")\n'  # 13
                "    op.drop_table(name_from_config())\n"  # 14
                "def downgrade():\n"  # 15
                '    op.drop_index("ix_x", table_name="accounts")\n'  # 16
            )
        }
    )
    result = scan(root)
    path = "alembic/versions/001_init.py"
    assert found(result) == [
        ("accounts", "write", path, 5),
        ("accounts", "write", path, 6),
        ("accounts", "write", path, 9),
        ("accounts", "write", path, 16),
        ("billing.accounts", "write", path, 4),
        ("legacy", "read", path, 9),
        ("lines", "write", path, 8),
        ("old_users", "write", path, 7),
        ("plans", "write", path, 11),
        ("users", "write", path, 7),
        ("users", "write", path, 12),
    ]
    assert {a.evidence.how for a in result.accesses} == {"migration"}
    assert unresolved(result) == [(path, 14, "alembic op.drop_table with a table name computed at run time")]


def test_django_migrations_write_default_and_declared_tables(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "shop/orders/migrations/__init__.py": "",
            "shop/orders/migrations/0001_initial.py": (
                "from django.db import migrations, models\n"  # 1
                "class Migration(migrations.Migration):\n"  # 2
                "    operations = [\n"  # 3
                '        migrations.CreateModel(name="Order", fields=[("id", models.AutoField())]),\n'  # 4
                '        migrations.CreateModel("Line", [], options={"db_table": "order_lines"}),\n'  # 5
                '        migrations.CreateModel("Cheap", [], options={"proxy": True}),\n'  # 6
                '        migrations.AddField(model_name="line", name="x", field=models.IntegerField()),\n'  # 7
                '        migrations.RunSQL("UPDATE orders_order SET x = 1", migrations.RunSQL.noop),\n'  # 8
                "        migrations.SeparateDatabaseAndState(\n"  # 9
                '            state_operations=[migrations.DeleteModel("Line")],\n'  # 10
                "        ),\n"  # 11
                '        migrations.RunSQL(["DELETE FROM tmp_a", ("INSERT INTO tmp_b VALUES (%s)", [1])]),\n'  # 12
                '        migrations.RenameModel("Line", "Row"),\n'  # 13
                "    ]\n"  # 14
            ),
            "shop/orders/migrations/0002_rename.py": (
                "from django.db import migrations\n"  # 1
                "class Migration(migrations.Migration):\n"  # 2
                '    operations = [migrations.AlterModelTable(name="order", table="orders")]\n'  # 3
            ),
        }
    )
    result = scan(root)
    first = "shop/orders/migrations/0001_initial.py"
    assert found(result) == [
        ("order_lines", "write", first, 5),
        ("order_lines", "write", first, 7),
        ("order_lines", "write", first, 13),  # a declared db_table survives RenameModel
        ("orders", "write", "shop/orders/migrations/0002_rename.py", 3),
        ("orders_order", "write", first, 4),
        ("orders_order", "write", first, 8),
        ("orders_order", "write", "shop/orders/migrations/0002_rename.py", 3),
        ("tmp_a", "write", first, 12),
        ("tmp_b", "write", first, 12),
    ]
    assert {a.evidence.how for a in result.accesses} == {"migration"}
    assert result.unresolved == []


# -- bad input, safety, speed ----------------------------------------------------------------------


def test_bad_files_are_skipped_with_a_warning(write_tree: WriteTree) -> None:
    huge_statement = (
        "SELECT " + ", ".join(f"c{i}" for i in range(40_000)) + " FROM wide;\nSELECT * FROM after;"
    )
    root = write_tree(
        {
            "a_latin1.sql": "SELECT * FROM caf\xe9;".encode("latin-1"),
            "b_binary.py": b"\x00\x01\x02import os",
            "c_syntax.py": "def f(:\n    cur.execute('SELECT 1')\n",
            "d_big.sql": "SELECT 1;\n" * 300_000,
            "e_wide.sql": huge_statement,
            "f_latin1_cookie.py": '# -*- coding: latin-1 -*-\ndef f(c):\n    c.execute("SELECT * FROM caf\xe9")\n'.encode(
                "latin-1"
            ),
            "g_ok.py": 'def f(c):\n    c.execute("SELECT * FROM ok")\n',
        }
    )
    result = scan(root)
    assert result.warnings == [
        "a_latin1.sql: not valid UTF-8, skipped",
        "b_binary.py: binary file, skipped",
        "c_syntax.py:1: syntax error, skipped (invalid syntax)",  # the message is Python's own
        "d_big.sql: larger than 2 MB, skipped",
        "e_wide.sql:1: unparsable SQL (statement larger than 64 kB, skipped)",
    ]
    assert found(result) == [
        ("after", "read", "e_wide.sql", 2),
        ("café", "read", "f_latin1_cookie.py", 3),
        ("ok", "read", "g_ok.py", 2),
    ]


def test_sql_parsing_has_a_time_budget_per_file(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_tables, "FILE_SECONDS", 0.0)
    root = write_tree({"slow.sql": "SELECT * FROM a;\nSELECT * FROM b;\n"})
    result = scan(root)
    assert result.accesses == []
    assert result.warnings == ["slow.sql:1: SQL parsing over 0 s, rest skipped"]
    assert unresolved(result) == [("slow.sql", 1, "SQL not parsed: time budget exceeded")]


def test_table_names_given_to_table_calls(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "load.py": (
                "async def load(conn, df, engine, name):\n"  # 1
                '    await conn.copy_records_to_table("events", records=rows)\n'  # 2
                '    await conn.copy_from_table("snapshots", output="x.csv")\n'  # 3
                "    df.to_sql(name, engine)\n"  # 4
                '    df.to_sql(name="daily", con=engine, schema="Reports")\n'  # 5
            )
        }
    )
    result = scan(root)
    assert found(result) == [
        ("events", "write", "load.py", 2),
        ("reports.daily", "write", "load.py", 5),
        ("snapshots", "read", "load.py", 3),
    ]
    assert unresolved(result) == [("load.py", 4, "table name is not a literal: name")]


def test_analysed_code_is_never_executed(write_tree: WriteTree, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    root = write_tree(
        {
            "evil/__init__.py": f"open({str(marker)!r}, 'w').write('ran')\n",
            "evil/repo.py": (
                f"open({str(marker)!r}, 'w').write('ran')\n"
                "from evil import helpers\n"
                "def f(cur):\n"
                '    cur.execute("SELECT * FROM orders")\n'
            ),
        }
    )
    assert found(scan(root)) == [("orders", "read", "evil/repo.py", 4)]
    assert not marker.exists()


def test_results_are_sorted_and_repeatable(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "b.sql": "SELECT * FROM zeta; SELECT * FROM alpha;",
            "a.py": 'def f(c):\n    c.execute("DELETE FROM mid")\n    c.execute(f"SELECT * FROM {x}")\n',
        }
    )
    first, second = scan(root), scan(root)
    assert first == second
    assert first.accesses == sorted(first.accesses)
    assert first.unresolved == sorted(first.unresolved)
    assert first.accesses[0] == TableAccess(
        "alpha", "read", Evidence("b.sql", 1, "SELECT * FROM alpha", "sql-file")
    )


def test_many_services_scan_quickly(tmp_path: Path) -> None:
    services = []
    for n in range(100):
        folder = tmp_path / f"svc{n}"
        folder.mkdir()
        statements = "".join(
            f'    cur.execute("SELECT a, b FROM t{n}_{i} x JOIN u{i} y ON x.id = y.id WHERE x.k = %s", (k,))\n'
            for i in range(10)
        )
        (folder / "repo.py").write_text(f"def f(cur, k):\n{statements}", encoding="utf-8")
        services.append(folder)
    results = [scan(folder) for folder in services]
    assert sum(r.statements for r in results) == 1000
    assert sum(len(r.accesses) for r in results) == 2000  # timings: bench/services.py

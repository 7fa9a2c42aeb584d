"""The fast path for simple SQL (fitness.collect.sql.fast) against sqlglot: whenever it reads a text, the
statements (line, start, end), the tables and modes, the Table nodes the callers look at (names, quoting,
positions, aliases) are those of sqlglot's parse with the same dialect fallbacks; and it declines what it
does not know (subqueries, CTEs, unions, keywords as names, unknown operators and functions...)."""

from __future__ import annotations

import ast
import inspect
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.dialects.postgres import Postgres

from fitness.collect.code.detectors import sql_strings
from fitness.collect.code.detectors._literals import SUFFIXES
from fitness.collect.code.registry import Registry
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.collect.sql import fast as fast_module
from fitness.collect.sql.fast import FastPath
from fitness.collect.sql.parse import Sql, Stmt, quiet, table_accesses
from fitness.collect.sql.tables import SqlScan, scan_tables
from fitness.model.facts import SourceFacts
from tests.conftest import WriteTree

ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(os.environ.get("FITNESS_CORPUS") or ROOT.parent / "shared" / "corpus")
SQL_START = re.compile(r"\s*\(?\s*(select|insert|update|delete|create|drop|alter|with|merge|replace)\b", re.I)
DIALECTS = (None, "postgres")

View = tuple[object, ...]


def view(statements: list[Stmt] | None) -> list[View] | None:
    """What the callers use of each statement: its place, its error, its tables and modes, and for each
    table the first Table node of that name (its parts, quoting, positions, alias), every table alias."""
    if statements is None:
        return None
    result: list[View] = []
    for statement in statements:
        tree = statement.tree
        item: View = (statement.line, statement.start, statement.end, statement.error, type(tree).__name__)
        if tree is not None and not isinstance(tree, exp.Command):
            accesses = table_accesses(tree)
            tables = list(tree.find_all(exp.Table))
            first: dict[str, exp.Table] = {}
            for table in tables:
                first.setdefault(
                    ".".join(p for p in (table.catalog, table.db, table.name) if p).lower(), table
                )
            nodes = []
            for name, _mode in accesses:
                node = first[name]
                parts = [
                    (key, part.this, part.args.get("quoted"), dict(part.meta))
                    for key in ("catalog", "db", "this")
                    if isinstance(part := node.args.get(key), exp.Expr)
                ]
                nodes.append((name, parts, node.alias))
            aliases = sorted(a.name for a in tree.find_all(exp.TableAlias))
            item += (accesses, nodes, aliases, sorted({t.alias.lower() for t in tables if t.alias}))
        result.append(item)
    return result


def both(text: str, dialect: str | None) -> tuple[list[View] | None, list[View] | None]:
    """(fast path, sqlglot) for one text; the fast path's is None when it declines."""
    sql = Sql(dialect, [])
    sql.deadline = time.monotonic() + 60
    assert sql.fast is not None
    with quiet():
        found = sql.fast.statements(text)
        fast = None if found is None else view([Stmt(*f) for f in found])
        return fast, (view(sql.parsed(text)) if fast is not None else None)


def check(texts: list[str], dialect: str | None) -> int:
    """Assert the fast path agrees with sqlglot wherever it reads a text; the number it read."""
    accepted, mismatches = 0, []
    for text in texts:
        fast, slow = both(text, dialect)
        if fast is None:
            continue
        accepted += 1
        if fast != slow:
            mismatches.append(f"{text!r}\n  fast:    {fast}\n  sqlglot: {slow}")
    assert not mismatches, f"{len(mismatches)} mismatches, first ones:\n" + "\n".join(mismatches[:5])
    return accepted


# -- texts ----------------------------------------------------------------------------------------


def fixture_texts() -> list[str]:
    """SQL in the test fixtures and examples (string literals that start like SQL, .sql files), and the
    .sql files of the labelled corpus when it is there."""
    texts: set[str] = set()
    for folder in (ROOT / "tests", ROOT / "examples"):
        for path in sorted(folder.rglob("*.py")):
            if path.resolve() == Path(__file__).resolve():
                continue
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and SQL_START.match(node.value)
                ):
                    texts.add(node.value)
    for folder in (ROOT / "tests", ROOT / "examples", CORPUS):
        for path in sorted(folder.rglob("*.sql")) if folder.is_dir() else []:
            texts.add(path.read_text(encoding="utf-8", errors="replace"))
    return sorted(texts)


def parser_words() -> list[str]:
    """Words sqlglot's parsers (default, postgres) match by their text, not as keywords: the riskiest
    names for a reader that only knows the tokenizer's keywords."""
    words: set[str] = set()
    for dialect in (Dialect.get_or_raise(None), Postgres()):
        for cls in type(dialect).parser_class.__mro__[:-1]:
            try:
                source = inspect.getsource(sys.modules[cls.__module__])
            except (OSError, TypeError):  # a compiled sqlglot: its sets of words only
                source = ""
            for call in re.findall(r"_match_texts?(?:_seq)?\(([^)]*)\)", source):
                words.update(w for s in re.findall(r'"([A-Za-z_ ]+)"', call) for w in s.split())
            for key, value in vars(cls).items():
                if (isinstance(value, dict) and not key.endswith("_PARSERS")) or key.startswith("FUNCTION"):
                    continue
                if isinstance(value, (set, frozenset, dict, list, tuple)):
                    words.update(k for k in value if isinstance(k, str) and re.fullmatch(r"[A-Za-z_]+", k))
    return sorted(words)


WORD_STATEMENTS = (  # {w}: the word as a table, an alias, a column, a function, an index
    "SELECT {w}, t.{w} FROM {w} {w} JOIN s.{w} AS x ON x.{w} = {w}.{w} "
    "WHERE {w} IS NULL OR {w} LIKE :{w} ORDER BY {w} DESC LIMIT {w}",
    "SELECT * FROM t {w}, u {w} CROSS JOIN v; SELECT * FROM t {w}",
    "UPDATE {w} {w} SET {w} = {w} + 1 FROM u {w} WHERE {w} BETWEEN 1 AND @{w}",
    "DELETE FROM {w} {w} WHERE {w} IN (1, {w}) RETURNING {w}",
    "INSERT INTO {w} ({w}) VALUES (:{w}) ON CONFLICT ({w}) DO UPDATE SET {w} = 1",
    "CREATE TABLE {w} ({w} INT NOT NULL, PRIMARY KEY ({w})); CREATE INDEX {w} ON {w} ({w}); DROP TABLE {w}",
    "SELECT {w}(a) AS {w} FROM t GROUP BY {w}",
    "SELECT {w}, t.{w} FROM t WHERE {w} = 1 AND t.{w} IN (1) ORDER BY {w}; INSERT INTO t ({w}) VALUES (1); "
    "UPDATE t SET {w} = {w} + 1; CREATE TABLE t ({w} INT, UNIQUE ({w}))",
)


def word_texts(words: list[str]) -> list[str]:
    return [statement.format(w=word.lower()) for word in words for statement in WORD_STATEMENTS]


class Generator:
    """Random statements of the fast path's grammar (and a little beyond), written with random case,
    blanks and comments, some of them mutated into something else (a token dropped, doubled, swapped,
    or a keyword thrown in)."""

    TABLES = ("orders", "o", "Items", "svc001_t0", "__fdyn0__", "billing___fdyn1__", "at", "changes", "x1")
    COLUMNS = ("id", "a", "sku", "name", "type", "date", "key", "status", "__fdyn2__", "total", "qty")
    ALIASES = ("o", "x", "t2", "r", "sample", "before", "at", "i")
    PLACEHOLDERS = (
        "?",
        ":id",
        ":name",
        "$1",
        "$2",
        "%s",
        "%(sku)s",
        "@p",
        "1",
        "2.5",
        "'x'",
        "'it''s'",
        "NULL",
    )
    KEYWORDS = (
        "SELECT",
        "FROM",
        "WHERE",
        "AND",
        "(",
        ")",
        ",",
        "JOIN",
        "ON",
        "AS",
        "NOT",
        "=",
        "*",
        ".",
        ";",
    )
    SEPARATORS = (" ",) * 12 + ("\n", "\n", "\t", "  \n  ", " /* c */ ", "\n-- note\n", "\r\n")

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, items: tuple[str, ...]) -> str:
        return self.rng.choice(items)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def name(self, names: tuple[str, ...]) -> list[str]:
        name = self.pick(names)
        if self.chance(0.15):
            name = f'"{name.capitalize()}"'
        return [name]

    def table(self) -> list[str]:
        parts = self.name(self.TABLES)
        for _ in range(self.rng.choice((0, 0, 0, 1, 1, 2))):
            parts = [*self.name(("billing", "dbo", "Shop", "cat")), ".", *parts]
        return parts

    def table_ref(self) -> list[str]:
        tokens = self.table()
        if self.chance(0.5):
            tokens += (["AS"] if self.chance(0.3) else []) + self.name(self.ALIASES)
        return tokens

    def column(self) -> list[str]:
        tokens = self.name(self.COLUMNS)
        if self.chance(0.3):
            tokens = [*self.name(self.ALIASES), ".", *tokens]
        return tokens

    def operand(self, depth: int = 0) -> list[str]:
        roll = self.rng.random()
        if roll < 0.35:
            return self.column()
        if roll < 0.7:
            return [self.pick(self.PLACEHOLDERS)]
        if roll < 0.8:
            return ["-", self.pick(("1", "2.5", "?", "x"))]
        if roll < 0.9 and depth < 2:
            function = self.pick(("count", "SUM", "lower", "coalesce", "now", "my_func", "count", "trim"))
            args = ["*"] if function == "count" and self.chance(0.5) else self.value(depth + 1)
            return [function, "(", *args, ")"]
        if depth < 2:
            return ["(", *self.condition(depth + 1), ")"]
        return self.column()

    def value(self, depth: int = 0) -> list[str]:
        tokens = self.operand(depth)
        while self.chance(0.2):
            tokens += [self.pick(("+", "-", "*", "/")), *self.operand(depth)]
        return tokens

    def predicate(self, depth: int) -> list[str]:
        tokens = ["NOT"] if self.chance(0.1) else []
        tokens += self.value(depth)
        roll = self.rng.random()
        if roll < 0.5:
            return [*tokens, self.pick(("=", "<>", "!=", "<", ">", "<=", ">=")), *self.value(depth)]
        if roll < 0.6:
            return [*tokens, "IS", *(["NOT"] if self.chance(0.5) else []), self.pick(("NULL", "TRUE"))]
        if roll < 0.75:
            values = self.value(depth)
            while self.chance(0.4):
                values += [",", *self.value(depth)]
            return [*tokens, *(["NOT"] if self.chance(0.3) else []), "IN", "(", *values, ")"]
        if roll < 0.85:
            return [*tokens, self.pick(("LIKE", "ILIKE")), *self.value(depth)]
        if roll < 0.95:
            return [*tokens, "BETWEEN", *self.value(depth), "AND", *self.value(depth)]
        return tokens

    def condition(self, depth: int = 0) -> list[str]:
        tokens = self.predicate(depth)
        while self.chance(0.35):
            tokens += [self.pick(("AND", "OR")), *self.predicate(depth)]
        return tokens

    def select(self) -> list[str]:
        tokens = ["SELECT", *(["DISTINCT"] if self.chance(0.1) else [])]
        if self.chance(0.3):
            tokens.append("*")
        else:
            for index in range(self.rng.randint(1, 3)):
                tokens += [","] if index else []
                if self.chance(0.1):
                    tokens += [*self.name(self.ALIASES), ".", "*"]
                    continue
                tokens += self.value()
                if self.chance(0.2):
                    tokens += ["AS", *self.name(self.ALIASES)]
        if self.chance(0.95):
            tokens += ["FROM", *self.table_ref()]
            for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
                roll = self.rng.random()
                if roll < 0.2:
                    tokens += [",", *self.table_ref()]
                elif roll < 0.3:
                    tokens += ["CROSS", "JOIN", *self.table_ref()]
                else:
                    side = self.pick(("", "", "INNER", "LEFT", "LEFT OUTER", "RIGHT", "FULL OUTER"))
                    tokens += [*side.split(), "JOIN", *self.table_ref()]
                    if self.chance(0.8):
                        tokens += ["ON", *self.condition()]
                    else:
                        tokens += ["USING", "(", *self.column()[-1:], ")"]
        if self.chance(0.6):
            tokens += ["WHERE", *self.condition()]
        if self.chance(0.15):
            tokens += ["GROUP", "BY", *self.column()]
            if self.chance(0.5):
                tokens += ["HAVING", *self.condition()]
        if self.chance(0.25):
            tokens += [
                "ORDER",
                "BY",
                *self.value(),
                *self.pick(("", "ASC", "DESC", "DESC NULLS LAST")).split(),
            ]
        if self.chance(0.2):
            tokens += ["LIMIT", self.pick(("10", "?", "%s", ":n", "__fdyn3__"))]
            if self.chance(0.3):
                tokens += ["OFFSET", self.pick(("5", "?", "$2"))]
        if self.chance(0.05):
            tokens += ["FOR", "UPDATE", *self.pick(("", "NOWAIT", "SKIP LOCKED")).split()]
        return tokens

    def assignments(self) -> list[str]:
        tokens = [*self.column(), "=", *self.value()]
        while self.chance(0.3):
            tokens += [",", *self.column(), "=", *self.value()]
        return tokens

    def statement(self) -> list[str]:
        roll = self.rng.random()
        if roll < 0.4:
            return self.select()
        if roll < 0.6:
            tokens = ["INSERT", "INTO", *self.table()]
            if self.chance(0.8):
                tokens += ["(", *self.name(self.COLUMNS), ",", *self.name(self.COLUMNS), ")"]
            if self.chance(0.2):
                return tokens + self.select()
            tokens += ["VALUES", "(", *self.value(), ",", *self.value(), ")"]
            if self.chance(0.2):
                tokens += [",", "(", *self.value(), ",", *self.value(), ")"]
            if self.chance(0.15):
                tokens += ["ON", "CONFLICT", "(", "id", ")", "DO"]
                tokens += ["NOTHING"] if self.chance(0.5) else ["UPDATE", "SET", *self.assignments()]
            if self.chance(0.15):
                tokens += ["RETURNING", self.pick(("*", "id"))]
            return tokens
        if roll < 0.75:
            tokens = ["UPDATE", *self.table_ref(), "SET", *self.assignments()]
            if self.chance(0.2):
                tokens += ["FROM", *self.table_ref()]
            if self.chance(0.7):
                tokens += ["WHERE", *self.condition()]
            return tokens
        if roll < 0.85:
            tokens = ["DELETE", "FROM", *self.table_ref()]
            return tokens + (["WHERE", *self.condition()] if self.chance(0.8) else [])
        if roll < 0.95:
            tokens = [
                "CREATE",
                "TABLE",
                *(["IF", "NOT", "EXISTS"] if self.chance(0.3) else []),
                *self.table(),
                "(",
            ]
            types = (
                "INT",
                "SERIAL",
                "BIGSERIAL",
                "TEXT",
                "VARCHAR(255)",
                "NUMERIC(10, 2)",
                "BOOLEAN",
                "TIMESTAMP",
                "TIMESTAMP WITH TIME ZONE",
                "TIMESTAMPTZ",
                "DOUBLE PRECISION",
                "UUID",
                "JSONB",
            )
            constraints = (
                "",
                "",
                "PRIMARY KEY",
                "NOT NULL",
                "UNIQUE",
                "DEFAULT 0",
                "DEFAULT now()",
                "DEFAULT CURRENT_TIMESTAMP",
                "REFERENCES orders (id) ON DELETE CASCADE",
                "NULL",
            )
            for index in range(self.rng.randint(1, 4)):
                tokens += ([","] if index else []) + self.name(self.COLUMNS)
                tokens += [*self.pick(types).split(), *self.pick(constraints).split()]
            if self.chance(0.3):
                tokens += [",", "FOREIGN", "KEY", "(", "a", ")", "REFERENCES", *self.table(), "(", "id", ")"]
            if self.chance(0.2):
                tokens += [
                    ",",
                    *self.pick(("CONSTRAINT pk PRIMARY KEY", "UNIQUE", "PRIMARY KEY")).split(),
                    "(",
                    "a",
                    ")",
                ]
            return [*tokens, ")"]
        if self.chance(0.5):
            return ["DROP", "TABLE", *(["IF", "EXISTS"] if self.chance(0.5) else []), *self.table()]
        return ["CREATE", "UNIQUE", "INDEX", "ix", "ON", *self.table(), "(", "a", ",", "b", "DESC", ")"]

    def mutate(self, tokens: list[str]) -> list[str]:
        tokens = list(tokens)
        at = self.rng.randrange(len(tokens))
        roll = self.rng.random()
        if roll < 0.3:
            del tokens[at]
        elif roll < 0.5:
            tokens.insert(at, tokens[at])
        elif roll < 0.7 and at + 1 < len(tokens):
            tokens[at], tokens[at + 1] = tokens[at + 1], tokens[at]
        else:
            tokens.insert(at, self.pick(self.KEYWORDS))
        return tokens

    def write(self, tokens: list[str]) -> str:
        text = ""
        for index, token in enumerate(tokens):
            if token.isalpha() and token.isupper() and self.chance(0.3):
                token = token.lower() if self.chance(0.7) else token.capitalize()
            glue = (
                self.pick(self.SEPARATORS)
                if not ((index and token in ",.)") or tokens[index - 1] in ".(")
                else ""
            )
            text += (glue if index else "") + token
        return text

    def texts(self, count: int) -> Iterator[str]:
        for _ in range(count):
            statements = []
            for _ in range(self.rng.choice((1, 1, 1, 2, 3))):
                tokens = self.statement()
                statements.append(self.write(self.mutate(tokens) if self.chance(0.3) else tokens))
            text = self.pick((";\n", ";\n", "; ", ";;\n", " ;\n-- x\n")).join(statements)
            text += self.pick(("", "", ";", ";\n", "\n", "; /* end */"))
            yield self.pick(("", "", "\n  ", "-- head\n")) + text


# -- agreement with sqlglot ---------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_fixture_and_corpus_sql_reads_the_same(dialect: str | None) -> None:
    texts = fixture_texts()
    assert len(texts) > 50
    assert check(texts, dialect) > 25


@pytest.mark.parametrize("dialect", DIALECTS)
def test_generated_statements_read_the_same(dialect: str | None) -> None:
    texts = list(Generator(seed=7 if dialect else 11).texts(1000))
    accepted = check(texts, dialect)
    assert accepted > 250  # the grammar covers most of them (mutations and keywords as names aside)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_word_sqlglot_reads_by_its_text_is_a_name_the_same_way(dialect: str | None) -> None:
    words = parser_words()
    assert len(words) > 300
    names = [
        "name",
        "type",
        "date",
        "time",
        "timestamp",
        "text",
        "comment",
        "format",
        "key",
        "action",
        "uuid",
    ]
    functions = ["count", "sum", "min", "lower", "coalesce", "now", "trim", "cast", "left", "if", "my_func"]
    assert check(word_texts([*words, *names, *functions, "json", "user", "first", "last"]), dialect) > 1000


def test_placeholders_and_where_sqlglot_falls_back_to_postgres() -> None:
    texts = [
        "SELECT a FROM t WHERE a = %s AND b IN (%s, %(x)s) LIMIT %s OFFSET %s",
        "INSERT INTO t (a, b) VALUES (%s, %(b)s)",
        "UPDATE t SET a = %s WHERE b LIKE %s",
        "DELETE FROM t WHERE a BETWEEN %s AND %(hi)s",
        "SELECT a FROM t WHERE a = ?; SELECT b FROM u WHERE b = %s",
        "SELECT a FROM t WHERE a = $1 AND b = :b AND c = @c AND d = ?",
    ]
    for dialect in DIALECTS:
        assert check(texts, dialect) == len(texts)


# -- what it reads, what it declines -------------------------------------------------------------


def fast_accesses(text: str, dialect: str | None = None) -> list[list[tuple[str, str]]] | None:
    fast = FastPath.for_dialects(Sql(dialect, []).dialects)
    assert fast is not None
    found = fast.statements(text)
    return None if found is None else [table_accesses(tree) for _line, _start, _end, tree in found]


def test_simple_statements_are_read() -> None:
    assert fast_accesses("SELECT * FROM svc001_t0 JOIN svc000_t1 USING (id)") == [
        [("svc000_t1", "read"), ("svc001_t0", "read")]
    ]
    assert fast_accesses(
        'select o.id from "Billing".Invoices o left join billing.lines l on l.inv = o.id'
    ) == [[("billing.invoices", "read"), ("billing.lines", "read")]]
    assert fast_accesses("INSERT INTO svc001_t0 (id) VALUES (1)") == [[("svc001_t0", "write")]]
    assert fast_accesses("UPDATE stock s SET qty = qty - :q FROM orders o WHERE o.sku = s.sku") == [
        [("stock", "write"), ("orders", "read")]
    ]
    assert fast_accesses("DELETE FROM carts WHERE id = $1") == [[("carts", "write")]]
    assert fast_accesses("INSERT INTO audit SELECT * FROM audit a JOIN events e ON e.id = a.id") == [
        [("audit", "write"), ("events", "read")]
    ]
    assert fast_accesses(
        "-- schema\nCREATE TABLE IF NOT EXISTS a (id SERIAL PRIMARY KEY, b INT REFERENCES b (id));\n"
        "CREATE UNIQUE INDEX ix ON c (x);\nDROP TABLE IF EXISTS d, e;\n"
    ) == [[("a", "write")], [("c", "write")], [("d", "write"), ("e", "write")]]
    assert fast_accesses("  ;  /* nothing */ ; ") == []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM a WHERE id IN (SELECT id FROM b)",
        "SELECT (SELECT max(x) FROM b) FROM a",
        "SELECT * FROM (SELECT * FROM a) s",
        "SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b)",
        "WITH r AS (SELECT * FROM a) SELECT * FROM r",
        "SELECT * FROM a UNION SELECT * FROM b",
        "SELECT * FROM a UNION ALL SELECT * FROM b",
        "SELECT * FROM a INTERSECT SELECT * FROM b",
        "SELECT a INTO new_table FROM b",
        "INSERT INTO a (x) VALUES ((SELECT 1 FROM b))",
        "UPDATE a SET x = (SELECT max(y) FROM b)",
        "DELETE FROM a USING b WHERE a.id = b.id",
        "DELETE a FROM a JOIN b ON a.id = b.id",
        "MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN DELETE",
        "REPLACE INTO a (x) VALUES (1)",
        "CREATE TABLE a AS SELECT * FROM b",
        "CREATE VIEW v AS SELECT * FROM a",
        "CREATE TABLE a (id INT) ENGINE=InnoDB",
        "ALTER TABLE a RENAME TO b",
        "TRUNCATE a",
        "SELECT * FROM `orders`",
        "SELECT * FROM [orders]",
        "SELECT * FROM café",
        "SELECT x::int FROM a",
        "SELECT a || b FROM t",
        "SELECT a FROM t WHERE a <=> b",
        "SELECT a FROM t WHERE a => b",
        "SELECT a FROM t WHERE a = 'it\\'s'",
        "SELECT a FROM t WHERE a = 'unterminated",
        "SELECT a FROM t WHERE a = 'two\nlines'",
        'SELECT a FROM "two""quotes"',
        "SELECT a FROM t /* unterminated",
        "SELECT a FROM t ORDER /* split */ BY a",
        "SELECT /*+ hint */ a FROM t",
        "SELECT a FROM t WHERE a = 1e5",
        "SELECT a FROM t WHERE a = E'x'",
        "SELECT a FROM t WHERE a = ?1",
        "SELECT a FROM t WHERE a = :1",
        "SELECT * FROM order",
        "SELECT * FROM t user",
        "SELECT from FROM t",
        "SELECT a b FROM t",
        "SELECT a FROM t WHERE a = NOT b",
        "SELECT CAST(a AS INT) FROM t",
        "SELECT a FROM t WHERE a = INTERVAL '1 day'",
        "SELECT trim(a) FROM t",
        "SELECT a FROM t WHERE a = 1 AND",
        "SELECT a FROM t WHERE (a = 1",
        "SELECT a FROM t t2 t3",
        "SELECT a FROM s.t.u.v",
        "SELEC x",
        "update the cache",
        "SELECT a FROM t; SELECT * FROM (SELECT 1) x",
        "SELECT a FROM t WHERE a = %d",
    ],
)
def test_anything_else_is_declined(text: str) -> None:
    assert fast_accesses(text) is None


def test_only_the_default_dialect_and_postgres_are_read() -> None:
    assert FastPath.for_dialects(Sql("mysql", []).dialects) is None
    assert FastPath.for_dialects(Sql("tsql", []).dialects) is None
    assert FastPath.for_dialects(Sql("bigquery", []).dialects) is None
    assert FastPath.for_dialects(Sql("redshift", []).dialects) is None  # a postgres, but not postgres
    # %s fails in the default dialect and sqlglot falls back to postgres: only when postgres comes next
    assert fast_accesses("DELETE FROM t WHERE a = %s") == [[("t", "write")]]
    assert fast_accesses("DELETE FROM t WHERE a = %s", "postgres") == [[("t", "write")]]
    assert FastPath.for_dialects([Dialect.get_or_raise(None)]) is not None
    only_default = FastPath.for_dialects([Dialect.get_or_raise(None)])
    assert only_default is not None and only_default.statements("DELETE FROM t WHERE a = %s") is None


def test_past_the_deadline_sqlglot_reports_the_timeout() -> None:
    sql = Sql(None, [])
    sql.deadline = time.monotonic() - 1
    assert [(s.tree, s.error) for s in sql.statements("SELECT * FROM a") or []] == [(None, "timeout")]
    sql.deadline = time.monotonic() + 60
    found = sql.statements("SELECT * FROM a")
    assert found is not None
    assert isinstance(found[0].tree, exp.Select)


def test_long_texts_go_to_sqlglot() -> None:
    text = "SELECT * FROM a WHERE " + " AND ".join(
        f"c{i} = {i}" for i in range(fast_module.MAX_TEXT_CHARS // 10)
    )
    assert fast_accesses(text) is None


# -- the collector, with and without the fast path ---------------------------------------------------


def scan(root: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> SqlScan:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(FastPath, "for_dialects", classmethod(lambda cls, dialects: None))
        return scan_tables(sorted(p for p in root.rglob("*") if p.is_file()), root)


def test_the_collector_finds_the_same_with_and_without_the_fast_path(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(
        {
            "svc/schema.sql": "-- tables\nCREATE TABLE orders (id SERIAL PRIMARY KEY, total NUMERIC(10, 2));\n\n"
            "CREATE TABLE lines (id INT, order_id INT REFERENCES orders (id));\nDROP TABLE IF EXISTS old;\n",
            "svc/mixed.sql": "SELECT * FROM a;\nSELECT * FROM (SELECT 1) x;\nSELEC broken;\n",
            "svc/repo.py": "from sqlalchemy import text\n\n\ndef run(db, table, oid):\n"
            '    db.execute(text("SELECT o.id FROM orders o JOIN lines l ON l.order_id = o.id WHERE o.id = :i"))\n'
            '    db.execute("UPDATE orders SET total = %s WHERE id = %s", (1, 2))\n'
            '    db.execute(f"DELETE FROM {table} WHERE id = {oid}")\n'
            '    db.execute(f"SELECT * FROM billing_{table} b WHERE b.id = 1")\n'
            '    db.execute("""\n        INSERT INTO audit (what)\n        VALUES (\'x\')\n    """)\n',
        }
    )
    with_fast, without = scan(root, True, monkeypatch), scan(root, False, monkeypatch)
    assert with_fast == without
    assert {a.table for a in with_fast.accesses} >= {"orders", "lines", "old", "a", "audit"}
    for folder in (ROOT / "examples", CORPUS):
        if folder.is_dir():
            assert scan(folder, True, monkeypatch) == scan(folder, False, monkeypatch)


def detect(folder: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> SourceFacts:
    """The sql-strings detector (SQL in Go, Java, C#, JS...) on every file of ``folder``."""
    files = [
        SourceFile(
            p.relative_to(folder).as_posix(),
            p.read_text(encoding="utf-8", errors="replace"),
            suffix_of(p.name),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file() and suffix_of(p.name) in SUFFIXES
    ]
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(sql_strings._sql(), "fast", None)
        return Registry((sql_strings.DETECTOR,)).run(files)


def test_the_sql_strings_detector_finds_the_same_with_and_without_the_fast_path(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(
        {
            "svc/Repo.java": 'class Repo {\n  String q = "SELECT o.id FROM shop.orders o WHERE o.id = ?";\n'
            '  String u = "UPDATE " + TABLE + " SET total = ? WHERE id = ?";\n'
            '  String d = """\n      DELETE FROM carts\n      WHERE id = ?\n      """;\n}\n',
            "svc/main.go": "package main\n\nconst q = `\n\tSELECT p.id\n\tFROM catalog.products p\n"
            "\tJOIN catalog.items i ON i.pid = p.id\n\tWHERE p.id = $1\n`\n",
            "svc/db.ts": "const q = `INSERT INTO audit (what) VALUES (${what})`;\n"
            "const r = 'select id from members where id = ?';\n",
        }
    )
    with_fast = detect(root, True, monkeypatch)
    assert with_fast == detect(root, False, monkeypatch)
    assert {a.table for a in with_fast.tables} >= {"shop.orders", "carts", "catalog.products", "audit"}
    if CORPUS.is_dir():
        assert detect(CORPUS, True, monkeypatch) == detect(CORPUS, False, monkeypatch)

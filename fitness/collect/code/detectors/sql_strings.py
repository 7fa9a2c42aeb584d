r'''Tables read and written by SQL written as string literals in Go, Java, Kotlin, Scala, C#, JS/TS, Rust,
Ruby and PHP (Python is :mod:`fitness.collect.sql.tables`' job).

Strings (see :mod:`._literals`): Go ```...``` and ``"..."``; Java/Kotlin/Scala ``"""..."""`` and
``"..."``; C# ``@"..."``, ``$"..."``, ``"""..."""``; JS/TS ```...${x}...```, ``'...'``, ``"..."``; Rust
``r#"..."#``, ``"..."`` (``sqlx::query!("...")``); Ruby ``"..."``, ``<<~SQL`` heredocs; PHP ``'...'``,
``"..."``, ``<<<SQL``. Literals joined by ``+`` (PHP ``.``) are one string, ``"SELECT * FROM " + TABLE``
folding a constant of the file. A string is SQL when it starts (after blanks or ``(``) with SELECT,
INSERT, UPDATE, DELETE, WITH, MERGE, UPSERT or REPLACE written all upper or all lower case, has the
matching FROM / INTO / SET / AS ( and, when lower case, something only SQL has (``where``, ``=``,
``*``, ``?``, ``$1``, ``join``, ``values``...). Parameters (``$1``, ``?``, ``?1``, ``:name``, ``@p``,
``#{x}``) become literals; interpolations and other operands (``${t}``, ``{t}``, ``%s``, ``" + t + "``)
become placeholder names. It is parsed with sqlglot (``fitness.collect.sql.parse``: default, postgres,
mysql, tsql) and every table is a ``TableAccess(how="sql")``, lower case, its schema kept
(``catalog.products``); the evidence line is the line of the table's name in the file. A table named by
an interpolation, or SQL sqlglot cannot parse, is an ``Unresolved("sql")`` at the string's first line.

JPA: strings in ``@Query("...")`` without ``nativeQuery = true``, ``createQuery("...")`` and
``@NamedQuery(query = "...")`` are JPQL, whose names are entities: each one is mapped to its table only
when the component maps that entity (:mod:`orm_entities`), else dropped (``JOIN c.orders`` is a path, not
an entity). Other JVM strings may be either: a name that is an entity of the component is mapped, others
are tables. ``@Query`` of Spring Data JDBC/R2DBC and ``createNativeQuery`` are SQL.
'''

from __future__ import annotations

import functools
import re
import time
from typing import TYPE_CHECKING

from fitness.collect.code.detectors._entity_index import index_for
from fitness.collect.code.detectors._literals import JVM, PHP, SUFFIXES, Piece, concatenations, literals
from fitness.collect.code.detectors._messaging import Scope
from fitness.collect.code.detectors._scan import ANY_FILE, close_of, commented, holds, lowered, space_before
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import SourceFacts, TableAccess, Unresolved

if TYPE_CHECKING:  # sqlglot (a tenth of a second to import) loads with the first SQL string
    from sqlglot import exp

    from fitness.collect.sql.parse import Sql

DYN = "__fdyn"
_START = lazy(r"\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|UPSERT|REPLACE)\b", re.I)
_SHAPE = lazy(
    r"\s*\(?\s*(?:select\s+(?!from\b)\S.*?\bfrom\b|insert\s+(?:\w+\s+)*?into\b|update\s+\S+.*?\bset\b|delete\b.*?\bfrom\b"
    r"|with\s.+?\bas\s*\(.*?\b(?:select|insert|update|delete)\b|(?:merge|upsert|replace)\s+into\b)",
    re.I | re.S,
)
_SQL_ONLY = lazy(
    r"\bwhere\b|\bvalues\b|\bjoin\b|\border\s+by\b|\bgroup\s+by\b|\blimit\b|\breturning\b|[*=?]|\$\d"
)
_PARAM = lazy(r"\$\d+|\?\d*|(?<![:\w]):[A-Za-z_]\w*|(?<![@\w])@[A-Za-z_]\w*|#\{[^}\n]*\}")
_FORMAT = lazy(r"%[-+# 0]*\d*[svdq]|\{\d+\}")
_CLASS_NAME = lazy(
    r"^(?:(\w+)\.class\.get(?:Simple)?Name\(\)|(\w+)::class(?:\.java)?\.(?:simpleName|name)|typeof\((\w+)\)\.Name"
    r"|nameof\((\w+)\))$"
)
_JPQL_CONTEXT = lazy(r"(?:\bcreateQuery|@NamedQuery\s*\([^)]*\bquery\s*=)\s*\(?\s*$")
_NATIVE_CONTEXT = lazy(
    r"(?:createNativeQuery|createSQLQuery|@NamedNativeQuery\s*\([^)]*\bquery\s*=)\s*\(?\s*$"
)
_QUERY_ANNOTATION = lazy(r"@(?:[\w.]+\.)?Query\s*\((?:[^()\"]*,)?\s*(?:value\s*=\s*)?(?:\[\s*)?$")
_JPQL_SHAPE = lazy(
    r"^\s*select\s+(?:distinct\s+)?(\w+)\s+from\s+[\w.]+\s+(?:as\s+)?\1\b|\bjoin\s+fetch\b|\bselect\s+new\s",
    re.I,
)
_JPQL_NAME = lazy(r"\b(from|join|update|into)\s+(?:fetch\s+)?([A-Za-z_$][\w.$]*)", re.I)
_HINT = lazy(  # a keyword opening a string (or a line of a multi-line one): else the file is skipped
    r"[\"'`]\s*\(?\s*(?i:select|insert|update|delete|with|merge|upsert|replace)\b"
    r"|^\s*\(?(?:SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|UPSERT|REPLACE)\b",
    re.M,
)
_HINT_QUOTED = tuple(  # _HINT's first branch, one per quote, on lower-cased ASCII text
    lazy(quote + r"\s*\(?\s*(?:select|insert|update|delete|with|merge|upsert|replace)\b") for quote in "\"'`"
)
_HINT_KEYWORDS = tuple(  # the keywords of its second branch, each found as a literal
    lazy(keyword + r"\b")
    for keyword in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "UPSERT", "REPLACE")
)
_KEYWORDS: tuple[str, ...] = ("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE")
_KEYWORDS += tuple(k.lower() for k in _KEYWORDS)


@functools.cache
def _sql() -> Sql:
    from fitness.collect.sql.parse import Sql

    return Sql(None, [])


class SqlStrings:
    name = "sql-strings"
    suffixes = SUFFIXES
    triggers: tuple[str, ...] = (ANY_FILE, *_KEYWORDS)  # detect checks the keywords (see _scan.ANY_FILE)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        text, scope = file.text, Scope.of(file)
        if not _hinted(file) or not holds(text, _KEYWORDS):  # _hinted first: far fewer files pass it
            return
        native_query = file.suffix in JVM and re.search(r"data\.(?:jdbc|r2dbc)\b", text) is not None
        for lit, pieces in concatenations(text, literals(text, file.suffix), file.suffix):
            first = next((p.text for p in pieces if not p.hole), "")
            if pieces[0].hole or not _START.match(first) or commented(text, lit.start):
                continue
            sql, where, holes = _render(pieces, scope)
            keyword = _START.match(sql)
            if (
                keyword is None
                or not _SHAPE.match(sql)
                or not (keyword.group(1).isupper() or keyword.group(1).islower())
            ):
                continue
            if keyword.group(1).islower() and not _SQL_ONLY.search(sql):
                continue
            context = _context(text, lit.start, native_query) if file.suffix in JVM else "sql"
            if file.suffix in PHP and re.search(
                r"createQuery\s*\(\s*$", text[max(0, lit.start - 40) : lit.start]
            ):
                continue  # Doctrine DQL names entities
            if context == "jpql" or (context == "either" and _JPQL_SHAPE.search(sql)):
                _jpql(file, facts, sql, where, holes, lit.start)
            else:
                _parse(file, facts, sql, where, holes, lit.start, context == "either")


def _hinted(file: SourceFile) -> bool:
    """``_HINT.search(text) is not None``, faster: an ASCII text is lower-cased once instead of matching
    each keyword ignoring case, each quote is looked for as a literal, and the upper-case keywords (rare
    literals) are found first, then whether white space (and "(") from a line start leads to them."""
    text = file.text
    if not text.isascii():  # (?i) also matches some non-ASCII letters (the long s)
        return _HINT.search(text) is not None
    if any(pattern.search(lowered(file)) for pattern in _HINT_QUOTED):
        return True
    for pattern in _HINT_KEYWORDS:
        for match in pattern.finditer(text):
            end = match.start() - 1 if text[match.start() - 1 : match.start()] == "(" else match.start()
            start = space_before(text, end)
            if start == 0 or "\n" in text[start:end]:
                return True
    return False


def _render(pieces: list[Piece], scope: Scope) -> tuple[str, list[int], dict[str, Piece]]:
    """The SQL text for sqlglot, the file offset of each of its characters, and its placeholder names."""
    parts: list[str] = []
    where: list[int] = []
    holes: dict[str, Piece] = {}
    for piece in pieces:
        if piece.hole:
            code = re.sub(r"^[$#]?\{\$?|\}$|^\$", "", piece.text).strip()
            named = _CLASS_NAME.match(code)
            value = next(g for g in named.groups() if g) if named else scope.fold_one(code, piece.at)
            if value is None or "${" in value or not value:
                value = f"{DYN}{len(holes)}__"
                holes[value] = piece
            parts.append(value)
            where += [piece.at] * len(value)
            continue
        position = 0
        for match in _FORMAT.finditer(piece.text) if "%" in piece.text or "{" in piece.text else ():
            _text(piece, position, match.start(), parts, where)
            name = f"{DYN}{len(holes)}__"
            holes[name] = Piece(match.group(), piece.offset(match.start()), True)
            parts.append(name)
            where += [piece.offset(match.start())] * len(name)
            position = match.end()
        _text(piece, position, len(piece.text), parts, where)
    return "".join(parts), where, holes


def _text(piece: Piece, start: int, end: int, parts: list[str], where: list[int]) -> None:
    """Literal text with its parameters replaced by ``1``."""
    text = piece.text
    position = start
    for match in _PARAM.finditer(text, start, end):
        parts.append(text[position : match.start()] + "1")
        where += [piece.offset(i) for i in range(position, match.start() + 1)]
        position = match.end()
    parts.append(text[position:end])
    where += [piece.offset(i) for i in range(position, end)]


def _context(text: str, start: int, native_query: bool) -> str:
    """``jpql``, ``sql`` or ``either`` for a JVM string at ``start``, from the call or annotation it is in."""
    before = text[max(0, start - 300) : start]
    if _NATIVE_CONTEXT.search(before):
        return "sql"
    if _JPQL_CONTEXT.search(before):
        return "jpql"
    annotation = _QUERY_ANNOTATION.search(before)
    if annotation is None:
        return "either"
    paren = before.index("(", annotation.start()) + max(0, start - 300)
    end = close_of(text, paren)
    arguments = text[paren:end] if end > 0 else ""
    return "sql" if native_query or re.search(r"nativeQuery\s*=\s*true", arguments) else "jpql"


def _parse(
    file: SourceFile,
    facts: SourceFacts,
    sql: str,
    where: list[int],
    holes: dict[str, Piece],
    start: int,
    either: bool,
) -> None:
    from sqlglot import exp

    from fitness.collect.sql.parse import quiet, table_accesses

    parser = _sql()
    parser.deadline = time.monotonic() + 2.0
    with quiet():
        statements = parser.statements(sql) or []
    for statement in statements:
        if statement.tree is None:
            if statement.error not in ("", "not a SQL statement"):
                reason = f"SQL string not parsed ({statement.error})"
                facts.unresolved.append(Unresolved("sql", reason, file.evidence(start, "sql")))
            continue
        nodes = list(statement.tree.find_all(exp.Table))
        aliases = {t.alias.lower() for t in nodes if t.alias}
        by_name: dict[str, exp.Table] = {}
        for node in nodes:
            by_name.setdefault(".".join(p for p in (node.catalog, node.db, node.name) if p).lower(), node)
        index = index_for(facts) if either else None
        for name, mode in table_accesses(statement.tree):
            table = by_name.get(name)
            if table is not None and table.db and not table.catalog and table.db.lower() in aliases:
                continue  # JPQL/HQL path join: c.orders
            offset = _offset(table, where, start)
            if DYN in name:
                hole = next((p.text for key, p in holes.items() if key.lower() in name), name)
                reason = f"table name built at run time ({hole})"
                facts.unresolved.append(Unresolved("sql", reason, file.evidence(offset, "sql")))
            elif index is not None and table is not None:
                written = ".".join(p for p in (table.catalog, table.db, table.name) if p)
                index.use(written, mode, file.evidence(offset, "sql"), fallback=True)
            else:
                facts.tables.append(TableAccess(name, mode, file.evidence(offset, "sql")))
        if index is not None:
            index.sync(facts)


def _offset(node: exp.Table | None, where: list[int], start: int) -> int:
    part = node.args.get("catalog") or node.args.get("db") or node.this if node is not None else None
    from sqlglot import exp

    meta = part.meta if isinstance(part, exp.Expr) else {}
    at = meta.get("start")
    return where[at] if isinstance(at, int) and 0 <= at < len(where) else start


def _jpql(
    file: SourceFile, facts: SourceFacts, sql: str, where: list[int], holes: dict[str, Piece], start: int
) -> None:
    """Entity names in JPQL/HQL: FROM/JOIN are reads, the target of UPDATE / DELETE FROM / INSERT INTO
    a write; a dotted name whose first part is an alias is a path (``JOIN c.orders``)."""
    index = index_for(facts)
    aliases = set(re.findall(r"\b[A-Za-z_$][\w.$]*\s+(?:as\s+)?([A-Za-z_]\w*)\b", sql, re.I))
    statement = sql.lstrip(" \t\n(").split(None, 1)[0].lower()
    found = [(m.group(2), m.start(2), m.group(1).lower()) for m in _JPQL_NAME.finditer(sql)]
    for comma in re.finditer(
        r"\bfrom\s+[\w.$]+(?:\s+(?:as\s+)?\w+)?((?:\s*,\s*[\w.$]+(?:\s+(?:as\s+)?\w+)?)+)", sql, re.I
    ):
        for extra in re.finditer(r",\s*([\w.$]+)", comma.group(1)):
            found.append((extra.group(1), comma.start(1) + extra.start(1), "from"))
    target = (
        min(found, key=lambda f: f[1])[1] if found and statement in ("update", "delete", "insert") else -1
    )
    for name, at, _keyword in sorted(found, key=lambda f: f[1]):
        head = name.split(".")[0]
        if "." in name and (
            head in aliases or (head[:1].islower() and not name.split(".")[-1][:1].isupper())
        ):
            continue
        entity = name.rsplit(".", 1)[-1]
        evidence = file.evidence(where[at] if at < len(where) else start, "sql")
        if DYN in entity:
            hole = holes.get(entity)
            reason = f"entity name built at run time ({hole.text if hole else entity})"
            facts.unresolved.append(Unresolved("sql", reason, evidence))
            continue
        index.use(entity, "write" if at == target else "read", evidence)
    index.sync(facts)


DETECTOR = SqlStrings()

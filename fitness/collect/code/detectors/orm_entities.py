"""Tables mapped by ORM entity classes in Java/Kotlin, C#, Go, JS/TS, Prisma and Ruby.

Each mapping is a ``TableAccess(table, "read", how="orm")`` at the line that names the table (the
annotation, attribute or call; the ``@Entity`` line when the name comes from the class), lower case,
schema-qualified when a schema is given. The component's entities are also recorded (see
:mod:`._entity_index`) so that JPQL (:mod:`sql_strings`) and writes (:mod:`orm_writes`) in other
files are mapped to the same tables.

- JPA/Hibernate (Java, Kotlin, Scala; a file importing ``javax``/``jakarta.persistence``): ``@Entity`` +
  ``@Table(name = "orders", schema = "shop")``. With no ``@Table`` name the table is the entity name
  (``@Entity(name = "Order")``) or class name: in a Spring Boot component (a file with
  ``@SpringBootApplication`` or importing ``org.springframework.boot``) snake-cased as Spring's default
  ``CamelCaseToUnderscoresNamingStrategy`` does (``OrderItem`` -> ``order_item``) unless a config file
  sets ``PhysicalNamingStrategyStandardImpl``; else as is (the JPA default of Hibernate, EclipseLink:
  ``orderitem``). Spring Data JDBC/R2DBC ``@Table("orders")`` (file importing ``data.relational``).
- Spring Data repositories: ``interface OrderRepository extends JpaRepository<Order, Long>`` (any
  ``*Repository<Entity, ...>``, Kotlin ``: CrudRepository<Order, Long>``) record repository -> entity.
- EF Core: ``[Table("orders", Schema = "shop")] class Order``; ``modelBuilder.Entity<Order>().ToTable(
  "orders", "shop")`` (or inside ``Entity<Order>(b => b.ToTable(...))``); ``IEntityTypeConfiguration<Order>``
  classes calling ``ToTable``; ``HasDefaultSchema("shop")`` (applied to this file's tables);
  ``DbSet<Order> Orders`` -> table ``Orders`` by EF's convention (snake-cased under
  ``UseSnakeCaseNamingConvention()``), used only while no explicit mapping of the entity is seen.
- GORM: ``func (Order) TableName() string { return "orders" }``.
- Sequelize: ``sequelize.define('order', attrs, { tableName: 'orders', schema: 'shop' })``,
  ``class Order extends Model`` + ``Order.init(attrs, { tableName })``; with no ``tableName`` the model name,
  pluralised unless ``freezeTableName: true`` (Sequelize's default).
- TypeORM/MikroORM: ``@Entity('orders')``, ``@Entity({ name: 'orders', schema: 'shop' })`` /
  ``{ tableName }``; ``@Entity()`` -> the class name in snake case (their default naming strategy).
- Prisma ``schema.prisma``: ``model Order { ... @@map("orders") @@schema("shop") }`` (no ``@@map``: the
  model name).
- ActiveRecord: ``self.table_name = "orders"`` in ``class Order < ApplicationRecord``.
"""

from __future__ import annotations

import re

from fitness.collect.code.detectors._entity_index import (
    EntityIndex,
    argument_value,
    index_for,
    object_literal,
    plural,
    qualified,
    snake,
)
from fitness.collect.code.detectors._messaging import JS, JVM, Scope
from fitness.collect.code.detectors._scan import (
    ANY_FILE,
    call_args,
    close_of,
    find_all,
    holds,
    named,
    statement_end,
)
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import SourceFacts, Unresolved

_CONFIG = frozenset({".properties", ".yml", ".yaml"})
_CLASS = lazy(r"(?:class(?<!\wclass)|record(?<!\wrecord))\s+([A-Z]\w*)")
_JPA_ENTITY = lazy(r"@(?:(?:jakarta|javax)\.persistence\.)?Entity\b(\s*\()?")
_JPA_IMPORT = lazy(r"(?:javax(?<!\wjavax)|jakarta(?<!\wjakarta))\.persistence\b")
_JPA_TABLE = lazy(r"@(?:[\w.]+\.)?Table\s*\(")
_BODY_END = lazy(r"^\s*\}\s*;?\s*$", re.M)
_REPOSITORY = lazy(r"interface(?<!\winterface)\s+(\w+)\s*(?:<[^{]*?>)?\s*(?:extends|:)([^{]*)")
_REPO_BASE = lazy(r"\b\w*Repository\s*<\s*([\w.]+)\s*[,>]")
_EF_TABLE = lazy(r"[\[,]\s*(?:[\w.]+\.)?Table(?:Attribute)?\s*\(")
_EF_ENTITY = lazy(r"\.Entity\s*<\s*([\w.]+)\s*>\s*\(")
_EF_CONFIG = lazy(r"class(?<!\wclass)\s+\w+\s*:[^{]*?\bIEntityTypeConfiguration\s*<\s*([\w.]+)\s*>[^{]*\{")
_TO_TABLE = lazy(r"ToTable(?<!\wToTable)\s*\(")
_DBSET = lazy(r"DbSet(?<!\wDbSet)\s*<\s*([\w.]+)\s*>\s+(\w+)\s*(?:\{|=>|=|;)")
_GORM = lazy(
    r"func\s*\(\s*(?:\w+\s+)?\*?\s*(\w+)\s*\)\s*TableName\s*\(\s*\)\s*string\s*\{\s*return\s+(\"[^\"\n]*\"|`[^`]*`)"
)
_SEQ_DEFINE = lazy(
    r"(?:\b(?:const|let|var)\s+(?P<var>\w+)\s*=\s*)?(?:await\s+)?\w+\.define\s*(?P<paren>\()\s*"
    r"(?P<q>['\"`])(?P<model>\w+)(?P=q)"
)
_SEQ_CLASS = lazy(r"class(?<!\wclass)\s+(\w+)\s+extends\s+(?:Sequelize\.)?Model\b")
_TS_ENTITY = lazy(r"@Entity\s*\(")
_PRISMA_MODEL = lazy(r"^model\s+(\w+)\s*\{", re.M)
_AR_CLASS = lazy(r"^\s*class\s+((?:\w+::)*(\w+))\s*<\s*[\w:]+", re.M)
_AR_TABLE = lazy(r"self(?<!\wself)\.table_name\s*=\s*[\"':]([\w.]+)")


_NEEDLES: tuple[str, ...] = ("Entity", "Table", "Repository", "DbSet", "define", ".init(", "model ")
_NEEDLES += ("table_name",)
_NEEDLES += ("NamingStrategy", "springframework.boot", "SpringBootApplication")


def _worth(file: SourceFile) -> bool:
    """The file holds one of _NEEDLES (the registry's condition) and what its language needs: a config file
    the standard naming strategy, JVM code an entity, table, repository or Spring Boot, C# a table, entity
    or DbSet, Go TableName, JS/TS @Entity or Sequelize, Ruby table_name."""
    text, suffix = file.text, file.suffix
    if suffix in _CONFIG:
        return "PhysicalNamingStrategyStandardImpl" in text
    if suffix in JVM:
        return holds(text, ("Entity", "Table", "Repository", "SpringBootApplication", "springframework.boot"))
    if suffix == ".cs":
        return holds(text, ("Table", "Entity", "DbSet"))
    if suffix == ".go":
        return "TableName" in text
    if suffix in JS:
        return "@Entity" in text or ("equelize" in text and holds(text, _NEEDLES))
    if suffix == ".rb":
        return "table_name" in text
    return holds(text, _NEEDLES)


class OrmEntities:
    name = "orm-entities"
    suffixes = JVM | JS | _CONFIG | {".cs", ".go", ".prisma", ".rb"}
    triggers: tuple[str, ...] = (ANY_FILE, *_NEEDLES)  # detect checks the needles (see _scan.ANY_FILE)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        if not _worth(file):
            return
        index = index_for(facts)
        before = index.state()
        suffix = file.suffix
        if suffix in _CONFIG:
            index.standard_naming |= "PhysicalNamingStrategyStandardImpl" in file.text
        elif suffix in JVM:
            index.spring |= "@SpringBootApplication" in file.text or "org.springframework.boot" in file.text
            _jpa(file, facts, index)
        elif suffix == ".cs":
            _ef(file, facts, index)
        elif suffix == ".go":
            for match in find_all(file, _GORM):
                index.map(match.group(1), match.group(2)[1:-1], file.evidence(match.start(), "orm"))
        elif suffix in JS:
            _sequelize(file, index)
            _typeorm(file, index)
        elif suffix == ".prisma":
            _prisma(file, index)
        elif suffix == ".rb":
            _active_record(file, index)
        if index.state() != before:
            index.sync(facts)


def _unknown(file: SourceFile, facts: SourceFacts, at: int, what: str) -> None:
    reason = f"{what} is not a constant of this file"
    facts.unresolved.append(Unresolved("sql", reason, file.evidence(at, "orm")))


def _jpa(file: SourceFile, facts: SourceFacts, index: EntityIndex) -> None:
    text, scope = file.text, Scope.of(file)
    for match in _REPOSITORY.finditer(text):
        base = _REPO_BASE.search(match.group(2))
        if base is not None:
            index.alias(match.group(1), base.group(1).rsplit(".", 1)[-1])
    jpa = _JPA_IMPORT.search(text) is not None  # not Morphia, Room...
    anchors: list[tuple[int, re.Match[str] | None]] = [(m.start(), m) for m in find_all(file, _JPA_ENTITY)]
    anchors = anchors if jpa else []
    if "data.relational" in text:
        anchors += [(m.start(), None) for m in find_all(file, _JPA_TABLE)]
    done: set[int] = set()
    for at, entity in sorted(anchors, key=lambda a: a[0]):
        cls = _CLASS.search(text, at)
        if cls is None or cls.start() in done or cls.start() - at > 3000:
            continue
        done.add(cls.start())
        start = max([0, *(m.end() for m in _BODY_END.finditer(text, 0, at))])
        start = max([start, *(m.end() for m in _CLASS.finditer(text, start, at))])
        entity_name = None
        if entity is not None and entity.group(1):
            entity_name = argument_value(scope, named(call_args(text, entity.end() - 1) or []).get("name"))
        table = [m for m in _JPA_TABLE.finditer(text, start, cls.start())]
        args = named(call_args(text, table[-1].end() - 1) or []) if table else {}
        raw = args.get("name") or args.get("value")
        name = argument_value(scope, raw)
        if raw and name is None:
            _unknown(file, facts, table[-1].start(), f"@Table name `{raw}`")
            continue
        schema = argument_value(scope, args.get("schema")) or argument_value(scope, args.get("catalog"))
        owner = cls.group(1)
        evidence = file.evidence(table[-1].start() if name else at, "orm")
        if name:
            index.map(owner, qualified(name, schema), evidence)
        else:
            index.map(owner, schema + "." if schema else "", evidence, jpa_name=entity_name or owner)
        if entity_name and entity_name != owner:
            index.alias(entity_name, owner)


def _to_table(scope: Scope, text: str, paren: int) -> tuple[str | None, str | None, str | None]:
    """(name, schema, the name as written) of ``ToTable(...)`` or ``[Table(...)]`` at ``paren``."""
    args = call_args(text, paren) or []
    by_colon, by_equals = named(args, ":"), named(args, "=")
    raw = by_colon.get("name") or by_equals.get("Name") or by_colon.get("value") or by_equals.get("value")
    schema = by_colon.get("schema") or by_equals.get("Schema")
    if schema is None and len(args) > 1 and re.fullmatch(r"\"[^\"]*\"", args[1].strip()):
        schema = args[1]
    return argument_value(scope, raw), argument_value(scope, schema), raw


def _ef(file: SourceFile, facts: SourceFacts, index: EntityIndex) -> None:
    text, scope = file.text, Scope.of(file)
    default = re.search(r"\bHasDefaultSchema\s*\(\s*(\"[^\"\n]*\")", text)
    fallback = argument_value(scope, default.group(1)) if default else None
    found: list[tuple[str, int, int]] = []  # entity, offset of the mapping, offset of its "("
    for match in find_all(file, _EF_TABLE):
        line_start = text.rfind("\n", 0, match.start()) + 1
        cls = _CLASS.search(text, match.end())
        if text[line_start : match.start() + 1].strip().startswith("[") and cls is not None:
            found.append((cls.group(1), match.start(), match.end() - 1))
    for match in find_all(file, _EF_ENTITY):
        end = close_of(text, match.end() - 1)
        inside = text[match.end() : end - 1] if end > 0 else ""
        span = inside if inside.strip() else text[end : statement_end(text, end)] if end > 0 else ""
        call = _TO_TABLE.search(span)
        if call is not None:
            base = match.end() if inside.strip() else end
            found.append((match.group(1), base + call.start(), base + call.end() - 1))
    for match in find_all(file, _EF_CONFIG):
        end = close_of(text, match.end() - 1)
        call = _TO_TABLE.search(text, match.end(), end if end > 0 else len(text))
        if call is not None:
            found.append((match.group(1), call.start(), call.end() - 1))
    for entity, at, paren in found:
        name, schema, raw = _to_table(scope, text, paren)
        if name is None:
            _unknown(file, facts, at, f"table name `{raw}`")
            continue
        index.map(entity.rsplit(".", 1)[-1], qualified(name, schema or fallback), file.evidence(at, "orm"))
    convention = snake if "UseSnakeCaseNamingConvention" in text else str
    for match in find_all(file, _DBSET):
        entity = match.group(1).rsplit(".", 1)[-1]
        index.alias("dbset:" + match.group(2), entity)
        table = qualified(convention(match.group(2)), fallback)
        index.map(entity, table, file.evidence(match.start(), "orm"), convention=True)


def _sequelize(file: SourceFile, index: EntityIndex) -> None:
    text = file.text
    if "equelize" not in text:
        return
    scope = Scope.of(file)
    frozen = re.search(r"\bdefine\s*:\s*\{[^}]*\bfreezeTableName\s*:\s*true", text) is not None
    models: list[tuple[list[str], str, dict[str, str], int]] = []  # names, model name, options, offset
    for match in find_all(file, _SEQ_DEFINE):
        args = call_args(text, match.start("paren")) or []
        names = [n for n in (match.group("var"), match.group("model")) if n]
        models.append(
            (names, match.group("model"), object_literal(args[2] if len(args) > 2 else None), match.start())
        )
    for cls in find_all(file, _SEQ_CLASS):
        init = re.search(rf"\b{cls.group(1)}\.init\s*\(", text)
        init_args = call_args(text, init.end() - 1) if init else None
        if init is not None and init_args:
            options = object_literal(init_args[1] if len(init_args) > 1 else None)
            model = argument_value(scope, options.get("modelName")) or cls.group(1)
            models.append(([cls.group(1)], model, options, init.start()))
    for names, model, options, at in models:
        table = argument_value(scope, options.get("tableName"))
        freeze = frozen or options.get("freezeTableName", "").strip() == "true"
        name = table or (model if freeze else plural(model))
        for entity in names:
            index.map(
                entity,
                qualified(name, argument_value(scope, options.get("schema"))),
                file.evidence(at, "orm"),
            )


def _typeorm(file: SourceFile, index: EntityIndex) -> None:
    text, scope = file.text, Scope.of(file)
    for match in find_all(file, _TS_ENTITY):
        cls = _CLASS.search(text, match.end())
        args = call_args(text, match.end() - 1) or []
        if cls is None or cls.start() - match.start() > 2000:
            continue
        options = object_literal(args[0]) if args and args[0].startswith("{") else {}
        name = argument_value(
            scope,
            options.get("name") or options.get("tableName") or (args[0] if args and not options else None),
        )
        table = qualified(name or snake(cls.group(1)), argument_value(scope, options.get("schema")))
        index.map(cls.group(1), table, file.evidence(match.start(), "orm"))


def _prisma(file: SourceFile, index: EntityIndex) -> None:
    text = file.text
    for match in _PRISMA_MODEL.finditer(text):
        end = text.find("\n}", match.end())
        body = text[match.end() : end if end > 0 else len(text)]
        if "@@ignore" in body:
            continue
        mapped = re.search(r"@@map\(\s*(?:name\s*:\s*)?\"([^\"]+)\"", body)
        schema = re.search(r"@@schema\(\s*\"([^\"]+)\"", body)
        model = match.group(1)
        table = qualified(mapped.group(1) if mapped else model, schema.group(1) if schema else None)
        index.map(model, table, file.evidence(match.start(), "orm"))
        index.alias("prisma:" + model[:1].lower() + model[1:], model)


def _active_record(file: SourceFile, index: EntityIndex) -> None:
    text = file.text
    classes = list(_AR_CLASS.finditer(text))
    for position, cls in enumerate(classes):
        end = classes[position + 1].start() if position + 1 < len(classes) else len(text)
        table = _AR_TABLE.search(text, cls.end(), end)
        if table is not None:
            index.map(cls.group(2), table.group(1), file.evidence(table.start(), "orm"))


DETECTOR = OrmEntities()

"""What one component's ORM mappings say, gathered across its files, for :mod:`orm_entities`,
:mod:`orm_writes` and :mod:`sql_strings`.

An entity is mapped in one file (``@Entity @Table(name = "orders") class Order``), named by a repository
in another (``interface OrderRepository extends CrudRepository<Order, Long>``) and written in a third
(``orderRepository.save(order)``). Detectors read one file at a time, so each one records here what its
file says (a mapping, an alias such as repository -> entity, a use of a name) and :meth:`EntityIndex.sync`
writes the ``TableAccess`` facts every use resolves to, retracting what a later file made stale (a
convention table replaced by an explicit mapping). Uses that never resolve give no fact.

The index lives as long as the component's :class:`SourceFacts` (``Registry.run`` makes one per
component), keyed by the object; it holds no reference to it.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field

from fitness.collect.code.detectors._messaging import Scope
from fitness.collect.code.detectors._scan import close_of, named, split_top
from fitness.model.evidence import Evidence
from fitness.model.facts import SourceFacts, TableAccess

_MAX_HOPS = 4


@dataclass(frozen=True)
class Mapping:
    table: str  # with ``jpa_name``: the schema prefix (``shop.``) or ""
    evidence: Evidence
    convention: bool = False  # a naming convention only: dropped when the entity is mapped explicitly
    jpa_name: str = ""  # a JPA entity without a table name: named by the component's naming strategy


@dataclass
class EntityIndex:
    """``spring``: the component is a Spring Boot application, whose default physical naming strategy
    snake-cases JPA names (``OrderItem`` -> ``order_item``) unless ``standard_naming`` (the configured
    ``PhysicalNamingStrategyStandardImpl``); other JPA providers keep the entity name (``orderitem``)."""

    mappings: dict[str, list[Mapping]] = field(default_factory=dict)  # entity -> tables
    aliases: dict[str, set[str]] = field(default_factory=dict)  # repository, DbSet... -> entities
    uses: dict[tuple[str, str, Evidence, bool], None] = field(default_factory=dict)
    emitted: dict[TableAccess, None] = field(default_factory=dict)
    spring: bool = False
    standard_naming: bool = False

    def map(
        self, entity: str, table: str, evidence: Evidence, convention: bool = False, jpa_name: str = ""
    ) -> None:
        """``entity`` is stored in ``table``; the mapping itself is a read of the table."""
        found = self.mappings.setdefault(entity, [])
        mapping = Mapping(table.lower(), evidence, convention, jpa_name)
        if mapping not in found:
            found.append(mapping)

    def table(self, mapping: Mapping) -> str:
        if not mapping.jpa_name:
            return mapping.table
        name = mapping.jpa_name
        return mapping.table + (
            spring_snake(name) if self.spring and not self.standard_naming else name.lower()
        )

    def state(self) -> tuple[int, int, int, bool, bool]:
        """Changes when a mapping, an alias or the naming is added (then :meth:`sync` has work)."""
        mapped = sum(len(m) for m in self.mappings.values())
        return len(self.mappings), mapped, len(self.aliases), self.spring, self.standard_naming

    def alias(self, name: str, entity: str) -> None:
        """``name`` (a repository type, ``dbset:Orders``, ``prisma:order``) stands for ``entity``."""
        self.aliases.setdefault(name, set()).add(entity)

    def use(self, name: str, mode: str, evidence: Evidence, fallback: bool = False) -> None:
        """Code reads or writes ``name``; with ``fallback`` a name that is no entity is a table."""
        self.uses.setdefault((name, mode, evidence, fallback), None)

    def tables(self, name: str, hops: int = 0) -> list[str]:
        """The tables an entity or alias resolves to ([] when unknown)."""
        mapped = self.mappings.get(name)
        if mapped:
            explicit = [m for m in mapped if not m.convention]
            return list(dict.fromkeys(self.table(m) for m in explicit or mapped))
        if hops >= _MAX_HOPS:
            return []
        found: list[str] = []
        for entity in sorted(self.aliases.get(name, ())):
            found += [t for t in self.tables(entity, hops + 1) if t not in found]
        return found

    def sync(self, facts: SourceFacts) -> None:
        """Bring ``facts.tables`` in line with everything recorded so far."""
        wanted: dict[TableAccess, None] = {}
        for mapped in self.mappings.values():
            explicit = [m for m in mapped if not m.convention]
            for mapping in explicit or mapped:
                wanted.setdefault(TableAccess(self.table(mapping), "read", mapping.evidence), None)
        for name, mode, evidence, fallback in self.uses:
            tables = self.tables(name) or ([name.lower()] if fallback else [])
            for table in tables:
                wanted.setdefault(TableAccess(table, mode, evidence), None)
        for stale in [a for a in self.emitted if a not in wanted]:
            if stale in facts.tables:
                facts.tables.remove(stale)
        facts.tables.extend(a for a in wanted if a not in self.emitted)
        self.emitted = wanted


_INDEXES: dict[int, tuple[weakref.ref[SourceFacts], EntityIndex]] = {}


def index_for(facts: SourceFacts) -> EntityIndex:
    """The index of the component whose facts are ``facts`` (made on first use)."""
    found = _INDEXES.get(id(facts))
    if found is not None and found[0]() is facts:
        return found[1]
    for key in [k for k, (ref, _) in _INDEXES.items() if ref() is None]:
        del _INDEXES[key]
    index = EntityIndex()
    _INDEXES[id(facts)] = (weakref.ref(facts), index)
    return index


# -- names ----------------------------------------------------------------------------------------


def spring_snake(name: str) -> str:
    """Spring Boot's physical naming (``CamelCaseToUnderscoresNamingStrategy``): ``_`` between a lower-
    case letter and an upper-case one followed by a lower-case one; dots too; lower case.
    ``OrderItem`` -> ``order_item``, ``HTTPRequest`` -> ``httprequest``."""
    chars = list(name.replace(".", "_"))
    out = chars[:1]
    for i in range(1, len(chars)):
        before, current = chars[i - 1], chars[i]
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if before.islower() and current.isupper() and after.islower():
            out.append("_")
        out.append(current)
    return "".join(out).lower()


def snake(name: str) -> str:
    """TypeORM's and EFCore.NamingConventions' snake case: ``CartItems`` -> ``cart_items``,
    ``HTTPRequest`` -> ``http_request``."""
    name = re.sub(r"([A-Z])([A-Z])([a-z])", r"\1_\2\3", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def plural(word: str) -> str:
    """Sequelize's default table name (English plural, simple rules): ``user`` -> ``users``,
    ``category`` -> ``categories``, ``box`` -> ``boxes``; a word ending in ``s`` is kept."""
    if word.endswith("s"):
        return word
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def unquote(name: str) -> str:
    """``"orders"`` / ``[orders]`` / `` `orders` `` as written inside a mapping's string -> ``orders``."""
    return name.strip().strip('"`').removeprefix("[").removesuffix("]").strip()


def qualified(table: str, schema: str | None) -> str:
    table = ".".join(unquote(p) for p in table.split("."))
    return f"{unquote(schema)}.{table}" if schema and unquote(schema) and "." not in table else table


def argument_value(scope: Scope, expr: str | None) -> str | None:
    """A string argument: a literal, a constant of the file or ``nameof(X)``; None when unknown."""
    if not expr:
        return None
    nameof = re.fullmatch(r"nameof\((?:\w+\.)*(\w+)\)", expr.strip())
    value = nameof.group(1) if nameof else scope.fold_one(expr)
    return None if value is None or "${" in value else unquote(value)


def object_literal(expr: str | None) -> dict[str, str]:
    """The properties of a JS object literal ``{ tableName: 'x' }`` (``{}`` when it is none)."""
    expr = (expr or "").strip()
    end = close_of(expr, 0) if expr.startswith("{") else -1
    return named(split_top(expr[1 : end - 1]), ":") if end > 0 else {}

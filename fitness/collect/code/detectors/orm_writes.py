"""Writes through an ORM that name the entity they write, mapped to its table by the component's entity
mappings (:mod:`orm_entities`, :mod:`._entity_index`): ``TableAccess(table, "write", how="orm")`` at
the call. A write whose entity is not known (``repository.save(entity)`` on a generic ``E``, an entity
no file of the component maps) gives nothing: the entity's mapping already counts as a read.

The entity is named by a type: the receiver's or the argument's declared type in the same file
(``private final OrderRepository orders;``, ``val orders: OrderRepository``, ``var order = new Order``,
``order := Order{...}``, ``repo: Repository<Order>``) or a type written in the call.

- Spring Data (Java, Kotlin): ``orders.save(o)``, ``saveAll``, ``saveAndFlush``, ``delete``,
  ``deleteById``, ``deleteAll``, ``deleteBy...`` on a variable typed as a repository of the entity;
- JPA / Hibernate: ``em.persist(order)``, ``merge``, ``remove``; ``session.save(order)``, ``saveOrUpdate``,
  ``update``, ``delete`` (receiver named like an entity manager or session, or typed so);
- EF Core: ``db.Orders.Add(o)`` (and ``AddRange``, ``Update``, ``Remove``, ``Attach``, ``...Async``,
  ``ExecuteUpdate``/``ExecuteDelete`` after a query of the DbSet) -> the DbSet's entity;
  ``db.Add(order)`` / ``Update`` / ``Remove`` with ``order`` declared in the file; ``Set<Order>().Add(...)``;
  the receiver is a context: named ``db``, ``ctx``, ``*context`` or typed ``*Context``;
- GORM: ``db.Create(&Order{...})``, ``Save(&order)``, ``Delete(&order)``, ``db.Model(&Order{}).Update(...)``;
- Sequelize: ``Order.create(...)``, ``bulkCreate``, ``update``, ``destroy``, ``upsert`` on a model;
- TypeORM: ``repo.save(...)`` (``insert``, ``update``, ``delete``, ``remove``, ``upsert``...) on a
  ``Repository<Order>`` or ``getRepository(Order)``; ``manager.save(Order, ...)``;
- Prisma: ``prisma.order.create(...)``, ``update``, ``upsert``, ``delete`` and their ``Many`` forms;
- ActiveRecord: ``Order.create(...)``, ``insert_all``, ``upsert_all``, ``update_all``, ``delete_all``,
  ``destroy_all``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fitness.collect.code.detectors._entity_index import EntityIndex, index_for
from fitness.collect.code.detectors._messaging import JS, JVM
from fitness.collect.code.detectors._scan import (
    ANY_FILE,
    find_all,
    finditer_at,
    holds,
    occurrences,
    space_before,
    word_start,
)
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import SourceFacts

_ARG = r"\(\s*(?:new\s+(?P<new>[A-Z]\w*)\s*[(<{]|&?(?P<lit>[A-Z]\w*)\s*\{|&?(?P<arg>\w+)\s*[,)])"
_SPRING = lazy(
    r"\.\s*(?:save|saveAll|saveAndFlush|saveAllAndFlush|delete|deleteAll|deleteById|deleteAllById"
    r"|deleteInBatch|deleteAllInBatch|deleteAllByIdInBatch|(?:delete|remove)By[A-Z]\w*)\s*\("
)
_JPA = lazy(r"\.\s*(?:persist|merge|remove|save|saveOrUpdate|update|delete)\s*" + _ARG)
_MANAGER = lazy(r"(?i)^(?:em|\w*entitymanager|\w*session|get(?:em|entitymanager|session)\(\))$")
_MANAGER_TYPES = ("EntityManager", "Session", "StatelessSession")
_EF_METHODS = r"(?:Add|AddRange|Update|UpdateRange|Remove|RemoveRange|Attach|AttachRange)(?:Async)?"
_EF_DBSET = lazy(r"\.\s*(?P<set>[A-Z]\w*)\s*\.\s*" + _EF_METHODS + r"\s*\(")
_EF_EXECUTE = lazy(r"\.\s*Execute(?:Update|Delete)(?:Async)?\s*\(")
_EF_QUERIED = lazy(r"(?:\bthis\s*\.\s*|(?<![\w.]))(?P<recv>\w+)\s*\.\s*(?P<set>[A-Z]\w*)\s*\.")
_EF_CONTEXT = lazy(r"\.\s*" + _EF_METHODS + r"\s*" + _ARG)
_EF_SET = lazy(r"Set(?<!\wSet)\s*<\s*(?:\w+\.)*(\w+)\s*>\s*\(\s*\)\s*\.\s*" + _EF_METHODS + r"\s*\(")
_CONTEXT = lazy(r"(?i)^_?(?:db|ctx|\w*context|dbc)$")
_GORM = lazy(r"\.\s*(?:Create|Save|Delete|CreateInBatches|FirstOrCreate)\s*" + _ARG)
_GORM_MODEL = lazy(r"\.\s*Model\s*" + _ARG + r"[^;\n]*?\.(?:Updates?|UpdateColumns?|Delete)\s*\(")
_SEQUELIZE = lazy(
    r"\.\s*(?:create|bulkCreate|update|destroy|upsert|findOrCreate|increment|decrement|truncate)\s*\("
)
_TYPEORM = lazy(
    r"\.\s*(?:save|insert|update|delete|remove|upsert|softDelete|softRemove|increment|decrement|clear)\s*\("
)
_TYPEORM_REPO = lazy(
    r"getRepository(?<!\wgetRepository)\s*\(\s*(\w+)\s*\)\s*\.\s*(?:save|insert|update|delete|remove|upsert)\s*\("
)
_TYPEORM_MANAGER = lazy(r"\.\s*(?:save|insert|update|delete|remove|upsert)\s*\(\s*([A-Z]\w*)\s*,")
_PRISMA = lazy(
    r"\.\s*(?P<model>\w+)\s*\.\s*(?:create|createMany|createManyAndReturn|update|updateMany"
    r"|updateManyAndReturn|upsert|delete|deleteMany)\s*\("
)
_PRISMA_CLIENT = lazy(r"(?i)prisma|db|tx|client")
_ACTIVE_RECORD = lazy(
    r"\.\s*(?:create!?|insert_all!?|upsert_all|update_all|delete_all|destroy_all|insert!?|upsert"
    r"|find_or_create_by!?)(?=[\s(])"
)
_BEFORE = lazy(r"(?:(?<![\w.$])(?:this|self)\s*\.\s*|(?<![\w.$]))([A-Za-z_$][\w$]*(?:\(\s*\))?)\s*\??\s*\Z")


_LAST = lazy(r"([A-Za-z_$][\w$]*)\s*\Z")


def _calls(
    file: SourceFile, pattern: re.Pattern[str], chained: bool = False
) -> list[tuple[re.Match[str], str, int]]:
    """Matches of ``pattern`` (which starts at the ``.`` of a call) with the receiver written before the
    dot (``this.`` dropped) and its offset; calls on a member chain (``a.b.save``) are left out unless
    ``chained`` (``db.User.create``: ``User``)."""
    found = []
    text = file.text
    for match in find_all(file, pattern):
        window = max(0, match.start() - 160)
        before = (_last if chained else _before)(text, window, match.start())
        if before is not None:
            found.append((match, before.group(1), before.start()))
    return found


_IDENT_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$")


def _ident_start(text: str, end: int) -> int:
    """Start of the run of ``[\\w$]`` characters ending at ``end``."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_$"):
        start -= 1
    return start


def _before(text: str, window: int, end: int) -> re.Match[str] | None:
    """``_BEFORE.search(text, window, end)``, trying only where a match can start: at the name written
    before ``end`` (after white space and one "?"; a "()" after it), or at the ``this.``/``self.`` before
    that name."""
    name_end = space_before(text, end)
    if text[name_end - 1 : name_end] == "?":
        name_end = space_before(text, name_end - 1)
    if text[name_end - 1 : name_end] == ")":
        paren = space_before(text, name_end - 1)
        name_end = paren - 1 if text[paren - 1 : paren] == "(" else name_end
    name = _ident_start(text, name_end)
    dot = space_before(text, name)
    owner = space_before(text, dot - 1) if text[dot - 1 : dot] == "." else -1
    for start in (owner - 4, name):
        match = _BEFORE.match(text, start, end) if start >= window else None
        if match is not None:
            return match
    return None


def _last(text: str, window: int, end: int) -> re.Match[str] | None:
    """``_LAST.search(text, window, end)``: the name written before ``end`` (and white space), from its
    first letter, ``_`` or ``$`` at or after ``window``."""
    name_end = space_before(text, end)
    start = max(window, _ident_start(text, name_end))
    while start < name_end and text[start] not in _IDENT_START:
        start += 1
    return _LAST.match(text, start, end) if start < name_end else None


_NEEDLES: tuple[str, ...] = (
    "save",
    "delete",
    "persist",
    "merge",
    "Add",
    "Update",
    "Remove",
    "Execute",
    "Create",
    "create",
)
_NEEDLES += ("update", "destroy", "insert", "upsert")


def _worth(file: SourceFile) -> bool:
    """The file holds one of _NEEDLES (the registry's condition) and what its language needs: JVM code a
    Spring Data or JPA write method, C# an EF Core one, Go gorm."""
    text, suffix = file.text, file.suffix
    if suffix in JVM:
        return holds(text, ("save", "delete", "persist", "merge", "update")) or (
            "remove" in text and holds(text, _NEEDLES)
        )
    if suffix == ".cs":
        return holds(text, ("Add", "Update", "Remove", "Execute")) or (
            "Attach" in text and holds(text, _NEEDLES)
        )
    if suffix == ".go":
        return "gorm" in text and holds(text, _NEEDLES)
    return holds(text, _NEEDLES)


class OrmWrites:
    name = "orm-writes"
    suffixes = JVM | JS | {".cs", ".go", ".rb"}
    triggers: tuple[str, ...] = (ANY_FILE, *_NEEDLES)  # detect checks the needles (see _scan.ANY_FILE)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        if not _worth(file):
            return
        index = index_for(facts)
        before = len(index.uses)
        suffix, text = file.suffix, file.text
        if suffix in JVM:
            for _, receiver, at in _calls(file, _SPRING):
                _use(file, index, _declared(text, receiver, at), at)
            for match, receiver, at in _calls(file, _JPA):
                if _MANAGER.match(receiver) or _declared(text, receiver, at) in _MANAGER_TYPES:
                    _use(file, index, _argument(text, match), at)
        elif suffix == ".cs":
            _ef(file, index)
        elif suffix == ".go" and "gorm" in text:
            for pattern in (_GORM, _GORM_MODEL):
                for match in find_all(file, pattern):
                    _use(file, index, _argument(text, match), match.start())
        elif suffix in JS:
            _js(file, index)
        elif suffix == ".rb":
            for _, receiver, at in _calls(file, _ACTIVE_RECORD, chained=True):
                if receiver[:1].isupper():
                    _use(file, index, receiver, at)
        if len(index.uses) != before:
            index.sync(facts)


def _use(file: SourceFile, index: EntityIndex, entity: str | None, at: int) -> None:
    if entity:
        index.use(entity, "write", file.evidence(at, "orm"))


def _ef(file: SourceFile, index: EntityIndex) -> None:
    text = file.text

    def context(receiver: str, at: int) -> bool:
        return bool(_CONTEXT.match(receiver)) or (_declared(text, receiver, at) or "").endswith("Context")

    for match, receiver, at in _calls(file, _EF_DBSET):
        if context(receiver, at):
            _use(file, index, "dbset:" + match.group("set"), at)
    for match in find_all(file, _EF_EXECUTE):  # db.Orders.Where(...).ExecuteDelete()
        start = max(
            text.rfind(";", 0, match.start()),
            text.rfind("{", 0, match.start()),
            text.rfind("}", 0, match.start()),
        )
        queried = _EF_QUERIED.search(text, start + 1, match.start())
        if queried is not None and context(queried.group("recv"), queried.start()):
            _use(file, index, "dbset:" + queried.group("set"), queried.start())
    for match, receiver, at in _calls(file, _EF_CONTEXT):
        if context(receiver, at):
            _use(file, index, _argument(text, match), at)
    for match in find_all(file, _EF_SET):
        _use(file, index, match.group(1), match.start())


def _js(file: SourceFile, index: EntityIndex) -> None:
    text = file.text
    for _, receiver, at in _calls(file, _SEQUELIZE, chained=True):
        _use(file, index, receiver, at)
    for _, receiver, at in _calls(file, _TYPEORM) if "Repository" in text else ():
        _use(file, index, _declared(text, receiver, at, generic=True), at)
    for pattern in (_TYPEORM_REPO, _TYPEORM_MANAGER):
        for match in find_all(file, pattern):
            _use(file, index, match.group(1), match.start())
    for match, receiver, at in _calls(file, _PRISMA):
        if _PRISMA_CLIENT.search(receiver):
            _use(file, index, "prisma:" + match.group("model"), at)


def _argument(text: str, match: re.Match[str]) -> str | None:
    """The entity type of a call's argument: ``new Order(...)``, ``&Order{...}`` or a declared name."""
    if match.group("new") or match.group("lit"):
        return match.group("new") or match.group("lit")
    return _declared(text, match.group("arg"), match.start())


_GENERIC = ("Repository", "EntityRepository", "DbSet", "IRepository", "Model", "ModelStatic")


_TYPED = lazy(  # Type name
    r"(?<![\w.])(?P<t>[A-Z][\w.]*(?:<[^;(){}=]*?>)?)(?:\[\])?[ \t]+(?P<n>\w+)\s*(?:[=;,)]|$)", re.M
)
_TYPED_START = lazy(r"[A-Z](?<![\w.][A-Z])[\w.]*+[<\[ \t]")  # where a _TYPED match can start
_COLON = lazy(r"\b(?P<n>\w+)\s*[?!]?:\s*(?P<t>[A-Z][\w.]*(?:<[^;(){}=]*?>)?)")  # name: Type
_COLON_START = lazy(r"\b\w+\s*+[?!]?:")
_SYNC = ";(){}="
"""No _TYPED or _COLON match holds one of these characters but as its last: the matches ``finditer``
gives after one are those it gives when started there."""
_BY_NAME = ((_TYPED, _TYPED_START), (_COLON, _COLON_START))
_KEYWORDS = ("var", "val", "let", "const", "auto")
_ASSIGNED = lazy(  # var name = new Type(
    r"\b(?:var|val|let|const|auto)\s+(?P<n>\w+)\s*(?::\s*\S+)?\s*=\s*(?:new\s+)?(?P<t>[A-Z][\w.]*)\s*[({<]",
    re.M,
)
_GO_SHORT = lazy(r"\b(?P<n>\w+)\s*:=\s*&?(?P<t>[A-Z]\w*)\s*\{", re.M)  # name := &Type{
_GO_VAR = lazy(r"\bvar\s+(?P<n>\w+)\s+\*?(?P<t>[A-Z]\w*)\b", re.M)  # var name Type
_GET_REPOSITORY = lazy(
    r"\b(?P<n>\w+)\s*=\s*(?:await\s+)?(?:[\w.]+\.)?getRepository\s*\(\s*(?P<e>\w+)\s*\)", re.M
)


class _Declarations:
    """The declarations of one file: ``var``/``:=``/``getRepository`` forms read at once (they start at a
    keyword or ``:=``), ``Type name`` and ``name: Type`` read per name asked for, near where it is
    written (from the last of ``_SYNC`` before it), as ``finditer`` over the whole file finds them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, list[tuple[int, str]]] = {}
        self.asked: set[str] = set()
        keywords = sorted({at for word in _KEYWORDS for at in occurrences(text, word)})
        go_short = sorted(word_start(text, space_before(text, at)) for at in occurrences(text, ":="))
        self._add(finditer_at(_ASSIGNED, text, keywords))
        self._add(finditer_at(_GO_SHORT, text, go_short))
        self._add(finditer_at(_GO_VAR, text, occurrences(text, "var")))
        if "getRepository" in text:
            self._add(_GET_REPOSITORY.finditer(text))

    def _add(self, matches: Iterator[re.Match[str]], name: str | None = None) -> None:
        for match in matches:
            if name is None or match.group("n") == name:
                entity = match.groupdict().get("e")
                declared = f"{_GENERIC[0]}<{entity}>" if entity else match.group("t")
                self.found.setdefault(match.group("n"), []).append((match.start(), declared))

    def of(self, name: str) -> list[tuple[int, str]]:
        """(offset, declared type) of every declaration of ``name``."""
        if name not in self.asked:
            self.asked.add(name)
            text = self.text
            regions: dict[int, int] = {}  # sync offset -> the last occurrence of name after it
            for at in occurrences(text, name):
                begin = _sync_before(text, at)
                regions[begin] = max(regions.get(begin, at), at)
            for pattern, starts in _BY_NAME:
                for begin, at in sorted(regions.items()):
                    candidates = (m.start() for m in starts.finditer(text, begin, _sync_after(text, at)))
                    self._add(finditer_at(pattern, text, candidates), name)
        return self.found.get(name, [])


def _sync_after(text: str, at: int) -> int:
    """The first of ``_SYNC`` after ``at`` (the end of the text when there is none): where a match's
    start may be checked up to (_TYPED_START and _COLON_START hold none of them)."""
    low = at
    while low < len(
        text
    ):  # a window at a time: a character missing from the file is not looked for to its end
        high = min(len(text), low + 256)
        first = min((i for i in (text.find(char, low, high) for char in _SYNC) if i >= 0), default=-1)
        if first >= 0:
            return first
        low = high
    return len(text)


def _sync_before(text: str, at: int) -> int:
    """Just after the last of ``_SYNC`` before ``at`` (0 when there is none)."""
    high = at
    while high > 0:  # a window at a time: a character missing from the file is not looked for to its start
        low = max(0, high - 256)
        last = max(text.rfind(char, low, high) for char in _SYNC)
        if last >= 0:
            return last + 1
        high = low
    return 0


_CACHE: list[_Declarations] = []


def _declarations(text: str) -> _Declarations:
    """The declarations of ``text`` (the last file's, cached)."""
    cached = _CACHE[0] if _CACHE else None
    if cached is None or cached.text is not text:
        cached = _Declarations(text)
        _CACHE[:] = [cached]
    return cached


def _declared(text: str, name: str, at: int, generic: bool = False) -> str | None:
    """The type ``name`` is declared with in ``text`` (the declaration nearest before ``at``, else the
    first after): ``Type name``, ``name: Type``, ``var name = new Type(``, ``name := &Type{``, Go
    ``var name Type``. With ``generic``, only ``Repository<Entity>``-like types (or ``getRepository(E)``),
    giving the entity."""
    found = _declarations(text).of(name)
    if not found:
        return None
    before = [f for f in found if f[0] < at]
    declared = (max(before) if before else min(found))[1]
    base, _, args = declared.partition("<")
    base = base.rsplit(".", 1)[-1]
    if generic or base in _GENERIC:
        first = re.match(r"\s*(?:[\w.]+\.)?(\w+)", args) if base in _GENERIC else None
        return first.group(1) if first else None
    return base


DETECTOR = OrmWrites()

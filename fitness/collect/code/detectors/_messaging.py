"""Shared by the messaging detectors (:mod:`kafka`, :mod:`jms_amqp`, :mod:`message_constants`): folding
the expression that names a topic or queue into literals or ``${KEY}`` templates within one file, and
writing the Message (or Unresolved) facts. Reading brackets and arguments is in :mod:`._scan`.

:meth:`Scope.fold` turns an expression into a list of values (a collection gives several), or None
when it cannot be known from this file:

- string literals (``"order"``, ``'q'``; a Spring placeholder ``"${kafka.topic:x}"`` or Kotlin's
  ``"\\${kafka.topic}"`` becomes ``${kafka.topic}``; JS template literals and Kotlin ``"$x"`` fold their
  parts; ``+`` concatenation);
- names bound in the file (``static final String TOPIC = "order"``, ``const topic = "orders"``,
  ``val topic = ...``, ``q, err := ch.QueueDeclare("q", ...)`` then ``q.Name``), ``@Value("${k}")`` fields
  and parameters, Java static imports and other classes' constants (``Topics.ORDERS`` -> the template
  ``${Topics.ORDERS}``, which :mod:`message_constants` defines where the class is), Go package members
  (``kafka.Topic`` -> ``${kafka.Topic}``), and a no-argument function of the file that returns an env read;
- env and config reads: ``os.Getenv("K")``, ``System.getenv("K") ?: "d"``, ``process.env.K || "d"``,
  ``GetEnvironmentVariable("K") ?? "d"``, ``getEnv("K", "d")`` -> ``${K}`` (the default is kept as a
  ``Setting``); ``env.getProperty("k")``, ``config.get("k")``, ``configuration["A:B"]`` -> ``${k}``; members
  of a config object (``nconf.get('mq').queueName``, ``require('./config.json').kafka.topic``);
- collections: ``listOf``, ``List.of``, ``Arrays.asList``, ``Collections.singletonList``, ``{"a","b"}``,
  ``["a"]``, ``[]string{...}``, ``new[] {...}``, ``arrayOf``, ``setOf``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fitness.collect.code.detectors._scan import (
    close_of,
    commented,
    finditer_at,
    named,
    occurrences,
    space_before,
    split_top,
    statement_end,
    strip_comments,
    word_start,
)
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import Message, Setting, SourceFacts, Unresolved

JVM = frozenset({".java", ".kt", ".kts", ".scala"})
JS = frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"})
CODE = JVM | JS | {".go", ".cs"}

_ID = r"[A-Za-z_$][\w$]*+"  # possessive: what follows a name never starts with a word character
_ASSIGN = lazy(
    rf"(?<![\w.$])(?P<name>{_ID})(?:\s*+,\s*+{_ID})*+\s*+(?::\s*[\w<>\[\]?.,]+(?:\s*<[^=\n]*>)?\s*)?(?::=|=)(?![=>])"
)
_ASSIGN_START = lazy(r"(?<![\w.$])[A-Za-z_$][\w$]*+\s*+[,:=]")  # where an _ASSIGN match can start
_NOT_BEFORE = frozenset("!+-*/%&|^~")  # no _ASSIGN match ends with one of these before its "="
_NAME = lazy(r"[A-Za-z_$][\w$]*")
_VALUE_FIELD = lazy(
    r"@Value\(\s*(?:value\s*=\s*)?\"((?:\\?\$\{[^\"]*?\})+)\"\s*\)\s*(?:@\w+(?:\([^)]*\))?\s*)*"
    r"(?:(?:private|protected|public|internal|final|static|lateinit|open|val|var)\s+)*"
    r"(?:[\w<>?,.\[\]]+\s+)?(\w+)\s*[:;=,)]"
)
_STATIC_IMPORT = lazy(
    r"import(?<![^\n]import)\s+(?:static\s+)?[\w.]*?\b([A-Z]\w*)\.([A-Z][A-Z0-9_]*)\s*;?\s*$", re.M
)
_GO_IMPORT = lazy(r"\"[\w./-]*/(\w+)\"|^\s*(\w+)\s+\"[\w./-]+\"", re.M)
_CLASS_KEYWORDS = frozenset({"class", "interface", "object", "enum", "record", "struct"})
_CLASS = lazy(r"\b(?:class|interface|object|enum|record|struct)\s+([A-Z]\w*)")
_PLACEHOLDER = lazy(r"\$\{([^}:]+)(?::[^}]*)?\}")
_STRING = lazy(
    r"^(?P<prefix>[$@s]?)(?:\"\"\"(?P<t>.*?)\"\"\"|\"(?P<d>(?:[^\"\\\n]|\\.)*)\"|'(?P<s>(?:[^'\\\n]|\\.)*)'"
    r"|`(?P<b>[^`]*)`)$",
    re.S,
)
_ENV = lazy(
    r"^(?:(?:os\.Getenv|System\.getenv|(?:System\.)?Environment\.GetEnvironmentVariable|sys\.env(?:\.get)?"
    r"|os\.getenv|env::var)\(\s*\"(?P<a>\w+)\"\s*\)|process\.env\.(?P<b>\w+)|process\.env\[\s*['\"](?P<c>\w+)['\"]\s*\]"
    r"|(?:\w+\.)?\w*[Ee]nv\w*\(\s*['\"](?P<d>\w+)['\"]\s*,\s*(?P<dd>['\"][^'\"\n]*['\"])\s*\)"
    r"|System\.getenv\(\)\.getOrDefault\(\s*\"(?P<e>\w+)\"\s*,\s*(?P<ed>\"[^\"\n]*\")\s*\))"
    r"(?:\s*(?:\?:|\?\?|\|\|)\s*(?P<default>['\"][^'\"\n]*['\"])|\.getOrElse\(\s*(?P<gd>\"[^\"\n]*\")\s*\))?$"
)
_CONFIG = lazy(
    r"^(?:this\.)?_?(?i:\w*(?:env|environment|config|conf|configuration|settings|viper|cfg))"
    r"\.(?:get|getProperty|getRequiredProperty|getString|GetString|getValue|GetValue(?:<\w+>)?)"
    r"\(\s*['\"](?P<a>[\w.:\-]+)['\"]\s*\)$|^_?(?i:\w*config\w*)\[\s*\"(?P<b>[\w.:\-]+)\"\s*\]$"
)
_CONFIG_OBJECT = lazy(
    r"^(?:require\(\s*['\"](?:config|[./\w-]*\.json)['\"]\s*\)|(?:\w+\.)?(?:nconf|config|conf)\.get\(\s*['\"](?P<key>[\w.:\-]+)['\"]\s*\))$"
)
_COLLECTION = lazy(
    r"^(?:listOf|setOf|arrayOf|mutableListOf|List\.of|Set\.of|Arrays\.asList|Collections\.singletonList"
    r"|Collections\.singleton|Stream\.of|Seq|List|Set|Array|ImmutableList\.of)\s*(?:<[^()]*>)?\s*\((?P<a>.*)\)$"
    r"|^(?:new\s+[\w.]*\s*(?:<[^{}]*>)?\s*(?:\[\s*\])?\s*|\[\]string\s*|new\s*\[\]\s*)?\{(?P<b>.*)\}$|^\[(?P<c>.*)\]$",
    re.S,
)
_QUEUE_CALL = lazy(
    r"^(?:await\s+)?(?:\w+\.)*(?:QueueDeclare|assertQueue|queueDeclare|createQueue|createTopic)\(\s*(?P<a>[^,)]*)"
    r"|^new\s+(?:ActiveMQQueue|ActiveMQTopic|Queue|Topic|AnyQueue)\s*\(\s*(?P<b>[^,)]*)"
)


def object_props(scope: Scope, expr: str) -> dict[str, str] | None:
    """The properties of a JS object literal, written inline or bound to a name of the file."""
    bound = scope.bound(expr.strip())
    source = bound[0] if bound else expr.strip()
    end = close_of(source, 0) if source.startswith("{") else -1
    return None if end < 0 else named(split_top(source[1 : end - 1]), ":")


class Bindings:
    """What one file binds, read once however many detectors fold in it (see :func:`bindings`): names
    (looked up one at a time, near where each is written, or all at once), ``@Value`` fields, Java static
    imports, Go imports and the classes it declares."""

    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self._all: dict[str, tuple[str, int] | None] | None = None
        self._one: dict[str, tuple[bool, tuple[str, int] | None]] = {}
        self._fields: dict[str, str] | None = None
        self._imported: dict[str, str] | None = None
        self._packages: frozenset[str] | None = None
        self._classes: dict[str, bool] = {}
        self._regions: dict[int, list[re.Match[str]]] = {}

    def all(self) -> dict[str, tuple[str, int] | None]:
        """Name -> (the expression bound to it, its offset); None when bound to different values."""
        if self._all is None:
            names: dict[str, tuple[str, int] | None] = {}
            for match in _ASSIGN.finditer(self.file.text):
                self._bind(names, match)
            self._all = names
        return self._all

    def lookup(self, name: str) -> tuple[bool, tuple[str, int] | None]:
        """(whether ``name`` is bound, what :meth:`all` holds for it)."""
        if self._all is not None:
            return name in self._all, self._all.get(name)
        found = self._one.get(name)
        if found is None:
            names: dict[str, tuple[str, int] | None] = {}
            for match in self._matches(name) if _NAME.fullmatch(name) else ():
                self._bind(names, match)
            found = self._one[name] = (name in names, names.get(name))
        return found

    def _matches(self, name: str) -> Iterator[re.Match[str]]:
        """The _ASSIGN matches binding ``name`` that ``finditer`` over the whole file gives: those of the
        region (see :meth:`_region`) of each place ``name`` is written."""
        text = self.file.text
        for begin in sorted({text.rfind("=", 0, at) + 1 for at in occurrences(text, name)}):
            for match in self._region(begin):
                if match.group("name") == name:
                    yield match

    def bound_at(self, equals: int) -> list[str]:
        """The names of the _ASSIGN matches whose "=" is the one at ``equals``."""
        return [match.group("name") for match in self._region(self.file.text.rfind("=", 0, equals) + 1)]

    def _region(self, begin: int) -> list[re.Match[str]]:
        """The _ASSIGN matches ``finditer`` over the whole file gives from ``begin`` (0 or just after a "=")
        to the next "=", which ends them all. No match holds a "=" but as its last character, so the
        matches after a "=" are those ``finditer`` gives when started there."""
        found = self._regions.get(begin)
        if found is None:
            text = self.file.text
            end = text.find("=", begin)
            found = []
            if (
                end >= 0
                and text[end + 1 : end + 2] not in ("=", ">")
                and text[end - 1 : end] not in _NOT_BEFORE
            ):
                starts = (m.start() for m in _ASSIGN_START.finditer(text, begin, end + 1))
                found = list(finditer_at(_ASSIGN, text, starts))
            self._regions[begin] = found
        return found

    def _bind(self, names: dict[str, tuple[str, int] | None], match: re.Match[str]) -> None:
        text = self.file.text
        if commented(text, match.start()):
            return
        start = match.end()
        while start < len(text) and text[start] in " \t":
            start += 1
        rhs = strip_comments(text[start : statement_end(text, start)])
        name, old = match.group("name"), names.get(match.group("name"), ("", -1))
        if rhs and name not in names:
            names[name] = (rhs, start)
        elif rhs and old is not None and old[0] != rhs:
            names[name] = None  # bound twice to different values: unknown

    @property
    def fields(self) -> dict[str, str]:
        """``@Value("${k}")`` fields and parameters -> ``${k}``."""
        if self._fields is None:
            self._fields = {}
            for match in _VALUE_FIELD.finditer(self.file.text) if "@Value" in self.file.text else ():
                self._fields[match.group(2)] = _PLACEHOLDER.sub(r"${\1}", match.group(1).replace("\\$", "$"))
        return self._fields

    @property
    def imported(self) -> dict[str, str]:
        """Java static imports: ``ORDERS`` -> ``Topics.ORDERS``."""
        if self._imported is None:
            text = self.file.text
            matches = _STATIC_IMPORT.finditer(text) if self.file.suffix in JVM else ()
            self._imported = {m.group(2): f"{m.group(1)}.{m.group(2)}" for m in matches}
        return self._imported

    @property
    def packages(self) -> frozenset[str]:
        """The packages a Go file imports."""
        if self._packages is None:
            matches = _GO_IMPORT.finditer(self.file.text) if self.file.suffix == ".go" else ()
            self._packages = frozenset(m.group(1) or m.group(2) for m in matches)
        return self._packages

    def declares(self, name: str) -> bool:
        """The file declares a class (interface, object, enum, record, struct) ``name``: an _CLASS match
        (they never overlap) whose name is written where ``name`` is."""
        found = self._classes.get(name)
        if found is None:
            text, found = self.file.text, False
            for at in occurrences(text, name) if re.fullmatch(r"[A-Z]\w*", name) else ():
                end = space_before(text, at)
                keyword = word_start(text, end)
                if end < at and text[keyword:end] in _CLASS_KEYWORDS:
                    match = _CLASS.match(text, keyword)
                    if match is not None and match.group(1) == name:
                        found = True
                        break
            self._classes[name] = found
        return found


_BINDINGS: list[Bindings] = []


def bindings(file: SourceFile) -> Bindings:
    """The bindings of ``file`` (the last file's are kept: the detectors read one file after another)."""
    cached = _BINDINGS[0] if _BINDINGS else None
    if cached is None or cached.file is not file:
        cached = Bindings(file)
        _BINDINGS[:] = [cached]
    return cached


@dataclass
class Scope:
    """The names a file binds (read on first use), and what folding found out (defaults of env reads)."""

    file: SourceFile
    defaults: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def of(cls, file: SourceFile) -> Scope:
        return cls(file)

    @property
    def names(self) -> dict[str, tuple[str, int] | None]:
        """Name -> (the expression bound to it, its offset); None when bound to different values."""
        return bindings(self.file).all()

    def bound(self, name: str) -> tuple[str, int] | None:
        """What ``names`` holds for ``name`` (None when it is not bound or bound to different values)."""
        return bindings(self.file).lookup(name)[1]

    def binds(self, name: str) -> bool:
        """``name in names``."""
        return bindings(self.file).lookup(name)[0]

    @property
    def fields(self) -> dict[str, str]:
        return bindings(self.file).fields

    @property
    def imported(self) -> dict[str, str]:
        return bindings(self.file).imported

    @property
    def packages(self) -> frozenset[str]:
        return bindings(self.file).packages

    def fold(self, expr: str, at: int = 0, depth: int = 0) -> list[str] | None:
        """The values ``expr`` can be (see the module docstring), or None."""
        expr = expr.strip().removeprefix("&").strip()
        if depth > 6 or not expr:
            return None
        match = _COLLECTION.match(expr)
        if match:
            items = split_top(match.group("a") or match.group("b") or match.group("c") or "")
            values = [self.fold_one(item, at, depth + 1) for item in items]
            return None if not values or None in values else [v for v in values if v is not None]
        value = self.fold_one(expr, at, depth)
        if value is None:
            name = self.bound(expr.removeprefix("this.").removeprefix("self."))
            return self.fold(name[0], name[1], depth + 1) if name and _COLLECTION.match(name[0]) else None
        return [value]

    def fold_one(self, expr: str, at: int = 0, depth: int = 0) -> str | None:
        """The single value of ``expr``, or None."""
        expr = expr.strip().removeprefix("&").removesuffix("!!").strip()
        if depth > 6 or not expr:
            return None
        parts = split_top(expr, "+")
        if len(parts) > 1:
            values = [self.fold_one(part, at, depth + 1) for part in parts]
            return None if None in values else "".join(v for v in values if v is not None)
        if expr in ("string.Empty", "String.Empty", "StringUtils.EMPTY"):
            return ""
        string = _STRING.match(expr)
        if string:
            return self._string(string, at, depth)
        env = _ENV.match(expr)
        if env:
            key = next(env.group(g) for g in "abcde" if env.group(g))
            default = env.group("default") or env.group("dd") or env.group("ed") or env.group("gd")
            if default and default[1:-1]:
                self.defaults.setdefault((key, default[1:-1]), at)
            return "${" + key + "}"
        config = _CONFIG.match(expr)
        if config:
            return "${" + (config.group("a") or config.group("b")).replace(":", ".") + "}"
        queue = _QUEUE_CALL.match(expr)
        if queue:  # a JMS Destination or a declared queue, named by its first argument
            return self.fold_one(queue.group("a") or queue.group("b") or "", at, depth + 1)
        if re.fullmatch(r"(?:this\.|self\.)?_?\w+", expr):
            return self._name(expr.removeprefix("this.").removeprefix("self."), at, depth)
        call = re.fullmatch(r"(\w+)\(\s*\)", expr)
        if call:
            return self._getter(call.group(1))
        member = re.fullmatch(r"(\w+)((?:\??\.\w+)+)", expr)
        return (
            self._member(member.group(1), member.group(2).replace("?", "")[1:], at, depth) if member else None
        )

    def _string(self, match: re.Match[str], at: int, depth: int) -> str | None:
        prefix, suffix = match.group("prefix"), self.file.suffix
        body = next((match.group(g) for g in "tdsb" if match.group(g) is not None), "")
        if "#{" in body or (prefix in ("$", "s") and re.search(r"[{$]", body)):
            return None  # SpEL, C# and Scala interpolation
        if (match.group("b") is not None and suffix in JS) or (suffix in (".kt", ".kts") and prefix != "@"):
            pieces = re.split(
                r"(?<!\\)\$\{([^}]*)\}" if suffix in JS else r"(?<!\\)\$(?:\{([^}]*)\}|(\w+))", body
            )
            step = 2 if suffix in JS else 3
            out = []
            for index in range(0, len(pieces), step):
                out.append(pieces[index])
                code = next((p for p in pieces[index + 1 : index + step] if p), None)
                if code is not None:
                    value = self.fold_one(code, at, depth + 1)
                    if value is None:
                        return None
                    out.append(value)
            body = "".join(out)
        body = body.replace('\\"', '"').replace("\\'", "'").replace("\\$", "$").replace("\\\\", "\\")
        return _PLACEHOLDER.sub(r"${\1}", body)

    def _name(self, name: str, at: int, depth: int) -> str | None:
        if name in self.fields:
            return self.fields[name]
        bound = self.bound(name)
        if bound:
            return self.fold_one(bound[0], bound[1], depth + 1)
        if name in self.imported and not self.binds(name):
            return "${" + self.imported[name] + "}"
        return None

    def _getter(self, name: str) -> str | None:
        """A no-argument function of this file whose body reads one env key and returns one literal."""
        match = re.search(
            rf"\b(?:func|function|def|fun)\s+{re.escape(name)}\s*\(\s*\)[^{{;=]*\{{", self.file.text
        )
        end = close_of(self.file.text, match.end() - 1) if match else -1
        if not match or end < 0:
            return None
        body = self.file.text[match.end() : end - 1]
        reads = re.findall(
            r"(?:Getenv|getenv|GetEnvironmentVariable)\(\s*\"(\w+)\"\s*\)|process\.env\.(\w+)", body
        )
        literals = re.findall(r"\breturn\s+(\"[^\"\n]*\"|'[^'\n]*')\s*;?\s*$", body, re.M)
        if len(reads) != 1 or len(literals) > 1:
            return None
        key = str(reads[0][0] or reads[0][1])
        if literals and literals[0][1:-1]:
            self.defaults.setdefault((key, literals[0][1:-1]), match.start())
        return "${" + key + "}"

    def _member(self, base: str, path: str, at: int, depth: int) -> str | None:
        bound = self.bound(base)
        if bound:
            queue = _QUEUE_CALL.match(bound[0])
            if queue and path in ("Name", "queue", "QueueName"):
                return self.fold_one(queue.group("a") or queue.group("b") or "", bound[1], depth + 1)
            config = _CONFIG_OBJECT.match(bound[0])
            if config:
                key = (config.group("key") or "").replace(":", ".")
                return "${" + (f"{key}.{path}" if key else path) + "}"
            return None
        if self.binds(base) or "." in path:
            return None
        if bindings(self.file).declares(base):  # a constant of a class of this file
            return self._name(path, at, depth)
        jvm_constant = (
            self.file.suffix in JVM and base[0].isupper() and re.fullmatch(r"[A-Z][A-Z0-9_]*", path)
        )
        cs_constant = self.file.suffix == ".cs" and base[0].isupper() and path[0].isupper()
        go_member = self.file.suffix == ".go" and base in self.packages and path[0].isupper()
        return "${" + f"{base}.{path}" + "}" if jvm_constant or cs_constant or go_member else None


def emit(
    file: SourceFile,
    facts: SourceFacts,
    scope: Scope,
    where: int,
    expr: str,
    direction: str,
    broker: str,
) -> list[str]:
    """Fold ``expr`` (at offset ``where``) and append one Message per value, or an Unresolved."""
    values = scope.fold(expr, where)
    evidence = file.evidence(where, "code")
    if values is None:
        shown = " ".join(expr.split())[:80]
        reason = f"{broker} {direction} destination `{shown}` is not a constant of this file"
        if re.match(r"Pattern\.compile|/.+/[gimsuy]*$|(?:new\s+)?Regex\(|\w+\.toRegex\(", expr.strip()):
            reason = f"{broker} {direction} by pattern `{shown}`"
        facts.unresolved.append(Unresolved("topic", reason, evidence))
        return []
    for value in values:
        if value:
            facts.messages.append(Message(value, direction, broker, evidence))
    return values


def flush_defaults(file: SourceFile, facts: SourceFacts, scope: Scope) -> None:
    """The defaults of env reads met while folding, as ``Setting(how="default")``."""
    for (key, value), at in sorted(scope.defaults.items()):
        setting = Setting(key, value, file.evidence(at, "default"))
        if setting not in facts.settings:
            facts.settings.append(setting)
    scope.defaults.clear()

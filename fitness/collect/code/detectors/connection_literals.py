"""Datastore connections written in code rather than configured: the lowest-ranked settings.

Each is recorded as a ``Setting`` (``how="default"``) under a conventional key, so a configured value
of that key wins and the connection collector reads it like any setting:

- datastore URLs in string literals: ``"mongodb://mongo:27017/catalogue"``, ``"redis://cache:6379"``,
  ``"postgresql://db/orders"``, ``"jdbc:mysql://mysql:3306/cities"``, ``"amqp://rabbitmq"``;
- the Go MySQL driver's DSN: ``"user:pw@tcp(catalogue-db:3306)/socksdb"``;
- a client built on a literal host: ``new CachingConnectionFactory("rabbitmq")``,
  ``factory.setHost("rabbitmq")``, ``new MongoClient("mongo")``, ``new Jedis("redis")``;
- Go ``flag.String("dsn", "default", ...)`` defaults (under the flag's name).
"""

from __future__ import annotations

from fitness.collect.code.detectors._scan import finditer_at, occurrences, space_before
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import Setting, SourceFacts

SOURCE = frozenset(
    {
        ".py",
        ".go",
        ".java",
        ".kt",
        ".kts",
        ".scala",
        ".js",
        ".mjs",
        ".cjs",
        ".ts",
        ".cs",
        ".rb",
        ".php",
        ".rs",
    }
)
_URL = lazy(
    r"[\"'`]((?:jdbc:)?(mongodb(?:\+srv)?|postgres(?:ql)?|mysql|mariadb|redis|rediss|amqps?|sqlserver)"
    r"://[^\"'`\s]{1,300})[\"'`]"
)
_GO_DSN = lazy(r"[\"'`]((?:[^\"'`@\s]{0,100}@)?tcp\([A-Za-z0-9_.-]+(?::\d+)?\)/[^\"'`\s]{0,100})[\"'`]")
_CLIENT = lazy(
    r"\b(?:new\s+)?(CachingConnectionFactory|MongoClient|Jedis|JedisPool|setHost)\s*\(\s*[\"']"
    r"([A-Za-z][A-Za-z0-9_.-]*)[\"']"
)
_CLIENT_KEYS = {
    "CachingConnectionFactory": "RABBITMQ_HOST",
    "setHost": "RABBITMQ_HOST",
    "MongoClient": "MONGO_HOST",
    "Jedis": "REDIS_HOST",
    "JedisPool": "REDIS_HOST",
}
_FLAG = lazy(r"flag(?<!\wflag)\.String(?:Var)?\(\s*(?:&[\w.]+\s*,\s*)?\"([\w.-]+)\"\s*,\s*\"([^\"\n]*)\"")
_LOCAL = ("localhost", "127.0.0.1", "0.0.0.0")


class ConnectionLiterals:
    name = "connection-literals"
    suffixes = SOURCE
    triggers = ("://", "tcp(", "ConnectionFactory", "MongoClient", "Jedis", "setHost", "flag.String")

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        text = file.text
        found: list[tuple[str, str, int]] = []
        if "://" in text:  # the opening quote is at most 17 characters before it (jdbc:mongodb+srv)
            for match in finditer_at(_URL, text, _quotes_before(text, "://", 17)):
                scheme = match.group(2).upper().replace("+SRV", "")
                found.append((f"CODE_{scheme}_URL", match.group(1), match.start()))
        if "tcp(" in text:
            dsns = finditer_at(_GO_DSN, text, _quotes_before(text, "tcp(", 102))  # "user:pw@tcp(
            found.extend(("MYSQL_DSN", m.group(1), m.start()) for m in dsns)
        for match in finditer_at(_CLIENT, text, _client_starts(text)):
            if match.group(1) == "setHost" and "ConnectionFactory" not in text:
                continue  # setHost of something else (a URL builder, a mail client)
            found.append((_CLIENT_KEYS[match.group(1)], match.group(2), match.start()))
        if "flag.String" in text:
            found.extend((m.group(1), m.group(2), m.start()) for m in _FLAG.finditer(text) if m.group(2))
        for key, value, at in found:
            if any(local in value for local in _LOCAL):
                continue  # a developer's default, not where the service runs
            facts.settings.append(Setting(key, value, file.evidence(at, "default")))


def _quotes_before(text: str, needle: str, reach: int) -> list[int]:
    """The quotes among the ``reach`` characters before each ``needle``: where a match holding it starts."""
    return sorted(
        {i for at in occurrences(text, needle) for i in range(max(0, at - reach), at) if text[i] in "\"'`"}
    )


def _client_starts(text: str) -> list[int]:
    """Where a _CLIENT match can start: at a client's name, or at the ``new`` before it."""
    starts = set()
    for name in ("CachingConnectionFactory", "MongoClient", "Jedis", "setHost"):
        for at in occurrences(text, name):
            starts.add(at)
            space = space_before(text, at)
            if space < at and text[space - 3 : space] == "new":
                starts.add(space - 3)
    return sorted(starts)


DETECTOR = ConnectionLiterals()

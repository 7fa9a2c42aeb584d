"""Credentials never reach an output: one function masks them in every evidence text.

``Evidence`` calls ``redact`` on its text when it is made, so whatever a collector quotes (a line of code,
a manifest's ``NAME=value``, an SQL statement) enters the model with the secret already replaced by
``***``. What is masked::

    https://admin:hunter2@api/v1            -> https://***@api/v1      (any scheme: postgres, mysql,
    mongodb+srv://u:p@host, redis://:p@host, amqp://u:p@host ...)       user and password both go)
    jdbc:sqlserver://db;user=sa;password=x  -> ...;password=***        (also ?password=x&...)
    jdbc:oracle:thin:scott/tiger@db         -> jdbc:oracle:thin:***@db
    root:pw@tcp(db:3306)/orders             -> ***@tcp(db:3306)/orders  (Go MySQL DSN)
    DB_PASSWORD=x, password: x, "api_key": "x", client-secret: x, API_TOKEN=x, access_key = "x",
    Server=db;User Id=sa;Password=x;        -> the value becomes *** (the key stays, so the evidence
                                               still says what was set)
    Authorization: Bearer eyJ..., Basic dXNlcjpw  -> Bearer ***, Basic ***
    AKIAIOSFODNN7EXAMPLE                    -> AKIA***                 (AWS access key ids)
    -----BEGIN RSA PRIVATE KEY----- ...     -> -----BEGIN RSA PRIVATE KEY----- ***
    CREATE USER app WITH PASSWORD 'x', IDENTIFIED BY 'x'  -> PASSWORD '***', IDENTIFIED BY '***'

A key names a secret when it contains password, passwd, pwd, pass (as a word), secret, token, api key,
access key, private key, credential(s) or authorization, in any case and with ``_``, ``-`` or ``.`` around
it, unless the key names something about the secret (``TOKEN_URL``, ``token_id``, ``PASSWORD_FILE``). A
value that is a reference rather than a secret (``${DB_PASSWORD}``, ``$PW``, ``os.getenv("X")``,
``settings.password``) is kept. Pure (no I/O); a text without any trigger word costs one regex search.
"""

from __future__ import annotations

import re
from functools import cache

MASK = "***"
MASK_RE = re.escape(MASK)

_WORDS = (
    r"pass(?:word|wd|phrase)|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|"
    r"credentials?|authorization|auth[_.-]?key|account[_.-]?key|shared[_.-]?access[_.-]?key|client[_.-]?key"
)
# a key: an identifier (letters, digits, _ . -) that contains one of the words, or `pass` as a word of it
# (DB_PASS, pass; not passenger or bypass)
_KEY = (
    rf"(?:[A-Za-z0-9_.-]*?(?:{_WORDS})[A-Za-z0-9_.-]*"
    r"|(?:[A-Za-z0-9_.-]*[_.-])?pass(?![A-Za-z0-9])(?:[_.-][A-Za-z0-9_.-]*)?)"
)
# a key that names something about a secret, not the secret: TOKEN_URL, token_id, PASSWORD_FILE
_NOT_SECRET = "".join(
    rf"(?<![_.-]{suffix})"
    for suffix in (
        "id", "ids", "url", "uri", "host", "port", "file", "path", "name", "type", "endpoint", "header",
        "length", "len", "count", "expiry", "expires", "ttl", "format", "policy", "location", "ref", "mode",
        "enabled",
    )
)  # fmt: skip
# a value that only refers to a secret: ${VAR}, $VAR, or code (a call, an attribute or a subscript)
_REFERENCE = r"(?:\$\{[A-Za-z0-9_.-]+\}(?![^\s;,&\"']*\w)|\$[A-Za-z_][A-Za-z0-9_]*\b|[A-Za-z_][\w.]*[(\[])"

_TRIGGER = re.compile(
    r"://[^\s/]*@|@tcp\(|@unix\(|thin:|pass|pwd|secret|token|(?:api|access|private|auth|account|client)[_.-]?key|private key"
    r"|credential|authori|bearer|basic|digest|a(?:kia|sia|gpa|ida|roa|npa|nva|ipa)|identified|sig="
)
"""What some pattern below needs, in the lower-cased text: a text without any is returned as it is.
Narrow on purpose (``@`` alone is every decorator and annotation, ``key`` every SQL ``PRIMARY KEY``),
and never narrower than the patterns: a property test applies them all to random texts and compares."""


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled on the first text with a trigger word: most runs quote no secret, and compiling these
    costs several milliseconds of every start-up."""
    return (
        # private key blocks (the whole block, or the rest of the text when it is cut)
        (
            re.compile(
                r"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----).*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S
            ),
            rf"\1 {MASK}",
        ),
        # user:password@ in a URL of any scheme (the user goes too: it is half the credential)
        (re.compile(r"(?<=://)[^\s/'\"<>`]+@"), f"{MASK}@"),
        # Oracle thin driver: jdbc:oracle:thin:scott/tiger@host
        (re.compile(r"(?i)(\bthin:)[^@\s/'\"]+/[^@\s'\"]*@"), rf"\1{MASK}@"),
        # Go MySQL DSN: user:password@tcp(host:3306)/db
        (re.compile(r"[^\s@'\"`(=:/]+:[^\s@'\"`]*@(?=(?:tcp|unix)\()"), f"{MASK}@"),
        # Authorization header values, whatever the scheme (Token x, ApiKey x ...)
        (
            re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[A-Za-z][\w-]*[ \t]+[^\s\"',;]+"),
            rf"\1{MASK}",
        ),
        # Authorization schemes with a token, anywhere (a header built in code)
        (re.compile(r"\b([Bb]earer|Basic|Digest)(\s+)[A-Za-z0-9._~+/-]{6,}=*"), rf"\1\2{MASK}"),
        # AWS access key ids
        (re.compile(r"\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA))[A-Z0-9]{16}\b"), rf"\1{MASK}"),
        # SQL: PASSWORD 'x', IDENTIFIED BY 'x'
        (re.compile(r"(?i)\b(password|identified\s+by)(\s+)(?:'[^']*'|\"[^\"]*\")"), rf"\1\2'{MASK}'"),
        # key = "quoted value" / key: 'quoted value' (JSON, YAML, code, env files)
        (
            re.compile(
                rf"(?i)(?<![A-Za-z0-9])({_KEY}){_NOT_SECRET}([\"']?\s*(?::=|=>|[:=])\s*)([\"'])"
                rf"(?!\$\{{[A-Za-z0-9_.-]+\}}\3)(?!{MASK_RE}\3)(?:(?!\3).)*(?:\3|\Z)"
            ),
            rf"\1\2\3{MASK}\3",
        ),
        # key=value unquoted, up to ; , & or white space (env, properties, connection strings, query strings)
        (
            re.compile(
                rf"(?i)(?<![A-Za-z0-9])({_KEY}){_NOT_SECRET}(\s*(?::=|[:=])\s*)(?!{_REFERENCE})(?![\"'\s])"
                r"[^;,&\s\"'<>)]+"
            ),
            rf"\1\2{MASK}",
        ),
        # Azure SAS signatures
        (re.compile(r"(?i)([?&;]sig=)[^&;\s\"']+"), rf"\1{MASK}"),
    )


def redact(text: str) -> str:
    """``text`` with every credential replaced by ``***`` (see the module docstring). Idempotent."""
    if not text or _TRIGGER.search(text.lower()) is None:
        return text
    for pattern, replacement in _patterns():
        text = pattern.sub(replacement, text)
    return text

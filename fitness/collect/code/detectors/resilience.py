"""What the resilience smells judge: remote client calls and their timeouts, protections, functions and
loops (spans), dedupe markers and outbox tables (``Interaction`` facts; :mod:`fitness.analyze.resilience`
decides).

Remote client calls, ``call`` (no timeout) or ``bounded-call`` (a timeout in the call or its client):

- Python (``ast``): ``requests.get/post/...`` and calls on a ``requests.Session()`` without
  ``timeout=`` (requests waits forever by default); ``httpx`` only with ``timeout=None`` (httpx times out
  after 5 s by default); ``aiohttp.ClientSession()`` without ``timeout=``; ``urllib.request.urlopen``
  without a timeout.
- Java/Kotlin: ``restTemplate.getForObject/exchange/...`` (bounded when the component sets
  ``setReadTimeout``/``readTimeout(``... on a RestTemplate or its request factory), ``webClient...retrieve()``
  (bounded by ``.timeout(`` in the chain or ``responseTimeout``/``ReadTimeoutHandler`` in the component),
  ``@FeignClient`` (bounded by ``feign.client.config.*.readTimeout``/``connectTimeout``, the same under
  ``spring.cloud.openfeign``, or ``Request.Options``).
- Go: ``http.Get/Post/Head/PostForm`` and ``http.DefaultClient`` (no timeout), ``http.Client{...}`` without
  ``Timeout:``; ``grpc.Dial/DialContext/NewClient`` unless the component sets a deadline
  (``context.WithTimeout``/``WithDeadline``, ``grpc.WithTimeout``).
- JavaScript/TypeScript: ``fetch(url, ...)`` without ``signal``/``timeout``; ``axios.get/post/...`` and
  ``axios(...)`` without ``timeout`` (or ``axios.defaults.timeout`` in the component).
- C#: ``new HttpClient(`` unless the component sets ``.Timeout =`` (the default is 100 s).

``protection``: ``timeout:<client>`` for the component-wide timeouts above; ``breaker:<library>`` for
tenacity, pybreaker, circuitbreaker, backoff, stamina; resilience4j, Hystrix, Spring Retry, Failsafe; Polly
and Microsoft.Extensions.Http.Resilience; opossum, cockatiel, axios-retry; gobreaker, hystrix-go,
retryablehttp, failsafe-go; ``mesh:<kind>`` for Istio ``DestinationRule`` outlier detection and
``VirtualService`` timeouts, Envoy ``outlier_detection``/``circuit_breakers``.

``function`` and ``loop`` spans come from ``ast`` in Python and from a brace-aware scan elsewhere
(declarations ``Type name(...) {``, ``func (r) Name(...) {``, ``function name(``, ``=> {``; ``for``,
``while``, ``foreach``, ``.forEach(``). ``dedupe`` marks upserts (``ON CONFLICT``, ``ON DUPLICATE KEY``,
``INSERT IGNORE``, ``MERGE INTO``, ``upsert``), inbox and processed-message tables, and
``idempotency``/``dedup`` keys; ``outbox`` an outbox table or a Debezium (CDC) connector.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from fitness.collect.code.detectors._scan import close_of, commented, lines_with, lowered
from fitness.collect.code.lazy_re import lazy
from fitness.collect.python.parse_cache import ParseError, shared_parse
from fitness.collect.python.pywalk import walk
from fitness.collect.source_file import SourceFile
from fitness.model.evidence import Evidence
from fitness.model.facts import Interaction, SourceFacts

_BRACES = frozenset({".java", ".kt", ".scala", ".go", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".cs"})
_CONFIG = frozenset({".yml", ".yaml", ".properties", ".json", ".xml", ".gradle", ".kts"})
SUFFIXES = frozenset({".py", *_BRACES, *_CONFIG})
_CLIENTS = ("requests", "httpx", "aiohttp", "urllib")
_CLIENT_IMPORT = lazy(r"^[ \t]*(?:import|from)[ \t]+(?:requests|httpx|aiohttp)\b", re.M)
_SESSIONS = ("requests.Session", "requests.session", "requests.sessions.Session")
_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

BREAKERS: dict[str, tuple[str, ...]] = {  # library -> words that name it in code, imports or build files
    "tenacity": ("tenacity",),
    "pybreaker": ("pybreaker",),
    "circuitbreaker": ("from circuitbreaker", "import circuitbreaker"),
    "backoff": ("import backoff", "@backoff."),
    "stamina": ("import stamina", "@stamina."),
    "resilience4j": ("resilience4j",),
    "hystrix": ("hystrix", "Hystrix"),
    "spring-retry": ("@Retryable", "spring-retry"),
    "failsafe": ("dev.failsafe", "net.jodah.failsafe", "failsafe-go"),
    "polly": (
        *("using Polly", "AddPolicyHandler", "AddTransientHttpErrorPolicy", "AddResilienceHandler"),
        "AddStandardResilienceHandler",
    ),
    "opossum": ("opossum",),
    "cockatiel": ("cockatiel",),
    "axios-retry": ("axios-retry",),
    "gobreaker": ("gobreaker",),
    "retryablehttp": ("go-retryablehttp",),
}


def _common(words: tuple[str, ...]) -> str:
    """The longest piece (four characters or more) of every one of ``words``, or "": a file without it
    holds none of them, found with one search instead of one per word."""
    shortest = min(words, key=len)
    for size in range(len(shortest), 3, -1):
        for start in range(len(shortest) - size + 1):
            piece = shortest[start : start + size]
            if all(piece in word for word in words):
                return piece
    return ""


_BREAKER_WORDS = tuple((library, words, _common(words)) for library, words in BREAKERS.items())
"""(library, words, the piece they share) of :data:`BREAKERS`, looked for in every file."""
_TIMEOUT_CONFIG: dict[str, re.Pattern[str]] = {  # client -> how a component sets its timeouts once
    "resttemplate": lazy(
        r"\.set(?:Read|Connect|ConnectionRequest)Timeout\s*\(|\.(?:read|connect)Timeout\s*\(|"
        r"setReadTimeout|RequestConfig\.custom\(\)[^;]*Timeout"
    ),
    "webclient": lazy(r"responseTimeout\s*\(|ReadTimeoutHandler|CONNECT_TIMEOUT_MILLIS"),
    "feign": lazy(
        r"(?:feign\.client\.config|openfeign\.client\.config)[\w.\-\[\]*]*\.(?:read|connect)-?[Tt]imeout"
        r"|new\s+Request\.Options\s*\(|(?:read|connect)-?[Tt]imeout\s*[:=]"
    ),
    "grpc": lazy(r"context\.With(?:Timeout|Deadline)\s*\(|grpc\.WithTimeout\s*\("),
    "axios": lazy(r"axios\.defaults\.timeout|axios\.create\s*\(\s*\{[^}]*\btimeout\b"),
    "httpclient": lazy(r"\.Timeout\s*=\s*(?!Timeout\.InfiniteTimeSpan)|Timeout\s*=\s*TimeSpan"),
}
_JVM = frozenset({".java", ".kt", ".scala"})
_TIMEOUT_LANGUAGES: dict[str, frozenset[str]] = {  # client -> the files its timeout settings are written in
    "resttemplate": _JVM,
    "webclient": _JVM,
    "feign": _JVM,
    "grpc": frozenset({".go"}),
    "axios": frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"}),
    "httpclient": frozenset({".cs"}),
}
_MESH = lazy(
    r"outlierDetection:|outlier_detection:|circuit_breakers:|circuitBreakers:"
    r"|^\s*kind:\s*VirtualService\b(?=[\s\S]*^\s*timeout:)",
    re.M,
)
_MESH_WORDS = (
    "outlierDetection:",
    "outlier_detection:",
    "circuit_breakers:",
    "circuitBreakers:",
    "VirtualService",
)
"""Every _MESH match holds one of these: a file without them is not searched (a regular expression
with a ``^`` branch tries every line start)."""
_DEDUPE = lazy(
    r"ON\s+CONFLICT|ON\s+DUPLICATE\s+KEY|INSERT\s+(?:OR\s+)?IGNORE|MERGE\s+INTO|\bupsert|\binbox\b|_inbox\b"
    r"|inbox_|processed_(?:messages|events)|idempoten|dedup|\bsetnx\b|\bnx\s*=\s*True|putIfAbsent"
    r"|SETNX|SetNX|existsBy\w*Id\b",
    re.I,
)
_DEDUPE_WORDS = (
    *("conflict", "duplicate", "ignore", "merge", "upsert", "inbox", "processed_", "idempoten", "dedup"),
    *("setnx", "nx", "putifabsent", "existsby"),
)
_OUTBOX = lazy(
    r"debezium|\bclass\s+\w*Outbox\w*|\w*Outbox\w*Repository|__tablename__\s*=\s*[\"']\w*outbox"
    r"|(?:INSERT\s+INTO|FROM|UPDATE|TABLE|name\s*=)\s*[\"'`]?\w*outbox\w*",
    re.I,
)


class Resilience:
    name: str = "resilience"
    suffixes: frozenset[str] = SUFFIXES
    triggers: tuple[str, ...] = ("",)  # spans are needed wherever a call, a write or a message may be

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        out = facts.interactions
        if file.suffix in _CONFIG:
            _config(file, out)
            return
        _markers(file, out)
        if file.suffix == ".py":
            if _CLIENT_IMPORT.search(file.text) or ("urlopen" in file.text and "urllib" in file.text):
                _python(file, out)  # parsed only where a client is imported: not for "requests" in prose
        else:
            _braces(file, out)


DETECTOR = Resilience()


# -- markers shared by every language ----------------------------------------------------------------


def _markers(file: SourceFile, out: list[Interaction]) -> None:
    text = file.text
    lower = lowered(file)
    for library, at in _breakers(text):
        out.append(Interaction("protection", f"breaker:{library}", file.evidence(at, "code")))
    if "imeout" in text:
        for client, pattern in _TIMEOUT_CONFIG.items():
            if file.suffix not in _TIMEOUT_LANGUAGES[client]:
                continue  # a client's own language only: most Python files say "timeout" for other things
            for match in pattern.finditer(text):
                if not commented(text, match.start()):
                    evidence = file.evidence(match.start(), "code")
                    out.append(Interaction("protection", f"timeout:{client}", evidence))
                    break
    for pattern, kind, words in (
        (_DEDUPE, "dedupe", _DEDUPE_WORDS),
        (_OUTBOX, "outbox", ("outbox", "debezium")),
    ):
        if not any(word in lower for word in words):
            continue
        seen: set[int] = set()
        for start, end in lines_with(text, lower, words):  # the pattern runs on those lines only
            for match in pattern.finditer(text, start, end):
                line = file.line_of(match.start())
                if line not in seen and not _in_comment(text, match.start()):
                    seen.add(line)
                    out.append(
                        Interaction(kind, match.group(0).lower(), file.evidence(match.start(), "code"))
                    )


def _in_comment(text: str, offset: int) -> bool:
    """On a comment line, or after ``#`` or ``//`` on its line (a trailing comment)."""
    start = text.rfind("\n", 0, offset) + 1
    before = text[start:offset]
    return commented(text, offset) or "#" in before or "//" in before


def _config(file: SourceFile, out: list[Interaction]) -> None:
    text = file.text
    for library, at in _breakers(text):
        out.append(Interaction("protection", f"breaker:{library}", file.evidence(at, "config")))
    feign = _TIMEOUT_CONFIG["feign"]
    if "feign" in text or "openfeign" in text:
        match = feign.search(text)
        if match is not None:
            out.append(Interaction("protection", "timeout:feign", file.evidence(match.start(), "config")))
    match = _MESH.search(text) if any(word in text for word in _MESH_WORDS) else None
    if match is not None:
        out.append(Interaction("protection", "mesh:policy", file.evidence(match.start(), "config")))
    at = lowered(file).find("debezium")
    if at >= 0:
        out.append(Interaction("outbox", "debezium", file.evidence(at, "config")))


def _breakers(text: str) -> list[tuple[str, int]]:
    """(library, first offset of one of its words) of each library of :data:`BREAKERS` in ``text``."""
    found = []
    for library, words, common in _BREAKER_WORDS:
        if common and common not in text:
            continue
        at = _first(text, words)
        if at >= 0:
            found.append((library, at))
    return found


def _first(text: str, words: tuple[str, ...]) -> int:
    """The first offset of any of ``words`` in ``text``, -1 if none (a plain loop: it runs for every
    library on every file)."""
    first = -1
    for word in words:
        at = text.find(word)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first


# -- Python --------------------------------------------------------------------------------------


def _python(file: SourceFile, out: list[Interaction]) -> None:
    try:
        tree = shared_parse(file.path, file.text)
    except ParseError:
        return  # the import collector reports syntax errors
    imports: list[ast.Import | ast.ImportFrom] = []
    assigns: list[ast.Assign] = []
    calls: list[ast.Call] = []
    for node in walk(tree):  # one walk, sorted by kind (three walks cost 5 s on 20,000 modules)
        if isinstance(node, ast.Call):
            calls.append(node)
        elif isinstance(node, ast.Assign):
            assigns.append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
    aliases = _python_aliases(imports)
    sessions = _sessions(assigns, aliases)

    def at(line: int) -> Evidence:
        return file.evidence(file.line_start(line), "code")

    for node in calls:
        found = _python_call(node, aliases, sessions)
        if found is not None:
            client, bounded = found
            kind = "bounded-call" if bounded else "call"
            out.append(Interaction(kind, client, at(node.lineno)))


def _python_aliases(imports: list[ast.Import | ast.ImportFrom]) -> dict[str, str]:
    """Local name -> qualified name for the HTTP client modules and their functions."""
    found: dict[str, str] = {}
    for node in imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _CLIENTS:
                    local = alias.asname or alias.name.split(".")[0]
                    found[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in _CLIENTS:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _qualname(expr: ast.expr, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name) or expr.id not in aliases:
        return None
    return ".".join([aliases[expr.id], *reversed(parts)])


def _sessions(assigns: list[ast.Assign], aliases: dict[str, str]) -> set[str]:
    """Names (and ``self.`` attributes) assigned a ``requests.Session()``: they have no timeout either."""
    names: set[str] = set()
    for node in assigns:
        if isinstance(node.value, ast.Call) and _qualname(node.value.func, aliases) in _SESSIONS:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.add(target.id)
                elif isinstance(target, ast.Attribute):
                    names.add(target.attr)
    return names


def _python_call(node: ast.Call, aliases: dict[str, str], sessions: set[str]) -> tuple[str, bool] | None:
    """(client, bounded) for a remote client call, None for anything else."""
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    timeout = keywords.get("timeout")
    has_timeout = timeout is not None and not (isinstance(timeout, ast.Constant) and timeout.value is None)
    spread = any(k.arg is None for k in node.keywords)  # **kwargs may carry the timeout: do not judge
    qual = _qualname(node.func, aliases)
    if qual is not None:
        module, _, verb = qual.rpartition(".")
        if module in ("requests", "requests.api") and verb in _VERBS:
            return (qual, has_timeout or spread)
        if module == "httpx" and (verb in (*_VERBS, "stream", "Client", "AsyncClient")):
            return (qual, not (timeout is not None and not has_timeout))
        if qual == "aiohttp.ClientSession":
            return (qual, has_timeout or spread)
        if qual == "urllib.request.urlopen":
            return (qual, has_timeout or len(node.args) >= 3 or spread)
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _VERBS and sessions:
        receiver = func.value
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
        if name in sessions:
            return (f"requests.Session.{func.attr}", has_timeout or spread)
    return None


# -- Java, Kotlin, Go, JavaScript/TypeScript, C# --------------------------------------------------


_JAVA_CALLS = lazy(
    r"\b(\w*[Rr]estTemplate\w*)\s*\.\s*(getForObject|getForEntity|postForObject|postForEntity|postForLocation"
    r"|exchange|put|delete|patchForObject|execute)\s*\("
    r"|\b(\w*[Ww]eb[Cc]lient\w*)\s*\.\s*(get|post|put|patch|delete|method)\s*\(\s*\)?"
    r"|@FeignClient\b"
)
_GO_CALLS = lazy(
    r"\bhttp\.(Get|Post|Head|PostForm)\s*\(|\bhttp\.DefaultClient\.\w+\s*\(|\bhttp\.Client\s*\{"
    r"|\bgrpc\.(?:Dial|DialContext|NewClient)\s*\("
)
_JS_CALLS = lazy(
    r"(?<![\w.$])fetch\s*\(|\baxios\s*\.\s*(get|post|put|patch|delete|head|request)\s*\(|\baxios\s*\("
)
_CS_CALLS = lazy(r"\bnew\s+HttpClient\s*\(")


def _braces(file: SourceFile, out: list[Interaction]) -> None:
    text = file.text
    suffix = file.suffix
    if suffix in (".java", ".kt", ".scala"):
        if any(word in text for word in ("estTemplate", "ebClient", "FeignClient")):
            _calls(file, _JAVA_CALLS, _java_client, out)
    elif suffix == ".go":
        if "http." in text or "grpc." in text:
            _calls(file, _GO_CALLS, _go_client, out)
    elif suffix == ".cs":
        if "HttpClient" in text:
            _calls(file, _CS_CALLS, lambda _m, _t: ("httpclient", False), out)
    elif "fetch" in text or "axios" in text:
        _calls(file, _JS_CALLS, _js_client, out)


Judge = Callable[[re.Match[str], str], "tuple[str, bool] | None"]


def _calls(file: SourceFile, pattern: re.Pattern[str], judge: Judge, out: list[Interaction]) -> None:
    text = file.text
    for match in pattern.finditer(text):
        if commented(text, match.start()):
            continue
        statement = _statement(text, match)
        found = judge(match, statement)
        if found is not None:
            client, bounded = found
            kind = "bounded-call" if bounded else "call"
            out.append(Interaction(kind, client, file.evidence(match.start(), "code")))


def _statement(text: str, match: re.Match[str]) -> str:
    """The call's text up to the end of its statement (or 600 characters)."""
    end = match.end()
    if text[end - 1 : end] in "({":
        close = close_of(text, end - 1)
        end = close if close > 0 else end
    stop = min(len(text), end + 600)
    semicolon = text.find(";", end, stop)
    return text[match.start() : semicolon if semicolon > 0 else stop]


def _java_client(match: re.Match[str], statement: str) -> tuple[str, bool] | None:
    if match.group(0).startswith("@FeignClient"):
        return ("feign", False)
    if match.group(1):
        return ("resttemplate", False)
    if ".retrieve()" not in statement and ".exchange" not in statement:
        return None  # a builder or a variable named like a client, not a request
    return ("webclient", ".timeout(" in statement)


def _go_client(match: re.Match[str], statement: str) -> tuple[str, bool] | None:
    token = match.group(0)
    if token.startswith("grpc."):
        return ("grpc", "WithTimeout" in statement)
    if token.startswith("http.Client"):
        body = statement.split("}", 1)[0]
        return ("http.Client", "Timeout" in body)
    return ("net/http", False)


def _js_client(match: re.Match[str], statement: str) -> tuple[str, bool] | None:
    bounded = bool(re.search(r"\bsignal\b|\btimeout\b|AbortSignal|AbortController", statement))
    if match.group(0).startswith("fetch"):
        return ("fetch", bounded)
    return ("axios", bounded)

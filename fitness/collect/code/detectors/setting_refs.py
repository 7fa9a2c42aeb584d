"""Where code reads a setting, and the defaults it writes next to the read, in any language.

References (``SettingRef``): ``${KEY}`` and ``${KEY:default}`` placeholders in config files and JVM or
.NET strings (Spring ``@Value``; in JS, PHP or shell the same syntax interpolates a variable), string literals shaped like an environment variable (``"CART_ADDR"``:
``os.Getenv("CART_ADDR")``, ``mustMapEnv(&addr, "CART_ADDR")``, ``Configuration["CART_ADDR"]``),
``process.env.KEY`` / ``import.meta.env.KEY`` / ``const { KEY = '' } = process.env``, and ``getenv("port")`` / ``env("API")``-style reads of any
spelling (react-env, django-environ, Laravel).

Defaults (``Setting`` with ``how="default"``): ``${KEY:default}`` (and ``${KEY:-default}``),
``getenv("KEY", "default")`` and every ``*env*("KEY", "default")`` helper, ``getOrDefault("KEY", "d")``,
``process.env.KEY || "d"`` / ``?? "d"``, ``GetEnvironmentVariable("KEY") ?? "d"``,
``System.getenv("KEY") == null ? "d" : ...``, PHP ``getenv('KEY') ?: 'd'``, Rust's
``env::var("KEY").unwrap_or("d")`` / ``unwrap_or_else(|_| "d".to_string())``.
"""

from __future__ import annotations

from fitness.collect.code.detectors._scan import finditer_at, lowered, occurrences, starts_of
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import Setting, SettingRef, SourceFacts

SOURCE = frozenset(
    {".py", ".go", ".java", ".kt", ".kts", ".scala", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".cs"}
    | {".rb", ".php", ".rs", ".ex", ".exs", ".cpp", ".cc", ".h", ".hpp", ".vue", ".svelte"}
)
PLACEHOLDER_CODE = frozenset({".java", ".kt", ".kts", ".scala", ".groovy", ".cs"})
"""Languages where ``${key}`` in a string is a config placeholder (``@Value("${x}")``), not the
interpolation of a variable (a JS template literal, a PHP or shell string)."""
CONFIG = frozenset(
    {".yml", ".yaml", ".properties", ".json", ".toml", ".conf", ".xml", ".ini", ".env", ".template", ".tmpl"}
)

_KEY = r"[A-Za-z_][\w.\-]*"
_PLACEHOLDER = lazy(r"\$\{(" + _KEY + r")(?::-?([^}\s]*))?\}")
_ENV_LITERAL = lazy(r"[\"'`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[\"'`]")
_ENV_LITERALS = tuple(  # _ENV_LITERAL, one per opening quote
    lazy(quote + r"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[\"'`]") for quote in "\"'`"
)
_ENV_MEMBER = lazy(r"(?:process(?<!\wprocess)\.env|import(?<!\wimport)\.meta\.env)\.([A-Za-z_]\w*)")
_ENV_DESTRUCTURE = lazy(r"\{([^{}]{1,2000})\}\s*=\s*(?:process\.env|import\.meta\.env)\b")
_DESTRUCTURED = lazy(r"(?:^|,)\s*([A-Za-z_]\w*)")
_ENV_CALL = lazy(
    r"(?:env|Env|ENV|LookupEnv|GetEnvironmentVariable|env::var|environ\.get|getProperty)"
    r"\s*\(\s*[\"']([A-Za-z_][\w.\-]*)[\"']"
)
_DEFAULTS = (
    lazy(  # getenv("K", "d"), environ.get("K", "d"), getEnv("K", "d"), getOrDefault("K", "d")
        r"(?:env|Env|ENV|getOrDefault|config|Config)\w{0,20}\s*\(\s*[\"']([A-Za-z_][\w.\-]*)[\"']\s*,"
        r"\s*[\"']([^\"'\n]*)[\"']"
    ),
    lazy(  # process.env.K || "d", process.env.K ?? "d"
        r"(?:process(?<!\wprocess)\.env|import(?<!\wimport)\.meta\.env)\.([A-Za-z_]\w*)\s*(?:\|\||\?\?)\s*[\"'`]([^\"'`\n]*)[\"'`]"
    ),
    lazy(  # GetEnvironmentVariable("K") ?? "d"
        r"GetEnvironmentVariable\(\s*\"(\w+)\"\s*\)\s*\?\?\s*\"([^\"\n]*)\""
    ),
    lazy(  # getenv("K") == null ? "d" : ...  (Java), getenv('K') ?: 'd' (PHP), environ.get("K") or "d"
        r"(?:getenv|environ\.get)\(\s*[\"'](\w+)[\"']\s*\)\s*(?:==\s*null\s*\?|\?:|or)\s*[\"']([^\"'\n]*)[\"']"
    ),
    lazy(  # env::var("K").unwrap_or("d") / unwrap_or_else(|_| "d".to_string())
        r"env::var\(\s*\"(\w+)\"\s*\)\s*\.unwrap_or(?:_else\(\s*\|_\|)?\s*\(?\s*\"([^\"\n]*)\""
    ),
)


_CALL_NEEDLES = ("env", "Env", "ENV", "getProperty")
"""Every _ENV_CALL match starts at one of these, or at ``Lookup``/``Get`` before ``Env``."""
_DEFAULT_NEEDLES = (
    ("env", "Env", "ENV", "config", "Config", "getOrDefault"),
    ("process.env", "import.meta.env"),
    ("GetEnvironmentVariable",),
    ("getenv", "environ.get"),
    ("env::var",),
)
"""Every match of the _DEFAULTS pattern at the same index starts at one of these (a substring test is a
hundred times cheaper than the regular expression)."""


class SettingRefs:
    name = "setting-refs"
    suffixes = SOURCE | CONFIG
    triggers = ('"', "'", "${", "env", "Env", "ENV")  # one character first: found at once in most files

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        text = file.text
        for match in _PLACEHOLDER.finditer(text):
            key, default = match.group(1), match.group(2)
            if file.suffix in PLACEHOLDER_CODE or file.suffix not in SOURCE:
                facts.refs.append(SettingRef(key, file.evidence(match.start(), "env")))
            if default and "${" not in default:
                facts.settings.append(Setting(key, default, file.evidence(match.start(), "default")))
        if file.suffix not in SOURCE:
            return
        at = _needles(file)
        node = bool(at["process.env"] or at["import.meta.env"])
        found = [(m, "code") for m in finditer_at(_ENV_LITERAL, text, starts_of(_ENV_LITERALS, text))]
        if node:
            found += [(m, "env") for m in _ENV_MEMBER.finditer(text)]
        calls = at["env"] + at["Env"] + at["ENV"] + at["getProperty"]  # LookupEnv, GetEnvironmentVariable:
        calls += [a - n for a in at["Env"] for n in (3, 6) if a >= n and text[a - n : a] in ("Get", "Lookup")]
        found += [(m, "env") for m in finditer_at(_ENV_CALL, text, sorted(calls))]
        for match, how in found:
            facts.refs.append(SettingRef(match.group(1), file.evidence(match.start(), how)))
        if node:
            for match in _ENV_DESTRUCTURE.finditer(text):
                for name in _DESTRUCTURED.findall(match.group(1)):
                    facts.refs.append(SettingRef(name, file.evidence(match.start(), "env")))
        for needles, pattern in zip(_DEFAULT_NEEDLES, _DEFAULTS, strict=True):
            starts = sorted(a for needle in needles for a in at[needle])
            for match in finditer_at(pattern, text, starts):
                key, value = match.group(1), match.group(2)
                if value:
                    facts.settings.append(Setting(key, value, file.evidence(match.start(), "default")))


_BASE = ("env", "Env", "ENV", "getProperty", "config", "Config", "getOrDefault")
"""The needles of _CALL_NEEDLES and _DEFAULT_NEEDLES that hold no other."""
_DERIVED = {  # each other needle -> (the needle it holds, its offset in it)
    "process.env": ("env", 8),
    "import.meta.env": ("env", 12),
    "getenv": ("env", 3),
    "environ.get": ("env", 0),
    "env::var": ("env", 0),
    "GetEnvironmentVariable": ("Env", 3),
}
_GETTERS = lazy("get(?:property|ordefault)")  # lower-cased, in one pass (re finds "get" fast)


def _needles(file: SourceFile) -> dict[str, list[int]]:
    """Offsets of each of _CALL_NEEDLES and _DEFAULT_NEEDLES in the file. Lower-casing keeps the offsets of
    an ASCII text, so one pass over it finds env, Env and ENV (config and Config...); a needle holding
    ``env`` or ``Env`` is where that is, preceded and followed by the rest of it."""
    text = file.text
    if text.isascii():
        at: dict[str, list[int]] = {needle: [] for needle in _BASE}
        low = lowered(file)
        found = [(a, a + 3) for a in occurrences(low, "env")] + [
            (a, a + 6) for a in occurrences(low, "config")
        ]
        found += [m.span() for m in _GETTERS.finditer(low)]
        for start, end in found:
            written = at.get(text[start:end])
            if written is not None:
                written.append(start)
    else:
        at = {needle: list(occurrences(text, needle)) for needle in _BASE}
    for needle, (inner, shift) in _DERIVED.items():
        at[needle] = [a - shift for a in at[inner] if a >= shift and text.startswith(needle, a - shift)]
    return at


DETECTOR = SettingRefs()

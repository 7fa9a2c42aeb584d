"""Reverse-proxy routes in nginx and Apache httpd configuration files.

nginx (a directive tokenizer with the block stack, so each pass knows its ``location``):

- ``location /api/ { proxy_pass http://orders:8080/; }`` -> Route("/api/", "http://orders:8080/")
- ``grpc_pass grpc://cart:7070;``, ``fastcgi_pass php:9000;``, ``uwsgi_pass app:3031;`` alike
- ``upstream app { server a:80; server b:80 weight=2; }`` then ``proxy_pass http://app;`` -> one Route per
  server (``http://a:80``, ``http://b:80``)
- ``${ORDERS_HOST}`` envsubst templates kept as written (any ``${X}`` in ``*.template``/``*.tmpl`` files,
  upper-case ones elsewhere); ``set $backend orders:8080;`` set once to a literal is folded in
- ``proxy_pass http://orders:8080$request_uri;`` -> the address before the variable; a variable in the
  scheme or host (``proxy_pass http://$target;``) -> Unresolved; ``unix:`` sockets are skipped

Apache httpd (line by line, directives case-insensitive):

- ``ProxyPass /orders http://orders:8080/`` (also ``ProxyPassMatch``, and the one-argument form inside
  ``<Location /orders>``); ``ProxyPass /x !`` exclusions are skipped
- ``<Proxy balancer://shop> BalancerMember http://a:8080 </Proxy>`` used by ``ProxyPass / balancer://shop/``
  -> one Route per member
- ``RewriteRule ^/api/(.*)$ http://api:8080/$1 [P,L]`` (proxy flag) -> Route("^/api/(.*)$", "http://api:8080/")

Files: ``*.conf``, ``*.template``, ``*.tmpl``, and files without a suffix under ``nginx/``, ``conf.d/``,
``sites-enabled/``, ``sites-available/``, ``apache2/``, ``httpd/``.
"""

from __future__ import annotations

import re

from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import Route, SourceFacts, Unresolved

_SUFFIXES = frozenset({".conf", ".template", ".tmpl", ".nginx", ".vhost", ".site"})
_DIRS = ("nginx/", "conf.d/", "sites-enabled/", "sites-available/", "apache2/", "httpd/", "apache/")
_NOT_CONFIG = frozenset({"dockerfile", "makefile", "readme", "license", "jenkinsfile", "procfile"})
_PASS = frozenset({"proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass"})
_ENV = lazy(r"\$\{([A-Za-z_]\w*)\}")
_VAR = lazy(r"\$\{?(\w+)\}?")
_APACHE = lazy(
    r"^[ \t]*(</?)?(ProxyPass|ProxyPassMatch|BalancerMember|RewriteRule|Proxy|Location)\b(.*)$", re.I | re.M
)
_TOKEN = lazy(r"""#[^\n]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[{};]|(?:\$\{[^}\s]*\}|[^\s{};"'])+""")
_PATH_VARS = frozenset(
    {"request_uri", "uri", "document_uri", "args", "is_args", "query_string"} | set("123456789")
)
_SENTINEL = "\x00"  # stands for "${" of an envsubst template while variables are looked for


_NOT_PLAIN = _NOT_CONFIG | {"*"}


class _ConfigSuffixes(frozenset[str]):
    """The suffixes of the files :func:`_is_config` can accept: those of ``_SUFFIXES``, and file names
    without a dot (whose suffix is the name) but ``_NOT_CONFIG``; ``"*"`` (every file) is not one, so the
    registry does not search every file of a repository for the triggers."""

    def __contains__(self, suffix: object) -> bool:
        return isinstance(suffix, str) and (
            super().__contains__(suffix) or ("." not in suffix and suffix not in _NOT_PLAIN)
        )


class NginxRoutes:
    name: str = "nginx"
    suffixes: frozenset[str] = _ConfigSuffixes(_SUFFIXES)
    triggers: tuple[str, ...] = ("_pass", "ProxyPass", "BalancerMember", "RewriteRule", "proxypass")

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        if not _is_config(file):
            return
        if any(p in file.text for p in _PASS):
            _nginx(file, facts)
        _apache(file, facts)


def _is_config(file: SourceFile) -> bool:
    if file.suffix in _SUFFIXES:
        return True
    path = "/" + file.path.lower()
    plain = not file.suffix.startswith(".") and file.suffix not in _NOT_CONFIG
    return plain and any("/" + d in path for d in _DIRS)


def _nginx(file: SourceFile, facts: SourceFacts) -> None:
    upstreams: dict[str, list[str]] = {}
    sets: dict[str, list[str]] = {}
    passes: list[tuple[str, int, str]] = []  # target, offset, location
    stack: list[tuple[str, list[str]]] = []
    words: list[tuple[str, int]] = []
    for token in _TOKEN.finditer(file.text):
        word = token.group()
        if word.startswith("#"):
            continue
        if word not in ("{", "}", ";"):
            words.append((word.strip("\"'") if word[0] in "\"'" else word, token.start()))
            continue
        head, args, at = (words[0][0], [w for w, _ in words[1:]], words[0][1]) if words else ("", [], 0)
        words = []
        if word == "{":
            stack.append((head, args))
        elif word == "}":
            if stack:
                stack.pop()
        elif head == "server" and stack and stack[-1][0] == "upstream" and stack[-1][1] and args:
            upstreams.setdefault(stack[-1][1][0], []).append(args[0])
        elif head == "set" and len(args) == 2:
            sets.setdefault(args[0].lstrip("$").strip("{}"), []).append(args[1])
        elif head in _PASS and args:
            where = next((b[1][-1] for b in reversed(stack) if b[0] == "location" and b[1]), "")
            passes.append((args[0], at, where))
    envsubst = file.suffix in (".template", ".tmpl") or "/templates/" in "/" + file.path
    folded = {k: v[0] for k, v in sets.items() if len(v) == 1 and "$" not in v[0]}
    for target, at, where in passes:
        evidence = file.evidence(at, "config")
        url = _VAR.sub(lambda m: folded.get(m.group(1), m.group(0)), target)
        url = _ENV.sub(lambda m: m.group(0) if m.group(1) in sets else _SENTINEL + m.group(1) + "}", url)
        if not envsubst:  # outside templates only upper-case ${X} are environment placeholders
            url = re.sub(_SENTINEL + r"(\w*[a-z]\w*)\}", r"${\1}", url)
        if url.startswith("unix:"):
            continue
        known = _cut_at_variable(url)
        if known is None:
            reason = f"nginx variable in {target!r}: the upstream is chosen at run time"
            facts.unresolved.append(Unresolved("url", reason, evidence))
            continue
        for address in _expand(known.replace(_SENTINEL, "${"), upstreams):
            facts.routes.append(Route(where, address, evidence))


def _cut_at_variable(url: str) -> str | None:
    """``url`` up to its first run-time variable; None when the variable may be part of the host.

    ``http://orders:8080$request_uri`` and ``http://orders/api/$1`` keep their address; ``http://$target``
    and ``http://api-$env:8080`` do not."""
    at = url.find("$")
    if at < 0:
        return url
    start = url.find("://") + 3 if "://" in url else 0
    slash = url.find("/", start)
    if 0 <= slash < at:
        return url[:at]
    head, name = url[start:at], _VAR.match(url, at)
    if head and (re.search(r":\d+$", head) or (name and name.group(1) in _PATH_VARS)):
        return url[:at]
    return None


def _expand(url: str, groups: dict[str, list[str]]) -> list[str]:
    """The servers of a named group (nginx ``upstream``, Apache balancer) ``url`` points at, else ``url``."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    host, slash, path = rest.partition("/")
    members = groups.get(host) if ":" not in host else None
    if not members:
        return [url]
    prefix = f"{scheme}://" if sep and scheme != "balancer" else ""
    out = []
    for member in members:
        if member.startswith("unix:"):
            continue
        full = member if "://" in member else prefix + member
        out.append(full.rstrip("/") + slash + path if slash else full)
    return out


def _apache(file: SourceFile, facts: SourceFacts) -> None:
    balancers: dict[str, list[str]] = {}
    proxies: list[tuple[str, str, int]] = []  # match, target, offset
    proxy = location = ""
    for found in _APACHE.finditer(file.text):
        closing, directive, args = found.group(1), found.group(2).lower(), _split(found.group(3))
        if directive in ("proxy", "location"):
            name = args[0].rstrip(">") if args and closing != "</" else ""
            if directive == "proxy":
                proxy = name.removeprefix("balancer://").rstrip("/")
            else:
                location = name
        elif directive == "balancermember" and args:
            if args[0].lower().startswith("balancer://") and len(args) > 1:
                balancers.setdefault(args[0][11:].rstrip("/"), []).append(args[1])
            elif proxy:
                balancers.setdefault(proxy, []).append(args[0])
        elif directive in ("proxypass", "proxypassmatch") and args:
            pair = (location, args[0]) if location and "://" in args[0] else tuple(args[:2])
            if len(pair) == 2 and pair[1] != "!":
                proxies.append((pair[0], pair[1], found.start(2)))
        elif directive == "rewriterule" and len(args) >= 3 and re.search(r"\[[^\]]*\bP\b", args[2], re.I):
            proxies.append((args[0], args[1], found.start(2)))
    for match, target, at in proxies:
        evidence = file.evidence(at, "config")
        url = _cut_at_variable(_ENV.sub(lambda m: _SENTINEL + m.group(1) + "}", target))
        if target.lower().startswith("unix:"):
            continue
        if url is None or ("://" not in url and not url.startswith(_SENTINEL)):
            facts.unresolved.append(
                Unresolved("url", f"proxy target {target!r} is not a fixed address", evidence)
            )
            continue
        url = url.replace(_SENTINEL, "${")
        if url.lower().startswith("balancer://") and url[11:].split("/")[0] not in balancers:
            facts.unresolved.append(Unresolved("url", f"balancer {target!r} has no members here", evidence))
            continue
        for address in _expand(url, balancers):
            facts.routes.append(Route(match, address, evidence))


def _split(args: str) -> list[str]:
    """Apache arguments: whitespace separated, double quotes removed; a trailing ``#`` comment ends them."""
    return [a.strip('"') for a in re.findall(r'"[^"]*"|[^\s"]+', args.split(" #")[0])]


DETECTOR = NginxRoutes()

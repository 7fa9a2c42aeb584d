"""Calls in Python code, found with ``ast`` (never imported, never run); messages are in
:mod:`calls_pymessages`.

- HTTP: ``requests``/``httpx`` module functions (also ``import requests as r``, ``from requests import
  get``), ``requests.Session()``, ``httpx.Client``/``AsyncClient`` (``base_url=`` joined with relative
  paths), ``aiohttp.ClientSession`` (``base_url``, ``ws_connect``), ``urllib.request.urlopen``/``Request``.
  A verb on anything else (a dict's ``.get()``) is not a call.
- gRPC: ``grpc[.aio].insecure_channel/secure_channel("payments:50051")`` (``dns:///`` stripped).

The URL folds from literals, f-strings, ``+``, ``%``, ``.format``, module constants (also imported from
other modules of the scan) and ``os.getenv``/``os.environ.get`` defaults. A URL whose host is not
literal is Unresolved(kind="url"), with the environment variable it comes from when there is one.
Loopback and documentation hosts (localhost, 127.0.0.1, 0.0.0.0, example.com) are not reported; one read
from an environment variable is Unresolved with the variable's name.
"""

from __future__ import annotations

import ast
import re

from fitness.collect.code.text import skipped_host
from fitness.collect.python.messages import KAFKA_CONSUMERS, MESSAGE_METHODS, MessageDetector
from fitness.collect.python.pymodel import Ctx, Found, PyModule, Str, argument, keyword
from fitness.model.facts import Call, Unresolved

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
MODULE_HTTP: dict[str, int] = {  # qualname -> position of the URL argument
    **{f"{lib}.{verb}": 0 for lib in ("requests", "requests.api", "httpx") for verb in _VERBS},
    **{f"{lib}.request": 1 for lib in ("requests", "requests.api", "httpx", "aiohttp")},
    "httpx.stream": 1,
    "urllib.request.urlopen": 0,
    "urllib.request.Request": 0,
}
METHOD_HTTP: dict[str, int] = {**dict.fromkeys(_VERBS, 0), "request": 1, "stream": 1, "ws_connect": 0}
GRPC_CHANNELS = frozenset(
    f"grpc.{aio}{kind}_channel" for aio in ("", "aio.") for kind in ("insecure", "secure")
)
_SCHEME = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:[^/@]*@)?")
_HOST_SPAN = re.compile(r"\[[^\]]*\]|(?:\{[^}]*\}|[^/:?#{])*")  # a dynamic part is {...}
_GRPC_PREFIX = re.compile(r"(?:dns:(?://[^/]*/)?|ipv4:|ipv6:)")


def detect(module: PyModule, found: Found) -> None:
    """Add the calls and messages of ``module`` to ``found``."""
    Detector(module, found).run()


class Detector(MessageDetector):
    def run(self) -> None:
        for call, ctx in self.module.calls:
            self.call(call, ctx)
        for function in self.module.functions:
            self.decorators(function.node, function.ctx)
        if "nameko" in self.roots:
            self.unused_proxies()

    def url(self, line: int, url: Str, protocol: str = "") -> None:
        """A Call when ``url`` names its host literally, else Unresolved(kind="url"). A host whose first
        label is literal and later labels are built at run time is kept as written
        (``inventory.{ns}.svc.cluster.local``)."""
        text = url.render()
        head = _SCHEME.match(text)
        if head is None:
            if text.startswith("{") and url.env:
                why = f"URL from environment variable {url.env}"
            elif text.startswith("/"):
                why = f"relative URL without a base: {text}"
            elif url.literal is not None:
                why = f"not an absolute URL: {text}"
            else:
                why = f"URL built at run time: {text}"
            self.found.unresolved.append(Unresolved("url", why, self.evidence(line)))
            return
        span = _HOST_SPAN.match(text, head.end())
        host = span.group(0) if span else ""
        if not host or "{" in host.split(".")[0]:
            why = f"host built at run time: {text}"
            self.found.unresolved.append(Unresolved("url", why, self.evidence(line)))
            return
        if skipped_host(host):
            if url.env:
                why = f"URL from environment variable {url.env} (default {text})"
                self.found.unresolved.append(Unresolved("url", why, self.evidence(line)))
            return
        scheme = head.group("scheme").lower()
        protocol = protocol or {"https": "http", "wss": "ws", "grpcs": "grpc"}.get(scheme, scheme)
        self.found.calls.append(Call(host, text, protocol, self.evidence(line)))
        for source in url.sources:
            self.found.consumed.setdefault(source, set()).add(host)

    def call(self, call: ast.Call, ctx: Ctx) -> None:
        func = call.func
        qual = self.module.qualname(func, ctx)
        if qual is not None and self.module_function(call, ctx, qual):
            return
        if isinstance(func, ast.Name):
            if "nameko" in self.roots and self.kind_name(func, ctx) == "nameko-standalone":
                topic = self.dotted(ctx, argument(call, 0, "service_name"), argument(call, 1, "event_type"))
                if topic is not None:
                    self.topic_value(call.lineno, topic, "publish", "nameko")
            return
        if not isinstance(func, ast.Attribute):
            return
        handler = _METHODS.get(func.attr)
        if handler is not None:
            handler(self, call, ctx, func.value)
        if "nameko" in self.roots:
            self.nameko_call(call, ctx, func)

    def module_function(self, call: ast.Call, ctx: Ctx, qual: str) -> bool:
        if qual in MODULE_HTTP:
            if qual == "urllib.request.urlopen":
                target = argument(call, 0, "url")
                if target is not None and self.kind_name(target, ctx) == "urllib-request":
                    return True  # reported where the Request is built
            expr = argument(call, MODULE_HTTP[qual], "url")
            if expr is not None:
                self.url(call.lineno, self.module.resolve_str(expr, ctx))
            return True
        if qual in GRPC_CHANNELS:
            expr = argument(call, 0, "target")
            if expr is not None:
                self.grpc(call.lineno, self.module.resolve_str(expr, ctx))
            return True
        if qual in KAFKA_CONSUMERS:
            for expr in self.strings(call.args, ctx):
                self.topic(call.lineno, expr, ctx, "subscribe", "kafka")
            return True
        return False

    def grpc(self, line: int, target: Str) -> None:
        first, literal = target.parts[0] if target.parts else ("", True)
        if literal:
            prefix = _GRPC_PREFIX.match(first)
            if first.startswith("unix:"):
                return
            if prefix is not None:
                target = Str([(first[prefix.end() :], True), *target.parts[1:]], target.sources, target.env)
        url = Str([("grpc://", True)]) + target
        before = len(self.found.calls)
        self.url(line, url, "grpc")
        if len(self.found.calls) > before:  # keep the target as written, not the made-up URL
            made = self.found.calls[-1]
            self.found.calls[-1] = Call(made.host, made.target.removeprefix("grpc://"), "grpc", made.evidence)

    def http_method(self, call: ast.Call, ctx: Ctx, receiver: ast.expr) -> None:
        assert isinstance(call.func, ast.Attribute)
        position = METHOD_HTTP[call.func.attr]
        client = self.kind(receiver, ctx)
        if client is None or client[0] != "http":
            return
        expr = argument(call, position, "url")
        if expr is None:
            return
        url = self.module.resolve_str(expr, ctx)
        text = url.render()
        if _SCHEME.match(text) is None:
            _, constructor, where = client
            if constructor is None:
                if text.startswith(("/", "{")):
                    why = f"relative URL; the client's base_url is set elsewhere: {url.render()}"
                    self.found.unresolved.append(Unresolved("url", why, self.evidence(call.lineno)))
                    return
            else:
                qual = where.module.qualname(constructor.func) or ""
                base = (
                    argument(constructor, 0, "base_url")
                    if "aiohttp" in qual
                    else keyword(constructor, "base_url")
                )
                if base is not None:
                    url = _join(where.module.resolve_str(base, where), url)
        self.url(call.lineno, url, "ws" if call.func.attr == "ws_connect" else "")


_METHODS = {**MESSAGE_METHODS, **dict.fromkeys(METHOD_HTTP, Detector.http_method)}


def _join(base: Str, path: Str) -> Str:
    """``base_url`` + a relative path, with exactly one slash between them."""
    base_text = base.parts[-1][0] if base.parts and base.parts[-1][1] else ""
    path_text = path.parts[0][0] if path.parts and path.parts[0][1] else ""
    if base_text.endswith("/") and path_text.startswith("/"):
        path = Str([(path_text[1:], True), *path.parts[1:]], path.sources, path.env)
    elif not base_text.endswith("/") and not path_text.startswith("/") and path.render():
        path = Str([("/", True)]) + path
    return base + path

"""Calls made by logical service name (service discovery), not by address.

``NameUse(name, protocol)``:
  - Spring Cloud OpenFeign ``@FeignClient(name = "orders")``, ``value =``, ``serviceId =``,
    ``@FeignClient("orders")`` -> ``orders`` (``http``). With ``url = "${customercore.baseURL}"`` or a literal
    URL, Feign does not use discovery: ``AddressUse("${customercore.baseURL}", "http")`` instead
    (``${key:default}`` is written ``${key}``; setting_refs records the default).
  - ``"lb://orders"`` (``lb:ws://orders``) strings in code -> ``orders``, except in files using
    ``RouteLocatorBuilder`` (gateway routes, which the gateways detector reports as Routes).
  - registry lookups on a discovery/Eureka/Consul/load-balancer/registry receiver:
    ``discoveryClient.getInstances("orders")``, ``loadBalancer.choose("orders")``,
    ``eurekaClient.getNextServerFromEureka("orders", false)``, ``getInstancesByVipAddress``,
    ``getApplication("ORDERS")``, ``consulClient.getHealthServices("orders", ...)``, Go
    ``consul.Health().Service("orders", "", true, nil)``, ``.Catalog().Service(...)``, Node/Python
    ``consul.health.service("orders")``, .NET ``consul.Health.Service("orders")`` (``unknown``).
  - service-name enums or constant classes used as call targets: any ``Service.PERSISTENCE`` where the type
    name ends in ``Service``/``Services``/``ServiceName(s)``/``ServiceType(s)``/``ServiceId(s)`` and the
    constant is UPPER_CASE -> ``persistence`` (lower case, ``_`` -> ``-``: ``IMAGE_PROVIDER`` ->
    ``image-provider``), in Java/Kotlin/Scala/Groovy/TypeScript. The enum's own body is no call, nor are
    import lines. The constant's name is used even when the enum carries a string
    (``PERSISTENCE("com.acme.shop.persistence")``): the declaration is in another file. The
    resolver drops names that match no component, and self-calls (``Tracing.init(Service.AUTH...)`` in auth).

Arguments are string literals, same-file constants (``static final String ORDERS = "orders"``) or setting
reads (``@Value("${orders.name}") String name`` -> ``${orders.name}``); a lookup by any other run-time value
is an ``Unresolved("name", ...)``. Names are lower-cased unless they are ``${KEY}`` templates.
RestTemplate/WebClient calls to ``http://orders/...`` are literal URLs, found by another detector.
"""

from __future__ import annotations

import re

from fitness.collect.code.detectors._scan import (
    ANY_FILE,
    dotted_starts,
    finditer_at,
    holds,
    occurrences,
    space_before,
    word_start,
)
from fitness.collect.code.detectors.grpc import call_args, commented, expression_value
from fitness.collect.code.lazy_re import lazy
from fitness.collect.source_file import SourceFile
from fitness.model.facts import AddressUse, NameUse, SourceFacts, Unresolved

_FEIGN = lazy(r"@FeignClient\s*\(")
_ATTRIBUTE = lazy(r"^(\w+)\s*=\s*(.+)$", re.S)
_LB = lazy(r"[\"'`]lb:(?:(wss?|https?):)?//([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?)")
_RECEIVER = r"\b\w*(?:[Dd]iscovery|[Ee]ureka|[Cc]onsul|[Bb]alancer|[Rr]egistry)\w*(?:\(\))?\s*\."
_LOOKUP = lazy(
    _RECEIVER
    + r"(?:getInstances|GetInstances(?:Async)?|choose|getNextServerFromEureka|getInstancesByVipAddress"
    r"|getInstancesByAppId|getApplication|getHealthServices|getCatalogService|ResolveServiceInstancesAsync)\s*\("
    r"|\.(?:Health|Catalog|health|catalog)(?:\(\))?\.(?:Service|service)(?:\.nodes)?\s*\("
)
_LOOKUP_ANCHOR = lazy(  # the "." before a lookup method (or Health/Catalog) of every _LOOKUP match
    r"\.(?:[Gg]etInstances|choose|getNextServerFromEureka|getApplication|getHealthServices|getCatalogService"
    r"|ResolveServiceInstancesAsync|[Hh]ealth|[Cc]atalog)"
)
_OBJECT_SERVICE = lazy(r"^\{\s*service\s*:\s*(.+?)\s*[,}]")
_ENUM_TYPE = r"(?:[A-Z]\w*?)?(?:Service|Services|ServiceNames?|ServiceTypes?|ServiceIds?)"
_ENUM_USE = lazy(
    r"(?<![\w$])(?:[a-z_]\w*\.)*(" + _ENUM_TYPE + r")\.([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\b(?!\s*\()"
)
_ENUM_ANCHOR = lazy(r"Service(?:s|Names?|Types?|Ids?)?\.(?=[A-Z])")  # in every _ENUM_USE match
_ENUM_DECLARATION = lazy(r"enum(?<!\wenum)\s+(?:class\s+)?(" + _ENUM_TYPE + r")\b[^{;]*\{")
_ENUM_SUFFIXES = frozenset({".java", ".kt", ".scala", ".groovy", ".ts", ".tsx"})
_IMPORT = lazy(r"(?:import|using|package)\b")


_NEEDLES = ("FeignClient", "lb:", "Service", "service(", "getInstances", "choose(", "Eureka")


def _worth(file: SourceFile) -> bool:
    """The file holds one of _NEEDLES (the registry's condition) and what a call by name needs: a Feign
    client, an ``lb:`` string, a service-name enum (``Service``, where they are read) or a registry lookup
    (_LOOKUP_ANCHOR: one pass, where the needles of every lookup method would be several)."""
    text = file.text
    if "FeignClient" in text or "lb:" in text or (file.suffix in _ENUM_SUFFIXES and "Service" in text):
        return True
    return _LOOKUP_ANCHOR.search(text) is not None and holds(text, _NEEDLES)


class Discovery:
    name: str = "discovery"
    suffixes: frozenset[str] = frozenset(
        {".java", ".kt", ".scala", ".groovy", ".go", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".py", ".cs"}
    )
    triggers: tuple[str, ...] = (ANY_FILE, *_NEEDLES)  # detect checks the needles (see _scan.ANY_FILE)

    def detect(self, file: SourceFile, facts: SourceFacts) -> None:
        text = file.text
        if not _worth(file):
            return
        if "FeignClient" in text:
            for match in _FEIGN.finditer(text):
                if not commented(text, match.start()):
                    _feign(file, call_args(text, match.end()), match.start(), facts)
        if "lb:" in text and "RouteLocatorBuilder" not in text:  # gateway DSL routes: the gateways detector
            quotes = (at - 1 for at in occurrences(text, "lb:") if at > 0)  # each match starts at a quote
            for match in finditer_at(_LB, text, quotes):
                if not commented(text, match.start()):
                    protocol = "ws" if (match.group(1) or "").startswith("ws") else "http"
                    facts.names.append(
                        NameUse(match.group(2).lower(), protocol, file.evidence(match.start(), "code"))
                    )
        for match in finditer_at(_LOOKUP, text, _lookup_starts(text)):
            if commented(text, match.start()):
                continue
            args = call_args(text, match.end())
            first = args[0] if args else ""
            if service := _OBJECT_SERVICE.match(first):
                first = service.group(1)
            if not first:
                continue
            evidence = file.evidence(match.start(), "code")
            name = expression_value(first, text)
            if name and "/" not in name and ":" not in name.replace("${", "").replace("}", ""):
                facts.names.append(NameUse(_name(name), "unknown", evidence))
            elif name is None:
                facts.unresolved.append(
                    Unresolved("name", f"discovery lookup by a run-time value ({first})", evidence)
                )
        if file.suffix in _ENUM_SUFFIXES:
            _enum_uses(file, facts)


def _lookup_starts(text: str) -> list[int]:
    """Where a _LOOKUP match can start: at the "." of ``.Health``/``.Catalog``, or at the start of the
    receiver written before the "." of a lookup method (``receiver()  .getInstances``)."""
    starts: set[int] = set()
    for anchor in _LOOKUP_ANCHOR.finditer(text):
        dot = anchor.start()
        end = space_before(text, dot)
        end -= 2 if text[end - 2 : end] == "()" else 0
        starts.update((dot, word_start(text, end)))
    return sorted(starts)


def _feign(file: SourceFile, args: list[str], at: int, facts: SourceFacts) -> None:
    attributes: dict[str, str] = {}
    for arg in args:
        attribute = _ATTRIBUTE.match(arg)
        if attribute:
            attributes[attribute.group(1)] = attribute.group(2).strip()
        elif arg:
            attributes["value"] = arg
    evidence = file.evidence(at, "code")
    url = attributes.get("url")
    template = expression_value(url, file.text) if url else ""
    if url and template != "":  # url = "" means: by name
        if template:
            template = re.sub(r"\$\{([^}:]+):[^}]*\}", r"${\1}", template)
            facts.addresses.append(AddressUse(template, "http", evidence))
        else:
            facts.unresolved.append(Unresolved("url", f"Feign client url is not a literal ({url})", evidence))
        return
    raw = attributes.get("name") or attributes.get("value") or attributes.get("serviceId")
    if not raw:
        return
    name = expression_value(raw, file.text)
    if name:
        facts.names.append(NameUse(_name(re.sub(r"\$\{([^}:]+):[^}]*\}", r"${\1}", name)), "http", evidence))
    elif not _ENUM_USE.fullmatch(raw):  # an enum constant is reported by _enum_uses
        facts.unresolved.append(Unresolved("name", f"Feign client name is not a literal ({raw})", evidence))


def _enum_uses(file: SourceFile, facts: SourceFacts) -> None:
    text = file.text
    starts = _enum_starts(text)
    if not starts:
        return
    bodies = [(m.end(), _closing_brace(text, m.end())) for m in _ENUM_DECLARATION.finditer(text)]
    for match in finditer_at(_ENUM_USE, text, starts):
        at = match.start()
        line = text[text.rfind("\n", 0, at) + 1 : at].lstrip()
        if any(start <= at < end for start, end in bodies) or commented(text, at) or _IMPORT.match(line):
            continue
        name = match.group(2).lower().replace("_", "-")
        facts.names.append(NameUse(name, "unknown", file.evidence(at, "code")))


def _enum_starts(text: str) -> list[int]:
    """Where an _ENUM_USE match can start: where the dotted name ending with the ``Service.X`` it holds
    can start (not after a word character)."""
    return sorted(
        {at for anchor in _ENUM_ANCHOR.finditer(text) for at in dotted_starts(text, anchor.start())}
    )


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if not depth:
                return index
    return len(text)


def _name(name: str) -> str:
    return name if "${" in name else name.lower()


DETECTOR = Discovery()

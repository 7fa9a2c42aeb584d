"""What each deployed component is for: a domain service, or infrastructure around the services.

Infrastructure (drawn dimmed; left out of cycles, chains, shared-database, distributed-monolith and
granularity): config servers and service registries, tracing, metrics and logging, load generators,
feature-flag servers, docs sites, init and migration jobs, test containers, reverse proxies with no
routes, and the cluster's ingress (the Kubernetes Ingress routes, which the platform's controller serves:
its edges to the services are drawn, never judged; a gateway the system deploys and configures itself,
nginx or Spring Cloud Gateway, is a service). Seen, in this order, from:

1. ``services:`` in fitness.yaml (``role:`` annotation) — always wins;
2. the manifest: a Kubernetes Job/CronJob is a job, the routes of Kubernetes Ingresses are the ingress, a
   component defined only in a compose file named for tests or observability (``compose.tests.yaml``,
   ``docker-compose.monitoring.yml``) takes that role;
3. the build: a Spring Boot Admin, Config Server, Eureka or Zipkin server dependency in its build file;
4. its name or image, as words (``otel-collector``, ``jaeger``, ``load-generator``, ``flagd-ui``,
   ``registry``, ``telemetry-docs``);
5. a proxy (an nginx, httpd, envoy, haproxy or traefik image, or a Dockerfile installing one) with no
   source code of its own, no routes and no service calling it: it forwards nothing the code says.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

INFRA_WORDS = frozenset(
    {
        *("otel", "opentelemetry", "otlp", "jaeger", "zipkin", "tempo", "grafana", "prometheus"),
        *("alertmanager", "loki", "promtail", "kibana", "logstash", "fluentd", "fluentbit", "filebeat"),
        *("opamp", "pyroscope", "profiler", "locust", "k6", "gatling", "jmeter", "loadgenerator"),
        *("loadgen", "flagd", "unleash", "registry", "eureka", "consul", "configserver", "discovery"),
        *("docs", "swagger", "zookeeper", "etcd", "vault", "mailhog", "mailpit", "adminer", "pgadmin"),
        *("portainer", "cadvisor", "exporter", "telemetry", "monitoring", "healthcheck", "kieker"),
        *("selenium", "e2e", "tests", "test", "operator", "turbine", "hystrix"),
    }
)
"""Words (of a component's name or image) that mean infrastructure. Compound words are also matched
joined: ``load-generator`` -> ``loadgenerator``, ``config-server`` -> ``configserver``."""

INFRA_BUILD_MARKERS = (
    "spring-boot-admin-starter-server",
    "spring-cloud-config-server",
    "spring-cloud-starter-netflix-eureka-server",
    "zipkin-server",
    "spring-cloud-starter-netflix-turbine",
    "spring-cloud-starter-netflix-hystrix-dashboard",
    "@EnableTurbine",
    "@EnableHystrixDashboard",
    "@EnableAdminServer",
    "@EnableConfigServer",
    "@EnableEurekaServer",
)
PROXY_IMAGES = frozenset({"nginx", "httpd", "apache", "envoy", "haproxy", "traefik", "caddy"})
PROXY_WORDS = frozenset({"router", "proxy", "ingress", "gateway", "loadbalancer", "lb"})
_INSTALLS_PROXY = re.compile(
    r"(?:apt-get|apk|yum|dnf)\s+(?:install|add)\b[^\n]*\b(apache2|httpd|nginx|haproxy|envoy)\b"
)
INFRA_FILE_WORDS = frozenset(
    {"test", "tests", "e2e", "observability", "monitoring", "profiling", "logging", "tracing", "metrics"}
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class RoleEvidence:
    role: str  # "service" | "infra"
    why: str


def words(text: str) -> set[str]:
    """``ghcr.io/open-feature/flagd:v0.16`` -> {ghcr, io, open, feature, flagd, openfeature, ...}."""
    parts = _WORD.findall(text.lower())
    joined = {a + b for a, b in itertools.pairwise(parts)}
    return set(parts) | joined


def image_words(image: str) -> set[str]:
    """Words of an image's own name and tag, not of its registry or organisation
    (``ghcr.io/open-telemetry/demo:latest-cart`` -> demo, cart; ``quay.io/jaegertracing/jaeger:2`` -> jaeger)."""
    name = image.lower().split("@", 1)[0].rsplit("/", 1)[-1]
    repo, _, tag = name.partition(":")
    if re.match(r"v?\d", tag):
        return words(repo)  # a version tag (``1.29-alpine-otel``) says how it is built, not what it is
    return words(repo) | (words(tag) - {"latest"})


def is_proxy(images: list[str], dockerfile: str, name: str = "") -> str:
    """The proxy a component runs (``nginx``, ``apache2`` ...), from its image, its Dockerfile or its
    name (``edge-router``, ``api-gateway``), or ""."""
    for image in images:
        found = image_words(image) & (PROXY_IMAGES | PROXY_WORDS)
        if found:
            return sorted(found)[0]
    found = words(name) & PROXY_WORDS
    if found:
        return sorted(found)[0]
    match = _INSTALLS_PROXY.search(dockerfile)
    return match.group(1) if match else ""


def classify(
    name: str,
    images: list[str],
    manifest_role: str,
    build_text: str,
    routes: int,
) -> RoleEvidence:
    """The role of one deployed component from what it is (see the module docstring); an idle proxy
    is found later, once calls are known (:func:`is_proxy`)."""
    """The role of one deployed component, with the reason (see the module docstring)."""
    if manifest_role in ("job", "test", "infra", "ingress"):
        return RoleEvidence(
            "infra",
            {
                "job": "an init or migration job",
                "test": "a test container",
                "ingress": "the cluster's ingress: Kubernetes Ingress routes to the services",
            }.get(manifest_role, "defined with the observability or tooling deployment"),
        )
    for marker in INFRA_BUILD_MARKERS:
        if marker in build_text:
            return RoleEvidence("infra", f"its build uses {marker}")
    found = words(name) & INFRA_WORDS
    if found:
        return RoleEvidence("infra", f"its name says {sorted(found)[0]}")
    for image in images:
        found = image_words(image) & INFRA_WORDS
        if found:
            return RoleEvidence("infra", f"its image {image} says {sorted(found)[0]}")
    return RoleEvidence("service", "")

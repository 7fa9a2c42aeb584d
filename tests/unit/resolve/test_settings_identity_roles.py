"""The resolver's parts: settings filled into templates, one identity per component, roles."""

from __future__ import annotations

from fitness.collect.resolve.identity import Identities
from fitness.collect.resolve.roles import classify, image_words, is_proxy
from fitness.collect.resolve.settings import Settings
from fitness.model.evidence import Evidence
from fitness.model.facts import Setting, canonical_key


def _setting(key: str, value: str, line: int = 1) -> Setting:
    return Setting(key, value, Evidence("config.yaml", line, f"{key}={value}", "manifest"))


def test_spring_and_env_spellings_of_one_key_meet() -> None:
    assert canonical_key("customercore.baseURL") == canonical_key("CUSTOMERCORE_BASEURL")
    assert canonical_key("Services__Catalog-Url") == canonical_key("services.catalog.url")


def test_templates_are_filled_from_the_best_ranked_source_with_the_settings_used() -> None:
    settings = Settings.build(
        [
            (0, _setting("FRONTEND_HOST", "frontend", 3)),
            (0, _setting("FRONTEND_PORT", "8080", 4)),
            (100, _setting("frontend.host", "localhost", 9)),  # a config file's default: outranked
        ]
    )
    [filled] = settings.fill("http://${FRONTEND_HOST}:${FRONTEND_PORT}/api")
    assert filled.value == "http://frontend:8080/api"
    assert [e.line for e in filled.used] == [3, 4]


def test_unknown_keys_stay_and_defaults_apply() -> None:
    settings = Settings.build([(0, _setting("CART_HOST", "cart"))])
    assert [f.value for f in settings.fill("${NOPE}/${CART_HOST}")] == ["${NOPE}/cart"]
    assert [f.value for f in settings.fill("${QUOTE_ADDR:http://quote:8090}")] == ["http://quote:8090"]


def test_a_value_that_is_itself_a_template_is_filled_again() -> None:
    settings = Settings.build(
        [(100, _setting("customercore.baseURL", "${CC_URL}")), (0, _setting("CC_URL", "http://core:8110"))]
    )
    assert [f.value for f in settings.fill("${customercore.baseURL}/customers")] == [
        "http://core:8110/customers"
    ]


def test_every_deployment_of_the_same_rank_is_kept() -> None:
    settings = Settings.build(
        [(1, _setting("DB_URL", "postgres://a/x")), (1, _setting("DB_URL", "postgres://b/x"))]
    )
    assert sorted(f.value for f in settings.fill("${DB_URL}")) == ["postgres://a/x", "postgres://b/x"]


def test_hosts_match_names_aliases_dns_forms_and_published_ports() -> None:
    index = Identities.build(
        [
            ("cart", ["cart-svc"], []),
            ("customer-management-backend", [], [8100]),
            ("orders.api", [], []),
        ]
    )
    assert index.host("cart") == "cart"
    assert index.host("cart-svc.shop.svc.cluster.local") == "cart"
    assert index.host("cart.shop") == "cart"
    assert index.host("orders-api") == "orders.api"  # compose and Kubernetes spellings of one name
    assert index.host("localhost", 8100) == "customer-management-backend"
    assert index.host("localhost", 9999) is None
    assert index.host("api.github.com") is None


def test_logical_names_match_through_a_release_prefix() -> None:
    index = Identities.build([(f"teastore-{n}", [], []) for n in ("webui", "auth", "persistence")])
    assert index.name("PERSISTENCE") == "teastore-persistence"
    assert index.name("registry") is None


def test_roles_from_manifest_build_name_and_image() -> None:
    assert classify("checkout", [], "", "", 0).role == "service"
    assert classify("seed", [], "job", "", 0).role == "infra"
    assert (
        classify("admin", [], "", "<artifactId>spring-boot-admin-starter-server</artifactId>", 0).role
        == "infra"
    )
    assert classify("load-generator", [], "", "", 0).why == "its name says loadgenerator"
    assert classify("otel", ["otel/opentelemetry-collector-contrib:0.1"], "", "", 0).role == "infra"
    # an organisation or a version tag says nothing of what the component does
    assert classify("cart", ["ghcr.io/open-telemetry/demo:latest-cart"], "", "", 0).role == "service"
    assert classify("images", ["nginx:1.29-alpine-otel"], "", "", 0).role == "service"


def test_image_words_and_proxies() -> None:
    assert "flagd" in image_words("ghcr.io/open-feature/flagd:v0.16")
    assert is_proxy(["nginx:stable"], "") == "nginx"
    assert is_proxy([], "FROM ubuntu:22.04\nRUN apt-get install -y -qq apache2 && a2enmod proxy") == "apache2"
    assert is_proxy(["python:3.12"], "") == ""

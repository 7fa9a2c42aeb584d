"""FIT104 allowed-only: the source modules import only themselves and the allow-list."""

from __future__ import annotations

from fitness.rules.allowed_only import AllowedOnly
from fitness.rules.base import Need


def test_an_import_outside_the_allow_list_is_reported_per_importer_and_imported(kit):
    view = kit.view(
        "shop.domain.order:4 -> shop.domain.money",  # inside the sources
        "shop.domain.order:5 -> shop.kernel.ids",  # allowed (a descendant of shop.kernel)
        "shop.domain.order:9 -> shop.adapters.db",
        "shop.domain.cart:2 -> shop.adapters.db",
        "shop.api -> shop.adapters.db",  # not a source
    )

    findings = kit.run(AllowedOnly, view, source_modules=["shop.domain"], allowed_modules=["shop.kernel"])

    assert kit.pairs(findings) == [
        ("shop.domain.cart", "shop.adapters.db"),
        ("shop.domain.order", "shop.adapters.db"),
    ]
    finding = findings[1]
    assert finding.code == "FIT104"
    assert (
        finding.message == "shop.domain.order imports module shop.adapters.db, which is not in its allow-list"
    )
    assert finding.chains == ((kit.link("shop.domain.order", "shop.adapters.db", 9),),)
    assert finding.fix == (
        "remove the import shop.domain.order -> shop.adapters.db (shop/domain/order.py:9), or allow shop.adapters.db"
    )


def test_nothing_is_reported_when_every_import_is_allowed(kit):
    view = kit.view(
        "shop.domain.a -> shop.domain.b", "shop.domain.b -> shop.kernel", "shop.domain.a -> !attrs"
    )

    assert kit.run(AllowedOnly, view, source_modules=["shop.domain"], allowed_modules=["shop.kernel"]) == []


def test_without_an_allow_list_sources_may_import_only_each_other(kit):
    view = kit.view("shop.a:3 -> shop.b", "shop.b -> shop.a", "shop.c -> shop.d")

    findings = kit.run(AllowedOnly, view, source_modules=["shop.a", "shop.c"])

    assert kit.pairs(findings) == [("shop.a", "shop.b"), ("shop.c", "shop.d")]


def test_wildcard_sources_and_allowed_modules(kit):
    view = kit.view(
        "shop.orders.domain -> shop.orders.models",
        "shop.billing.domain:6 -> shop.billing.views",
        "shop.billing.domain -> shop.billing.models.invoice",
    )

    findings = kit.run(AllowedOnly, view, source_modules=["shop.*.domain"], allowed_modules=["shop.*.models"])

    assert kit.pairs(findings) == [("shop.billing.domain", "shop.billing.views")]


def test_third_party_imports_are_reported_when_not_allowed(kit):
    view = kit.view("shop.domain:3 -> !requests", "shop.domain -> shop.kernel", "shop.api -> !django")

    assert kit.run(AllowedOnly, view, source_modules=["shop.domain"], allowed_modules=["shop.kernel"]) == []
    [finding] = kit.run(
        AllowedOnly,
        view,
        source_modules=["shop.domain"],
        allowed_modules=["shop.kernel"],
        allow_external=False,
    )

    assert finding.subjects == ("shop.domain", "requests")
    assert (
        finding.message == "shop.domain imports third-party module requests, which is not in its allow-list"
    )
    assert finding.chains == ((kit.link("shop.domain", "requests", 3),),)
    assert AllowedOnly.requirements() == {Need.EXTERNAL_IMPORTS}


def test_config_errors(kit):
    view = kit.view("shop.domain -> shop.kernel")

    assert kit.errors(AllowedOnly, view, source_modules=["shop.domain"], allowed_modules=["shop.kernle"]) == [
        "11: rule 'r': allowed_modules: no module 'shop.kernle'; did you mean 'shop.kernel'?"
    ]
    assert kit.errors(AllowedOnly, view, source_modules=["shop.domain"], allow_external="no") == [
        "11: rule 'r': allow_external: expected true or false"
    ]
    assert kit.errors(AllowedOnly, view, allowed_modules=["shop.kernel"]) == [
        "9: rule 'r' (allowed-only) needs 'source_modules'"
    ]

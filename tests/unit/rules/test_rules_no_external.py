"""FIT107 no-external: modules must not import forbidden third-party packages."""

from __future__ import annotations

from fitness.rules.base import Need
from fitness.rules.no_external import NoExternal


def test_a_forbidden_third_party_import_is_reported_with_its_line(kit):
    view = kit.view(
        "shop.domain.order:6 -> !requests", "shop.domain.order -> !attrs", "shop.adapters.http -> !requests"
    )

    [finding] = kit.run(NoExternal, view, modules=["shop.domain"], forbidden=["requests", "django"])

    assert finding.code == "FIT107"
    assert finding.subjects == ("shop.domain.order", "requests")
    assert finding.message == "shop.domain.order imports third-party requests, which is forbidden here"
    assert finding.chains == ((kit.link("shop.domain.order", "requests", 6),),)
    assert finding.fix == (
        "remove the import shop.domain.order -> requests (shop/domain/order.py:6) (use an adapter outside these modules)"
    )
    assert NoExternal.requirements() == {Need.EXTERNAL_IMPORTS}


def test_without_modules_every_module_is_checked(kit):
    view = kit.view("shop.a -> !django", "shop.b -> !yaml", "tools.x -> !django")

    findings = kit.run(NoExternal, view, forbidden="django")

    assert kit.pairs(findings) == [("shop.a", "django"), ("tools.x", "django")]


def test_allowed_third_party_imports_and_internal_imports_are_fine(kit):
    view = kit.view("shop.domain -> !attrs", "shop.domain -> shop.kernel")

    assert kit.run(NoExternal, view, modules=["shop.*"], forbidden=["requests"]) == []


def test_dotted_names_and_a_missing_list_are_config_errors(kit):
    view = kit.view("shop.a -> !django")

    assert kit.errors(NoExternal, view, forbidden=["django.db"]) == [
        "10: rule 'r': forbidden: 'django.db' is not a top-level package name (write 'django', not 'django.db')"
    ]
    assert kit.errors(NoExternal, view, modules=["shop"]) == ["9: rule 'r' (no-external) needs 'forbidden'"]

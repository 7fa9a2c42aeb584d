"""FIT105 public-api: outside code imports a package only through its interface modules."""

from __future__ import annotations

from fitness.rules.public_api import PublicApi


def test_importing_a_private_module_from_outside_is_reported(kit):
    view = kit.view(
        "shop.billing:3 -> shop.orders",  # the package itself: public by default
        "shop.billing.invoice:7 -> shop.orders.models",
        "shop.orders.views -> shop.orders.models",  # inside: not checked
    )

    [finding] = kit.run(PublicApi, view, packages=["shop.orders"])

    assert finding.code == "FIT105"
    assert finding.subjects == ("shop.billing.invoice", "shop.orders.models")
    assert finding.message == (
        "shop.billing.invoice imports shop.orders.models, which is private to shop.orders (public: shop.orders)"
    )
    assert finding.chains == ((kit.link("shop.billing.invoice", "shop.orders.models", 7),),)
    assert finding.fix == (
        "import it from shop.orders instead (shop/billing/invoice.py:7), or make it part of shop.orders's interface"
    )


def test_interface_modules_and_their_submodules_are_public(kit):
    view = kit.view(
        "shop.billing -> shop.orders.api",
        "shop.billing -> shop.orders.api.schemas",
        "shop.billing -> shop.orders.types",
        "shop.billing:4 -> shop.orders",
    )

    findings = kit.run(PublicApi, view, packages=["shop.orders"], interface=["api", "types"])

    assert kit.pairs(findings) == [("shop.billing", "shop.orders")]  # __init__ is not in this interface


def test_wildcard_packages_each_with_their_own_interface(kit):
    view = kit.view(
        "shop.orders:2 -> shop.billing.api",
        "shop.orders:3 -> shop.billing.db",
        "shop.billing:4 -> shop.orders.db",
        "shop.billing -> shop.orders.api",
    )

    findings = kit.run(PublicApi, view, packages=["shop.*"], interface=["__init__", "api"])

    assert kit.pairs(findings) == [("shop.billing", "shop.orders.db"), ("shop.orders", "shop.billing.db")]
    assert findings[0].data == {"package": "shop.orders"}


def test_optional_interface_modules_may_be_missing(kit):
    view = kit.view("shop.a -> shop.orders.api", "shop.a -> shop.billing", modules=("shop.billing.x",))

    assert (
        kit.run(PublicApi, view, packages=["shop.orders", "shop.billing"], interface=["__init__", "(api)"])
        == []
    )


def test_missing_interface_module_and_bad_names_are_config_errors(kit):
    view = kit.view("shop.a -> shop.orders.api", modules=("shop.billing.x",))

    assert kit.errors(PublicApi, view, packages=["shop.orders", "shop.billing"], interface=["api"]) == [
        "11: rule 'r': interface: shop.billing has no module 'api'; write (api) if it is optional"
    ]
    assert kit.errors(PublicApi, view, packages=["shop.orders"], interface=["api.*"]) == [
        "11: rule 'r': interface: 'api.*' is not a module name"
    ]

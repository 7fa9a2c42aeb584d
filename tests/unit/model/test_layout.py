"""What init leaves out (tests, migrations, settings, generated code) and the units it compares."""

from __future__ import annotations

from fitness.model.layout import choose_units, exclusions, own_apps

MODULES = [
    "shop",
    "shop.orders",
    "shop.orders.models",
    "shop.orders.tests",
    "shop.orders.tests.test_models",
    "shop.orders.migrations",
    "shop.orders.migrations.0001_initial",
    "shop.orders.test_api",
    "shop.billing",
    "shop.billing.tests",
    "shop.testing",
    "shop.testing.factories",
    "shop.conftest",
    "shop.settings",
    "shop.proto",
    "shop.proto.orders_pb2",
]
PACKAGES = [
    "shop",
    "shop.orders",
    "shop.orders.tests",
    "shop.orders.migrations",
    "shop.billing",
    "shop.testing",
    "shop.proto",
]


def test_each_kind_is_one_line_with_its_count() -> None:
    found, unlisted = exclusions(MODULES, PACKAGES, ["shop.settings"], ["shop.proto.orders_pb2"])
    assert [(e.pattern, e.kind, e.modules) for e in found] == [
        ("**.migrations.**", "migrations", 2),
        ("**.tests.**", "tests", 3),
        ("shop.testing.**", "tests", 2),
        ("**.conftest", "tests", 1),
        ("shop.orders.test_api", "tests", 1),
        ("shop.settings", "settings", 1),
        ("shop.proto.orders_pb2", "generated", 1),
    ]
    assert unlisted == 0


def test_test_modules_beside_the_code_are_listed_up_to_a_limit() -> None:
    modules = ["app", *(f"app.test_{n:02}" for n in range(30))]
    found, unlisted = exclusions(modules, ["app"])
    assert len(found) == 25 and unlisted == 5


def test_own_apps_resolve_installed_entries_to_packages() -> None:
    packages = ["shop", "shop.orders", "shop.orders.admin", "shop.billing", "shop.dash", "shop.dash.reports"]
    entries = [
        "shop",
        "django.contrib.auth",
        "shop.orders.apps.OrdersConfig",
        "shop.dash",
        "shop.dash.reports",
    ]
    assert own_apps(entries, ["shop.billing"], packages, ["shop"]) == [
        "shop.billing",
        "shop.dash",
        "shop.orders",
    ]
    # apps that are root packages (a project folder of apps) stay units
    assert own_apps(
        ["orders", "billing.apps.BillingConfig"],
        [],
        ["orders", "billing", "config"],
        ["orders", "billing", "config"],
    ) == [
        "billing",
        "orders",
    ]


def test_units_are_apps_then_subpackages_then_root_packages() -> None:
    modules = [
        "site",
        "site.apps",
        "site.apps.a",
        "site.apps.a.x",
        "site.apps.b",
        "site.apps.b.y",
        "site.apps.c",
        "site.wsgi",
    ]
    packages = ["site", "site.apps", "site.apps.a", "site.apps.b", "site.apps.c"]
    apps = choose_units(modules, packages, ["site"], ["site.apps.a", "site.apps.b"])
    assert (apps.names, apps.depth, apps.kind) == (("site.apps.a", "site.apps.b"), 3, "apps")
    # no apps: the subpackages, looking into the one package that holds nearly everything
    inner = choose_units(modules, packages, ["site"], [])
    assert (inner.names, inner.depth, inner.kind) == (
        ("site.apps.a", "site.apps.b", "site.apps.c"),
        3,
        "subpackages",
    )
    # several root packages of comparable size are the units themselves
    flat = choose_units(["a", "a.x", "b", "b.y", "c"], ["a", "b", "c"], ["a", "b", "c"], [])
    assert (flat.names, flat.depth, flat.kind) == (("a", "b", "c"), 1, "packages")
    assert flat.sizes == {"a": 2, "b": 2, "c": 1}


def test_a_migrations_module_or_framework_is_code() -> None:
    modules = [
        "app",
        "app.db",
        "app.db.migrations",  # a migrations runner
        "app.db.migrations.executor",
        "app.orders",
        "app.orders.migrations",
        "app.orders.migrations.0001_initial",
        "app.billing.migrations",
        "app.billing.migrations.versions",  # Alembic
        "app.billing.migrations.versions.a1b2_add_invoice",
    ]
    packages = [
        "app",
        "app.db",
        "app.db.migrations",
        "app.orders",
        "app.orders.migrations",
        "app.billing.migrations",
    ]
    found, _ = exclusions(modules, packages)
    assert [(e.pattern, e.modules) for e in found] == [
        ("app.billing.migrations.**", 3),
        ("app.orders.migrations.**", 2),
    ]

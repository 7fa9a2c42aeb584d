"""FIT103 independence: import-linter's independence contract, plus allow_indirect."""

from __future__ import annotations

import random

import grimp

from fitness.rules.independence import Independence

APPS = ["shop.orders", "shop.billing", "shop.catalog"]


def test_a_direct_import_between_independent_modules_is_reported(kit):
    view = kit.view(
        "shop.orders.views:12 -> shop.billing.api", "shop.orders -> shop.kernel", modules=("shop.catalog",)
    )

    [finding] = kit.run(Independence, view, modules=APPS)

    assert finding.code == "FIT103"
    assert finding.subjects == ("shop.orders", "shop.billing")
    assert finding.message == "shop.orders imports shop.billing; they must be independent"
    assert finding.chains == ((kit.link("shop.orders.views", "shop.billing.api", 12),),)
    assert finding.fix == "cut the import shop.orders.views -> shop.billing.api (shop/orders/views.py:12)"


def test_shared_lower_modules_are_fine(kit):
    view = kit.view(
        "shop.orders -> shop.kernel", "shop.billing -> shop.kernel", "shop.catalog.x -> shop.kernel.y"
    )

    assert kit.run(Independence, view, modules=APPS) == []


def test_an_indirect_chain_is_reported_in_its_direction_only(kit):
    view = kit.view(
        "shop.orders:3 -> shop.kernel", "shop.kernel:8 -> shop.billing.models", modules=("shop.catalog",)
    )

    [finding] = kit.run(Independence, view, modules=APPS)

    assert finding.subjects == ("shop.orders", "shop.billing")
    assert finding.message == "shop.orders reaches shop.billing; they must be independent"
    assert finding.chains == (
        (kit.link("shop.orders", "shop.kernel", 3), kit.link("shop.kernel", "shop.billing.models", 8)),
    )


def test_a_chain_through_a_third_listed_module_is_reported_as_its_two_steps(kit):
    view = kit.view("shop.orders:1 -> shop.catalog", "shop.catalog:2 -> shop.billing")

    findings = kit.run(Independence, view, modules=APPS)

    assert kit.pairs(findings) == [("shop.catalog", "shop.billing"), ("shop.orders", "shop.catalog")]


def test_wildcards_expand_to_every_matching_module(kit):
    view = kit.view("shop.apps.a:5 -> shop.apps.b", "shop.apps.b -> shop.lib", "shop.lib -> shop.apps.c")

    findings = kit.run(Independence, view, modules=["shop.apps.*"])

    assert kit.pairs(findings) == [("shop.apps.a", "shop.apps.b"), ("shop.apps.b", "shop.apps.c")]


def test_allow_indirect_reports_direct_imports_only(kit):
    view = kit.view(
        "shop.orders:3 -> shop.kernel", "shop.kernel -> shop.billing", "shop.catalog.x:4 -> shop.billing"
    )

    [finding] = kit.run(Independence, view, modules=APPS, allow_indirect=True)

    assert finding.subjects == ("shop.catalog", "shop.billing")
    assert finding.chains == ((kit.link("shop.catalog.x", "shop.billing", 4),),)


def test_nested_modules_are_a_config_error(kit):
    view = kit.view("shop.orders.api -> shop.billing")

    assert kit.errors(Independence, view, modules=["shop.orders", "shop.orders.api", "shop.billing"]) == [
        "10: rule 'r': modules: 'shop.orders.api' is inside 'shop.orders'; a module cannot be independent of itself"
    ]


def test_missing_modules_and_missing_option_are_config_errors(kit):
    view = kit.view("shop.orders -> shop.billing")

    assert kit.errors(Independence, view, modules=["shop.order", "shop.billing"]) == [
        "10: rule 'r': modules: no module 'shop.order'; did you mean 'shop.orders'?"
    ]
    assert kit.errors(Independence, view) == ["9: rule 'r' (independence) needs 'modules'"]


def test_same_violations_as_import_linter_on_random_graphs(kit):
    modules = ["p.a", "p.a.x", "p.b", "p.b.y", "p.c", "p.d", "p.e", "p.e.q", "p.f"]
    chosen = ["p.a", "p.b", "p.c", "p.e"]
    for seed in range(80):
        rnd = random.Random(seed)
        edges = {tuple(rnd.sample(modules, 2)) for _ in range(rnd.randint(2, 25))}
        graph = grimp.ImportGraph()
        for module in ["p", *modules]:
            graph.add_module(module)
        for importer, imported in edges:
            graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import x")
        expected = sorted(
            (dependency.importer, dependency.imported)
            for dependency in graph.find_illegal_dependencies_for_layers(layers=(set(chosen),))
        )
        view = kit.view(*(f"{a} -> {b}" for a, b in sorted(edges)), modules=tuple(modules))

        findings = kit.run(Independence, view, modules=chosen)

        assert sorted(kit.pairs(findings)) == expected, seed

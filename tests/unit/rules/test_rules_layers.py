"""FIT101 layers: import-linter's layers contract (containers, siblings, optional, exhaustive) + closed layers."""

from __future__ import annotations

import random

import grimp
import pytest

from fitness.rules.layers import Layers

THREE = ["high", "mid", "low"]


def test_a_lower_layer_importing_a_higher_one_is_reported_with_the_import(kit):
    view = kit.view("shop.low:3 -> shop.high", "shop.high:4 -> shop.mid", "shop.mid:5 -> shop.low")

    [finding] = kit.run(Layers, view, containers=["shop"], layers=THREE)

    assert finding.code == "FIT101"
    assert finding.subjects == ("shop.low", "shop.high")
    assert finding.message == "shop.low imports higher layer shop.high"
    assert finding.chains == ((kit.link("shop.low", "shop.high", 3),),)
    assert [str(location) for location in finding.locations] == ["shop/low.py:3"]
    assert finding.fix == "cut the import shop.low -> shop.high (shop/low.py:3)"
    assert finding.data == {"container": "shop", "kind": "upward"}


def test_imports_down_the_layers_are_fine(kit):
    view = kit.view(
        "shop.high -> shop.mid", "shop.high -> shop.low", "shop.mid.a -> shop.low.b", "shop.low -> shop.x"
    )

    assert kit.run(Layers, view, containers=["shop"], layers=THREE) == []


def test_an_indirect_chain_through_a_module_outside_the_layers_is_reported(kit):
    view = kit.view("shop.low.a:7 -> shop.utils", "shop.utils:2 -> shop.high.b", modules=("shop.mid",))

    [finding] = kit.run(Layers, view, containers=["shop"], layers=THREE)

    assert finding.subjects == ("shop.low", "shop.high")
    assert finding.message == "shop.low reaches higher layer shop.high"
    assert finding.chains == (
        (kit.link("shop.low.a", "shop.utils", 7), kit.link("shop.utils", "shop.high.b", 2)),
    )
    assert finding.fix == "cut the import shop.utils -> shop.high.b (shop/utils.py:2)"


def test_a_chain_through_another_layer_is_that_layers_violation_not_a_third_one(kit):
    # low -> mid -> high: import-linter reports low->mid and mid->high, not low->high.
    view = kit.view("shop.low:1 -> shop.mid", "shop.mid:2 -> shop.high")

    findings = kit.run(Layers, view, containers=["shop"], layers=THREE)

    assert kit.pairs(findings) == [("shop.low", "shop.mid"), ("shop.mid", "shop.high")]
    assert all(len(chain) == 1 for finding in findings for chain in finding.chains)


def test_up_to_five_chains_each_with_another_first_import_shortest_first(kit):
    imports = [f"shop.low.m{i}:{i + 1} -> shop.util{i}" for i in range(6)]
    imports += [f"shop.util{i}:9 -> shop.high" for i in range(6)] + ["shop.low.m9:4 -> shop.high"]
    view = kit.view(*imports)

    [finding] = kit.run(Layers, view, containers=["shop"], layers=THREE[::2])

    assert len(finding.chains) == 5
    assert finding.chains[0] == (kit.link("shop.low.m9", "shop.high", 4),)
    assert [chain[0].importer for chain in finding.chains[1:]] == [f"shop.low.m{i}" for i in range(4)]
    assert finding.message == "shop.low imports higher layer shop.high"


def test_each_container_has_its_own_layers_and_containers_take_wildcards(kit):
    view = kit.view(
        "shop.orders.low:3 -> shop.orders.high",
        "shop.billing.low:4 -> shop.billing.high.x",
        "shop.billing.low:5 -> shop.orders.high",  # another container: allowed
    )

    findings = kit.run(Layers, view, containers=["shop.*"], layers=["high", "low"])

    assert kit.pairs(findings) == [
        ("shop.billing.low", "shop.billing.high"),
        ("shop.orders.low", "shop.orders.high"),
    ]
    assert findings[0].data["container"] == "shop.billing"


def test_without_containers_layers_are_absolute_module_names(kit):
    view = kit.view("core:3 -> web.views", "web -> core")

    [finding] = kit.run(Layers, view, layers=["web", "core"])

    assert finding.subjects == ("core", "web")
    assert finding.chains == ((kit.link("core", "web.views", 3),),)


def test_independent_siblings_must_not_import_each_other(kit):
    view = kit.view("shop.blue:3 -> shop.green", "shop.top -> shop.blue", "shop.green -> shop.base")

    [finding] = kit.run(Layers, view, containers=["shop"], layers=["top", "blue | green", "base"])

    assert finding.subjects == ("shop.blue", "shop.green")
    assert finding.message == "shop.blue imports its independent sibling shop.green"
    assert finding.data["kind"] == "sibling"


def test_colon_siblings_may_import_each_other_but_not_upwards(kit):
    view = kit.view("shop.blue -> shop.green", "shop.green -> shop.blue", "shop.green:6 -> shop.top")

    findings = kit.run(Layers, view, containers=["shop"], layers=["top", "blue : green"])

    assert kit.pairs(findings) == [("shop.green", "shop.top")]


@pytest.mark.parametrize(
    "closed", [["api", {"name": "services", "closed": True}, "db"], ["api", "services", "---", "db"]]
)
def test_layers_above_a_closed_layer_must_go_through_it(kit, closed):
    view = kit.view(
        "shop.api:3 -> shop.db",
        "shop.api.v2:8 -> shop.helpers",
        "shop.helpers:2 -> shop.db.tables",
        "shop.api -> shop.services",
        "shop.services -> shop.db",
    )

    [finding] = kit.run(Layers, view, containers=["shop"], layers=closed)

    assert finding.subjects == ("shop.api", "shop.db")
    assert finding.message == "shop.api imports shop.db, bypassing closed layer shop.services"
    assert finding.data["kind"] == "closed"
    assert finding.chains == (
        (kit.link("shop.api", "shop.db", 3, package=True),),
        (kit.link("shop.api.v2", "shop.helpers", 8), kit.link("shop.helpers", "shop.db.tables", 2)),
    )


def test_a_closed_layer_does_not_restrict_the_layer_right_above_it(kit):
    view = kit.view("shop.api -> shop.services", "shop.services -> shop.db")

    assert (
        kit.run(Layers, view, containers=["shop"], layers=["api", {"name": "services", "closed": True}, "db"])
        == []
    )


def test_optional_layers_may_be_missing_from_a_container(kit):
    view = kit.view("shop.a.low:3 -> shop.a.high", "shop.b.high -> shop.b.mid", "shop.b.mid -> shop.b.low")

    findings = kit.run(Layers, view, containers=["shop.a", "shop.b"], layers=["high", "(mid)", "low"])

    assert kit.pairs(findings) == [("shop.a.low", "shop.a.high")]


def test_exhaustive_reports_children_that_are_not_layers(kit):
    view = kit.view("shop.high -> shop.low", modules=("shop.extra", "shop.conftest", "shop.extra.inner"))

    [finding] = kit.run(
        Layers,
        view,
        containers=["shop"],
        layers=["high", "low"],
        exhaustive=True,
        exhaustive_ignores=["conftest"],
    )

    assert finding.subjects == ("shop.extra",)
    assert finding.message == "shop.extra is not a layer of shop (the layers are exhaustive)"
    assert [str(location) for location in finding.locations] == ["shop/extra/__init__.py"]
    assert finding.fix == "add 'extra' to `layers` or to `exhaustive_ignores`"


def test_missing_layer_is_a_config_error_with_the_option_line_and_a_suggestion(kit):
    view = kit.view("shop.high -> shop.middle", "shop.middle -> shop.low")

    errors = kit.errors(Layers, view, containers=["shop"], layers=["high", "midle", "low"])

    assert errors == [
        "11: rule 'r': layers: no module 'shop.midle' (layer 'midle' in container 'shop'); "
        "write (midle) if it is optional; did you mean 'middle'?"
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"layers": ["a | b : c"]}, "layers[0]: 'a | b : c' mixes '|' and ':'; use one separator per line"),
        (
            {"layers": ["shop.*"]},
            "layers[0]: 'shop.*' is not a module name (wildcards are not allowed in layers)",
        ),
        ({"layers": ["a", "b | a"]}, "layers: 'a' is listed more than once"),
        ({"layers": ["---", "a"]}, "layers[0]: a '---' line must follow the layer it closes"),
        (
            {"layers": [{"name": "a", "closed": "yes"}]},
            "layers[0]: expected {name: <layer>, closed: true|false}",
        ),
        ({"layers": [3]}, "layers[0]: expected a layer name or {name: <layer>, closed: true}"),
        ({"layers": {"a": 1}}, "layers: expected a list of layers, top first"),
        ({"layers": ["a"], "exhaustive": True}, "exhaustive: only supported with `containers`"),
        (
            {"layers": ["a"], "exhustive": True},
            "unknown key 'exhustive' for rule type 'layers'; did you mean 'exhaustive'?",
        ),
    ],
)
def test_malformed_layers_are_config_errors(kit, options, message):
    view = kit.view("a -> b")

    errors = kit.errors(Layers, view, **options)

    assert [error.split(": ", 1)[1] for error in errors] == [f"rule 'r': {message}"]


def test_a_missing_container_is_a_config_error(kit):
    view = kit.view("shop.a -> shop.b")

    assert kit.errors(Layers, view, containers=["shp"], layers=["a", "b"]) == [
        "10: rule 'r': containers: no module 'shp'; did you mean 'shop'?"
    ]


def test_same_violations_as_import_linter_on_random_graphs(kit):
    """Differential check against grimp, whose find_illegal_dependencies_for_layers import-linter calls."""
    for seed in range(60):
        rnd = random.Random(seed)
        modules = [
            f"app.{c}.{t}{s}"
            for c in ("one", "two")
            for t in ("high", "mid", "blue", "green", "low", "x")
            for s in ("", ".m")
        ]
        edges = {tuple(rnd.sample(modules, 2)) for _ in range(rnd.randint(3, 40))}
        closed, independent = rnd.random() < 0.5, rnd.random() < 0.5
        graph = grimp.ImportGraph()
        for module in {".".join(m.split(".")[:end]) for m in modules for end in (1, 2, 3, 4)}:
            graph.add_module(module)
        for importer, imported in edges:
            graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import x")
        levels = [
            grimp.Layer("high"),
            grimp.Layer("mid", closed=closed),
            grimp.Layer("blue", "green", independent=independent),
            grimp.Layer("low"),
        ]
        expected = sorted(
            (dependency.importer, dependency.imported)
            for dependency in graph.find_illegal_dependencies_for_layers(
                layers=levels, containers={"app.one", "app.two"}
            )
        )
        view = kit.view(*(f"{a} -> {b}" for a, b in sorted(edges)), modules=tuple(modules))
        layers = [
            "high",
            {"name": "mid", "closed": closed},
            "blue | green" if independent else "blue : green",
            "low",
        ]

        findings = kit.run(Layers, view, containers=["app.one", "app.two"], layers=layers)

        assert kit.pairs(findings) == expected, seed

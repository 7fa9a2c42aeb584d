"""The violations of one importer are one finding (ADR 12): forbidden, independence and upward layers."""

from __future__ import annotations

from fitness.model import Finding, Severity
from fitness.model.findings import Part
from fitness.rules import baseline
from fitness.rules.forbidden import Forbidden
from fitness.rules.independence import Independence
from fitness.rules.layers import Layers

UTILS = (
    "shop.utils.money -> shop.orders.models",
    "shop.utils.dates -> shop.orders.api",
    "shop.utils.text -> shop.billing.invoice",
    "shop.orders.models -> shop.catalog.items",
)


def test_one_source_importing_three_modules_is_one_finding_with_its_parts(kit) -> None:
    view = kit.view(*UTILS)
    forbidden = ["shop.billing", "shop.catalog", "shop.orders"]
    (finding,) = kit.run(Forbidden, view, source_modules=["shop.utils"], forbidden_modules=forbidden)
    assert finding.message == (
        "shop.utils imports 2 forbidden modules and reaches 1 more: shop.orders (2 imports), "
        "shop.billing (1); through other modules: shop.catalog"
    )
    assert finding.subjects == ("shop.utils", *forbidden)
    assert [part.message for part in finding.parts] == [
        "shop.utils imports forbidden shop.billing",
        "shop.utils reaches forbidden shop.catalog",
        "shop.utils imports forbidden shop.orders",
    ]
    assert finding.data["targets"][0] == {"module": "shop.orders", "direct": 2, "routes": 2}
    assert "direct" not in finding.data
    assert finding.fix.startswith("cut the 3 imports out of shop.utils that lead to them (3 direct); first, ")
    assert [len(chain) for chain in finding.chains] == [1, 1, 1, 2]  # one per part at least, shortest first
    assert finding.routes_note == ""  # 4 routes (2 + 1 + 1), all shown
    assert kit.pairs([finding]) == [("shop.utils", name) for name in forbidden]


def test_a_source_with_one_forbidden_module_is_reported_as_before(kit) -> None:
    view = kit.view(*UTILS)
    (finding,) = kit.run(Forbidden, view, source_modules=["shop.utils"], forbidden_modules=["shop.billing"])
    assert finding.message == "shop.utils imports forbidden shop.billing"
    assert finding.subjects == ("shop.utils", "shop.billing")
    assert (finding.parts, finding.data) == ((), {})
    assert [part.subjects for part in finding.identities()] == [finding.subjects]
    assert finding.identities()[0].fingerprint == finding.fingerprint


def test_sources_are_folded_one_by_one(kit) -> None:
    view = kit.view(*UTILS, "shop.core.a -> shop.billing.invoice")
    findings = kit.run(
        Forbidden,
        view,
        source_modules=["shop.core", "shop.utils"],
        forbidden_modules=["shop.billing", "shop.orders"],
    )
    assert [finding.subjects for finding in findings] == [
        ("shop.core", "shop.billing"),
        ("shop.utils", "shop.billing", "shop.orders"),
    ]


def test_an_importer_of_several_independent_modules_is_one_finding(kit) -> None:
    view = kit.view("shop.gis.a -> shop.maps.b", "shop.gis.c -> shop.feeds.d", "shop.pages.a -> shop.maps.b")
    modules = ["shop.feeds", "shop.gis", "shop.maps", "shop.pages"]
    findings = kit.run(Independence, view, modules=modules)
    assert [finding.message for finding in findings] == [
        "shop.gis imports 2 modules it must be independent of: shop.feeds (1 import), shop.maps (1)",
        "shop.pages imports shop.maps; they must be independent",
    ]


def test_upward_layer_violations_fold_by_lower_layer_and_siblings_do_not(kit) -> None:
    view = kit.view(
        "shop.domain.a -> shop.api.b",
        "shop.domain.c -> shop.services.d",
        "shop.left.a -> shop.right.b",
    )
    layers = ["api", "services", "left | right", "domain"]
    findings = kit.run(Layers, view, containers=["shop"], layers=layers)
    assert [finding.message for finding in findings] == [
        "shop.domain imports 2 higher layers: shop.api (1 import), shop.services (1)",
        "shop.left imports its independent sibling shop.right",
    ]
    assert findings[0].data["kind"] == "upward" and "direct" not in findings[1].data


def test_the_fold_hashes_its_parts_and_round_trips_through_json(kit) -> None:
    view = kit.view(*UTILS)
    (finding,) = kit.run(
        Forbidden, view, source_modules=["shop.utils"], forbidden_modules=["shop.billing", "shop.orders"]
    )
    again = Finding.from_json(finding.to_json())
    assert again.parts == finding.parts
    assert again.fingerprint == finding.fingerprint
    assert again.routes_note == finding.routes_note


def fold_of(*parts: Part) -> Finding:
    imports = tuple(sorted({pair for part in parts for pair in part.imports}))
    subjects = ("u", *(part.subjects[1] for part in parts))
    return Finding("FIT102", "r", Severity.ERROR, "m", subjects, imports=imports, parts=parts)


def part(target: str, *imports: tuple[str, str]) -> Part:
    return Part("FIT102", "r", ("u", target), f"u imports forbidden {target}", imports)


def test_the_baseline_records_parts_and_names_the_part_a_new_import_is_new_in() -> None:
    known = baseline.from_document(
        baseline.to_document([fold_of(part("a", ("u.x", "a.y")), part("b", ("u.z", "b.y")))]), "b.json"
    )
    assert [
        entry["subjects"] for entry in baseline.to_document([fold_of(part("a"), part("b"))])["findings"]
    ] == [
        ["u", "a"],
        ["u", "b"],
    ]
    moved = fold_of(part("a", ("u.x", "a.y")), part("b", ("u.z", "b.y")))
    assert baseline.compare([moved], known) == ({moved.fingerprint: "unchanged"}, [])
    grown = fold_of(part("a", ("u.x", "a.y"), ("u.w", "a.y")), part("b", ("u.z", "b.y")))
    (marked,), states, _ = baseline.apply([grown], known)
    assert states == {grown.fingerprint: "new"}
    assert marked.data["new_imports"] == ["u.w -> a.y (to a)"]
    reached = fold_of(part("a", ("u.x", "a.y")), part("b", ("u.z", "b.y")), part("c", ("u.x", "a.y")))
    (marked,), states, _ = baseline.apply([reached], known)
    assert marked.data["new_imports"] == ["u.x -> a.y (to c)"]
    fixed = fold_of(part("a", ("u.x", "a.y")), part("c", ("u.q", "c.y")))
    _, states, stale = baseline.apply([fixed], known)
    assert [entry["subjects"] for entry in stale] == [["u", "b"]]


def test_a_new_import_leading_to_many_parts_names_the_one_it_imports_first() -> None:
    known = baseline.from_document(baseline.to_document([fold_of(part("a", ("u.x", "a.y")))]), "b.json")
    targets = ["b", "c", "d", "e"]
    grown = fold_of(part("a", ("u.x", "a.y")), *(part(t, ("u.w", "e.m")) for t in targets))
    (marked,), _, _ = baseline.apply([grown], known)
    assert marked.data["new_imports"] == ["u.w -> e.m (to e, b, c and 1 more)"]

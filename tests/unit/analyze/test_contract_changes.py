"""What each contract differ calls breaking, compatible, and where (in-memory revisions, no git)."""

from __future__ import annotations

import json

from fitness.analyze.contracts import compare_pair, contract_findings
from fitness.analyze.contracts.consumers import _key
from fitness.collect.contracts.files import parse_contract
from fitness.model import ArchGraph, EdgeKind, Evidence, NodeKind, Severity
from fitness.model.contracts import ContractPair


def changes(path: str, kind: str, before: str, after: str) -> list[tuple[str, str, int, bool]]:
    pair = ContractPair(path, kind, parse_contract(path, kind, before), parse_contract(path, kind, after))
    return [(c.kind, c.element, c.line, c.breaking) for c in compare_pair(pair)]


def breaking(found: list[tuple[str, str, int, bool]]) -> list[tuple[str, str, int]]:
    return [(kind, element, line) for kind, element, line, breaks in found if breaks]


PROTO = """\
syntax = "proto3";
package shop.v1;
message Item {
  string id = 1;
  string name = 2;
  int32 qty = 3;
  string note = 4;
}
enum Color { COLOR_UNSPECIFIED = 0; RED = 1; BLUE = 2; }
service Items { rpc Get (Item) returns (Item); }
"""


def test_protobuf_reserved_removal_is_compatible_and_reuse_is_not() -> None:
    after = PROTO.replace("  string name = 2;\n", '  reserved 2;\n  reserved "name";\n')
    assert changes("a.proto", "protobuf", PROTO, after) == [("removed-field", "shop.v1.Item.name", 5, False)]
    reused = PROTO.replace("string name = 2;", "int64 price = 2;")
    assert breaking(changes("a.proto", "protobuf", PROTO, reused)) == [
        ("reused-field-number", "shop.v1.Item.price", 5)
    ]
    moved = PROTO.replace("int32 qty = 3;", "int32 qty = 5;")
    assert breaking(changes("a.proto", "protobuf", PROTO, moved)) == [
        ("changed-field-number", "shop.v1.Item.qty", 6)
    ]


def test_protobuf_labels_enums_and_rpcs() -> None:
    after = (
        PROTO.replace("int32 qty = 3;", "repeated int32 qty = 3;")
        .replace(" BLUE = 2;", "")
        .replace("rpc Get (Item) returns (Item);", "rpc Get (Item) returns (stream Item);")
    )
    assert breaking(changes("a.proto", "protobuf", PROTO, after)) == [
        ("removed-value-not-reserved", "shop.v1.Color.BLUE", 9),
        ("field-type-changed", "shop.v1.Item.qty", 6),
        ("changed-rpc", "Items.Get", 10),
    ]


def test_a_package_rename_is_reported_once_not_for_every_type() -> None:
    after = PROTO.replace("package shop.v1;", "package shop.v2;")
    assert changes("a.proto", "protobuf", PROTO, after) == [("renamed-package", "shop.v2", 2, True)]


OPENAPI = {
    "swagger": "2.0",
    "paths": {
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
            "get": {
                "parameters": [{"name": "fields", "in": "query", "type": "string"}],
                "responses": {"200": {"schema": {"$ref": "#/definitions/Item"}}, "404": {}},
            },
            "put": {
                "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Item"}}],
                "responses": {"204": {}},
            },
        }
    },
    "definitions": {
        "Item": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
            },
        },
        "Tag": {"type": "object", "properties": {"label": {"type": "string"}}},
    },
}


def test_swagger_2_body_parameters_refs_and_renamed_path_templates() -> None:
    after = json.loads(json.dumps(OPENAPI))
    item = after["paths"].pop("/items/{id}")
    after["paths"]["/items/{itemId}"] = item  # the same path
    item["get"]["parameters"][0]["required"] = True
    item["get"]["parameters"][0]["type"] = "integer"
    after["definitions"]["Tag"]["properties"] = {"name": {"type": "string"}}
    after["definitions"]["Item"]["required"] = ["id", "tags"]
    del item["get"]["responses"]["404"]
    before_text, after_text = json.dumps(OPENAPI, indent=1), json.dumps(after, indent=1)
    found = changes("api.json", "openapi", before_text, after_text)
    assert [(kind, element, breaks) for kind, element, _line, breaks in found] == [
        ("new-required-parameter", "GET /items/{itemId}", True),
        ("parameter-type-changed", "GET /items/{itemId}", True),
        ("new-required-response-field", "GET /items/{itemId} response 200: tags", False),  # clients get more
        ("removed-response-field", "GET /items/{itemId} response 200: tags[].label", True),
        ("added-response-field", "GET /items/{itemId} response 200: tags[].name", False),
        ("new-required-request-field", "PUT /items/{itemId} request: tags", True),
        ("removed-request-field", "PUT /items/{itemId} request: tags[].label", False),
        ("added-request-field", "PUT /items/{itemId} request: tags[].name", False),
    ]


def test_a_ref_cycle_ends() -> None:
    node = {
        "type": "object",
        "properties": {"child": {"$ref": "#/definitions/Node"}, "v": {"type": "string"}},
    }
    before = {
        "swagger": "2.0",
        "paths": {"/n": {"get": {"responses": {"200": {"schema": {"$ref": "#/definitions/Node"}}}}}},
        "definitions": {"Node": node},
    }
    after = json.loads(json.dumps(before))
    after["definitions"]["Node"]["properties"]["v"]["type"] = "integer"
    found = changes("n.json", "openapi", json.dumps(before), json.dumps(after))
    assert [(kind, element) for kind, element, _line, _breaks in found] == [
        ("response-field-type-changed", "GET /n response 200: v")
    ]


AVRO = {
    "type": "record",
    "name": "OrderPlaced",
    "namespace": "shop",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
        {"name": "note", "type": ["null", "string"], "default": None},
        {"name": "price", "type": "float"},
    ],
}


def test_avro_defaults_promotions_unions_enums_and_renames() -> None:
    after = json.loads(json.dumps(AVRO))
    after["name"] = "OrderCreated"
    after["fields"][1]["type"]["symbols"] = ["A"]
    after["fields"][2]["type"] = "string"
    after["fields"][3]["type"] = "double"
    after["fields"].append({"name": "coupon", "type": ["null", "string"], "default": None})
    found = changes("e.avsc", "avro", json.dumps(AVRO, indent=1), json.dumps(after, indent=1))
    assert [(kind, element, breaks) for kind, element, _line, breaks in found] == [
        ("renamed-record", "shop.OrderCreated", True),
        ("removed-enum-symbol", "kind", True),
        ("narrowed-union", "note", True),
        ("type-promoted", "price", False),
        ("added-field", "coupon", False),
    ]
    aliased = json.loads(json.dumps(after))
    aliased["aliases"] = ["shop.OrderPlaced"]
    assert "renamed-record" not in {
        c[0] for c in changes("e.avsc", "avro", json.dumps(AVRO), json.dumps(aliased))
    }


def test_json_schema_nested_required_and_types() -> None:
    before = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"a": {"type": "object", "properties": {"b": {"type": "integer"}}}},
        "$defs": {},
    }
    after = json.loads(json.dumps(before))
    after["properties"]["a"]["properties"]["b"]["type"] = ["integer", "null"]
    after["properties"]["a"]["required"] = ["c"]
    after["properties"]["a"]["properties"]["c"] = {"type": "string"}
    found = changes("s.json", "json-schema", json.dumps(before, indent=1), json.dumps(after, indent=1))
    assert [(kind, element, breaks) for kind, element, _line, breaks in found] == [
        ("property-type-changed", "a.b", True),
        ("new-required-property", "a.c", True),
    ]


def test_findings_name_consumers_from_the_graph_and_say_when_unknown() -> None:
    graph = ArchGraph()
    graph.add_node(NodeKind.SERVICE, "orders", {"folders": ["orders"], "role": "service"})
    graph.add_node(NodeKind.SERVICE, "shipping", {"folders": ["shipping"], "role": "service"})
    topic = graph.add_node(NodeKind.TOPIC, "orders.placed")
    graph.add_edge("service:shipping", topic, EdgeKind.SUBSCRIBES, [Evidence("shipping/app.py", 3)])
    for path, note in [
        (
            "orders/events/order-placed.avsc",
            "consumers: shipping (subscribes to orders.placed, shipping/app.py:3)",
        ),
        ("elsewhere/x.avsc", "consumers: shipping (subscribes to orders.placed, shipping/app.py:3)"),
        ("elsewhere/unrelated.avsc", "consumers unknown"),
    ]:
        data = {**AVRO, "name": "Unrelated"} if "unrelated" in path else AVRO
        base = json.dumps(data)
        head = json.dumps({**data, "fields": data["fields"][:3]})
        pair = ContractPair(
            path, "avro", parse_contract(path, "avro", base), parse_contract(path, "avro", head)
        )
        (finding,) = contract_findings([(pair, change) for change in compare_pair(pair)], graph, "HEAD~1")
        assert finding.severity is Severity.ERROR and finding.code == "FIT403"
        assert finding.message.endswith(note), finding.message
    assert _key("orders.placed") == _key("OrderPlacedEvent") == _key("order-placed-v1") == "orderplaced"

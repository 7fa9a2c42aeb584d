"""The contract readers: the protobuf parser, JSON key lines, and telling contracts from other files."""

from __future__ import annotations

import pytest

from fitness.collect.contracts.files import candidate, kind_of
from fitness.collect.contracts.json_lines import json_lines
from fitness.collect.contracts.protobuf import MAX_NUMBER, parse_proto
from fitness.model import FitnessError
from fitness.model.contracts import ProtoField, ProtoReserved, ProtoRpc

PROTO = """\
syntax = "proto3";
package orders.v1;  // the package
import "google/protobuf/timestamp.proto";
option go_package = "example.com/orders;orders";

/* a service
   over two lines */
service OrderService {
  option (svc) = { a: 1 };
  rpc Get (GetRequest) returns (Order);
  rpc Watch (stream GetRequest) returns (stream Order) { option deadline = 5; }
}

message GetRequest { string id = 1; }

message Order {
  reserved 4, 9 to 11, 100 to max;
  reserved "old", "older";
  string id = 1 [json_name = "ID"];
  repeated Line lines = 2;
  map<string, int32> counts = 3;
  oneof payment {
    string card = 5;
    .orders.v1.Iban iban = 6;
  }
  message Line {
    optional string sku = 1;
    enum Kind { KIND_UNSPECIFIED = 0; GOOD = 1 [deprecated = true]; reserved 2; }
  }
}
"""


def test_the_parser_reads_packages_messages_fields_reserved_and_services() -> None:
    proto = parse_proto(PROTO, "orders.proto")
    assert (proto.package, proto.package_line, proto.syntax) == ("orders.v1", 2, "proto3")
    types = {t.name: t for t in proto.types}
    assert sorted(types) == [
        "orders.v1.GetRequest",
        "orders.v1.Order",
        "orders.v1.Order.Line",
        "orders.v1.Order.Line.Kind",
    ]
    order = types["orders.v1.Order"]
    assert order.line == 16
    assert order.fields == (
        ProtoField("id", 1, 19, "string"),
        ProtoField("lines", 2, 20, "Line", "repeated"),
        ProtoField("counts", 3, 21, "map<string,int32>"),
        ProtoField("card", 5, 23, "string", "", "payment"),
        ProtoField("iban", 6, 24, ".orders.v1.Iban", "", "payment"),
    )
    assert order.reserved == ProtoReserved(((4, 4), (9, 11), (100, MAX_NUMBER)), frozenset({"old", "older"}))
    assert order.reserved.has_number(10) and not order.reserved.has_number(12)
    kind = types["orders.v1.Order.Line.Kind"]
    assert (kind.kind, [v.name for v in kind.fields], kind.reserved.ranges) == (
        "enum",
        ["KIND_UNSPECIFIED", "GOOD"],
        ((2, 2),),
    )
    assert types["orders.v1.Order.Line"].fields == (ProtoField("sku", 1, 27, "string", "optional"),)
    (service,) = proto.services
    assert (service.name, service.line) == ("OrderService", 8)
    assert service.rpcs == (
        ProtoRpc("Get", "GetRequest", "Order", 10),
        ProtoRpc("Watch", "GetRequest", "Order", 11, True, True),
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('syntax = "proto3";\nmessage A {\n  string = 1;\n}\n', 3, "expected a name, got '='"),
        ("message A {\n  string a = x;\n}\n", 2, "expected a number, got 'x'"),
        ("message A {\n  string a = 1;\n", 2, "unexpected end of file"),
        ("message A { string a = 1; }\n}\n", 2, "unexpected '}'"),
        ("message A { string a = 1 # }\n", 1, "unexpected '#'"),
    ],
)
def test_a_proto_it_cannot_follow_is_one_line_with_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(FitnessError) as raised:
        parse_proto(text, "a.proto")
    assert (raised.value.path, raised.value.line) == ("a.proto", line)
    assert message in str(raised.value)


def test_json_lines_of_every_key_and_item() -> None:
    text = '{\n  "name": "A",\n  "fields": [\n    {"name": "id",\n     "type": "string"},\n    {"name": "b\\u00e9"}\n  ]\n}\n'
    lines = json_lines(text)
    assert lines[()] == 1
    assert lines[("name",)] == 2
    assert lines[("fields",)] == 3
    assert lines[("fields", 0)] == 4 and lines[("fields", 0, "type")] == 5
    assert lines[("fields", 1, "name")] == 6


@pytest.mark.parametrize(
    ("path", "text", "kind"),
    [
        ("api/openapi.yaml", "openapi: 3.0.0\npaths: {}\n", "openapi"),
        ("api/swagger.json", '{"swagger": "2.0", "paths": {}}', "openapi"),
        ("a.proto", "", "protobuf"),
        ("e/order.avsc", "{}", "avro"),
        ("s/order.json", '{"$schema": "https://json-schema.org/draft/2020-12/schema"}', "json-schema"),
        ("tsconfig.json", '{"$schema": "https://json.schemastore.org/tsconfig"}', None),
        ("k8s/deploy.yaml", "apiVersion: v1\nkind: Service\n", None),
        ("chart/values.yaml", "image: {openapi: 1}\n", None),
    ],
)
def test_what_is_a_contract(path: str, text: str, kind: str | None) -> None:
    assert kind_of(path, text) == kind


def test_skipped_folders_hold_no_contracts() -> None:
    assert candidate("api/openapi.yaml") and candidate("orders/proto/orders.proto")
    assert not candidate("tests/fixtures/openapi.yaml")
    assert not candidate("node_modules/x/a.proto")
    assert not candidate(".github/openapi.yaml")
    assert not candidate("README.md")

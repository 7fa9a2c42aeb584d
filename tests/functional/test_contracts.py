"""``fitness contracts`` on real git repositories: v1 of each contract committed, v2 changed, the CLI run."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.functional.conftest import REPO, run_fitness
from tests.git_helpers import commit_all, git, init_repo

SARIF_SCHEMA = json.loads((REPO / "tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

PROTO_V1 = """\
syntax = "proto3";
package orders.v1;

service OrderService {
  rpc GetOrder (GetOrderRequest) returns (Order);
  rpc ListOrders (GetOrderRequest) returns (stream Order);
}

message GetOrderRequest { string id = 1; }

message Order {
  reserved 9;
  string id = 1;
  string email = 2;
  int64 total_cents = 3;
  string note = 4;
}
"""
PROTO_V2 = """\
syntax = "proto3";
package orders.v1;

service OrderService {
  rpc GetOrder (GetOrderRequest) returns (Order);
}

message GetOrderRequest { string id = 1; }

message Order {
  reserved 9;
  string id = 1;
  string total_cents = 3;
  string note = 4;
  bool gift = 9;
  string channel = 10;
}
"""
OPENAPI_V1 = """\
openapi: 3.0.3
info: {title: orders, version: "1"}
paths:
  /orders/{id}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
    delete:
      responses:
        "204": {description: gone}
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                sku: {type: string}
      responses:
        "201": {description: created}
components:
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
        email: {type: string}
"""
OPENAPI_V2 = (
    OPENAPI_V1.replace('    delete:\n      responses:\n        "204": {description: gone}\n', "")
    .replace(
        "                sku: {type: string}\n",
        "                sku: {type: string}\n                warehouse: {type: string}\n",
    )
    .replace(
        "              type: object\n              properties:\n",
        "              type: object\n              required: [warehouse]\n              properties:\n",
    )
    .replace("        email: {type: string}\n", "")
    .replace(
        "  /orders:\n",
        '  /health:\n    get:\n      responses:\n        "200": {description: ok}\n  /orders:\n',
    )
)
AVRO_V1 = json.dumps(
    {
        "type": "record",
        "name": "OrderPlaced",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "total", "type": "int"},
            {"name": "channel", "type": "string"},
        ],
    },
    indent=2,
)
AVRO_V2 = json.dumps(
    {
        "type": "record",
        "name": "OrderPlaced",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "total", "type": "long"},
            {"name": "region", "type": "string"},
        ],
    },
    indent=2,
)
SCHEMA_V1 = json.dumps(
    {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "PaymentCaptured",
        "type": "object",
        "properties": {"id": {"type": "string"}, "amount": {"type": "number"}},
    },
    indent=2,
)
SCHEMA_V2 = json.dumps(
    {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "PaymentCaptured",
        "type": "object",
        "required": ["currency"],
        "properties": {
            "id": {"type": "string"},
            "amount": {"type": "string"},
            "currency": {"type": "string"},
        },
    },
    indent=2,
)
V1 = {
    "proto/orders.proto": PROTO_V1,
    "api/openapi.yaml": OPENAPI_V1,
    "events/order-placed.avsc": AVRO_V1,
    "schemas/payment.schema.json": SCHEMA_V1,
    "tests/fixtures/openapi.yaml": OPENAPI_V1,  # a skipped folder: never compared
}
V2 = {
    "proto/orders.proto": PROTO_V2,
    "api/openapi.yaml": OPENAPI_V2,
    "events/order-placed.avsc": AVRO_V2,
    "schemas/payment.schema.json": SCHEMA_V2,
    "tests/fixtures/openapi.yaml": "openapi: 3.0.3\npaths: {}\n",
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def two_revisions(root: Path, before: dict[str, str], after: dict[str, str]) -> Path:
    init_repo(root)
    write(root, before)
    commit_all(root, "v1")
    write(root, after)
    commit_all(root, "v2")
    return root


def findings(result_stdout: str) -> list[tuple[str, str, str, str]]:
    document = json.loads(result_stdout)
    return [
        (f["code"], f["rule"], f"{f['locations'][0]['path']}:{f['locations'][0]['line']}", f["severity"])
        for f in document["findings"]
    ]


def test_breaking_changes_of_every_kind_exit_1_on_their_lines(tmp_path: Path) -> None:
    repo = two_revisions(tmp_path / "repo", V1, V2)
    result = run_fitness("contracts", ".", "--base", "HEAD~1", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert findings(result.stdout) == [
        ("FIT401", "removed-operation", "api/openapi.yaml:12", "error"),
        ("FIT401", "new-required-request-field", "api/openapi.yaml:26", "error"),
        ("FIT401", "removed-response-field", "api/openapi.yaml:32", "error"),
        ("FIT403", "added-field-without-default", "events/order-placed.avsc:14", "error"),
        ("FIT403", "removed-field-without-default", "events/order-placed.avsc:14", "error"),
        ("FIT402", "removed-rpc", "proto/orders.proto:6", "error"),
        ("FIT402", "field-type-changed", "proto/orders.proto:13", "error"),
        ("FIT402", "removed-field-not-reserved", "proto/orders.proto:14", "error"),
        ("FIT402", "reused-reserved-number", "proto/orders.proto:15", "error"),
        ("FIT404", "property-type-changed", "schemas/payment.schema.json:13", "error"),
        ("FIT404", "new-required-property", "schemas/payment.schema.json:15", "error"),
        ("FIT405", "added-path", "api/openapi.yaml:12", "info"),
        ("FIT405", "type-promoted", "events/order-placed.avsc:11", "info"),
        ("FIT405", "added-field", "proto/orders.proto:16", "info"),
    ]
    document = json.loads(result.stdout)
    assert document["compared"] == [
        "api/openapi.yaml",
        "events/order-placed.avsc",
        "proto/orders.proto",
        "schemas/payment.schema.json",
    ]
    assert document["base"]["revision"] == "HEAD~1" and document["breaking"] == 11 and not document["passed"]
    removed = next(f for f in document["findings"] if f["rule"] == "removed-field-not-reserved")
    assert removed["message"] == (
        "field email = 2 of orders.v1.Order removed without reserving its number; consumers unknown"
    )
    assert removed["data"]["line_in"] == "base"  # line 14 of v1, where the field was
    text = run_fitness("contracts", ".", "--base", "HEAD~1", cwd=repo)
    assert text.returncode == 1
    assert "proto/orders.proto:14 (base): FIT402 error [removed-field-not-reserved]" in text.stdout
    assert "    fix: put the number (and the name) in `reserved`" in text.stdout
    assert text.stdout.endswith(": FAILED, 11 breaking changes, 3 compatible\n")


def test_sarif_is_valid_and_each_result_is_on_the_contract_line(tmp_path: Path) -> None:
    repo = two_revisions(tmp_path / "repo", V1, V2)
    result = run_fitness("contracts", "--base", "HEAD~1", "--format", "sarif", cwd=repo)
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    places = {
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
    }
    assert ("FIT402/removed-field-not-reserved", "error", "proto/orders.proto", 14) in places
    assert ("FIT405/added-path", "note", "api/openapi.yaml", 12) in places
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "fitness explain FIT402" in rules["FIT402/removed-field-not-reserved"]["help"]["text"]


def test_compatible_changes_pass_and_are_listed(tmp_path: Path) -> None:
    after = {
        "proto/orders.proto": PROTO_V1.replace(
            "  string note = 4;\n", "  string note = 4;\n  string channel = 10;\n"
        )
    }
    repo = two_revisions(tmp_path / "repo", {"proto/orders.proto": PROTO_V1}, after)
    result = run_fitness("contracts", ".", "--base", "HEAD~1", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "proto/orders.proto:17: FIT405 info [added-field] field channel = 10 added to orders.v1.Order"
    )
    assert result.stdout.splitlines()[-1].endswith(": passed, 0 breaking changes, 1 compatible")
    same = run_fitness("contracts", ".", "--base", "HEAD", cwd=repo)
    assert same.returncode == 0
    assert (
        same.stdout
        == f"contracts: 0 changed files compared with HEAD ({git(repo, 'rev-parse', 'HEAD')[:12]}), 1 unchanged: passed, 0 breaking changes, 0 compatible\n"
    )


def test_default_base_is_the_merge_base_with_main_and_the_working_tree_is_the_new_side(
    tmp_path: Path,
) -> None:
    repo = init_repo(tmp_path / "repo")
    write(repo, {"proto/orders.proto": PROTO_V1})
    commit_all(repo, "v1")
    git(repo, "checkout", "--quiet", "-b", "feature")
    write(repo, {"README.md": "unrelated\n"})
    commit_all(repo, "docs")
    write(repo, {"proto/orders.proto": PROTO_V1.replace("  string email = 2;\n", "")})  # not committed
    result = run_fitness("contracts", "--format", "json", cwd=repo)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["base"]["revision"] == "merge base of main and HEAD"
    assert document["base"]["commit"] == git(repo, "rev-parse", "main").strip()
    assert [f["rule"] for f in document["findings"]] == ["removed-field-not-reserved"]
    # on main itself the merge base is HEAD: the base is HEAD~1 (here: the first commit, one change)
    git(repo, "checkout", "--quiet", "-f", "main")
    write(repo, {"proto/orders.proto": PROTO_V2})
    commit_all(repo, "v2")
    on_main = run_fitness("contracts", "--format", "json", cwd=repo)
    assert json.loads(on_main.stdout)["base"]["revision"] == "HEAD~1" and on_main.returncode == 1


def test_a_subfolder_and_a_deleted_contract(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write(repo, {"services/orders/api.yaml": OPENAPI_V1, "services/orders/old.proto": PROTO_V1})
    commit_all(repo, "v1")
    (repo / "services/orders/old.proto").unlink()
    commit_all(repo, "v2: old.proto deleted")
    result = run_fitness("contracts", "services/orders", "--base", "HEAD~1", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert findings(result.stdout) == [("FIT402", "removed-contract", "old.proto:1", "error")]
    sarif = run_fitness("contracts", "services/orders", "--base", "HEAD~1", "--format", "sarif", cwd=repo)
    location = json.loads(sarif.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "services/orders/old.proto"


ORDERS_SYSTEM = {
    "docker-compose.yml": (
        "services:\n  kafka:\n    image: apache/kafka:3.7\n  orders:\n    build: ./orders\n"
        "  billing:\n    build: ./billing\n    environment: [ORDERS_ADDR=orders:50051]\n"
        "  web:\n    build: ./web\n    environment: [ORDERS_URL=http://orders:8080]\n"
        "  shipping:\n    build: ./shipping\n"
    ),
    "orders/Dockerfile": "FROM python:3.12\n",
    "billing/Dockerfile": "FROM python:3.12\n",
    "web/Dockerfile": "FROM python:3.12\n",
    "shipping/Dockerfile": "FROM python:3.12\n",
    "orders/server.py": (
        "import orders_pb2_grpc\n\n\ndef serve(server, servicer):\n"
        "    orders_pb2_grpc.add_OrderServiceServicer_to_server(servicer, server)\n\n\n"
        "def placed(producer, order):\n    producer.send('order-placed', order)\n"
    ),
    "billing/client.py": (
        "import os\nimport grpc\nimport orders_pb2_grpc\n\n"
        "channel = grpc.insecure_channel(os.environ['ORDERS_ADDR'])\n"
        "stub = orders_pb2_grpc.OrderServiceStub(channel)\n"
    ),
    "web/app.py": (
        "import os\nimport requests\n\n\ndef order(order_id):\n"
        "    return requests.get(os.environ['ORDERS_URL'] + '/orders/' + order_id, timeout=2)\n"
    ),
    "shipping/consumer.py": "from kafka import KafkaConsumer\n\nconsumer = KafkaConsumer('order-placed')\n",
}


def test_the_consumers_of_a_broken_contract_are_named(tmp_path: Path) -> None:
    before = {
        **ORDERS_SYSTEM,
        "orders/proto/orders.proto": PROTO_V1,
        "orders/api/openapi.yaml": OPENAPI_V1,
        "orders/events/order-placed.avsc": AVRO_V1,
    }
    after = {
        "orders/proto/orders.proto": PROTO_V1.replace("  string email = 2;\n", ""),
        "orders/api/openapi.yaml": OPENAPI_V1.replace("        email: {type: string}\n", ""),
        "orders/events/order-placed.avsc": AVRO_V2,
    }
    repo = two_revisions(tmp_path / "repo", before, after)
    result = run_fitness("contracts", ".", "--base", "HEAD~1", "--no-cache", cwd=repo)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if " error " in line]
    assert lines == [
        "orders/api/openapi.yaml:32 (base): FIT401 error [removed-response-field] GET /orders/{id} response 200: "
        "field email removed; consumers: web (calls orders over http, web/app.py:6)",
        "orders/events/order-placed.avsc:14: FIT403 error [added-field-without-default] field region added without "
        "a default: records written before cannot be read; consumers: shipping (subscribes to order-placed, "
        "shipping/consumer.py:3)",
        "orders/events/order-placed.avsc:14 (base): FIT403 error [removed-field-without-default] field channel "
        "removed, and it had no default: readers on the old schema need it; consumers: shipping (subscribes to "
        "order-placed, shipping/consumer.py:3)",
        "orders/proto/orders.proto:14 (base): FIT402 error [removed-field-not-reserved] field email = 2 of "
        "orders.v1.Order removed without reserving its number; consumers: billing (calls orders over grpc, "
        "billing/client.py:5)",
    ]
    data = json.loads(run_fitness("contracts", "--base", "HEAD~1", "-f", "json", cwd=repo).stdout)
    proto = next(f for f in data["findings"] if f["code"] == "FIT402")
    assert proto["data"]["owner"] == "orders"
    assert proto["data"]["consumers"] == [
        {"service": "billing", "via": "calls orders over grpc", "at": "billing/client.py:5"}
    ]


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    not_git = run_fitness("contracts", str(plain))
    assert (not_git.returncode, not_git.stderr) == (2, f"error: {plain} is not in a git repository\n")
    repo = two_revisions(tmp_path / "repo", {"a.proto": PROTO_V1}, {"a.proto": PROTO_V2})
    unknown = run_fitness("contracts", "--base", "nope", cwd=repo)
    assert (unknown.returncode, unknown.stderr) == (2, "error: --base: unknown git revision 'nope'\n")
    (repo / "a.proto").write_text("message A {\n  string = 1;\n}\n")
    broken = run_fitness("contracts", "--base", "HEAD~1", cwd=repo)
    assert (broken.returncode, broken.stderr) == (
        2,
        "error: a.proto:2: cannot parse protobuf: expected a name, got '='\n",
    )
    assert run_fitness("contracts", "--format", "xml", cwd=repo).returncode == 2
    first = init_repo(tmp_path / "first")
    write(first, {"a.proto": PROTO_V1})
    commit_all(first, "only")
    alone = run_fitness("contracts", cwd=first)
    assert alone.returncode == 2
    assert alone.stderr == "error: no base revision: HEAD has no parent commit; pass --base REV\n"


def test_readme_contracts_command(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "fitness contracts . --base HEAD~1 --format sarif -o contracts.sarif"
    assert command in readme
    repo = two_revisions(
        tmp_path / "repo", {"api/openapi.yaml": OPENAPI_V1}, {"api/openapi.yaml": OPENAPI_V2}
    )
    result = run_fitness(*command.split()[1:], cwd=repo)
    assert result.returncode == 1
    warning, summary = result.stderr.splitlines()
    assert warning.startswith("warning: consumers unknown, the analysis failed: ")  # no code, no services
    assert summary.startswith("contracts: 1 changed file compared with HEAD~1")
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads((repo / "contracts.sarif").read_text()))
    for code in ("FIT401", "FIT402", "FIT403", "FIT404", "FIT405"):
        explained = run_fitness("explain", code)
        assert explained.returncode == 0 and "Example:" in explained.stdout and "Fix:" in explained.stdout

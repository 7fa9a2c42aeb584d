"""The compose collector on real compose files: env forms, env_file, links, known images, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.collect.manifests.compose import classify_image, find_compose_files, scan_compose
from fitness.model import Evidence
from fitness.model.facts import DeployedService, EnvVar, ManifestScan
from tests.conftest import WriteTree


def service(result: ManifestScan, name: str) -> DeployedService:
    return next(s for s in result.services if s.name == name)


def env_of(svc: DeployedService) -> dict[str, str]:
    return {var.name: var.value for var in svc.env}


def test_environment_in_map_and_list_form_with_lines(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "docker-compose.yml": (
                "services:\n"  # 1
                "  orders:\n"  # 2
                "    build: ./services/orders\n"  # 3
                "    environment:\n"  # 4
                "      DATABASE_URL: postgresql://shop:s3cret@orders-db:5432/orders\n"  # 5
                "      PORT: 8080\n"  # 6
                "      DEBUG: true\n"  # 7
                "      RATIO: 0.5\n"  # 8
                "      EMPTY:\n"  # 9
                "      ZIP: 0800\n"  # 10
                "  payments:\n"  # 11
                "    image: shop/payments:1.0\n"  # 12
                "    environment:\n"  # 13
                "      - INVENTORY_URL=http://inventory:8000\n"  # 14
                "      - FROM_SHELL\n"  # 15
                "      - EQUALS=a=b\n"  # 16
            ),
        }
    )
    result = scan_compose(root)
    orders = service(result, "orders")
    assert env_of(orders) == {
        "DATABASE_URL": "postgresql://shop:s3cret@orders-db:5432/orders",
        "PORT": "8080",
        "DEBUG": "true",
        "RATIO": "0.5",
        "EMPTY": "",
        "ZIP": "0800",
    }
    assert [var.evidence.line for var in orders.env] == [5, 6, 7, 8, 9, 10]
    assert orders.env[0].evidence == Evidence(
        "docker-compose.yml", 5, "DATABASE_URL=postgresql://***@orders-db:5432/orders", "manifest"
    )
    assert orders.evidence == Evidence("docker-compose.yml", 2, "orders: build services/orders", "manifest")
    assert orders.build == "services/orders"
    assert orders.source == "compose"
    payments = service(result, "payments")
    assert payments.image == "shop/payments:1.0"
    assert payments.env == (
        EnvVar(
            "INVENTORY_URL",
            "http://inventory:8000",
            Evidence("docker-compose.yml", 14, "INVENTORY_URL=http://inventory:8000", "manifest"),
        ),
        EnvVar("FROM_SHELL", "", Evidence("docker-compose.yml", 15, "FROM_SHELL=", "manifest")),
        EnvVar("EQUALS", "a=b", Evidence("docker-compose.yml", 16, "EQUALS=a=b", "manifest")),
    )
    assert result.warnings == []


def test_env_file_string_and_list_relative_to_the_compose_file(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "deploy/docker-compose.yml": (
                "services:\n"
                "  orders:\n"
                "    image: orders\n"
                "    env_file: orders.env\n"
                "    environment:\n"
                "      LOG_LEVEL: debug\n"
                "  payments:\n"
                "    image: payments\n"
                "    env_file:\n"
                "      - ../config/common.env\n"
                "      - path: missing.env\n"
                "        required: false\n"
            ),
            "deploy/orders.env": "# orders\nDB_HOST=orders-db\nexport DB_PASSWORD='p#ss'\nDB_NAME=orders # inline\n",
            "config/common.env": 'KAFKA_BROKERS="kafka:9092"\n',
        }
    )
    result = scan_compose(root)
    orders = service(result, "orders")
    assert [(v.name, v.value, v.evidence.path, v.evidence.line, v.evidence.how) for v in orders.env] == [
        ("DB_HOST", "orders-db", "deploy/orders.env", 2, "env-file"),
        ("DB_PASSWORD", "p#ss", "deploy/orders.env", 3, "env-file"),
        ("DB_NAME", "orders", "deploy/orders.env", 4, "env-file"),
        ("LOG_LEVEL", "debug", "deploy/docker-compose.yml", 6, "manifest"),
    ]
    assert orders.env[1].evidence.text == "DB_PASSWORD=***"
    payments = service(result, "payments")
    assert env_of(payments) == {"KAFKA_BROKERS": "kafka:9092"}
    assert payments.env[0].evidence.path == "config/common.env"
    assert result.warnings == ["deploy/docker-compose.yml:9: env_file missing.env not found"]


def test_depends_on_both_forms_links_and_aliases(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "compose.yaml": (
                "services:\n"
                "  web:\n"
                "    build: {context: ., dockerfile: services/web/Dockerfile}\n"
                "    depends_on: [api, cache]\n"
                "    links:\n"
                "      - api:backend\n"
                "      - cache\n"
                "  api:\n"
                "    build:\n"
                "      context: ./api\n"
                "    container_name: shop-api\n"
                "    hostname: api-host\n"
                "    networks:\n"
                "      front:\n"
                "        aliases: [api.internal]\n"
                "      back:\n"
                "    depends_on:\n"
                "      cache:\n"
                "        condition: service_healthy\n"
                "    ports: ['8080:80', '127.0.0.1:9090:9000/tcp', 7000, {target: 6000, published: 6001}]\n"
                "    expose: ['5000']\n"
                "  cache:\n"
                "    image: redis:7-alpine\n"
                "    networks: [back]\n"
                "networks: {front: {}, back: {}}\n"
            ),
        }
    )
    result = scan_compose(root)
    web, api = service(result, "web"), service(result, "api")
    assert web.depends_on == ("api", "cache")
    assert web.links == ("api", "cache")
    assert web.build == "services/web"  # the Dockerfile's folder, not the context "."
    assert api.depends_on == ("cache",)
    assert api.build == "api"
    assert api.aliases == ("shop-api", "api-host", "api.internal", "backend")
    assert api.ports == (80, 9000, 7000, 6000, 5000)
    assert [d.name for d in result.datastores] == ["cache"]


def test_known_images_become_datastores_with_their_databases(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "docker-compose.yml": (
                "services:\n"
                "  orders-db:\n"
                "    image: postgres:16\n"
                "    container_name: orders-postgres\n"
                "    environment:\n"
                "      POSTGRES_DB: orders\n"
                "      POSTGRES_PASSWORD: secret\n"
                "  shared-pg:\n"
                "    image: docker.io/bitnami/postgresql:16\n"
                "    environment: [POSTGRES_USER=shop]\n"
                "    volumes:\n"
                "      - ./db/init:/docker-entrypoint-initdb.d\n"
                "      - pgdata:/var/lib/postgresql/data\n"
                "  mysql:\n"
                "    image: mysql:8\n"
                "    environment: {MYSQL_DATABASE: catalog}\n"
                "  sql:\n"
                "    image: mcr.microsoft.com/mssql/server:2022-latest\n"
                "  kafka:\n"
                "    image: confluentinc/cp-kafka:7.6.0\n"
                "  zookeeper:\n"
                "    image: confluentinc/cp-zookeeper:7.6.0\n"
                "  mq:\n"
                "    image: rabbitmq:3-management\n"
                "  custom-db:\n"
                "    build: ./db/custom\n"
                "  orders:\n"
                "    image: shop/orders\n"
            ),
            "db/init/01.sql": 'CREATE DATABASE inventory;\ncreate database if not exists "payments";\n',
            "db/init/02.sh": "psql -c 'CREATE DATABASE audit'\n",
            "db/custom/Dockerfile": "FROM alpine AS tools\nFROM postgres:15-alpine AS final\nCOPY x /x\n",
        }
    )
    result = scan_compose(root)
    assert [s.name for s in result.services] == ["orders"]
    stores = {d.name: d for d in result.datastores}
    assert {name: (d.kind, d.role) for name, d in stores.items()} == {
        "orders-db": ("postgres", "database"),
        "shared-pg": ("postgres", "database"),
        "mysql": ("mysql", "database"),
        "sql": ("sqlserver", "database"),
        "kafka": ("kafka", "broker"),
        "zookeeper": ("zookeeper", "infra"),
        "mq": ("rabbitmq", "broker"),
        "custom-db": ("postgres", "database"),
    }
    assert stores["orders-db"].databases == ("orders",)
    assert stores["orders-db"].aliases == ("orders-postgres",)
    assert stores["orders-db"].evidence == Evidence(
        "docker-compose.yml", 2, "orders-db: image postgres:16", "manifest"
    )
    assert stores["shared-pg"].databases == ("shop", "inventory", "payments", "audit")
    assert stores["mysql"].databases == ("catalog",)
    assert stores["custom-db"].databases == ("postgres",)
    assert stores["sql"].databases == ()


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("postgres", ("postgres", "database")),
        ("postgres:16-alpine@sha256:0123", ("postgres", "database")),
        ("public.ecr.aws/docker/library/postgres:15", ("postgres", "database")),
        ("postgis/postgis:16-3.4", ("postgres", "database")),
        ("mariadb:11", ("mariadb", "database")),
        ("mongo:7", ("mongo", "database")),
        ("cassandra:4", ("cassandra", "database")),
        ("docker.elastic.co/elasticsearch/elasticsearch:8.13.0", ("elasticsearch", "database")),
        ("opensearchproject/opensearch:2", ("opensearch", "database")),
        ("mcr.microsoft.com/mssql/server:2019-latest", ("sqlserver", "database")),
        ("amazon/dynamodb-local", ("dynamodb", "database")),
        ("bitnami/kafka:3.7", ("kafka", "broker")),
        ("apache/kafka:3.7.0", ("kafka", "broker")),
        ("nats:2.10", ("nats", "broker")),
        ("redis:7", ("redis", "cache")),
        ("memcached:1.6", ("memcached", "cache")),
        ("localhost:5000/redis:7", ("redis", "cache")),
        ("localstack/localstack", ("localstack", "infra")),
        ("prometheuscommunity/postgres-exporter", None),
        ("mongo-express", None),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", None),
        ("${REGISTRY}/orders:${TAG}", None),
        ("", None),
    ],
)
def test_classify_image(image: str, expected: tuple[str, str] | None) -> None:
    assert classify_image(image) == expected


def test_interpolation_from_the_project_env_file(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            ".env": "DB_HOST=orders-db\nTAG=1.2\n",
            "docker-compose.yml": (
                "services:\n"
                "  orders:\n"
                "    image: shop/orders:${TAG}\n"
                "    environment:\n"
                "      DB_URL: postgresql://${DB_HOST}:${DB_PORT:-5432}/orders\n"
                "      UNKNOWN: ${NOT_SET}\n"
                "      PRICE: $$5\n"
            ),
        }
    )
    orders = service(scan_compose(root), "orders")
    assert orders.image == "shop/orders:1.2"
    assert env_of(orders) == {
        "DB_URL": "postgresql://orders-db:5432/orders",
        "UNKNOWN": "${NOT_SET}",
        "PRICE": "$5",
    }


def test_overrides_merge_and_nested_files_are_found(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "docker-compose.yml": (
                "services:\n  orders:\n    build: ./orders\n    environment: [A=1]\n    depends_on: [db]\n"
                "  db:\n    image: postgres\n"
            ),
            "docker-compose.override.yml": (
                "services:\n  orders:\n    environment: [A=1, B=2]\n    depends_on: [cache]\n"
                "  cache:\n    image: redis\n"
            ),
            "infra/local/compose.yml": "services:\n  tools:\n    image: shop/tools\n",
            "a/b/c/d/docker-compose.yml": "services:\n  too-deep:\n    image: x\n",
            "node_modules/pkg/docker-compose.yml": "services:\n  vendored:\n    image: x\n",
            "docker-compose.example.txt": "not a compose file",
        }
    )
    assert [p.relative_to(root).as_posix() for p in find_compose_files(root)] == [
        "docker-compose.yml",
        "docker-compose.override.yml",
        "infra/local/compose.yml",
    ]
    result = scan_compose(root)
    assert [s.name for s in result.services] == ["orders", "tools"]
    orders = service(result, "orders")
    assert orders.depends_on == ("db", "cache")
    assert [(v.name, v.value, v.evidence.path) for v in orders.env] == [
        ("A", "1", "docker-compose.yml"),
        ("B", "2", "docker-compose.override.yml"),
    ]
    assert orders.evidence.path == "docker-compose.yml"
    assert [d.name for d in result.datastores] == ["db", "cache"]


def test_unknown_keys_ignored_and_version_1_files(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "docker-compose.yml": (
                "x-common: &common\n"
                "  restart: always\n"
                "  environment: {SHARED: 'yes'}\n"
                "version: '3.9'\n"
                "services:\n"
                "  orders:\n"
                "    <<: *common\n"
                "    image: orders\n"
                "    healthcheck: {test: [CMD, true]}\n"
                "    some_future_key: {whatever: 1}\n"
                "  broken: just-a-string\n"
                "volumes: {data: }\n"
            ),
            "legacy/docker-compose.yml": "web:\n  image: legacy-web\n  links: [db]\ndb:\n  image: mysql:5\n",
        }
    )
    result = scan_compose(root)
    assert [s.name for s in result.services] == ["orders", "web"]
    orders = service(result, "orders")
    assert env_of(orders) == {"SHARED": "yes"}
    assert orders.env[0].evidence.line == 3  # merged keys keep the line of the anchor's entry
    assert service(result, "web").links == ("db",)
    assert [d.name for d in result.datastores] == ["db"]
    assert result.warnings == ["docker-compose.yml:11: service broken is not a mapping; skipped"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("services:\n  orders:\n    image: x\n   environment: [\n", 4, "malformed YAML"),
        ("services:\n  orders:\n    image: 'unterminated\n", 4, "malformed YAML"),
        ("services:\n  a: 1\n  b: [\n", 4, "malformed YAML"),
        ("- just\n- a list\n", 1, "a compose file must be a mapping at the top level"),
        ("version: '3'\nservices: [orders, payments]\n", 2, "'services' must be a mapping"),
    ],
)
def test_bad_compose_files_are_warnings_with_file_and_line_and_the_rest_is_read(
    write_tree: WriteTree, text: str, line: int, message: str
) -> None:
    root = write_tree(
        {
            "deploy/docker-compose.yml": text,
            "ok/docker-compose.yml": "services:\n  cart:\n    image: shop/cart\n",
        }
    )
    result = scan_compose(root)
    assert [s.name for s in result.services] == ["cart"]
    [warning] = result.warnings
    assert warning.startswith(f"deploy/docker-compose.yml:{line}: {message}") and warning.endswith(
        "; skipped"
    )


def test_empty_and_undecodable_files_are_skipped_with_a_warning(write_tree: WriteTree) -> None:
    root = write_tree({"docker-compose.yml": "# nothing yet\n", "compose.yaml": b"services:\n  a: \xff\n"})
    result = scan_compose(root)
    assert result.services == [] and result.datastores == []
    assert result.warnings == [
        "compose.yaml: skipped, not UTF-8 text (invalid start byte)",
        "docker-compose.yml: empty compose file",
    ]


def test_500_services_scan_fast(tmp_path: Path) -> None:
    lines = ["services:"]
    for n in range(500):
        lines += [
            f"  svc{n}:",
            f"    build: ./services/svc{n}",
            f"    depends_on: [db, svc{(n + 1) % 500}]",
            "    environment:",
            f"      DATABASE_URL: postgresql://u:p@db:5432/svc{n}",
            f"      NEXT_URL: http://svc{(n + 1) % 500}:8000",
            "      PORT: 8000",
            "    ports: ['8000']",
        ]
    lines += ["  db:", "    image: postgres:16"]
    (tmp_path / "docker-compose.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = scan_compose(tmp_path)
    assert len(result.services) == 500 and len(result.datastores) == 1  # timings: bench/services.py


def alias_bomb(levels: int = 9) -> tuple[str, str]:
    """YAML whose anchors expand to 9**levels items if anything walks it naively."""
    text = 'x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for level in range(1, levels + 1):
        name = chr(ord("a") + level)
        text += f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text, previous


def test_alias_bombs_stay_small(write_tree: WriteTree) -> None:
    text, anchor = alias_bomb()
    keys = ("depends_on", "ports", "links", "env_file", "volumes", "expose")
    service_text = "services:\n  web:\n    image: x\n" + "".join(f"    {key}: *{anchor}\n" for key in keys)
    root = write_tree(
        {"docker-compose.yml": text + service_text + f"    environment:\n      BOMB: *{anchor}\n"}
    )
    result = scan_compose(
        root
    )  # refused before anything is built from it (issue 16): one warning, no blow-up
    assert result.services == []
    assert result.warnings == [
        "docker-compose.yml:6: aliases expand to more than 200,000 nodes (an alias bomb?), not read; skipped"
    ]


def test_aliases_that_stay_small_are_read(write_tree: WriteTree) -> None:
    text, anchor = alias_bomb(levels=3)  # 9**4 = 6,561 strings: a big file, not a bomb
    root = write_tree(
        {"docker-compose.yml": text + f"services:\n  web:\n    image: x\n    ports: *{anchor}\n"}
    )
    result = scan_compose(root)
    assert [s.name for s in result.services] == ["web"]


def test_extends_inherits_what_the_service_does_not_set(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "docker-compose.yml": (
                "services:\n"
                "  base:\n    image: shop/app\n    environment: {DB_URL: 'postgresql://db/app', MODE: base}\n"
                "  worker:\n    extends: {service: base}\n    environment: {MODE: worker}\n"
                "  api:\n    extends: worker\n"
            )
        }
    )
    env = {s.name: {v.name: v.value for v in s.env} for s in scan_compose(root).services}
    assert env["worker"] == {"DB_URL": "postgresql://db/app", "MODE": "worker"}
    assert env["api"] == {"DB_URL": "postgresql://db/app", "MODE": "worker"}  # through the chain
    assert {s.name: s.image for s in scan_compose(root).services}["api"] == "shop/app"

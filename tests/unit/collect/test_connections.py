"""Connection settings from env vars and config files: URL forms, split variables, redaction."""

from __future__ import annotations

import pytest

from fitness.collect.manifests.connections import (
    connections_from_env,
    env_text,
    find_config_files,
    parse_connection,
    parse_dotenv,
    redact,
    scan_config_connections,
)
from fitness.model import Evidence
from fitness.model.facts import Connection, EnvVar
from tests.conftest import WriteTree


def var(name: str, value: str, line: int = 1) -> EnvVar:
    return EnvVar(name, value, Evidence("docker-compose.yml", line, "", "manifest"))


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "DATABASE_URL",
            "postgresql://user:pw@orders-db:5432/orders",
            [("postgresql", "orders-db", 5432, "orders")],
        ),
        (
            "DB_URL",
            "postgres+asyncpg://u:p@Orders-DB/orders?ssl=require",
            [("postgresql", "orders-db", None, "orders")],
        ),
        ("DB", "postgresql+psycopg2://orders-db:5433/orders", [("postgresql", "orders-db", 5433, "orders")]),
        (
            "MYSQL_URL",
            "mysql+pymysql://root:x@catalog-db:3306/catalog",
            [("mysql", "catalog-db", 3306, "catalog")],
        ),
        ("X", "mariadb://catalog-db/catalog", [("mysql", "catalog-db", None, "catalog")]),
        (
            "MONGO_URI",
            "mongodb://u:p@m1:27017,m2:27017/reviews?replicaSet=rs0",
            [("mongodb", "m1", 27017, "reviews"), ("mongodb", "m2", 27017, "reviews")],
        ),
        (
            "MONGO_URI",
            "mongodb+srv://u:p@cluster0.example.net/?retryWrites=true",
            [("mongodb", "cluster0.example.net", None, "")],
        ),
        ("REDIS_URL", "redis://cache:6379/0", [("redis", "cache", 6379, "0")]),
        ("REDIS_URL", "rediss://:secret@cache:6380", [("redis", "cache", 6380, "")]),
        ("BROKER_URL", "amqp://guest:guest@rabbitmq:5672/", [("amqp", "rabbitmq", 5672, "")]),
        ("BROKER_URL", "amqp://guest:guest@rabbitmq:5672/orders", [("amqp", "rabbitmq", 5672, "orders")]),
        ("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", [("kafka", "kafka", 9092, "")]),
        ("KAFKA_BROKERS", "k1:9092,k2:9092", [("kafka", "k1", 9092, ""), ("kafka", "k2", 9092, "")]),
        ("SPRING_KAFKA_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:29092", [("kafka", "kafka", 29092, "")]),
        (
            "SPRING_DATASOURCE_URL",
            "jdbc:postgresql://db:5432/orders?currentSchema=x",
            [("postgresql", "db", 5432, "orders")],
        ),
        ("JDBC", "jdbc:mysql://db/shop?useSSL=false", [("mysql", "db", None, "shop")]),
        (
            "JDBC",
            "jdbc:sqlserver://sql:1433;databaseName=Orders;user=sa;password=x",
            [("sqlserver", "sql", 1433, "Orders")],
        ),
        ("JDBC", "jdbc:oracle:thin:@//ora:1521/ORCLPDB", [("oracle", "ora", 1521, "ORCLPDB")]),
        ("JDBC", "jdbc:oracle:thin:scott/tiger@ora:1521:XE", [("oracle", "ora", 1521, "XE")]),
        ("JDBC", "jdbc:h2:mem:testdb", []),
        (
            "ConnectionStrings__CatalogDb",
            "Server=sqldata,1433;Database=Catalog;User Id=sa;Password=Pass@word",
            [("sqlserver", "sqldata", 1433, "Catalog")],
        ),
        (
            "ConnectionString",
            "Data Source=tcp:sql.example.com;Initial Catalog=Ordering;Integrated Security=true",
            [("sqlserver", "sql.example.com", None, "Ordering")],
        ),
        (
            "ORDERS_CONN",
            "Host=orders-db;Port=5432;Database=orders;Username=u;Password=p",
            [("postgresql", "orders-db", 5432, "orders")],
        ),
        (
            "MYSQL_CONNECTION",
            "Server=db;Port=3306;Database=shop;Uid=u;Pwd=p",
            [("mysql", "db", 3306, "shop")],
        ),
        ("EventBusConnection", "rabbitmq", [("amqp", "rabbitmq", None, "")]),
        (
            "ConnectionStrings:Redis",
            "basket-data:6379,password=x,ssl=False",
            [("redis", "basket-data", 6379, "")],
        ),
        (
            "PRODUCT_CATALOG_SERVICE_ADDR",
            "productcatalogservice:3550",
            [("tcp", "productcatalogservice", 3550, "")],
        ),
        ("PAYMENTS_URL", "http://payments:8000/api/v1", [("http", "payments", 8000, "")]),
        (
            "CALLBACKS",
            "https://a.example.com/x https://b.example.com",
            [("https", "a.example.com", None, ""), ("https", "b.example.com", None, "")],
        ),
        ("ES_HOSTS", "http://[::1]:9200", [("http", "[::1]", 9200, "")]),
        ("MEMCACHED_ADDR", "10.0.0.7:11211", [("memcached", "10.0.0.7", 11211, "")]),
        # not connections
        ("DB_URL", "postgresql://${DB_HOST}:5432/orders", []),
        ("S3_URL", "s3://bucket/key", []),
        ("SERVER_HOST", "0.0.0.0", []),
        ("GREETING", "orders-db:5432", []),
        ("DB_CONNECTION", "pgsql", []),
        ("DB_CONNECTION_SSL", "true", []),
        ("CONNECTION_TIMEOUT", "30", []),
        ("AZURE_BUS_CONNECTION", "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKey=abc", []),
        ("DB_HOST", "", []),
    ],
)
def test_parse_connection(name: str, value: str, expected: list[tuple[str, str, int | None, str]]) -> None:
    assert parse_connection(value, name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://shop:s3cret@db:5432/shop", "postgresql://***@db:5432/shop"),
        ("postgresql://shop@db/shop", "postgresql://***@db/shop"),
        ("redis://:p@ss@cache:6379", "redis://***@cache:6379"),
        ("http://payments:8000/a@b", "http://payments:8000/a@b"),
        ("Server=sql;User Id=sa;Password=Pass@word;", "Server=sql;User Id=sa;Password=***;"),
        ("Host=db;Pwd=x y", "Host=db;Pwd=*** y"),
        ("jdbc:oracle:thin:scott/tiger@ora:1521:XE", "jdbc:oracle:thin:***@ora:1521:XE"),
        ("jdbc:sqlserver://sql;user=sa;password=x", "jdbc:sqlserver://sql;user=sa;password=***"),
        ("basket:6379,password=x,ssl=False", "basket:6379,password=***,ssl=False"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_env_text_hides_secret_names() -> None:
    assert env_text("DB_PASSWORD", "x") == "DB_PASSWORD=***"
    assert env_text("db.pass", "x") == "db.pass=***"
    assert env_text("STRIPE_API_KEY", "x") == "STRIPE_API_KEY=***"
    assert env_text("DB_HOST", "orders-db") == "DB_HOST=orders-db"
    assert env_text("PASSENGER_URL", "http://p") == "PASSENGER_URL=http://p"


def test_connections_from_env_with_evidence() -> None:
    env = [
        var("DATABASE_URL", "postgresql://shop:s3cret@shop-db:5432/shop", 7),
        var("PAYMENTS_URL", "http://payments:8000", 8),
        var("LOG_LEVEL", "debug", 9),
    ]
    assert connections_from_env(env) == [
        Connection(
            "shop-db",
            5432,
            "shop",
            "postgresql",
            Evidence("docker-compose.yml", 7, "DATABASE_URL=postgresql://***@shop-db:5432/shop", "env"),
        ),
        Connection(
            "payments",
            8000,
            "",
            "http",
            Evidence("docker-compose.yml", 8, "PAYMENTS_URL=http://payments:8000", "env"),
        ),
    ]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DB_HOST": "orders-db", "DB_PORT": "5432", "DB_NAME": "orders"},
            [("postgresql", "orders-db", 5432, "orders")],
        ),
        ({"DATABASE_HOST": "orders-db", "DATABASE_NAME": "orders"}, [("tcp", "orders-db", None, "orders")]),
        (
            {"POSTGRES_HOST": "pg", "POSTGRES_DB": "orders", "POSTGRES_PASSWORD": "x"},
            [("postgresql", "pg", None, "orders")],
        ),
        ({"PGHOST": "pg", "PGPORT": "5433", "PGDATABASE": "orders"}, [("postgresql", "pg", 5433, "orders")]),
        ({"MYSQL_HOST": "my", "MYSQL_DATABASE": "catalog"}, [("mysql", "my", None, "catalog")]),
        ({"ORDERS_DB_HOST": "db:5432", "ORDERS_DB_NAME": "orders"}, [("postgresql", "db", 5432, "orders")]),
        ({"REDIS_HOST": "redis", "REDIS_PORT": "6379", "REDIS_DB": "2"}, [("redis", "redis", 6379, "2")]),
        ({"SPRING_RABBITMQ_HOST": "rabbit", "SPRING_RABBITMQ_PORT": "5672"}, [("amqp", "rabbit", 5672, "")]),
        ({"CART_SERVICE_ADDR": "cartservice:7070"}, [("tcp", "cartservice", 7070, "")]),
        ({"SMTP_SERVER": "mail.example.com", "SMTP_PORT": "25"}, [("tcp", "mail.example.com", 25, "")]),
        ({"HOST": "0.0.0.0", "PORT": "8080", "DB_NAME": "orders"}, []),
        ({"ALLOWED_HOSTS": "localhost,example.com", "KAFKA_ADVERTISED_HOST_NAME": "kafka"}, []),
        ({"RABBITMQ_VIRTUAL_HOST": "shop", "LISTEN_ADDR": "orders:80"}, []),
    ],
)
def test_split_host_port_database_variables(
    env: dict[str, str], expected: list[tuple[str, str, int | None, str]]
) -> None:
    found = connections_from_env(var(k, v) for k, v in env.items())
    assert [(c.scheme, c.host, c.port, c.database) for c in found] == expected


def test_split_variables_evidence_names_every_part_and_hides_passwords() -> None:
    env = [var("DB_PASSWORD", "s3cret", 3), var("DB_HOST", "orders-db", 4), var("DB_NAME", "orders", 5)]
    [found] = connections_from_env(env)
    assert found.evidence == Evidence("docker-compose.yml", 4, "DB_HOST=orders-db DB_NAME=orders", "env")


def test_dotenv_parsing() -> None:
    text = (
        "# comment\n"
        "A=1\n"
        "export B = two words \n"
        "C='quoted # not a comment'\n"
        'D="double"  # comment\n'
        "E=value # comment\n"
        "F=\n"
        "not a line\n"
        "G=a=b\n"
    )
    assert parse_dotenv(text) == [
        ("A", "1", 2),
        ("B", "two words", 3),
        ("C", "quoted # not a comment", 4),
        ("D", "double", 5),
        ("E", "value", 6),
        ("F", "", 7),
        ("G", "a=b", 9),
    ]


def test_config_files_spring_dotnet_and_dotenv(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "orders/src/main/resources/application.yml": (
                "spring:\n"  # 1
                "  datasource:\n"  # 2
                "    url: jdbc:postgresql://${DB_HOST:orders-db}:5432/orders\n"  # 3
                "    password: s3cret\n"  # 4
                "  kafka:\n"  # 5
                "    bootstrap-servers: [kafka1:9092, kafka2:9092]\n"  # 6
                "---\n"  # 7
                "spring:\n"  # 8
                "  config.activate.on-profile: docker\n"  # 9
                "  data:\n"  # 10
                "    mongodb:\n"  # 11
                "      uri: mongodb://mongo:27017/orders\n"  # 12
                "  rabbitmq:\n"  # 13
                "    host: rabbit\n"  # 14
                "    port: 5672\n"  # 15
                "server:\n"  # 16
                "  port: 8080\n"  # 17
            ),
            "payments/src/main/resources/application-docker.properties": (
                "# comment\n"
                "spring.datasource.url=jdbc:mysql://payments-db:3306/payments\n"
                "spring.redis.host = cache\n"
                "spring.redis.port: 6379\n"
                "eureka.client.serviceUrl.defaultZone=http://eureka:8761/eureka/\n"
                "long.value=a \\\n    b\n"
            ),
            "src/Services/Catalog/appsettings.json": (
                "{\n"  # 1
                "  // .NET allows comments\n"  # 2
                '  "ConnectionStrings": {\n'  # 3
                '    "CatalogDb": "Server=sqldata;Database=Catalog;User Id=sa;Password=Pass@word",\n'  # 4
                '    "Redis": "basket-data",\n'  # 5
                "  },\n"  # 6
                '  "EventBusConnection": "rabbitmq",\n'  # 7
                '  "Logging": {"LogLevel": {"Default": "Information"}}\n'  # 8
                "}\n"
            ),
            "web/.env": "API_URL=http://orders:8080\nDB_HOST=web-db\nDB_PORT=5432\n",
        }
    )
    files = find_config_files(root)
    connections, settings, warnings = scan_config_connections(files, root)
    assert warnings == []
    got = [(c.evidence.path, c.evidence.line, c.scheme, c.host, c.port, c.database) for c in connections]
    assert got == [
        ("orders/src/main/resources/application.yml", 3, "postgresql", "orders-db", 5432, "orders"),
        ("orders/src/main/resources/application.yml", 6, "kafka", "kafka1", 9092, ""),
        ("orders/src/main/resources/application.yml", 6, "kafka", "kafka2", 9092, ""),
        ("orders/src/main/resources/application.yml", 12, "mongodb", "mongo", 27017, "orders"),
        ("orders/src/main/resources/application.yml", 14, "amqp", "rabbit", 5672, ""),
        (
            "payments/src/main/resources/application-docker.properties",
            2,
            "mysql",
            "payments-db",
            3306,
            "payments",
        ),
        ("payments/src/main/resources/application-docker.properties", 3, "redis", "cache", 6379, ""),
        ("payments/src/main/resources/application-docker.properties", 5, "http", "eureka", 8761, ""),
        ("src/Services/Catalog/appsettings.json", 4, "sqlserver", "sqldata", None, "Catalog"),
        ("src/Services/Catalog/appsettings.json", 5, "redis", "basket-data", None, ""),
        ("src/Services/Catalog/appsettings.json", 7, "amqp", "rabbitmq", None, ""),
        ("web/.env", 1, "http", "orders", 8080, ""),
        ("web/.env", 2, "postgresql", "web-db", 5432, ""),
    ]
    assert all(c.evidence.how == "config" for c in connections)
    assert connections[8].evidence.text == (
        "ConnectionStrings:CatalogDb=Server=sqldata;Database=Catalog;User Id=sa;Password=***"
    )
    names = {s.name: s for s in settings}
    assert names["spring.datasource.password"].evidence.text == "spring.datasource.password=***"
    assert names["server.port"].value == "8080"
    assert names["long.value"].value == "a b"
    assert names["Logging:LogLevel:Default"].evidence.line == 8
    assert all("s3cret" not in s.evidence.text and "Pass@word" not in s.evidence.text for s in settings)


def test_find_config_files_skips_build_output_and_tests(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            ".env": "A=1\n",
            ".env.local": "A=1\n",
            "orders.env": "A=1\n",
            "svc/src/main/resources/application.yaml": "a: 1\n",
            "svc/src/main/resources/bootstrap.yml": "a: 1\n",
            "svc/src/test/resources/application.yml": "a: 1\n",
            "svc/target/classes/application.yml": "a: 1\n",
            "api/bin/Debug/appsettings.json": "{}\n",
            "api/appsettings.Development.json": "{}\n",
            "node_modules/x/.env": "A=1\n",
            "config.yml": "a: 1\n",
        }
    )
    found = sorted(p.relative_to(root).as_posix() for p in find_config_files(root))
    assert found == [
        ".env",
        ".env.local",
        "api/appsettings.Development.json",
        "orders.env",
        "svc/src/main/resources/application.yaml",
        "svc/src/main/resources/bootstrap.yml",
    ]


def test_malformed_config_files_are_warnings(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "a/appsettings.json": '{\n  "ConnectionStrings": {\n    "Db": "x"\n  \n',
            "b/application.yml": "spring:\n  datasource: [\n",
            "c/application.properties": b"spring.datasource.url=\xff\n",
        }
    )
    connections, settings, warnings = scan_config_connections(sorted(find_config_files(root)), root)
    assert connections == [] and settings == []
    assert warnings == [
        "a/appsettings.json:5: malformed JSON: Expecting ',' delimiter; skipped",
        "b/application.yml:3: malformed YAML: did not find expected node content; skipped",
        "c/application.properties: skipped, not UTF-8 text (invalid start byte)",
    ]


def test_alias_bomb_in_a_config_file_stays_small(write_tree: WriteTree) -> None:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    previous = "a"
    for level in range(1, 10):
        name = chr(ord("a") + level)
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    root = write_tree({"application.yml": text + f"spring: *{previous}\n"})
    connections, settings, warnings = scan_config_connections(find_config_files(root), root)
    assert connections == [] and settings == []  # refused before anything is built from it (issue 16)
    assert warnings == [
        "application.yml:6: aliases expand to more than 200,000 nodes (an alias bomb?), not read; skipped"
    ]


def test_only_config_file_names_are_read(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "orders/settings.py": 'DATABASE_URL = "postgresql://u:p@db/orders"\n',
            "orders/docker-compose.yml": "services: {db: {image: postgres}}\n",
            "orders/package.json": '{"DATABASE_URL": "postgresql://db/x"}\n',
            "orders/.env": "DATABASE_URL=postgresql://orders-db/orders\n",
        }
    )
    files = sorted(path for path in (root / "orders").iterdir())
    connections, settings, warnings = scan_config_connections(files, root)
    assert [(c.evidence.path, c.host) for c in connections] == [("orders/.env", "orders-db")]
    assert [s.name for s in settings] == ["DATABASE_URL"] and warnings == []

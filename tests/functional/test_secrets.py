"""No credential in the analysed files reaches any output (issue 16, item 8).

22 forms of credentials, written into real files of a small service system (Python code, compose env,
a .env file, Kubernetes env, Spring application.yml, .NET appsettings.json, C#, SQL), analysed by the
installed command; every output format of ``fitness check``, the HTML report, the graphs, the granularity
score and stderr are searched for every secret value. Evidence texts are redacted where they are made
(``fitness.model.redact``, applied by ``Evidence``), so the forms are also checked one by one.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.model import Evidence
from fitness.model.redact import _patterns, redact
from tests.functional.conftest import run_fitness

SECRETS = {
    "py_url": "HunterUrl2xq",
    "postgres": "PgSecr3tq",
    "mysql": "MySecr3tq",
    "mongo_srv": "MongoSecr3tq",
    "redis": "RedisSecr3tq",
    "amqp": "AmqpSecr3tq",
    "jdbc_semicolon": "JdbcSemiSecr3t",
    "jdbc_query": "JdbcQuerySecr3t",
    "password_assign": "PyAssignSecr3t",
    "passwd": "PasswdSecr3t",
    "pwd": "PwdSecr3t",
    "secret_yaml": "YamlClientSecr3t",
    "token_env": "K8sTokenSecr3t",
    "api_key_json": "JsonApiKeySecr3t",
    "apikey": "ApikeyDotenvSecr3t",
    "access_key": "AccessKeySecr3t",
    "bearer": "eyJBearerSecr3tToken",
    "basic": "QmFzaWNTZWNyM3Q6eHh4",
    "aws": "AKIAIOSFODNN7SECR3TX",
    "private_key": "MIIEpAIBAAKCAQEAprivSecr3t",
    "ado": "AdoNetSecr3t",
    "sql": "SqlUserSecr3t",
}
S = SECRETS
FILES = {
    "docker-compose.yml": f"""
services:
  orders:
    build: ./services/orders
    environment:
      DATABASE_URL: postgresql://shop:{S["postgres"]}@orders-db:5432/orders
      MYSQL_URL: mysql://root:{S["mysql"]}@legacy-db:3306/legacy
      MONGO_URL: mongodb+srv://cat:{S["mongo_srv"]}@catalog-db.example.net/catalog
      REDIS_URL: redis://:{S["redis"]}@cache:6379/0
      AMQP_URL: amqp://guest:{S["amqp"]}@rabbit:5672/
      REPORTING_URL: "jdbc:sqlserver://reporting-db:1433;databaseName=rep;user=sa;password={S["jdbc_semicolon"]}"
      AUDIT_URL: "jdbc:mysql://audit-db:3306/audit?user=app&password={S["jdbc_query"]}"
      AWS_ACCESS_KEY_ID: {S["aws"]}
      PAYMENTS_URL: http://payments:8000
    depends_on: [orders-db, cache, rabbit]
  payments:
    build: ./services/payments
    env_file: [.env]
  orders-db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: {S["postgres"]}
  legacy-db:
    image: mysql:8
  cache:
    image: redis:7
  rabbit:
    image: rabbitmq:3
""",
    ".env": f"DB_PASSWD={S['passwd']}\nAPIKEY={S['apikey']}\nSTRIPE=https://u:{S['apikey']}@api.stripe.test\n",
    "k8s/orders.yaml": f"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  selector:
    matchLabels: {{app: orders}}
  template:
    metadata:
      labels: {{app: orders}}
    spec:
      containers:
        - name: orders
          image: shop/orders:1
          env:
            - name: API_TOKEN
              value: {S["token_env"]}
            - name: PAYMENTS_ADDR
              value: "https://svc:{S["token_env"]}@payments:8000"
            - name: AWS_SECRET_ACCESS_KEY
              value: {S["access_key"]}
""",
    "services/orders/Dockerfile": "FROM python:3.12\n",
    "services/orders/orders/__init__.py": "",
    "services/orders/orders/client.py": f'''
import os
import requests

PASSWORD = "{S["password_assign"]}"
password = "{S["password_assign"]}"
access_key = "{S["access_key"]}"
PRIVATE = """-----BEGIN RSA PRIVATE KEY-----
{S["private_key"]}
-----END RSA PRIVATE KEY-----"""


def pay():
    return requests.get("https://admin:{S["py_url"]}@payments:8000/api/pay", timeout=3)


def charge():
    return requests.post("http://payments:8000/charge", headers={{"Authorization": "Bearer {S["bearer"]}"}})


def refund():
    return requests.post("http://payments:8000/refund", headers={{"Authorization": "Basic {S["basic"]}"}}, timeout=3)


def conn():
    return "Server=orders-db;Database=orders;User Id=sa;Password={S["ado"]};"


def query(cursor):
    cursor.execute("INSERT INTO orders (id, token) VALUES (1, 'x')")
    cursor.execute("CREATE USER app WITH PASSWORD '{S["sql"]}'")
''',
    "services/orders/src/main/resources/application.yml": f"""
spring:
  datasource:
    url: jdbc:postgresql://orders-db:5432/orders
    username: shop
    password: {S["password_assign"]}
app:
  oauth:
    client-secret: {S["secret_yaml"]}
    api_key: {S["api_key_json"]}
""",
    "services/payments/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
    "services/payments/appsettings.json": f"""{{
  "ConnectionStrings": {{
    "Payments": "Server=payments-db;Database=payments;User Id=sa;Password={S["ado"]};",
    "Pwd": "Server=payments-db;Database=p2;Uid=sa;Pwd={S["pwd"]};"
  }},
  "api_key": "{S["api_key_json"]}",
  "Stripe": {{"Token": "{S["bearer"]}", "secret": "{S["secret_yaml"]}"}}
}}
""",
    "services/payments/Program.cs": f"""
var client = new HttpClient();
client.DefaultRequestHeaders.Add("Authorization", "Bearer {S["bearer"]}");
var r = await client.GetAsync("http://orders:8000/api/orders");
var c = "Server=payments-db;Database=payments;User Id=sa;Password={S["ado"]};";
""",
    "db/schema.sql": f"""
CREATE TABLE orders (id int primary key, token text);
CREATE USER app WITH PASSWORD '{S["sql"]}';
ALTER USER app IDENTIFIED BY '{S["sql"]}';
INSERT INTO orders (id, token) VALUES (1, 'x');
""",
}


FORMATS = ("text", "json", "sarif", "junit", "markdown", "github", "codequality")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("secrets")
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    out = tmp_path_factory.mktemp("out")
    found: dict[str, str] = {}
    formats = [arg for name in FORMATS for arg in ("--format", f"{name}={out / name}")]
    check = run_fitness("check", str(root), "--no-cache", "--verbose", "--graph", "full", *formats)
    assert check.returncode in (0, 1), check.stderr
    found["check stderr"] = check.stderr + check.stdout
    report = run_fitness("report", str(root), "--no-cache", "-o", str(out / "report.html"))
    assert report.returncode == 0, report.stderr
    found["report stderr"] = report.stderr
    for level in ("modules", "services", "tables", "events"):
        for fmt in ("json", "dot", "mermaid", "graphml"):
            done = run_fitness("graph", str(root), "--no-cache", "--level", level, "--format", fmt)
            assert done.returncode == 0, done.stderr
            found[f"graph {level} {fmt}"] = done.stdout + done.stderr
    score = run_fitness("score", str(root), "--no-cache", "--format", "json")
    found["score"] = score.stdout + score.stderr
    for path in out.iterdir():
        found[path.name] = path.read_text()
    return found


def test_the_system_was_analysed(outputs: dict[str, str]) -> None:
    """The secrets sit where collectors look: the call with credentials in its URL is evidence."""
    assert 'requests.get(\\"https://***@payments:8000/api/pay\\"' in outputs["json"]
    assert "services: " in outputs["text"]
    assert set(FORMATS) | {"report.html"} <= set(outputs)


@pytest.mark.parametrize("form", sorted(SECRETS))
def test_no_secret_in_any_output(outputs: dict[str, str], form: str) -> None:
    secret = SECRETS[form]
    leaks = [name for name, text in outputs.items() if secret in text or secret[:12] in text]
    assert leaks == [], f"{form} ({secret}) appears in {leaks}"


@pytest.mark.parametrize(
    "text",
    [
        'return requests.get("https://admin:hunter2@api/v1", timeout=3)',
        "DATABASE_URL=postgresql://shop:hunter2@db:5432/orders",
        "mysql://root:hunter2@db:3306/app",
        "mongodb+srv://user:hunter2@cluster0.example.net/db",
        "redis://:hunter2@cache:6379/0",
        "amqp://guest:hunter2@rabbit:5672/",
        "jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=hunter2",
        "jdbc:mysql://db:3306/app?user=app&password=hunter2&ssl=true",
        'password = "hunter2"',
        "DB_PASSWD=hunter2",
        "Server=db;Uid=sa;Pwd=hunter2;",
        "client-secret: hunter2",
        "API_TOKEN=hunter2",
        '"api_key": "hunter2"',
        "APIKEY=hunter2",
        'access_key = "hunter2"',
        'headers={"Authorization": "Bearer hunter2hunter2"}',
        "Authorization: Basic aHVudGVyMmh1bnRlcjI=",
        "AWS_KEY: AKIAHUNTER2HUNTER2XY",
        "-----BEGIN RSA PRIVATE KEY-----\nhunter2\n-----END RSA PRIVATE KEY-----",
        "Server=db;Database=x;User Id=sa;Password=hunter2;",
        "CREATE USER app WITH PASSWORD 'hunter2'",
    ],
)
def test_evidence_never_holds_the_secret(text: str) -> None:
    evidence = Evidence("a.py", 1, text, "code")
    assert "hunter2" not in evidence.text and "HUNTER2" not in evidence.text
    assert "***" in evidence.text
    assert evidence._replace(text=text).text == evidence.text
    assert redact(evidence.text) == evidence.text  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "from shop.api import views",
        "PAYMENTS_URL=http://payments:8000/api",
        "password: ${DB_PASSWORD}",
        'password = os.getenv("DB_PASSWORD")',
        "passenger_count = 5",
        "git@github.com:org/repo.git",
        "SELECT id FROM orders WHERE token_id = 3",
    ],
)
def test_what_is_not_a_secret_stays(text: str) -> None:
    assert Evidence("a.py", 1, text, "code").text == text


_FRAGMENTS = [
    "://",
    "u:p@",
    "@",
    "tcp(",
    "unix(",
    "thin:",
    "scott/tiger",
    "password",
    "PASSWD",
    "pass",
    "pwd",
    "secret",
    "token",
    "api_key",
    "ApiKey",
    "access-key",
    "private.key",
    "PRIVATE KEY",
    "auth_key",
    "account_key",
    "client-key",
    "shared_access_key",
    "key",
    "credential",
    "Authorization",
    "Bearer",
    "Basic",
    "Digest",
    "AKIA",
    "AIDA",
    "ASIA",
    "AROA",
    "IDENTIFIED BY",
    "sig=",
    "=",
    ":",
    " ",
    "'",
    '"',
    ";",
    "&",
    "?",
    "hunter2hunter2",
    "ABCDEFGHIJKLMNOP",
    "-----BEGIN ",
    "RSA ",
    "PRIVATE KEY-----",
    "-----",
    "-----END ",
    "\n",
    "${X}",
    "db",
]


@settings(max_examples=3_000, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=4).map("".join))  # short: one trigger word at most
def test_the_trigger_words_never_skip_a_text_a_pattern_would_change(text: str) -> None:
    """``redact`` returns a text with no trigger word untouched; every pattern applied to it anyway must
    change nothing either, or the trigger is narrower than the patterns and a secret would leak."""
    whole = text
    for pattern, replacement in _patterns():
        whole = pattern.sub(replacement, whole)
    assert redact(text) == whole


_KEYS = (
    "https",
    "postgres",
    "jdbc:oracle:thin",
    "root",
    "password",
    "PASSWORD",
    "Passwd",
    "DB_PASS",
    "pass",
    "pwd",
    "Pwd",
    "secret",
    "client-secret",
    "token",
    "API_TOKEN",
    "api_key",
    "ApiKey",
    "APIKEY",
    "access-key",
    "private.key",
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "auth_key",
    "account_key",
    "client-key",
    "shared_access_key",
    "credential",
    "credentials",
    "Authorization",
    "authorization",
    "Bearer",
    "Basic",
    "Digest",
    "AKIA",
    "AIDA",
    "AGPA",
    "AROA",
    "ANPA",
    "ANVA",
    "AIPA",
    "ASIA",
    "IDENTIFIED BY",
    "?sig",
    "&sig",
    "-----BEGIN ",
    "x",
    "key",
    "user",
)
_GLUE = ("", " ", "=", ": ", " = ", "://", "://u:", ":", "/", "@", "-----\n", "'", '"', ";", "\t")
_VALUES = (
    "hunter2hunter2",
    "ABCDEFGHIJKLMNOP",
    "'hunter2'",
    '"hunter2"',
    "p@db",
    "pw@tcp(db:3306)/o",
    "scott/tiger@db",
    "hunter2\n-----END RSA PRIVATE KEY-----",
    "RSA PRIVATE KEY-----\nhunter2",
    "x",
)


def test_the_trigger_words_hold_for_every_key_separator_and_value() -> None:
    """Every secret shape (a key word, a separator, a value): all the patterns applied regardless change
    nothing that ``redact`` (which skips texts without a trigger word) leaves as it is."""
    missed = []
    for key in _KEYS:
        for glue in _GLUE:
            for value in _VALUES:
                text = f"{key}{glue}{value}"
                whole = text
                for pattern, replacement in _patterns():
                    whole = pattern.sub(replacement, whole)
                if redact(text) != whole:
                    missed.append(text)
    assert missed == []

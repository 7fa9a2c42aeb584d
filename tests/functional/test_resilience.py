"""Resilience smells and the remote-calls-protected rule, through the real CLI on small systems on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.conftest import run_fitness

COMPOSE = """\
services:
{services}
  db:
    image: postgres:16
  kafka:
    image: bitnami/kafka:3.7
"""


def system(root: Path, files: dict[str, str], config: str = "") -> Path:
    """A system of services, one folder each under services/, deployed by docker-compose."""
    names = sorted({path.split("/")[1] for path in files if path.startswith("services/")})
    services = "\n".join(
        f"  {name}:\n    build: ./services/{name}\n    environment:\n"
        f"      DATABASE_URL: postgresql://u:p@db:5432/{name}\n      KAFKA_BROKERS: kafka:9092"
        for name in names
    )
    (root / "docker-compose.yml").write_text(COMPOSE.format(services=services))
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    if config:
        (root / "fitness.yaml").write_text(config)
    return root


def findings(root: Path, *extra: str) -> list[dict]:
    result = run_fitness("check", str(root), "--no-cache", "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def of(found: list[dict], code: str) -> list[dict]:
    return [f for f in found if f["code"] == code]


def lines(finding: dict) -> list[tuple[str, int]]:
    return [(loc["path"], loc["line"]) for loc in finding["locations"]]


PY_UNPROTECTED = """\
import requests

def quote(sku):
    return requests.get("http://pricing:8000/quote/" + sku)

def ping():
    return requests.get("http://pricing:8000/health", timeout=2)
"""


def test_python_call_without_timeout_is_wobbly_and_one_with_timeout_is_not(tmp_path: Path) -> None:
    root = system(
        tmp_path,
        {"services/cart/app.py": PY_UNPROTECTED, "services/pricing/app.py": "def quote(): ...\n"},
    )
    wobbly = of(findings(root), "FIT312")
    assert len(wobbly) == 1
    assert wobbly[0]["subjects"] == ["cart"]
    assert lines(wobbly[0]) == [("services/cart/app.py", 4)]  # line 7 has a timeout
    assert "requests.get" in wobbly[0]["message"] and "timeout" in wobbly[0]["fix"]


@pytest.mark.parametrize(
    "protection",
    [
        "import tenacity\n",  # a retry library in the service
        "import pybreaker\n",  # a circuit breaker
    ],
)
def test_a_breaker_in_the_service_protects_its_calls(tmp_path: Path, protection: str) -> None:
    root = system(
        tmp_path,
        {
            "services/cart/app.py": protection + PY_UNPROTECTED,
            "services/pricing/app.py": "def quote(): ...\n",
        },
    )
    assert of(findings(root), "FIT312") == []


JAVA_REST = """\
package shop;

import org.springframework.web.client.RestTemplate;

public class PricingClient {
    private final RestTemplate restTemplate = new RestTemplate();

    public Quote quote(String sku) {
        return restTemplate.getForObject("http://pricing:8080/quote/" + sku, Quote.class);
    }
}
"""
JAVA_TIMEOUTS = """\
package shop;

public class Config {
    RestTemplate restTemplate(RestTemplateBuilder builder) {
        return builder.setConnectTimeout(Duration.ofSeconds(1)).setReadTimeout(Duration.ofSeconds(2)).build();
    }
}
"""
GO_CLIENT = """\
package main

import "net/http"

func main() {
	client := &http.Client{}
	bounded := &http.Client{Timeout: 2 * time.Second}
	client.Get("http://pricing:8080/quote")
	bounded.Get("http://pricing:8080/quote")
}
"""
JS_FETCH = """\
export async function quote(sku) {
  const a = await fetch(`http://pricing:8080/quote/${sku}`);
  const b = await fetch(`http://pricing:8080/quote/${sku}`, { signal: AbortSignal.timeout(2000) });
  const c = await axios.get(`http://pricing:8080/quote/${sku}`, { timeout: 2000 });
  return [a, b, c];
}
"""


def test_other_languages_clients_and_their_timeouts(tmp_path: Path) -> None:
    root = system(
        tmp_path,
        {
            "services/java-cart/src/main/java/shop/PricingClient.java": JAVA_REST,
            "services/java-checked/src/main/java/shop/PricingClient.java": JAVA_REST,
            "services/java-checked/src/main/java/shop/Config.java": JAVA_TIMEOUTS,
            "services/go-cart/main.go": GO_CLIENT,
            "services/js-cart/quote.js": JS_FETCH,
            "services/pricing/app.py": "def quote(): ...\n",
        },
    )
    wobbly = {tuple(f["subjects"]): lines(f) for f in of(findings(root), "FIT312")}
    assert wobbly == {
        ("go-cart",): [("services/go-cart/main.go", 6)],
        ("java-cart",): [("services/java-cart/src/main/java/shop/PricingClient.java", 9)],
        ("js-cart",): [("services/js-cart/quote.js", 2)],
    }


def test_feign_timeouts_in_application_yml_protect_the_client(tmp_path: Path) -> None:
    feign = (
        'package shop;\n\n@FeignClient(name = "pricing", url = "http://pricing:8080")\n'
        'public interface PricingClient {\n    @GetMapping("/quote") Quote quote();\n}\n'
    )
    yml = "feign:\n  client:\n    config:\n      default:\n        readTimeout: 2000\n        connectTimeout: 500\n"
    root = system(
        tmp_path,
        {
            "services/open/src/main/java/shop/PricingClient.java": feign,
            "services/closed/src/main/java/shop/PricingClient.java": feign,
            "services/closed/src/main/resources/application.yml": yml,
            "services/pricing/app.py": "def quote(): ...\n",
        },
    )
    wobbly = of(findings(root), "FIT312")
    assert [f["subjects"] for f in wobbly] == [["open"]]
    assert lines(wobbly[0]) == [("services/open/src/main/java/shop/PricingClient.java", 3)]


ORDERS = """\
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, text

engine = create_engine("postgresql://u:p@db:5432/orders")
producer = KafkaProducer(bootstrap_servers="kafka:9092")


def place(order_id):
    with engine.begin() as db:
        db.execute(text("INSERT INTO orders (id) VALUES (:i)"), {"i": order_id})
    producer.send("order-placed", order_id)


def on_payment(order_id):
    for message in KafkaConsumer("payment-done", bootstrap_servers="kafka:9092"):
        with engine.begin() as db:
            db.execute(text("INSERT INTO payments (order_id) VALUES (:i)"), {"i": message.value})


def on_shipped():
    for message in KafkaConsumer("shipped", bootstrap_servers="kafka:9092"):
        with engine.begin() as db:
            db.execute(text("UPDATE orders SET status = 'shipped' WHERE id = :i"), {"i": message.value})
"""
PAYMENTS = """\
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, text

engine = create_engine("postgresql://u:p@db:5432/payments")
producer = KafkaProducer(bootstrap_servers="kafka:9092")


def pay(order_id):
    with engine.begin() as db:
        db.execute(text("INSERT INTO charges (order_id) VALUES (:i)"), {"i": order_id})
        db.execute(text("INSERT INTO outbox (topic, payload) VALUES ('payment-done', :i)"), {"i": order_id})


def relay():
    with engine.begin() as db:
        for row in db.execute(text("SELECT id, payload FROM outbox")).all():
            producer.send("payment-done", row.payload)
            db.execute(text("DELETE FROM outbox WHERE id = :i"), {"i": row.id})


def on_order():
    for message in KafkaConsumer("order-placed", bootstrap_servers="kafka:9092"):
        with engine.begin() as db:
            db.execute(
                text("INSERT INTO charges (order_id) VALUES (:i) ON CONFLICT DO NOTHING"), {"i": message.value}
            )
"""


def test_dual_write_and_consumers_without_idempotency(tmp_path: Path) -> None:
    root = system(
        tmp_path,
        {
            "services/orders/orders_app.py": ORDERS,
            "services/payments/payments_app.py": PAYMENTS,
            "services/shipping/shipping_app.py": "def ship(): ...\n",
        },
    )
    found = findings(root, "--verbose")
    dual = of(found, "FIT313")
    assert [f["subjects"] for f in dual] == [["orders", "services/orders/orders_app.py:place"]]
    assert lines(dual[0]) == [("services/orders/orders_app.py", n) for n in (8, 10, 11)]
    assert "outbox" in dual[0]["fix"]  # payments has an outbox: its relay is not a dual write
    consumers = of(found, "FIT314")
    assert [f["subjects"] for f in consumers] == [["orders", "services/orders/orders_app.py:on_payment"]]
    assert consumers[0]["severity"] == "info"
    assert "looked for" in consumers[0]["message"] and "ON CONFLICT" in consumers[0]["message"]
    # on_shipped sets a status (idempotent); payments' on_order upserts


def test_remote_call_in_a_loop(tmp_path: Path) -> None:
    loop_py = (
        "import requests\n\n\ndef prices(skus):\n"
        "    return [requests.get('http://pricing:8000/p/' + s, timeout=1) for s in skus]\n"
    )
    loop_java = """\
public class Stock {
    public void all(List<String> skus) {
        for (String sku : skus) {
            restTemplate.getForObject("http://pricing:8080/p/" + sku, Price.class);
        }
        restTemplate.getForObject("http://pricing:8080/p", Price.class);
    }
}
"""
    root = system(
        tmp_path,
        {
            "services/cart/app.py": loop_py,
            "services/stock/src/Stock.java": loop_java,
            "services/pricing/app.py": "def quote(): ...\n",
        },
    )
    loops = {tuple(f["subjects"]): lines(f) for f in of(findings(root), "FIT315")}
    assert loops == {
        ("cart",): [("services/cart/app.py", 5)],
        ("stock",): [("services/stock/src/Stock.java", 4)],  # line 6 is after the loop
    }


def test_client_calling_many_services_without_a_gateway(tmp_path: Path) -> None:
    names = ("ads", "cart", "catalog", "reviews")
    api = "\n".join(
        f"export const {n} = () => fetch('http://{n}:8080/{n}', {{ signal: AbortSignal.timeout(1000) }});"
        for n in names
    )
    files = {"services/web-frontend/src/api.js": api + "\n"}
    files.update({f"services/{n}/app.py": "def get(): ...\n" for n in names})
    root = system(tmp_path, files)
    found = findings(root, "--verbose")
    gateway = of(found, "FIT316")
    assert [f["subjects"] for f in gateway] == [["web-frontend", *names]]
    assert gateway[0]["severity"] == "info"
    assert of(found, "FIT312") == []  # every call has a signal
    config = "version: 1\nanalysis:\n  missing_gateway: {threshold: 4}\n"
    (root / "fitness.yaml").write_text(config)
    assert of(findings(root, "--verbose"), "FIT316") == []


def chatty(paths: tuple[str, ...], host: str = "orders") -> str:
    """A Python client calling ``host`` once per path, each with a timeout."""
    body = "".join(
        f"\n\ndef call_{i}(i):\n    return requests.get(f'http://{host}:8080{p}', timeout=1)\n"
        for i, p in enumerate(paths)
    )
    return "import requests\n" + body


SIX = (
    "/api/v1/orders/{i}",
    "/api/v1/orders/search",
    "/api/v1/orders/{i}/items",
    "/api/v1/orders/{i}/status",
    "/api/v1/orders/42/history",
    "/api/v1/orders?page=2",
)


def test_caller_using_many_endpoints_of_one_service_is_a_chatty_pair(tmp_path: Path) -> None:
    two = ("/api/v1/orders/{i}", "/api/v1/orders/7")  # one endpoint, called at two sites
    root = system(
        tmp_path,
        {
            "services/cart/app.py": chatty(SIX),
            "services/wishlist/app.py": chatty(("/api/v1/orders/{i}", "/api/v1/orders/search")),
            "services/basket/app.py": chatty(two),
            "services/orders/app.py": "def get(): ...\n",
        },
    )
    found = of(findings(root, "--verbose"), "FIT317")
    assert [f["subjects"] for f in found] == [["cart", "orders"]]
    assert found[0]["severity"] == "info"
    assert "6 distinct endpoints of orders" in found[0]["message"]
    assert "/api/v1/orders/search" in found[0]["message"] and "/api/v1/orders/{}/items" in found[0]["message"]
    assert lines(found[0]) == [("services/cart/app.py", 5 + 4 * n) for n in range(6)]
    (root / "fitness.yaml").write_text("version: 1\nanalysis:\n  chatty_pairs: {threshold: 6}\n")
    assert of(findings(root, "--verbose"), "FIT317") == []
    (root / "fitness.yaml").write_text("version: 1\nanalysis:\n  chatty_pairs: {threshold: 1}\n")
    assert [f["subjects"] for f in of(findings(root, "--verbose"), "FIT317")] == [
        ["cart", "orders"],
        ["wishlist", "orders"],
    ]  # basket's two lines are one endpoint (/api/v1/orders/{})


def test_call_sites_count_when_the_line_has_no_path(tmp_path: Path) -> None:
    calls = "".join(f"\n\ndef c{i}():\n    return requests.get(ORDERS, timeout=1)\n" for i in range(6))
    client = "import requests\n\nORDERS = 'http://orders:8080'\n" + calls
    root = system(tmp_path, {"services/cart/app.py": client, "services/orders/app.py": "def get(): ...\n"})
    found = of(findings(root, "--verbose"), "FIT317")
    assert [f["subjects"] for f in found] == [["cart", "orders"]]
    assert "6 call site(s) with no path" in found[0]["message"]


def test_a_service_without_a_version_segment_among_versioned_ones(tmp_path: Path) -> None:
    root = system(
        tmp_path,
        {
            "services/cart/app.py": chatty(("/api/v1/orders/{i}", "/api/v1/orders/search")),
            "services/shop/app.py": chatty(("/v2/prices/{i}",), "pricing")
            + "\n"
            + chatty(("/stock/{i}",), "stock"),
            "services/ads/app.py": chatty(("/stock/{i}/reserve", "/health"), "stock"),
            "services/orders/app.py": "def get(): ...\n",
            "services/pricing/app.py": "def get(): ...\n",
            "services/stock/app.py": "def get(): ...\n",
        },
    )
    found = of(findings(root, "--verbose"), "FIT318")
    assert [f["subjects"] for f in found] == [["stock"]]
    assert found[0]["severity"] == "info"
    assert "/stock/{}" in found[0]["message"] and "/stock/{}/reserve" in found[0]["message"]
    assert "/health" not in found[0]["message"]
    assert "3 of the 5 paths" in found[0]["message"]


RULE = """\
version: 1
rules:
  - id: protected
    type: remote-calls-protected
    require: [timeout, breaker]
    exceptions: [legacy-*]
    because: one slow service must not hang its callers
"""


def test_rule_with_exceptions_and_breakers(tmp_path: Path) -> None:
    bounded = "import requests\n\ndef ping():\n    return requests.get('http://pricing:8000/h', timeout=2)\n"
    root = system(
        tmp_path,
        {
            "services/cart/app.py": PY_UNPROTECTED,
            "services/basket/app.py": bounded,
            "services/wallet/app.py": "import pybreaker\n" + bounded,
            "services/legacy-shop/app.py": PY_UNPROTECTED,
            "services/pricing/app.py": "def quote(): ...\n",
        },
        RULE,
    )
    result = run_fitness("check", str(root), "--no-cache", "--format", "json")
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["findings"]
    rule = {tuple(f["subjects"]): f for f in of(found, "FIT131")}
    assert sorted(rule) == [("basket",), ("cart",)]
    assert "no circuit breaker" in rule[("basket",)]["message"]
    assert "1 remote call(s) with no timeout" in rule[("cart",)]["message"]
    assert lines(rule[("cart",)]) == [("services/cart/app.py", 4), ("services/cart/app.py", 7)]
    assert of(found, "FIT312") == [f for f in of(found, "FIT312") if f["subjects"] == ["legacy-shop"]]
    text = run_fitness("check", str(root), "--no-cache").stdout
    assert "because: one slow service must not hang its callers" in text


def test_rule_rejects_an_unknown_requirement(tmp_path: Path) -> None:
    root = system(
        tmp_path,
        {"services/cart/app.py": PY_UNPROTECTED, "services/pricing/app.py": "def q(): ...\n"},
        RULE.replace("[timeout, breaker]", "[timeout, bulkhead]"),
    )
    result = run_fitness("check", str(root), "--no-cache")
    assert result.returncode == 2
    assert "bulkhead" in result.stderr


@pytest.mark.parametrize(
    "code", ["FIT312", "FIT313", "FIT314", "FIT315", "FIT316", "FIT317", "FIT318", "remote-calls-protected"]
)
def test_explain_covers_every_new_code(code: str) -> None:
    result = run_fitness("explain", code)
    assert result.returncode == 0, result.stderr
    assert code.lower() in result.stdout.lower() or "FIT131" in result.stdout


HELPERS_PY = """\
from kafka import KafkaProducer
from sqlalchemy import create_engine, text

engine = create_engine("postgresql://u:p@db:5432/orders")
producer = KafkaProducer(bootstrap_servers="kafka:9092")


class Orders:
    def place(self, order_id):
        self._save(order_id)
        self._announce(order_id)

    def _save(self, order_id):
        with engine.begin() as db:
            db.execute(text("INSERT INTO orders (id) VALUES (:i)"), {"i": order_id})

    def _announce(self, order_id):
        producer.send("order-placed", order_id)

    def both(self, order_id):
        with engine.begin() as db:
            db.execute(text("UPDATE orders SET seen = 1 WHERE id = :i"), {"i": order_id})
        producer.send("order-seen", order_id)

    def wrapper(self, order_id):
        self.both(order_id)
"""
HELPERS_JAVA = """\
package shop;

public class Checkout {
    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, String> kafka;

    public void checkout(String id) {
        record(id);
        notifyShipping(id);
    }

    private void record(String id) {
        jdbc.update("INSERT INTO checkouts (id) VALUES (?)", id);
    }

    private void notifyShipping(String id) {
        kafka.send("checkout-done", id);
    }
}
"""


def test_a_dual_write_through_helpers_of_the_same_file_is_found(tmp_path: Path) -> None:
    root = system(
        tmp_path,
        {
            "services/orders/orders_app.py": HELPERS_PY,
            "services/billing/src/main/java/shop/Checkout.java": HELPERS_JAVA,
            "services/shipping/shipping_app.py": "def ship(): ...\n",
        },
    )
    dual = {tuple(f["subjects"]): f for f in of(findings(root), "FIT313")}

    assert sorted(dual) == [
        ("billing", "services/billing/src/main/java/shop/Checkout.java:checkout"),
        ("orders", "services/orders/orders_app.py:both"),  # a helper doing both is itself the finding
        ("orders", "services/orders/orders_app.py:place"),  # (and `wrapper`, calling only it, is not)
    ]
    place = dual[("orders", "services/orders/orders_app.py:place")]
    assert "through self._announce(order_id), self._save(order_id)" in place["message"]
    assert lines(place) == [("services/orders/orders_app.py", n) for n in (9, 10, 11, 15, 18)]
    checkout = dual[("billing", "services/billing/src/main/java/shop/Checkout.java:checkout")]
    assert lines(checkout)[:3] == [
        ("services/billing/src/main/java/shop/Checkout.java", n) for n in (7, 8, 9)
    ]

"""The call collector on real files in tmp_path: HTTP and gRPC calls found in Python with ast."""

from __future__ import annotations

from pathlib import Path

from fitness.collect.code.calls import CallScan, scan_calls
from fitness.model import Evidence
from fitness.model.facts import Call, Unresolved
from tests.conftest import WriteTree


def scan(write_tree: WriteTree, files: dict[str, str | bytes]) -> CallScan:
    root = write_tree(files)
    return scan_calls(sorted(p for p in root.rglob("*") if p.is_file()), root)


def code(host: str, target: str, path: str, line: int, text: str, protocol: str = "http") -> Call:
    return Call(host, target, protocol, Evidence(path, line, text, "code"))


def hosts(result: CallScan, how: str = "code") -> list[tuple[str, int]]:
    return [(c.host, c.evidence.line) for c in result.calls if c.evidence.how == how]


def test_requests_module_functions_aliases_and_from_imports(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "orders/client.py": (
                "import requests\n"
                "import requests as r\n"
                "from requests import get, post as send\n"
                "\n"
                "def run(item_id):\n"
                '    requests.get("http://inventory:8000/items")\n'
                '    r.post(f"http://inventory:8000/items/{item_id}", json={})\n'
                '    get("https://payments/charge")\n'
                '    send(url="http://shipping:9000/ship")\n'
                '    requests.request("DELETE", "http://users:8080/u/1")\n'
            )
        },
    )
    path = "orders/client.py"
    assert result.calls == [
        code(
            "inventory", "http://inventory:8000/items", path, 6, 'requests.get("http://inventory:8000/items")'
        ),
        code(
            "inventory",
            "http://inventory:8000/items/{item_id}",
            path,
            7,
            'r.post(f"http://inventory:8000/items/{item_id}", json={})',
        ),
        code("payments", "https://payments/charge", path, 8, 'get("https://payments/charge")'),
        code("shipping", "http://shipping:9000/ship", path, 9, 'send(url="http://shipping:9000/ship")'),
        code(
            "users", "http://users:8080/u/1", path, 10, 'requests.request("DELETE", "http://users:8080/u/1")'
        ),
    ]
    assert result.unresolved == [] and result.messages == [] and result.warnings == []


def test_a_get_on_anything_but_an_http_client_is_not_a_call(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/cache.py": (
                "import requests\n"
                'ENDPOINTS = {"inventory": "inventory:8000"}\n'
                "def f(session, cache):\n"
                '    ENDPOINTS.get("inventory")\n'
                '    cache.get("/items")\n'
                '    session.post("/orders")\n'
                "    requests = {}\n"
                '    requests.get("/x")\n'
            ),
            "svc/other.py": 'def g(requests):\n    requests.get("http://inventory:8000/items")\n',
        },
    )
    # no code facts; only the literal URL in other.py is seen by the text pass
    assert hosts(result) == [] and result.unresolved == []
    assert hosts(result, "source-text") == [("inventory", 2)]


def test_sessions_and_clients_with_base_url(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/clients.py": (
                "import aiohttp\n"
                "import httpx\n"
                "import requests\n"
                "\n"
                "class Inventory:\n"
                "    def __init__(self):\n"
                '        self.http = httpx.Client(base_url="http://inventory:8000/api/")\n'
                "        self.session = requests.Session()\n"
                "\n"
                "    def items(self):\n"
                '        return self.http.get("/items")\n'
                "\n"
                "    def other(self):\n"
                '        return self.session.put("http://catalog:80/c")\n'
                "\n"
                "async def fetch(path):\n"
                '    async with httpx.AsyncClient(base_url="http://pricing:7000") as client:\n'
                "        await client.get(path)\n"
                '    async with aiohttp.ClientSession("http://reviews:5000") as session:\n'
                '        async with session.get("/r") as response:\n'
                "            return await response.json()\n"
                "\n"
                "def chained():\n"
                '    requests.Session().get("http://audit:1/x")\n'
                '    httpx.Client().get("/relative")\n'
            )
        },
    )
    path = "svc/clients.py"
    assert result.calls == [
        code("audit", "http://audit:1/x", path, 24, 'requests.Session().get("http://audit:1/x")'),
        code("catalog", "http://catalog:80/c", path, 14, 'return self.session.put("http://catalog:80/c")'),
        code("inventory", "http://inventory:8000/api/items", path, 11, 'return self.http.get("/items")'),
        code("pricing", "http://pricing:7000/{path}", path, 18, "await client.get(path)"),
        code("reviews", "http://reviews:5000/r", path, 20, 'async with session.get("/r") as response:'),
    ]
    assert result.unresolved == [
        Unresolved(
            "url",
            "relative URL without a base: /relative",
            Evidence(path, 25, 'httpx.Client().get("/relative")', "code"),
        )
    ]


def test_annotated_parameters_are_clients_without_a_known_base(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/deps.py": (
                "from typing import Optional\n"
                "import aiohttp\n"
                "from httpx import AsyncClient\n"
                "async def items(client: AsyncClient, item_id: str):\n"
                '    await client.get(f"/items/{item_id}")\n'
                '    await client.get("http://inventory:8000/items")\n'
                "async def more(a: aiohttp.ClientSession | None, b: Optional[AsyncClient] = None):\n"
                '    await a.post("http://payments:1/x")\n'
                '    await b.put("http://users:1/x")\n'
            )
        },
    )
    assert hosts(result) == [("inventory", 6), ("payments", 8), ("users", 9)]
    assert [u.reason for u in result.unresolved] == [
        "relative URL; the client's base_url is set elsewhere: /items/{item_id}"
    ]


def test_urls_from_constants_env_defaults_concatenation_and_other_modules(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "orders/__init__.py": "",
            "orders/settings.py": (
                "import os\n"
                'PAYMENTS_URL = os.getenv("PAYMENTS_URL", "http://payments:8000")\n'
                'USERS = os.environ.get("USERS_URL") or "http://users:8080"\n'
            ),
            "orders/api.py": (
                "import os\n"
                "import requests\n"
                "from orders import settings\n"
                "from .settings import PAYMENTS_URL\n"
                'BASE = "http://inventory:8000"\n'
                'ITEMS = BASE + "/items"\n'
                "\n"
                "def run(item_id, n):\n"
                "    requests.get(ITEMS)\n"
                '    requests.get(BASE + "/items/" + item_id)\n'
                '    requests.post(PAYMENTS_URL + "/charge")\n'
                '    requests.get(settings.USERS + "/me")\n'
                '    url = "http://shipping:%d/ship/%s" % (9000, n)\n'
                "    requests.get(url)\n"
                '    requests.get("http://catalog:{}/c".format(80))\n'
                '    requests.get(os.environ["AUDIT_URL"])\n'
                '    requests.get(os.getenv("LOCAL_URL", "http://localhost:9999"))\n'
            ),
        },
    )
    path = "orders/api.py"
    assert hosts(result) == [
        ("catalog", 15),
        ("inventory", 9),
        ("inventory", 10),
        ("payments", 11),
        ("shipping", 14),
        ("users", 12),
    ]
    targets = {c.evidence.line: c.target for c in result.calls}
    assert targets[10] == "http://inventory:8000/items/{item_id}"
    assert targets[14] == "http://shipping:{%d}/ship/{%s}"
    assert targets[15] == "http://catalog:{...}/c"
    assert result.unresolved == [
        Unresolved(
            "url",
            "URL from environment variable AUDIT_URL",
            Evidence(path, 16, 'requests.get(os.environ["AUDIT_URL"])', "code"),
        ),
        Unresolved(
            "url",
            "URL from environment variable LOCAL_URL (default http://localhost:9999)",
            Evidence(path, 17, 'requests.get(os.getenv("LOCAL_URL", "http://localhost:9999"))', "code"),
        ),
    ]
    # the literals the ast pass used are not reported a second time by the text pass
    assert [c for c in result.calls if c.evidence.how != "code"] == []


def test_hosts_built_at_run_time_are_unresolved(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/x.py": (
                "import requests\n"
                "def f(host, url, ns):\n"
                '    requests.get(f"http://{host}:8000/items")\n'
                "    requests.get(url)\n"
                '    requests.get("http://" + host + "/x")\n'
                '    requests.get(f"http://inventory.{ns}.svc.cluster.local/items")\n'
                '    requests.get("/items")\n'
                '    requests.get(f"http://user:{ns}@billing:8000/x")\n'
                '    requests.get(f"http://inventory{ns}/x")\n'
            )
        },
    )
    assert sorted((u.evidence.line, u.kind, u.reason) for u in result.unresolved) == [
        (3, "url", "host built at run time: http://{host}:8000/items"),
        (4, "url", "URL built at run time: {url}"),
        (5, "url", "host built at run time: http://{host}/x"),
        (7, "url", "relative URL without a base: /items"),
        (9, "url", "host built at run time: http://inventory{ns}/x"),
    ]
    assert [(c.host, c.evidence.line) for c in result.calls] == [
        ("billing", 8),
        ("inventory.{ns}.svc.cluster.local", 6),
    ]


def test_clients_and_constants_imported_from_other_modules_of_the_service(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/__init__.py": "",
            "svc/clients.py": (
                "import httpx\n"
                'inventory = httpx.Client(base_url="http://inventory:8000")\n'
                'def make(): return httpx.Client(base_url="http://unused:1")\n'
            ),
            "svc/views.py": "from svc.clients import inventory\ndef items():\n    return inventory.get('/items')\n",
            "svc/admin.py": "from .clients import (\n    inventory as inv,\n)\ninv.delete('/items/1')\n",
        },
    )
    assert result.calls == [
        code("inventory", "http://inventory:8000/items", "svc/views.py", 3, "return inventory.get('/items')"),
        code("inventory", "http://inventory:8000/items/1", "svc/admin.py", 4, "inv.delete('/items/1')"),
        Call(
            "unused",
            "http://unused:1",
            "http",
            Evidence(
                "svc/clients.py",
                3,
                'def make(): return httpx.Client(base_url="http://unused:1")',
                "source-text",
            ),
        ),
    ]


def test_urllib_and_grpc(write_tree: WriteTree) -> None:
    result = scan(
        write_tree,
        {
            "svc/legacy.py": (
                "import grpc\n"
                "import urllib.request\n"
                "from urllib.request import Request, urlopen\n"
                "from grpc import aio\n"
                'ADDR = "dns:///ledger:50051"\n'
                "def f(port):\n"
                '    urllib.request.urlopen("http://inventory:8000/x")\n'
                '    urlopen(Request("http://payments:8000/y", data=b""))\n'
                '    req = Request("http://users:8080/z")\n'
                "    urlopen(req)\n"
                '    grpc.insecure_channel("pricing:50051")\n'
                '    grpc.secure_channel(f"tax:{port}", None)\n'
                "    aio.insecure_channel(target=ADDR)\n"
                '    grpc.aio.secure_channel(f"{port}:50051", None)\n'
            )
        },
    )
    path = "svc/legacy.py"
    assert result.calls == [
        code(
            "inventory",
            "http://inventory:8000/x",
            path,
            7,
            'urllib.request.urlopen("http://inventory:8000/x")',
        ),
        code("ledger", "ledger:50051", path, 13, "aio.insecure_channel(target=ADDR)", "grpc"),
        code(
            "payments",
            "http://payments:8000/y",
            path,
            8,
            'urlopen(Request("http://payments:8000/y", data=b""))',
        ),
        code("pricing", "pricing:50051", path, 11, 'grpc.insecure_channel("pricing:50051")', "grpc"),
        code("tax", "tax:{port}", path, 12, 'grpc.secure_channel(f"tax:{port}", None)', "grpc"),
        code("users", "http://users:8080/z", path, 9, 'req = Request("http://users:8080/z")'),
    ]
    assert [(u.kind, u.evidence.line) for u in result.unresolved] == [("url", 14)]


def test_analysed_code_is_never_executed(write_tree: WriteTree, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    result = scan(
        write_tree,
        {
            "evil/__init__.py": f"open({str(marker)!r}, 'w').write('ran')\n",
            "evil/client.py": (
                "import requests\n"
                f"URL = open({str(marker)!r}, 'w').write('ran') or 'http://inventory:1/x'\n"
                "requests.get(URL)\n"
            ),
        },
    )
    assert not marker.exists()
    assert [(u.kind, u.evidence.line) for u in result.unresolved] == [("url", 3)]
    assert hosts(result, "source-text") == [("inventory", 2)]

"""fitness score on the shop with a scripted git history (examples/make_shop_history.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.conftest import run_fitness

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "examples" / "make_shop_history.py"

pytest.importorskip("fitness.collect.git.history", reason="the git history collector is not built yet")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git program")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("history") / "shop"
    subprocess.run([sys.executable, str(SCRIPT), str(target)], check=True, capture_output=True)
    return target


def score(path: Path, *args: str) -> tuple[int, str]:
    result = run_fitness("score", str(path), "--no-cache", *args)
    return result.returncode, result.stdout


def table(path: Path) -> dict:
    code, out = score(path, "--format", "json")
    assert code == 0, out
    return json.loads(out)


def test_the_script_is_deterministic(shop: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(SCRIPT), str(again)], check=True, capture_output=True)
    head = ["git", "rev-parse", "HEAD"]
    assert (
        subprocess.run(head, cwd=shop, capture_output=True, text=True).stdout
        == subprocess.run(head, cwd=again, capture_output=True, text=True).stdout
    )


def test_orders_and_inventory_must_merge(shop: Path) -> None:
    data = table(shop)
    assert data["history"]["available"] is True
    rows = {row["name"]: row for row in data["services"]}
    for name, partner in (("orders", "inventory"), ("inventory", "orders")):
        assert rows[name]["verdict"] == "merge"
        assert rows[name]["merge_with"] == [partner]
        assert "co-change" in rows[name]["reason"]
    pair = data["pairs"][0]
    assert pair["services"] == ["inventory", "orders"]
    assert pair["integrators"]["co_change"]["score"] >= 0.9
    assert pair["integrators"]["transactions"]["score"] == 1.0


def test_payments_splits_off_the_volatile_part(shop: Path) -> None:
    payments = {row["name"]: row for row in table(shop)["services"]}["payments"]
    assert payments["verdict"] == "split"
    assert payments["parts"][0]["modules"] == ["payments.fraud"]
    assert payments["disintegrators"]["volatility"]["score"] > 0.5
    assert "payments.fraud" in payments["reason"]


def test_text_and_markdown(shop: Path) -> None:
    code, text = score(shop, "--full")  # the whole table; without --full a short summary (issue 17)
    assert code == 0
    assert text.splitlines()[0].split() == ["service", "verdict", "split", "merge"]
    assert "merge orders with inventory" in text
    code, markdown = score(shop, "--format", "markdown")
    assert "| payments | **split** |" in markdown


def test_rules_gate_the_pressures(shop: Path) -> None:
    (shop / "fitness.yaml").write_text(
        (shop / "fitness.yaml").read_text(encoding="utf-8")
        + "  - {id: split, type: max-split-pressure, max: 0.6}\n"
        + "  - {id: merge, type: max-merge-pressure, max: 0.9, pairs: ['orders <-> inventory']}\n",
        encoding="utf-8",
    )
    result = run_fitness("check", str(shop), "--no-cache", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    codes = {(f["code"], tuple(f["subjects"])) for f in findings if f["code"] in ("FIT129", "FIT130")}
    assert codes == {("FIT129", ("payments",)), ("FIT130", ("inventory", "orders"))}


def test_without_history_the_rest_still_works(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    shutil.copytree(
        REPO / "examples" / "shop", target, ignore=shutil.ignore_patterns(".fitness_cache", "__pycache__")
    )
    data = table(target)
    assert data["history"]["available"] is False
    rows = {row["name"]: row for row in data["services"]}
    assert rows["orders"]["verdict"] == "merge"
    assert data["pairs"][0]["integrators"]["co_change"]["status"] == "unavailable"
    _, text = score(target)
    assert "git history unavailable" in text

"""`fitness check` with git history: the max-co-change rule, --since, the distributed-monolith signal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fitness.model.service_view import ServiceView, monolith_groups
from fitness.pipeline import Options, run
from tests.functional.conftest import run_fitness
from tests.git_helpers import shop_history

CONFIG = """\
version: 1
packages: [shop]
services:
  orders: {paths: [shop/orders]}
  billing: {paths: [shop/billing]}
  catalog: {paths: [shop/catalog]}
rules:
  - id: deploy-alone
    type: max-co-change
    max: 50
    because: services that always change together must deploy together
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = shop_history(tmp_path_factory.mktemp("functional") / "shop")
    (root / "fitness.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def test_max_co_change_fails_on_services_that_change_together(shop: Path) -> None:
    result = run_fitness("check", str(shop), "--no-cache")
    assert result.returncode == 1, result.stderr
    assert "FIT128" in result.stdout
    assert "billing and orders change together in 80% of their commits (max 50%)" in result.stdout
    assert "6 shared of 6 and 9" in result.stdout


def test_since_narrows_the_window(shop: Path) -> None:
    result = run_fitness("check", str(shop), "--no-cache", "--since", "2024-01-07", "-f", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    history = json.loads(result.stdout)["summary"]["history"]
    assert history["available"] and history["since"] == "2024-01-07" and history["commits"] == 8
    bad = run_fitness("check", str(shop), "--since", "soon")
    assert bad.returncode == 2 and "since" in bad.stderr and "12 months" in bad.stderr


def test_packages_level_and_a_higher_max(shop: Path, tmp_path: Path) -> None:
    config = tmp_path / "packages.yaml"
    config.write_text(CONFIG.replace("max: 50", "max: 50\n    level: packages"), encoding="utf-8")
    result = run_fitness("check", str(shop), "--no-cache", "--config", str(config))
    assert result.returncode == 1 and "shop.billing and shop.orders change together" in result.stdout
    config.write_text(CONFIG.replace("max: 50", "max: 80"), encoding="utf-8")
    assert run_fitness("check", str(shop), "--no-cache", "--config", str(config)).returncode == 0


def test_co_change_feeds_the_distributed_monolith_signal(shop: Path) -> None:
    analysis = run(shop, Options(cache=False))
    groups = monolith_groups(ServiceView.from_graph(analysis.graph))
    assert groups == [(["billing", "orders"], {"co-change": ["billing and orders change together (80.0%)"]})]


def test_without_git_history_the_check_still_runs(shop: Path, tmp_path: Path) -> None:
    """max-co-change has nothing to fail on; the warning says why."""
    copy = tmp_path / "copy"
    shutil.copytree(shop, copy, ignore=shutil.ignore_patterns(".git"))
    result = run_fitness("check", str(copy), "--no-cache", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert "git history unavailable (not a git repository)" in result.stderr
    history = json.loads(result.stdout)["summary"]["history"]
    assert history["available"] is False and history["reason"] == "not a git repository"

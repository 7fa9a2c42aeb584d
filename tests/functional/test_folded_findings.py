"""A utility package that imports several apps is one finding (ADR 12), on a real package built by grimp:
the apps listed with their import counts, chains for each, a fix that counts the imports it removes; the
baseline still records one entry per app (the format of before the fold), so a new import, or an app
reached for the first time, is new, a moved line is known, and old baselines still match or migrate."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import WriteTree
from tests.functional.conftest import check_with_baseline as check
from tests.functional.conftest import run_fitness
from tests.functional.conftest import update_baseline as update

CONFIG = """\
packages: [app]
rules:
  - id: shared-code
    type: forbidden
    source_modules: [app.utils]
    forbidden_modules: [app.billing, app.catalog, app.orders, app.shipping]
"""

PROJECT = {
    "fitness.yaml": CONFIG,
    "app/__init__.py": "",
    "app/utils/__init__.py": "",
    "app/utils/money.py": "from app.orders import models\n",
    "app/utils/dates.py": "from app.orders import api\n",
    "app/utils/text.py": "from app.billing import invoice\n",
    "app/orders/__init__.py": "",
    "app/orders/models.py": "from app.catalog import items\n",
    "app/orders/api.py": "",
    "app/billing/__init__.py": "",
    "app/billing/invoice.py": "",
    "app/catalog/__init__.py": "",
    "app/catalog/items.py": "",
    "app/shipping/__init__.py": "",
    "app/shipping/rates.py": "",
}

MESSAGE = (
    "app.utils imports 2 forbidden modules and reaches 1 more: app.orders (2 imports), app.billing (1); "
    "through other modules: app.catalog"
)
# what fitness wrote before the fold: one entry per (source, forbidden module), its old message
PAIRS = {
    "app.billing": (["app.utils.text -> app.billing.invoice"], "app.utils imports forbidden app.billing"),
    "app.catalog": (["app.utils.money -> app.orders.models"], "app.utils reaches forbidden app.catalog"),
    "app.orders": (
        ["app.utils.dates -> app.orders.api", "app.utils.money -> app.orders.models"],
        "app.utils imports forbidden app.orders",
    ),
}


@pytest.fixture
def project(write_tree: WriteTree) -> Path:
    return write_tree(PROJECT)


def findings_of(root: Path) -> list[dict]:
    result = run_fitness("check", str(root), "--no-cache", "--format", "json")
    assert result.returncode == 1, result.stderr
    return [f for f in json.loads(result.stdout)["findings"] if f["code"] == "FIT102"]


def rule_entries(root: Path) -> dict:
    """The baseline file with the entries of the rule only (the smells' entries left out)."""
    document = json.loads((root / "b.json").read_text())
    document["findings"] = [entry for entry in document["findings"] if entry["code"] == "FIT102"]
    return document


def _hash(*fields: str) -> str:
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:16]


def old_entry(target: str, version: int) -> dict:
    """A baseline entry as fitness wrote it before the fold (fingerprints by the formula of then)."""
    imports, message = PAIRS[target]
    key = _hash("FIT102", "shared-code", "app.utils", target)
    entry = {
        "fingerprint": key,
        "code": "FIT102",
        "rule": "shared-code",
        "subjects": ["app.utils", target],
        "message": message,
    }
    if version >= 2:
        entry["key"] = key
        entry["imports"] = imports
        entry["fingerprint"] = _hash("FIT102", "shared-code", "app.utils", target, "\x1e", *imports)
    return entry


def test_a_utility_package_importing_three_apps_is_one_finding(project: Path) -> None:
    (finding,) = findings_of(project)
    assert finding["message"] == MESSAGE
    assert finding["subjects"] == ["app.utils", "app.billing", "app.catalog", "app.orders"]
    assert finding["data"]["targets"] == [
        {"module": "app.orders", "direct": 2, "routes": 2},
        {"module": "app.billing", "direct": 1, "routes": 1},
        {"module": "app.catalog", "direct": 0, "routes": 1},
    ]
    assert finding["fix"].startswith(
        "cut the 3 imports out of app.utils that lead to them (3 direct); first, cut the import "
    )
    chains = [[(link["importer"], link["imported"]) for link in chain] for chain in finding["chains"]]
    assert chains == [  # every app has its chain, shortest first
        [("app.utils.dates", "app.orders.api")],
        [("app.utils.money", "app.orders.models")],
        [("app.utils.text", "app.billing.invoice")],
        [("app.utils.money", "app.orders.models"), ("app.orders.models", "app.catalog.items")],
    ]
    first = finding["chains"][0][0]
    assert finding["locations"][0] == {"path": first["path"], "line": first["line"]}
    assert [part["subjects"][1] for part in finding["parts"]] == ["app.billing", "app.catalog", "app.orders"]


def test_the_text_output_lists_the_apps_and_the_fix(project: Path) -> None:
    result = run_fitness("check", str(project), "--no-cache")
    assert result.returncode == 1
    assert f"app/utils/dates.py:1: FIT102 error [shared-code] {MESSAGE}\n" in result.stdout
    assert "    fix: cut the 3 imports out of app.utils that lead to them (3 direct)" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("FAILED: 1 error,")


def test_the_baseline_keeps_one_entry_per_app_as_before_the_fold(project: Path) -> None:
    assert update(project).returncode == 0
    assert rule_entries(project) == {"version": 2, "findings": [old_entry(t, 2) for t in sorted(PAIRS)]}
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert f"{MESSAGE} (in baseline)" in result.stdout


def test_a_new_import_into_an_app_already_listed_is_new(project: Path) -> None:
    assert update(project).returncode == 0
    (project / "app/utils/dates.py").write_text(
        "from app.orders import api\nfrom app.billing import invoice\n"
    )
    result = check(project)
    assert result.returncode == 1, result.stdout
    assert "(in baseline)" not in result.stdout
    assert "new since the baseline: app.utils.dates -> app.billing.invoice (to app.billing)" in result.stdout
    assert "stale baseline entry" not in result.stdout


def test_an_app_reached_for_the_first_time_through_a_known_import_is_new(project: Path) -> None:
    assert update(project).returncode == 0
    (project / "app/orders/models.py").write_text(
        "from app.catalog import items\nfrom app.shipping import rates\n"
    )
    result = check(project, "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    (finding,) = document["findings"]
    assert "app.shipping" in finding["subjects"]
    assert document["baseline_state"] == {finding["fingerprint"]: "new"}
    assert finding["data"]["new_imports"] == ["app.utils.money -> app.orders.models (to app.shipping)"]


def test_moving_the_imports_to_other_lines_stays_known(project: Path) -> None:
    assert update(project).returncode == 0
    (project / "app/utils/money.py").write_text(
        '"""Money."""\n\nimport os\n\nfrom app.orders import models\n'
    )
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert f"{MESSAGE} (in baseline)" in result.stdout


def test_an_app_no_longer_imported_leaves_its_entry_stale_and_the_rest_known(project: Path) -> None:
    assert update(project).returncode == 0
    (project / "app/utils/text.py").write_text("")
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "(in baseline)" in result.stdout
    assert "stale baseline entry (fixed, remove it): FIT102 app.utils imports forbidden app.billing" in (
        result.stdout
    )


def test_a_version_2_baseline_written_before_the_fold_still_matches(project: Path) -> None:
    document = {"version": 2, "findings": [old_entry(t, 2) for t in sorted(PAIRS)]}
    (project / "b.json").write_text(json.dumps(document))
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert result.stderr == ""  # nothing to migrate
    rewritten = update(project)
    assert rewritten.returncode == 0 and "migrated" not in rewritten.stderr
    assert rule_entries(project) == document


def test_a_version_1_baseline_of_pairs_is_matched_and_migrated_with_a_message(project: Path) -> None:
    old = [old_entry(t, 1) for t in sorted(PAIRS)]
    gone = {**old_entry("app.billing", 1), "subjects": ["app.utils", "app.legacy"]}
    gone.update(fingerprint=_hash("FIT102", "shared-code", "app.utils", "app.legacy"))
    gone["message"] = "app.utils imports forbidden app.legacy"
    (project / "b.json").write_text(json.dumps({"version": 1, "findings": [*old, gone]}))
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert f"{MESSAGE} (in baseline)" in result.stdout
    assert "baseline version 1 matches findings by rule and subjects only" in result.stderr

    migrated = update(project)
    assert migrated.returncode == 0
    assert migrated.stderr.splitlines()[:3] == [
        f"migrated {project / 'b.json'} from baseline version 1 (rule and subjects) to version 2 "
        "(rule, subjects and the imports behind each finding)",
        "dropped 1 baseline entry that no finding matches any more (fixed):",
        "  FIT102 [shared-code] app.utils, app.legacy: app.utils imports forbidden app.legacy",
    ]
    assert rule_entries(project) == {"version": 2, "findings": [old_entry(t, 2) for t in sorted(PAIRS)]}
    assert check(project).returncode == 0

"""A baseline records the imports behind each finding: a new import between known packages is new, a moved
one is not; old (version 1) baselines still work, with a warning, and --update-baseline migrates them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import WriteTree
from tests.functional.conftest import check_with_baseline as check
from tests.functional.conftest import update_baseline as update

CONFIG = """\
packages: [app]
rules:
  - id: domain-is-pure
    type: forbidden
    source_modules: [app.domain]
    forbidden_modules: [app.adapters]
"""

PROJECT = {
    "fitness.yaml": CONFIG,
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/book.py": "from app.adapters import db\n",
    "app/domain/loan.py": "LOAN_DAYS = 14\n",
    "app/adapters/__init__.py": "",
    "app/adapters/db.py": "",
    "app/adapters/mail.py": "",
}


@pytest.fixture
def project(write_tree: WriteTree) -> Path:
    return write_tree(PROJECT)


def test_a_second_import_between_known_packages_is_new(project: Path) -> None:
    assert update(project).returncode == 0
    entry = json.loads((project / "b.json").read_text())["findings"][0]
    assert entry["imports"] == ["app.domain.book -> app.adapters.db"]
    assert check(project).returncode == 0
    (project / "app/domain/loan.py").write_text("from app.adapters.mail import send\nLOAN_DAYS = 14\n")
    result = check(project)
    assert result.returncode == 1, result.stdout
    assert (
        "[domain-is-pure] app.domain imports forbidden app.adapters\n" in result.stdout
    )  # no "(in baseline)"
    assert "new since the baseline: app.domain.loan -> app.adapters.mail" in result.stdout
    assert "stale baseline entry" not in result.stdout  # the old entry is not fixed, it is outgrown
    document = json.loads(check(project, "--format", "json").stdout)
    (finding,) = document["findings"]
    assert document["baseline_state"] == {finding["fingerprint"]: "new"}
    assert finding["data"]["new_imports"] == ["app.domain.loan -> app.adapters.mail"]


def test_a_second_import_from_the_same_module_is_new_too(project: Path) -> None:
    assert update(project).returncode == 0
    (project / "app/domain/book.py").write_text(
        "from app.adapters import db\nfrom app.adapters import mail\n"
    )
    result = check(project)
    assert result.returncode == 1
    assert "new since the baseline: app.domain.book -> app.adapters.mail" in result.stdout


def test_moving_an_import_to_another_line_stays_known(project: Path) -> None:
    assert update(project).returncode == 0
    (project / "app/domain/book.py").write_text(
        '"""Books."""\n\nimport os\n\n\nfrom app.adapters import db\n'
    )
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "(in baseline)" in result.stdout
    assert "app/domain/book.py:6:" in result.stdout  # the finding moved with the line


def test_fixing_one_of_two_known_imports_stays_known(project: Path) -> None:
    (project / "app/domain/loan.py").write_text("from app.adapters import mail\n")
    assert update(project).returncode == 0
    (project / "app/domain/loan.py").write_text("LOAN_DAYS = 14\n")
    result = check(project)
    assert result.returncode == 0, result.stdout
    assert "(in baseline)" in result.stdout


def _old_fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def test_a_version_1_baseline_still_works_and_is_migrated(project: Path) -> None:
    pure = ("FIT102", "domain-is-pure", "app.domain", "app.adapters")
    gone = ("FIT102", "domain-is-pure", "app.domain", "app.legacy")
    old = {
        "version": 1,
        "findings": [
            {
                "fingerprint": _old_fingerprint(*key),
                "code": key[0],
                "rule": key[1],
                "subjects": list(key[2:]),
                "message": f"{key[2]} imports forbidden {key[3]}",
            }
            for key in (pure, gone)
        ],
    }
    (project / "b.json").write_text(json.dumps(old))
    result = check(project)
    assert result.returncode == 0, result.stdout  # matched by rule and subjects, as before
    assert "(in baseline)" in result.stdout
    assert "baseline version 1 matches findings by rule and subjects only" in result.stderr
    assert "--update-baseline" in result.stderr
    assert (
        "stale baseline entry (fixed, remove it): FIT102 app.domain imports forbidden app.legacy"
        in result.stdout
    )

    migrated = update(project)
    assert migrated.returncode == 0
    assert migrated.stderr.splitlines() == [
        f"migrated {project / 'b.json'} from baseline version 1 (rule and subjects) to version 2 "
        "(rule, subjects and the imports behind each finding)",
        "dropped 1 baseline entry that no finding matches any more (fixed):",
        "  FIT102 [domain-is-pure] app.domain, app.legacy: app.domain imports forbidden app.legacy",
        f"baseline written: {project / 'b.json'} (1 findings)",
    ]
    document = json.loads((project / "b.json").read_text())
    assert document["version"] == 2
    assert [entry["imports"] for entry in document["findings"]] == [["app.domain.book -> app.adapters.db"]]
    result = check(project)
    assert result.returncode == 0 and result.stderr == ""


def test_update_refuses_to_overwrite_a_corrupt_baseline(project: Path) -> None:
    (project / "b.json").write_text("{not json")
    result = update(project)
    assert result.returncode == 2
    assert "corrupt baseline (fix or delete it first)" in result.stderr
    assert (project / "b.json").read_text() == "{not json"

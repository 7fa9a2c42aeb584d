"""Custom rule types: by dotted path and from the ``fitness.rules`` entry point group."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import WriteTree
from tests.functional.conftest import fitness_bin

PLUGIN = '''
from typing import ClassVar

from fitness.rules.base import Option, RuleContext, RuleType


class NoModuleNamedUtils(RuleType):
    """Teams ban catch-all 'utils' modules; this rule finds them."""

    name = "no-utils"
    code = "ACME001"
    summary = "No module may be called utils."
    options: ClassVar[tuple[Option, ...]] = (Option("word", "str", default="utils", help="banned name"),)

    def check(self, context: RuleContext):
        word = self.opts["word"]
        return [
            self.finding(f"{module} is a catch-all module", (module,))
            for module in sorted(context.view.modules)
            if module.rsplit(".", 1)[-1] == word
        ]
'''

PROJECT = {
    "app/__init__.py": "",
    "app/utils.py": "",
    "app/core.py": "from app import utils\n",
    "plugins/acme_rules.py": PLUGIN,
    "plugins/acme_rules-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n",
    "plugins/acme_rules-1.0.dist-info/entry_points.txt": "[fitness.rules]\nno-utils = acme_rules:NoModuleNamedUtils\n",
}


def run(root: Path, config: str) -> subprocess.CompletedProcess[str]:
    (root / "fitness.yaml").write_text(config)
    env = {**os.environ, "PYTHONPATH": str(root / "plugins")}
    return subprocess.run(
        [fitness_bin(), "check", str(root), "--no-cache", "--allow-plugins"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_dotted_path_rule_type(write_tree: WriteTree) -> None:
    root = write_tree(PROJECT)
    result = run(root, "packages: [app]\nrules:\n  - {id: tidy, type: 'acme_rules:NoModuleNamedUtils'}\n")
    assert result.returncode == 1, result.stderr
    assert "ACME001 error [tidy] app.utils is a catch-all module" in result.stdout


def test_entry_point_rule_type_with_options(write_tree: WriteTree) -> None:
    root = write_tree(PROJECT)
    result = run(root, "packages: [app]\nrules:\n  - {id: tidy, type: no-utils, word: core}\n")
    assert result.returncode == 1, result.stderr
    assert "[tidy] app.core is a catch-all module" in result.stdout


def test_dotted_path_that_is_not_a_rule_type(write_tree: WriteTree) -> None:
    root = write_tree(PROJECT)
    result = run(root, "packages: [app]\nrules:\n  - {id: tidy, type: 'os.path:join'}\n")
    assert result.returncode == 2
    assert (
        "fitness.yaml:3: rule 'tidy': 'os.path:join' is not a fitness.rules.base.RuleType subclass"
        in result.stderr
    )


NEEDY_PLUGIN = """
from typing import ClassVar

from fitness.rules.base import Need, RuleType


class NoRequests(RuleType):
    name = "no-requests"
    code = "ACME002"
    needs: ClassVar[frozenset[Need]] = frozenset({Need.EXTERNAL_IMPORTS})

    def check(self, context):
        return [
            self.finding(f"{module} imports requests", (module,))
            for module, names in sorted(context.view.external.items())
            if "requests" in names
        ]


class NeedsServices(RuleType):
    name = "needs-services"
    code = "ACME003"
    needs: ClassVar[frozenset[Need]] = frozenset({Need.SERVICES})

    def check(self, context):
        return []
"""


def test_a_plugin_rule_declares_what_it_needs(write_tree: WriteTree) -> None:
    root = write_tree({**PROJECT, "app/core.py": "import requests\n", "plugins/acme_needs.py": NEEDY_PLUGIN})
    result = run(root, "packages: [app]\nrules:\n  - {id: http, type: 'acme_needs:NoRequests'}\n")
    assert result.returncode == 1, result.stderr
    assert "ACME002 error [http] app.core imports requests" in result.stdout  # externals were collected
    result = run(root, "packages: [app]\nrules:\n  - {id: svc, type: 'acme_needs:NeedsServices'}\n")
    assert result.returncode == 2
    assert "rule 'svc' (needs-services): no services found" in result.stderr

"""Custom rule types with typed options (the README's example) and with needs beyond the import graph."""

from __future__ import annotations

from tests.conftest import WriteTree
from tests.functional.conftest import REPO
from tests.functional.test_custom_rules import PROJECT, run


def readme_plugin() -> str:
    """The typed plugin rule the README shows under "Custom rule types"."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("### Custom rule types", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_plugin_gets_typed_coerced_options(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            **PROJECT,
            "app/helpers.py": "",
            "app/sub/__init__.py": "",
            "app/sub/helpers.py": "",
            "plugins/readme_rules.py": readme_plugin(),
        }
    )
    rule = "  - {id: tidy, type: 'readme_rules:NoUtils', words: helpers, max_hits: 1}\n"
    result = run(root, "packages: [app]\nrules:\n" + rule)
    assert result.returncode == 1, result.stderr
    assert "ACME001 error [tidy] app.helpers is a catch-all module" in result.stdout  # "helpers": a list
    assert "app.sub.helpers" not in result.stdout and "app.utils" not in result.stdout  # max_hits: 1
    result = run(root, "packages: [app]\nrules:\n  - {id: tidy, type: 'readme_rules:NoUtils', max_hit: 2}\n")
    assert result.returncode == 2
    assert (
        "fitness.yaml:3: rule 'tidy': unknown key 'max_hit' for rule type 'no-utils'; did you mean 'max_hits'?"
        in (result.stderr)
    )
    result = run(
        root, "packages: [app]\nrules:\n  - id: tidy\n    type: 'readme_rules:NoUtils'\n    max_hits: many\n"
    )
    assert result.returncode == 2
    assert "fitness.yaml:5: rule 'tidy': max_hits: expected an integer" in result.stderr


NEEDS_HISTORY_AND_GRANULARITY = """
from typing import ClassVar

from fitness.rules.base import Need, RuleType


class Pressure(RuleType):
    name = "pressure"
    code = "ACME004"
    needs: ClassVar[frozenset[Need]] = frozenset({Need.GRANULARITY})

    def check(self, context):
        return [
            self.finding(f"{name} split pressure {values['split_pressure']:.2f}", (name,))
            for name, values in sorted(context.metrics.get("services", {}).items())
        ]


class Unscored(Pressure):
    name = "unscored"
    needs: ClassVar[frozenset[Need]] = frozenset()


class Churn(RuleType):
    name = "churn"
    code = "ACME005"
    needs: ClassVar[frozenset[Need]] = frozenset({Need.HISTORY})

    def check(self, context):
        return []
"""


def test_a_plugin_rule_can_need_the_granularity_table_and_git_history(write_tree: WriteTree) -> None:
    root = write_tree({**PROJECT, "plugins/acme_more.py": NEEDS_HISTORY_AND_GRANULARITY})
    result = run(root, "packages: [app]\nrules:\n  - {id: p, type: 'acme_more:Pressure'}\n")
    assert result.returncode == 1, result.stderr
    assert "ACME004 error [p] app.core split pressure 0.00" in result.stdout  # packages stand in for services
    result = run(root, "packages: [app]\nrules:\n  - {id: p, type: 'acme_more:Unscored'}\n")
    assert result.returncode == 0 and "ACME004" not in result.stdout  # not asked for: not computed
    result = run(root, "packages: [app]\nrules:\n  - {id: c, type: 'acme_more:Churn'}\n")
    assert result.returncode == 0 and "not a git repository" in result.stderr  # asked for: a warning
    result = run(root, "packages: [app]\nrules:\n  - {id: p, type: 'acme_more:Unscored'}\n")
    assert "not a git repository" not in result.stderr


NEEDS_METRICS = """
from typing import ClassVar

from fitness.rules.base import Need, RuleType


class Unstable(RuleType):
    name = "unstable"
    code = "ACME006"
    needs: ClassVar[frozenset[Need]] = frozenset({Need.METRICS})

    def check(self, context):
        rows = context.metrics.get("packages", {})
        return [self.finding(f"{name} instability {row['instability']:.2f}", (name,)) for name, row in sorted(rows.items())]


class Unasked(Unstable):
    name = "unasked"
    needs: ClassVar[frozenset[Need]] = frozenset()
"""


def test_a_plugin_rule_that_needs_package_metrics_gets_them(write_tree: WriteTree) -> None:
    """Package metrics are computed for a check only when something reads them: a package smell, the
    JSON format, or a rule that declares ``Need.METRICS``."""
    root = write_tree({**PROJECT, "plugins/acme_metrics.py": NEEDS_METRICS})
    smells_off = "analysis: {package_cycles: false, hub_like: false, unstable_dependency: false}\n"
    result = run(
        root, "packages: [app]\n" + smells_off + "rules:\n  - {id: u, type: 'acme_metrics:Unstable'}\n"
    )
    assert result.returncode == 1, result.stderr
    assert "ACME006 error [u] app.core instability 1.00" in result.stdout
    assert "ACME006 error [u] app.utils instability 0.00" in result.stdout
    result = run(
        root, "packages: [app]\n" + smells_off + "rules:\n  - {id: u, type: 'acme_metrics:Unasked'}\n"
    )
    assert result.returncode == 0 and "ACME006" not in result.stdout  # not asked for: not computed
    result = run(root, "packages: [app]\nrules:\n  - {id: u, type: 'acme_metrics:Unasked'}\n")
    assert result.returncode == 1 and "app.core instability" in result.stdout  # the smells read them anyway

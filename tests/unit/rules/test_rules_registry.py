"""The built-in rule types: registered once each, documented, and with an example that is valid config."""

from __future__ import annotations

import textwrap

import pytest

from fitness.config.loader import load_config
from fitness.rules.base import Need, RuleType
from fitness.rules.evaluate import build_rules, rule_needs
from fitness.rules.registry import BUILTIN_PATHS, builtin, by_code, rule_types

NEW_TYPES = [
    "layers",
    "independence",
    "allowed-only",
    "public-api",
    "acyclic",
    "no-external",
    "max-fan-out",
    "max-instability",
    "max-cycle-size",
]


def test_codes_are_unique_and_resolve_back_to_their_rule_type():
    codes = {rule.code for rule in rule_types().values()}

    assert len(codes) == len(BUILTIN_PATHS)
    assert {f"FIT1{n:02d}" for n in range(1, 11)} <= codes
    assert all(by_code(rule.code) is rule for rule in rule_types().values())


def test_every_registered_path_names_the_rule_type_of_that_name():
    for name in BUILTIN_PATHS:
        rule = builtin(name)
        assert rule is not None and issubclass(rule, RuleType)
        assert rule.name == name
    assert builtin("no-such-type") is None


def test_a_check_imports_only_the_rule_types_its_config_names(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from fitness.model.rulespec import RuleSpec\n"
        "from fitness.rules.registry import resolve\n"
        "resolve(RuleSpec(id='l', type='layers', options={}))\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    rule_modules = {path.partition(":")[0] for path in BUILTIN_PATHS.values()}

    assert rule_modules & set(done.stdout.split()) == {"fitness.rules.layers"}


@pytest.mark.parametrize("name", NEW_TYPES)
def test_each_rule_type_is_documented(name):
    rule = rule_types()[name]

    assert rule.name == name
    assert rule.summary and rule.advice and rule.example
    assert all(option.help for option in rule.options)


@pytest.mark.parametrize("name", NEW_TYPES)
def test_the_example_is_a_valid_rule_entry(tmp_path, name):
    example = textwrap.indent(rule_types()[name].example, "  ")
    (tmp_path / "fitness.yaml").write_text(f"version: 1\nrules:\n{example}", encoding="utf-8")

    config = load_config(tmp_path)
    [rule] = build_rules(config.rules)

    assert rule.spec.type == name


def test_rules_that_read_third_party_imports_ask_for_them(tmp_path):
    specs = load_config_text(tmp_path, "- type: no-external\n  forbidden: [requests]\n")
    assert rule_needs(specs) == {Need.EXTERNAL_IMPORTS}
    assert rule_needs(load_config_text(tmp_path, "- type: acyclic\n")) == set()


def test_every_rule_type_declares_its_needs_in_one_place():
    needs = {name: rule.requirements() for name, rule in rule_types().items() if rule.requirements()}
    assert needs == {
        "allowed-only": {Need.EXTERNAL_IMPORTS},
        "no-external": {Need.EXTERNAL_IMPORTS},
        "max-co-change": {Need.HISTORY},
        "max-split-pressure": {Need.GRANULARITY},
        "max-merge-pressure": {Need.GRANULARITY},
        **{name: {Need.SERVICES} for name, rule in rule_types().items() if Need.SERVICES in rule.needs},
    }
    assert {"no-shared-database", "max-sync-chain"} <= {
        n for n, found in needs.items() if Need.SERVICES in found
    }


def test_plugin_rule_types_written_before_needs_still_ask(tmp_path):
    class Legacy(RuleType):
        name = "legacy"
        needs_external = True
        needs_granularity = True

    assert Legacy.requirements() == {Need.EXTERNAL_IMPORTS, Need.GRANULARITY}


def load_config_text(tmp_path, rules):
    (tmp_path / "fitness.yaml").write_text(
        f"version: 1\nrules:\n{textwrap.indent(rules, '  ')}", encoding="utf-8"
    )
    return load_config(tmp_path).rules

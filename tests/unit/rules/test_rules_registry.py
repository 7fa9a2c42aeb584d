"""The built-in rule types: registered once each, documented, and with an example that is valid config."""

from __future__ import annotations

import textwrap

import pytest

from fitness.config.loader import load_config
from fitness.rules.evaluate import build_rules, needs_external
from fitness.rules.registry import BUILTIN, by_code

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
    codes = {rule.code for rule in BUILTIN.values()}

    assert len(codes) == len(BUILTIN)
    assert {f"FIT1{n:02d}" for n in range(1, 11)} <= codes
    assert all(by_code(rule.code) is rule for rule in BUILTIN.values())


@pytest.mark.parametrize("name", NEW_TYPES)
def test_each_rule_type_is_documented(name):
    rule = BUILTIN[name]

    assert rule.name == name
    assert rule.summary and rule.advice and rule.example
    assert all(option.help for option in rule.options)


@pytest.mark.parametrize("name", NEW_TYPES)
def test_the_example_is_a_valid_rule_entry(tmp_path, name):
    example = textwrap.indent(BUILTIN[name].example, "  ")
    (tmp_path / "fitness.yaml").write_text(f"version: 1\nrules:\n{example}", encoding="utf-8")

    config = load_config(tmp_path)
    [rule] = build_rules(config.rules)

    assert rule.spec.type == name


def test_rules_that_read_third_party_imports_ask_for_them(tmp_path):
    specs = load_config_text(tmp_path, "- type: no-external\n  forbidden: [requests]\n")
    assert needs_external(specs)
    assert not needs_external(load_config_text(tmp_path, "- type: acyclic\n"))


def load_config_text(tmp_path, rules):
    (tmp_path / "fitness.yaml").write_text(
        f"version: 1\nrules:\n{textwrap.indent(rules, '  ')}", encoding="utf-8"
    )
    return load_config(tmp_path).rules

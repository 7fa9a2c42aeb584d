"""Typed rule options: every rule type reads its options from a frozen dataclass built from the checked and
coerced values; a plugin may declare one too, or keep reading a dict."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from fitness.model import Finding
from fitness.model.rulespec import RuleSpec
from fitness.rules.base import NoOptions, Option, RuleContext, RuleType
from fitness.rules.evaluate import build_rules
from fitness.rules.registry import rule_types


@dataclasses.dataclass(frozen=True)
class BannedOptions:
    words: list[str]
    limit: float
    strict: bool


class Banned(RuleType[BannedOptions]):
    """A plugin rule type with typed options."""

    name = "banned"
    code = "ACME010"
    options: ClassVar[tuple[Option, ...]] = (
        Option("words", "str_list", required=True, help="banned names"),
        Option("limit", "float", default=0.5, help="a number"),
        Option("strict", "bool", default=False, help="a flag"),
    )

    def check(self, context: RuleContext) -> list[Finding]:
        return []


class Untyped(RuleType):  # type: ignore[type-arg]  # a plugin written before typed options
    name = "untyped"
    code = "ACME011"
    options: ClassVar[tuple[Option, ...]] = (Option("word", "str", default="utils", help="a name"),)

    def check(self, context: RuleContext) -> list[Finding]:
        return []


def spec(kind: type[RuleType[object]], **options: object) -> RuleSpec:
    lines = {key: 10 + index for index, key in enumerate(options)}
    return RuleSpec(
        id="r", type=kind.name, options=options, option_lines=lines, line=9, source="fitness.yaml"
    )


def build(kind: type[RuleType[object]], **options: object) -> RuleType[object]:
    values, errors = kind.parse_options(spec(kind, **options))
    assert errors == []
    return kind(spec(kind, **options), values)


def test_a_plugin_with_an_options_dataclass_gets_coerced_typed_values() -> None:
    rule = build(Banned, words="utils", limit=1)
    assert Banned.options_class is BannedOptions
    assert rule.opts == BannedOptions(words=["utils"], limit=1.0, strict=False)
    assert isinstance(rule.opts, BannedOptions)
    assert isinstance(rule.opts.limit, float)  # 1 in YAML, a float as declared
    assert rule.option_value("words") == ["utils"]


def test_validation_messages_do_not_change_with_typed_options() -> None:
    _, errors = Banned.parse_options(spec(Banned, words=3, limitt=2, strict="yes"))
    assert [f"{e.line}: {e.message}" for e in errors] == [
        "11: rule 'r': unknown key 'limitt' for rule type 'banned'; did you mean 'limit'?",
        "10: rule 'r': words: expected a list of strings",
        "12: rule 'r': strict: expected true or false",
    ]


def test_a_plugin_without_one_keeps_reading_a_dict() -> None:
    rule = build(Untyped)
    assert Untyped.options_class is None
    assert rule.opts == {"word": "utils"}
    assert rule.option_value("word") == "utils"


def test_an_options_dataclass_that_misses_an_option_fails_when_defined() -> None:
    @dataclasses.dataclass(frozen=True)
    class Partial:
        words: list[str]

    with pytest.raises(
        TypeError, match=r"the fields of Partial \(words\) must be its options \(words, limit\)"
    ):

        class Drifted(RuleType[Partial]):
            options: ClassVar[tuple[Option, ...]] = (
                Option("words", "str_list"),
                Option("limit", "float", default=0.5),
            )


@pytest.mark.parametrize("name", sorted(rule_types()))
def test_every_built_in_rule_type_declares_typed_options(name: str) -> None:
    kind = rule_types()[name]
    assert kind.options_class is not None and dataclasses.is_dataclass(kind.options_class)
    assert kind.options_class.__dataclass_params__.frozen  # type: ignore[attr-defined]
    fields = [field.name for field in dataclasses.fields(kind.options_class)]
    assert sorted(fields) == sorted(option.name for option in kind.options)
    if not kind.options:
        assert kind.options_class is NoOptions


def test_built_rules_carry_their_options_dataclass() -> None:
    specs = [
        RuleSpec(id="f", type="forbidden", options={"source_modules": "a", "forbidden_modules": ["b"]}),
        RuleSpec(id="i", type="max-instability", options={"packages": ["a"], "max": 1}),
        RuleSpec(id="l", type="layers", options={"layers": ["a", "b | c"]}),
    ]
    forbidden, instability, layers = build_rules(specs)
    assert forbidden.opts == rule_types()["forbidden"].options_class(  # type: ignore[misc]
        source_modules=["a"], forbidden_modules=["b"], allow_indirect=False
    )
    assert instability.option_value("max") == 1.0 and isinstance(instability.option_value("max"), float)
    levels = layers.option_value("layers")
    assert isinstance(levels, list) and [level.tails for level in levels] == [("a",), ("b", "c")]

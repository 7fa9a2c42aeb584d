"""The JSON Schema of fitness.yaml: generated from the loader's keys and the rule registry, and it agrees
with the loader on what is valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from fitness.config import load_config, loader
from fitness.config.schema import SERVICE_SCHEMAS, TOP_SCHEMAS, config_schema
from fitness.model import FitnessError
from fitness.model.thresholds import DEFAULT_SMELLS
from fitness.rules.registry import rule_types
from fitness.rules.schema import rule_type_schemas
from fitness.tasks import config_schema as full_schema

REPO = Path(__file__).resolve().parents[3]
CONFIGS = sorted([REPO / "fitness.yaml", *REPO.glob("examples/*/fitness.yaml")])


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = full_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def messages(validator: jsonschema.Draft7Validator, data: Any) -> list[str]:
    return sorted(error.message for error in validator.iter_errors(data))


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_config_validates(validator: jsonschema.Draft7Validator, path: Path) -> None:
    assert messages(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_every_loader_key_is_described() -> None:
    """A new key in the loader without a schema entry fails here, not silently in an editor."""
    assert set(TOP_SCHEMAS) | {"analysis", "rules", "services"} == set(loader.TOP_KEYS)
    assert set(SERVICE_SCHEMAS) == set(loader.SERVICE_KEYS)
    schema = full_schema()
    assert set(schema["properties"]["analysis"]["properties"]) == {"package_depth", *DEFAULT_SMELLS}
    assert set(schema["properties"]["rules"]["items"]["properties"]) == set(loader.RULE_KEYS)


def test_every_rule_type_with_every_option(validator: jsonschema.Draft7Validator) -> None:
    schemas = rule_type_schemas(include_plugins=False)
    assert set(schemas) == set(rule_types())
    for name, kind in rule_types().items():
        assert set(schemas[name]["properties"]) == {option.name for option in kind.options}
        assert schemas[name]["required"] == [o.name for o in kind.options if o.required]
        for option in kind.options:
            assert schemas[name]["properties"][option.name]["description"]
    layers = schemas["layers"]["properties"]
    assert layers["exhaustive"] == {
        "type": "boolean",
        "default": False,
        "description": layers["exhaustive"]["description"],
    }


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"pakages": ["x"]}, "Additional properties are not allowed ('pakages' was unexpected)"),
        ({"version": 2}, "1 was expected"),
        ({"rules": [{"type": "layerz"}]}, "'layerz' is not valid under any of the given schemas"),
        (
            {"rules": [{"type": "forbidden", "source_modules": ["a"]}]},
            "'forbidden_modules' is a required property",
        ),
        (
            {
                "rules": [
                    {
                        "type": "forbidden",
                        "source_modules": "a",
                        "forbidden_modules": "b",
                        "alow_indirect": True,
                    }
                ]
            },
            "Additional properties are not allowed ('alow_indirect' was unexpected)",
        ),
        ({"rules": [{"type": "max-fan-out", "max": "ten"}]}, "'ten' is not of type 'integer'"),
        (
            {"rules": [{"type": "layers", "layers": ["a"], "severity": "fatal"}]},
            "'fatal' is not one of ['info', 'warning', 'error']",
        ),
        (
            {"rules": [{"type": "layers", "layers": ["a"], "ignore": [{"import": "a -> b"}]}]},
            "'reason' is a required property",
        ),
        (
            {"analysis": {"hub_like": {"treshold": 1}}},
            "Additional properties are not allowed ('treshold' was unexpected)",
        ),
    ],
)
def test_schema_rejects_what_the_loader_rejects(
    validator: jsonschema.Draft7Validator, tmp_path: Path, config: dict[str, Any], expected: str
) -> None:
    found = messages(validator, config)
    assert any(expected in message for message in found), found
    (tmp_path / "fitness.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    if "rules" in config:  # the loader checks rule keys when the rules are built; the shape it checks here
        return
    with pytest.raises(FitnessError):
        load_config(tmp_path)


def test_custom_rule_types_accept_their_own_keys(validator: jsonschema.Draft7Validator) -> None:
    config = {"rules": [{"id": "x", "type": "mypkg.rules:NoOrm", "anything": [1, 2]}]}
    assert messages(validator, config) == []


def test_config_part_needs_no_rule_registry() -> None:
    schema = config_schema({})
    assert schema["properties"]["rules"]["items"]["allOf"] == []
    assert schema["additionalProperties"] is False

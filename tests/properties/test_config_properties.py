"""The config loader and the pyproject reader fed generated and mutated configs (issue 16, item 2).

Whatever the text, the only outcomes are a Config or a FitnessError (one line per problem, naming the file):
never another exception, never a Python warning (the suite turns warnings into errors).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from fitness.config import Config, load_config
from fitness.config.loader import RULE_KEYS, SERVICE_KEYS, TOP_KEYS
from fitness.model import FitnessError
from fitness.model.granularity import FORCES, GRANULARITY_KEYS
from fitness.model.history import HISTORY_KEYS
from fitness.rules.evaluate import build_rules
from fitness.rules.registry import BUILTIN_PATHS, rule_types
from tests.properties.strategies import TOKENS, keyed, mutated, text_inputs, toml_value, values

REPO = Path(__file__).resolve().parents[2]
SEEDS = [path.read_text(encoding="utf-8") for path in sorted(REPO.glob("examples/*/fitness.yaml"))] + [
    (REPO / "fitness.yaml").read_text(encoding="utf-8"),
    "services:\n  orders: {paths: [services/orders], owns: [orders], annotations: {handles: [pci], latency_ms: 4}}\n"
    "history: {since: 2024-01-31, max_commits: 10}\ngranularity: {weights: {scope: 0.5}, margin: 0.1}\n"
    "adr: {dir: docs/adr, format: madr}\nbase: &base {severity: warning}\nrules:\n  - {<<: *base, type: acyclic}\n",
]
OPTIONS = sorted({option.name for rule in rule_types().values() for option in getattr(rule, "options", ())})
NAMES = sorted(
    {
        *TOP_KEYS,
        *RULE_KEYS,
        *SERVICE_KEYS,
        *HISTORY_KEYS,
        *GRANULARITY_KEYS,
        *FORCES,
        *BUILTIN_PATHS,
        *OPTIONS,
    }
    | {"handles", "latency_ms", "role", "scaling", "fault_tolerance", "severity", "error", "warning", "info"}
    | {"package_depth", "module_cycles", "threshold", "enabled", "dir", "format", "import", "reason"}
)


@st.composite
def rules(draw: st.DrawFn) -> list[Any]:
    """Rules with a known type (or a dotted path, or nonsense) and options of any shape."""
    found = []
    for _ in range(draw(st.integers(0, 4))):
        rule: dict[Any, Any] = {
            "type": draw(
                st.one_of(
                    st.sampled_from(sorted(BUILTIN_PATHS)), st.sampled_from([":", "a:B", "x"]), st.text()
                )
            )
        }
        rule.update(
            draw(st.dictionaries(st.sampled_from([*RULE_KEYS, *OPTIONS]), values(NAMES, 8), max_size=5))
        )
        found.append(rule)
    return found


CONFIG_DATA = st.one_of(
    st.fixed_dictionaries({}, optional={key: values(NAMES, 10) for key in TOP_KEYS}).flatmap(
        lambda config: rules().map(lambda found: {**config, "rules": found} if found else config)
    ),
    st.dictionaries(keyed(NAMES), values(NAMES), max_size=6),
    values(NAMES, 6),
)
CONFIG_TEXT = st.one_of(text_inputs(SEEDS, CONFIG_DATA), mutated(st.sampled_from(SEEDS)))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config")


def load(root: Path, name: str, text: str, explicit: bool = True) -> Config | None:
    path = root / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        config = load_config(root, path if explicit else None)
    except FitnessError as error:
        assert str(error).strip(), "an error says what is wrong"
        event("a FitnessError")  # the shares show in --hypothesis-show-statistics
        return None
    event("a Config" if config.path else "no config (defaults)")
    return config


@given(text=CONFIG_TEXT)
def test_the_config_loader_gives_a_config_or_a_fitness_error(root: Path, text: str) -> None:
    config = load(root, "fitness.yaml", text)
    assert config is None or isinstance(config, Config)


@given(text=CONFIG_TEXT)
def test_rules_from_any_config_build_or_fail_with_a_fitness_error(root: Path, text: str) -> None:
    config = load(root, "fitness.yaml", text)
    if config is None:
        return
    with contextlib.suppress(FitnessError):
        build_rules(config.rules)  # options typed and checked (no module graph: names are not looked up)


def _pyproject(data: dict[str, Any], form: str) -> str:
    if form == "table":
        return "[tool.fitness]\n" + "".join(
            f"{toml_value(str(k))} = {toml_value(v)}\n" for k, v in data.items()
        )
    if form == "dotted":
        return "[tool]\nfitness = " + toml_value(data) + "\n"
    if form == "top":
        return "".join(f"tool.fitness.{toml_value(str(k))} = {toml_value(v)}\n" for k, v in data.items())
    return "[project]\nname = 'x'\n[[tool.fitness.rules]]\n" + "".join(
        f"{toml_value(str(k))} = {toml_value(v)}\n" for k, v in data.items()
    )


PYPROJECT_SEEDS = [
    (REPO / "pyproject.toml").read_text(encoding="utf-8"),
    '[tool.fitness]\npackages = ["app"]\n[[tool.fitness.rules]]\ntype = "acyclic"\n',
    '[tool]\nfitness = {rules = [{type = "acyclic"}], packages = ["app"]}\n',
]
PYPROJECT_TEXT = st.one_of(
    st.builds(
        _pyproject,
        st.one_of(
            CONFIG_DATA.filter(lambda data: isinstance(data, dict)),
            st.dictionaries(keyed(NAMES), values(NAMES, 10), max_size=6),
        ),
        st.sampled_from(("table", "dotted", "top", "array")),
    ),
    mutated(st.sampled_from(PYPROJECT_SEEDS)),
    st.lists(st.sampled_from([*TOKENS, "tool", "fitness", "rules", ".", " = ", "1", '"x"']), max_size=30).map(
        "".join
    ),
)


@given(text=PYPROJECT_TEXT)
def test_the_pyproject_reader_gives_a_config_or_a_fitness_error(root: Path, text: str) -> None:
    (root / "fitness.yaml").unlink(missing_ok=True)
    config = load(root, "pyproject.toml", text, explicit=False)  # found by find_config: every spelling
    assert config is None or isinstance(config, Config)

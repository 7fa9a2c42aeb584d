"""``fitness report --from`` fed edited analyses (issue 16, item 2): a page or a FitnessError naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from fitness import pipeline, tasks
from fitness.model import FitnessError
from tests.properties.strategies import JSON, mutated, mutated_json

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A full analysis of examples/layered, as `fitness check --format json=FILE --graph full` saves it."""
    analysis = pipeline.run(REPO / "examples" / "layered", pipeline.Options(cache=False))
    return tmp_path_factory.mktemp("saved"), analysis.to_json(graph="full")


@pytest.fixture(scope="module")
def document(saved: tuple[Path, Any]) -> Any:
    return saved[1]


def render(path: Path) -> None:
    try:
        analysis = tasks.load_analysis(path, whole_graph=True)
        with mock.patch.object(tasks, "draw_svg", lambda text: None):  # no Graphviz per example
            page = tasks.html_report(analysis, source=path)
    except FitnessError as error:
        assert str(path) in str(error)
        event("a FitnessError")
        return
    event("a page")
    assert page.startswith("<!DOCTYPE html>") or "<html" in page[:500]


@given(data=st.data())
def test_an_edited_analysis_renders_or_is_a_fitness_error(
    saved: tuple[Path, Any], data: st.DataObject
) -> None:
    folder, original = saved
    edited = data.draw(mutated_json(original))
    path = folder / "edited.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    render(path)


@given(text=st.one_of(st.text(max_size=200), JSON.map(json.dumps)), data=st.data())
def test_any_json_or_text_renders_or_is_a_fitness_error(
    saved: tuple[Path, Any], text: str, data: st.DataObject
) -> None:
    folder, original = saved
    if data.draw(st.booleans()):
        text = data.draw(mutated(st.just(json.dumps(original, indent=1)[:20_000])))
    path = folder / "any.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    render(path)

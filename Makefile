# The README names two set-up commands: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format typecheck dogfood bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: check the bundled example (it breaks its rules on purpose), its fixed twin, and draw its graph
demo: $(STAMP)
	@echo "== fitness check examples/layered (violations expected: exit 1)"
	-$(BIN)/fitness check examples/layered
	@echo "== fitness check examples/layered-fixed (clean: exit 0)"
	$(BIN)/fitness check examples/layered-fixed
	@echo "== fitness graph examples/layered --level packages --format mermaid"
	$(BIN)/fitness graph examples/layered --level packages --format mermaid

## test: lint, type-check, the whole test suite, fitness checking its own architecture and its ADRs
test: $(STAMP) lint typecheck
	$(BIN)/pytest
	$(MAKE) dogfood
	$(BIN)/fitness adr lint docs/adr

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy

dogfood: $(STAMP)
	$(BIN)/fitness check .

## bench: fitness against import-linter on real corpora (installs them into bench/.venv)
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .fitness_cache .pytest_cache .mypy_cache .ruff_cache

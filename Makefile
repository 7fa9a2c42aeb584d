# The README names two set-up commands: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format typecheck dogfood bench accuracy clean graphviz chromium gallery

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: check the bundled examples (they break their rules on purpose), a fixed twin, draw a graph, write an HTML report
demo: $(STAMP) graphviz
	@echo "== fitness check examples/layered (violations expected: exit 1)"
	-$(BIN)/fitness check examples/layered
	@echo "== fitness check examples/layered-fixed (clean: exit 0)"
	$(BIN)/fitness check examples/layered-fixed
	@echo "== fitness graph examples/layered --level packages --format mermaid"
	$(BIN)/fitness graph examples/layered --level packages --format mermaid
	@echo "== fitness check examples/shop (services: shared database, sync chain, event cycle; exit 1)"
	-$(BIN)/fitness check examples/shop
	@echo "== fitness report examples/shop -o build/shop-report.html (open it in a browser)"
	$(BIN)/fitness report examples/shop -o build/shop-report.html

## test: lint, type-check, the whole test suite, fitness checking its own architecture and its ADRs
test: $(STAMP) graphviz chromium lint typecheck
	$(BIN)/pytest -n auto
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

# Graphviz's `dot` draws the report's graphs; chromium runs the report's browser test. Installed when missing
# (apt-get, with sudo when not root).
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null && echo sudo)

graphviz:
	@command -v dot >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y graphviz)

chromium:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

## gallery: regenerate reports/ (the HTML report of every system in examples/)
gallery: $(STAMP) graphviz
	$(BIN)/python tools/gallery.py

## bench: fitness against import-linter on real corpora (installs them into bench/.venv)
bench: $(STAMP)
	$(BIN)/python bench/run.py

## accuracy: precision and recall of the service analysis against the labelled corpus (../shared/corpus)
accuracy: $(STAMP)
	$(BIN)/python bench/accuracy.py

clean:
	rm -rf $(VENV) .fitness_cache .pytest_cache .mypy_cache .ruff_cache

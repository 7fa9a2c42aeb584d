# The README names two set-up commands: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-full lint format typecheck dogfood bench bench-adr accuracy clean graphviz chromium gallery

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

## test-full: the suite with every `fitness` call a new process of the console script (`make test` runs most in-process)
test-full: $(STAMP) graphviz chromium
	FITNESS_TEST_SUBPROCESS=1 $(BIN)/pytest -n auto

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

## bench-adr: 100 concurrent `fitness adr new` on one git repository: no number twice, no record lost (the suite runs 20)
bench-adr: $(STAMP)
	$(BIN)/python bench/adr_concurrency.py --processes 100

## accuracy: precision and recall of the service analysis against the labelled corpus (../shared/corpus)
accuracy: $(STAMP)
	$(BIN)/python bench/accuracy.py

clean:
	rm -rf $(VENV) .fitness_cache .pytest_cache .mypy_cache .ruff_cache

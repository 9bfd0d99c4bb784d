# Two commands on a fresh machine: `make run` (the main job on the embedded SQLite store) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: this exact version is the CPU build the machine's pip serves (no CUDA downloads).
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/lokerwatch db upgrade
	$(BIN)/lokerwatch quickstart
	$(BIN)/lokerwatch serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Rewrite the README's pictures (docs/screenshots); `make test` writes its screenshots to a temporary folder.
# The whole browser flow runs first, so the pictures show a desk with decisions and a lead in it.
SCREENSHOT_DIR ?= $(CURDIR)/docs/screenshots
screenshots: install
	LOKERWATCH_SCREENSHOT_DIR=$(SCREENSHOT_DIR) $(BIN)/pytest -q -p no:cacheprovider tests/e2e/test_desk_flow.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

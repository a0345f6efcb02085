# AI market concentration suite. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed
export UV_COMPILE_BYTECODE := 1
export UV_LINK_MODE := copy
# Keep the environment hermetic: no user site-packages, and a fixed hash seed for reproducible runs.
export PYTHONNOUSERSITE := 1
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

ARGS ?=
LINT_PATHS := $(wildcard src tests benchmarks)

.PHONY: help install report test lint format data validate lab bench lock clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## create .venv from requirements.lock (only when missing or out of date)

# The processed data are rebuilt only when a raw file changed (the runner's cache then decides,
# by content, which notebooks to re-run).
BUILT := data/processed/build_info.json
$(BUILT): $(wildcard data/raw/*) $(wildcard src/analysis/data/*.py) $(STAMP)
	$(BIN)/analysis data validate
	$(BIN)/analysis data build

report: install $(BUILT) ## validate and build the data (when data/raw changed), run the notebooks into reports/
	$(BIN)/analysis run $(ARGS)

test: install ## lint, then run the whole test suite (unit, data, notebooks, reproducibility)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/python -m pytest $(ARGS)

lint: install ## ruff lint and format check only
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

validate: install ## check data/raw against the schemas (all problems at once)
	$(BIN)/analysis data validate

data: install ## validate data/raw and build data/processed
	$(BIN)/analysis data validate
	$(BIN)/analysis data build

lab: install ## JupyterLab on the project's environment (notebooks import `analysis`, autoreload on)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install ## speed checks (see benchmarks/README.md)
	$(BIN)/python benchmarks/run.py

lock: ## recompile requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --universal --no-header -o requirements.lock

clean: ## remove generated data and reports (keeps .venv)
	rm -rf data/processed/*.parquet data/processed/*.json reports/* .pytest_cache
	@touch data/processed/.gitkeep

distclean: clean ## also remove .venv
	rm -rf $(VENV)

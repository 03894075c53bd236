# Two commands do everything on a fresh machine: `make run` and `make test`.
# Both create .venv from pyproject.toml when it is missing or older than pyproject.toml,
# setup.py or a service's bootstrap (a new service is installed by existing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit integration e2e bench clean FORCE

SERVICES_FOUND := $(VENV)/.services

# Rewritten only when the set of services changes, so that adding one reinstalls.
$(SERVICES_FOUND): FORCE
	@mkdir -p $(VENV)
	@ls services/*/*/bootstrap.py > $@.new
	@cmp -s $@.new $@ || mv $@.new $@
	@rm -f $@.new

$(STAMP): pyproject.toml setup.py $(SERVICES_FOUND)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,otel]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/jiceng up --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

integration: $(STAMP)
	$(BIN)/pytest -q tests/integration

e2e: $(STAMP)
	$(BIN)/pytest -q tests/e2e

bench: $(STAMP)
	$(BIN)/pytest -q -s tests/bench

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

# IPShield — the two commands: `make demo` and `make test`.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
export IPSHIELD_DATA_DIR ?= data
TEST_DATA := .test-data

.PHONY: demo serve test test-sqlite test-postgres lint bench bench-postgres clean help

help:
	@echo "make demo   - install, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test   - install dev tools, lint, type-check, run the suite on SQLite and PostgreSQL"
	@echo "make bench  - run the benchmarks"

$(BIN)/ipshield: pyproject.toml
	@test -n "$(PYTHON)" || (echo "No Python 3.11+ found." && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.dev: $(BIN)/ipshield
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

demo: $(BIN)/ipshield
	$(BIN)/ipshield demo --serve

serve: $(BIN)/ipshield
	$(BIN)/ipshield serve

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	IPSHIELD_DATA_DIR=$(TEST_DATA)/lint $(BIN)/mypy

test-sqlite: $(VENV)/.dev
	rm -rf $(TEST_DATA)/sqlite
	IPSHIELD_ENV=test IPSHIELD_DATA_DIR=$(TEST_DATA)/sqlite $(BIN)/pytest

test-postgres: $(VENV)/.dev
	rm -rf $(TEST_DATA)/postgres
	IPSHIELD_ENV=test IPSHIELD_DATA_DIR=$(TEST_DATA)/postgres scripts/with-postgres $(BIN)/pytest

test: $(VENV)/.dev
	scripts/system-deps
	$(MAKE) lint
	@echo "== suite on SQLite =="
	$(MAKE) test-sqlite
	@echo "== suite on PostgreSQL =="
	$(MAKE) test-postgres

bench: $(VENV)/.dev
	IPSHIELD_DATA_DIR=$(TEST_DATA)/bench $(BIN)/python -m benchmarks

bench-postgres: $(VENV)/.dev
	IPSHIELD_DATA_DIR=$(TEST_DATA)/bench-pg scripts/with-postgres $(BIN)/python -m benchmarks registry cases marks monitoring credit load supervision disputes

clean:
	rm -rf $(VENV) $(TEST_DATA) build src/*.egg-info

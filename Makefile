# Guichet: the two commands (make demo, make test) and the rest. Each bootstraps its own virtualenv.
PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export GUICHET_SHARED_DIR ?= $(abspath ../shared)

.PHONY: demo test install lint typecheck check-migrations check-imports pytest pytest-sqlite pytest-postgres browser-deps bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/guichet: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $@

install: $(BIN)/guichet

## make demo: install, migrate the SQLite file under var/, generate the synthetic commune if absent,
## create the demo accounts and start the server on http://$(HOST):$(PORT).
demo: install
	GUICHET_DEBUG=1 $(BIN)/guichet demo start --host $(HOST) --port $(PORT)

## make test: install, then lint, types, migrations, import contracts and the whole pytest suite
## on SQLite, and again on PostgreSQL when DATABASE_URL is set.
test: install browser-deps lint typecheck check-migrations check-imports pytest

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck:
	$(BIN)/mypy

check-migrations:
	GUICHET_DEBUG=1 SECRET_KEY=check $(BIN)/python manage.py makemigrations --check --dry-run

check-imports:
	$(BIN)/lint-imports

pytest: pytest-sqlite pytest-postgres

pytest-sqlite:
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

pytest-postgres:
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== pytest on PostgreSQL ($$DATABASE_URL)"; $(BIN)/pytest $(PYTEST_ARGS); \
	else echo "== DATABASE_URL not set: PostgreSQL run skipped"; fi

## Chromium (Debian) for the browser tests and axe-core (npm) for the accessibility checks.
browser-deps:
	@bash scripts/ensure-browser-deps.sh

## make bench: the HTTP load benchmarks (PostgreSQL and Redis on 127.0.0.1, wrk from Debian as load
## generator of page loads; household_page: the household page with 200 timeline events and the intake
## round trip, with the server's and PostgreSQL's CPU time per operation).
bench: install
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; else sudo apt-get install -y -qq wrk; fi; }
	$(BIN)/python bench/http_load.py
	$(BIN)/python bench/household_page.py

clean:
	rm -rf $(VENV) $(TOOLS) var/static

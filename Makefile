# Buurtwacht: `make run` serves the app, `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export FLASK_APP := wsgi

.PHONY: run demo test lint test-postgres browser-deps spec migration bench clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

venv: $(BIN)/activate

## Serve API + PWA on http://$(HOST):$(PORT) with SQLite in instance/ (or DATABASE_URL), push worker in-process.
run: venv
	$(BIN)/flask db upgrade
	RUN_WORKER_IN_PROCESS=$${RUN_WORKER_IN_PROCESS:-1} JWT_COOKIE_SECURE=$${JWT_COOKIE_SECURE:-0} \
		$(BIN)/flask run --host $(HOST) --port $(PORT)

## Load the demo neighbourhood (accounts and passwords are printed once), then serve.
demo: venv
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	$(MAKE) run

lint: venv
	$(BIN)/ruff check .

## Lint, then the whole suite (browser tests included; Chromium is installed when missing).
test: venv browser-deps lint
	$(BIN)/python -m pytest -n 2 -q

## The suite against PostgreSQL. Browser tests are left out: they test the app in Chromium against their
## own SQLite server whatever DATABASE_URL says, and `make test` has just run them.
test-postgres: venv
	DATABASE_URL=$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -n 2 -q -m "not browser"

browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get install -y chromium >/dev/null 2>&1 || \
		(apt-get update >/dev/null && apt-get install -y chromium >/dev/null)) || \
		echo "warning: could not install chromium; browser tests will be skipped"

## Regenerate the committed OpenAPI document from the code.
spec: venv
	$(BIN)/python -m api.spec_export openapi/openapi.json

## Generate a migration after changing models: make migration m="what changed"
migration: venv
	$(BIN)/flask db migrate -m "$(m)"

bench: venv
	$(BIN)/python bench/shell_weight.py
	$(BIN)/python bench/push_fanout.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

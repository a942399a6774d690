# Qudao: `make run` to try it, `make test` to check it. Everything else is optional.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export QUDAO_HOME ?= $(CURDIR)/var

.PHONY: help run test install install-dev lint format migrations-check check demo serve worker bench messages clean

## make help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate, load demo data into an empty database, serve on http://127.0.0.1:8000
##   (DEBUG on unless QUDAO_DEBUG=0; one background-job consumer runs beside the web server)
run: install
	$(BIN)/qudao init --no-input --if-empty-demo
	QUDAO_DEBUG=$${QUDAO_DEBUG:-1} $(BIN)/qudao serve --host $(HOST) --port $(PORT) --with-worker

## make test: lint, migrations check, the whole suite (QUDAO_TEST_DATABASE_URL picks the database)
test: install-dev lint migrations-check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make lint: ruff check and ruff format --check
lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

## make format: let ruff fix what it can and format
format: install-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## make migrations-check: fail when a model change has no migration
migrations-check: install-dev
	QUDAO_TESTING=1 $(BIN)/python -m django makemigrations --check --dry-run --settings=qudao.config.settings

## make check: qudao check (configuration, database, migrations, Redis, deployment checks)
check: install
	$(BIN)/qudao check

## make demo: load (more) demo data and print the sign-ins
demo: install
	$(BIN)/qudao demo

## make serve: serve without the demo step (production-like: set QUDAO_SECRET_KEY)
serve: install
	$(BIN)/qudao serve --host $(HOST) --port $(PORT)

## make worker: one background-job consumer
worker: install
	$(BIN)/qudao worker

## make bench: every benchmark in bench/ (tables, bench/results/*.json)
bench: install-dev
	$(BIN)/qudao bench all

## make messages: refresh and compile the zh_Hans translations
messages: install-dev
	cd src/qudao && ../../$(BIN)/python -m django makemessages -l zh_Hans --settings=qudao.config.settings
	cd src/qudao && ../../$(BIN)/python -m django compilemessages -l zh_Hans --settings=qudao.config.settings

## make clean: remove the virtualenv and var/ (the embedded database!)
clean:
	rm -rf $(VENV) var

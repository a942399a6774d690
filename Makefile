# Qudao: `make run` to try it, `make test` to check it. Everything else is optional.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export QUDAO_HOME ?= $(CURDIR)/var

.PHONY: run test install install-dev lint format migrations-check check demo serve worker bench messages clean

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
run: install
	$(BIN)/qudao init --no-input --if-empty-demo
	QUDAO_DEBUG=$${QUDAO_DEBUG:-1} $(BIN)/qudao serve --host $(HOST) --port $(PORT) --with-worker

## make test: lint, migrations check, the whole suite (QUDAO_TEST_DATABASE_URL picks the database)
test: install-dev lint migrations-check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

migrations-check: install-dev
	QUDAO_TESTING=1 $(BIN)/python -m django makemigrations --check --dry-run --settings=qudao.config.settings

check: install
	$(BIN)/qudao check

demo: install
	$(BIN)/qudao demo

worker: install
	$(BIN)/qudao worker

bench: install-dev
	$(BIN)/qudao bench all

messages: install-dev
	cd src/qudao && ../../$(BIN)/python -m django makemessages -l zh_Hans --settings=qudao.config.settings
	cd src/qudao && ../../$(BIN)/python -m django compilemessages -l zh_Hans --settings=qudao.config.settings

clean:
	rm -rf $(VENV) var

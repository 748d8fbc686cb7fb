# Làng số — set-up and everyday commands. `make demo` and `make test` do everything from a fresh clone.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The first Python >= 3.12 found: $PYTHON, then python3.13/3.12 on PATH, then pyenv's builds.
PYTHON ?= $(shell scripts/find-python)

.PHONY: install assets demo serve test test-fast compute bench messages clean

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	@test -n "$(PYTHON)" || { echo "Cần Python >= 3.12 / Python >= 3.12 is required (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

demo: install
	$(VENV)/bin/langso demo --serve --host $(HOST) --port $(PORT)

serve: install
	$(VENV)/bin/langso serve --host $(HOST) --port $(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

compute: install
	$(VENV)/bin/langso compute

bench: install
	$(VENV)/bin/langso bench $(BENCH_ARGS)

messages: install
	$(VENV)/bin/langso messages

clean:
	rm -rf $(VENV) node_modules var

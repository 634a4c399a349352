# The two set-up commands of the README:
#   make demo   create .venv, install storyfuse, run it on the bundled sample corpus
#   make test   create .venv, install storyfuse with its test extras, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test quick install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch==2.13.0 is pinned in pyproject.toml so that no dependency pulls an unpinned torch.
# On this project's machines pip finds the CPU build of that version on local disk; elsewhere,
# install the CPU build first (pip install torch==2.13.0 --index-url
# https://download.pytorch.org/whl/cpu) to avoid PyPI's multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/storyfuse demo --db storyfuse.db

# Lint and type checks first: they take seconds, the suite takes minutes.
test: install-test
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest

quick: install-test
	$(BIN)/pytest -m "not slow" -q

clean:
	rm -rf $(VENV) storyfuse.db storyfuse.db-wal storyfuse.db-shm storyfuse.db.lock

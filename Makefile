# The two set-up commands of the README:
#   make demo   create .venv, install storyfuse, run it on the bundled sample corpus
#   make test   create .venv, install storyfuse with its test extras, a local PostgreSQL for
#               the store tests and chromium for the browser tests (Debian packages), run the
#               whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test quick fuzz install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch==2.13.0 is pinned in pyproject.toml so that no dependency pulls an unpinned torch.
# On this project's machines pip finds the CPU build of that version on local disk; elsewhere,
# install the CPU build first (pip install torch==2.13.0 --index-url
# https://download.pytorch.org/whl/cpu) to avoid PyPI's multi-GB CUDA build.
# The static embeddings are distilled from the packaged MiniLM once, offline (about 15 s), into
# the user's cache folder (python -m storyfuse.embed; a run would build them on first use too).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -e .
	$(BIN)/python -m storyfuse.embed
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m storyfuse.embed
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/storyfuse demo --db storyfuse.db

# Lint and type checks first: they take seconds, the suite takes minutes.
test: install-test
	./scripts/test-postgres
	./scripts/install-chromium
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest

quick: install-test
	$(BIN)/pytest -m "not slow" -q

# Coverage-guided fuzzing of every reader and of cleaning (atheris), FUZZ_SECONDS each (10
# minutes by default), outside the test suite; crashes are saved under .fuzz/READER/.
FUZZ_SECONDS ?= 600
FUZZ_READERS := text markdown html feed atom jsonl json warc warc_gz gzip sniffed
fuzz: install-test
	$(BIN)/pip install --disable-pip-version-check -e '.[test,fuzz]'
	set -e; for r in $(FUZZ_READERS); do \
		mkdir -p .fuzz/$$r; \
		(cd .fuzz/$$r && ../../$(BIN)/python ../../fuzz/readers.py $$r -max_total_time=$(FUZZ_SECONDS) \
			-rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 2>&1 | tail -n 25); \
	done

clean:
	rm -rf $(VENV) storyfuse.db storyfuse.db-wal storyfuse.db-shm storyfuse.db.lock

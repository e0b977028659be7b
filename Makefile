# The two quick-start commands: `make run` and `make test`. Each creates .venv and installs what it needs:
# `make run` only what extraction needs (reportie and its dependencies), `make test` the test tools too.
# Both use one model cache ($REPORTIE_HOME, else the user cache dir, e.g. ~/.cache/reportie).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test test-fast install install-dev clean

$(BIN)/python:
	@echo "make: creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@echo "make: installing reportie and what extraction needs into $(VENV) (the first time takes a few minutes)"
	$(PIP) install --progress-bar on -e .
	@# bytecode, as a non-editable install has: fresh processes (CLI, workers) start faster
	$(BIN)/python -m compileall -q src/reportie
	touch $@

$(DEV_STAMP): pyproject.toml $(RUN_STAMP)
	@echo "make: installing the test tools (pytest, hypothesis, nbmake, dask, pyarrow, matplotlib, fpdf2) into $(VENV)"
	$(PIP) install --progress-bar on -e ".[dev]"
	touch $@

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

run: $(RUN_STAMP)
	@echo "make: extracting seeds/*.txt (the first run also fetches the segmentation model, about 1 minute)"
	$(BIN)/reportie extract seeds/*.txt

test: $(DEV_STAMP)
	bash scripts/install-chromium.sh
	$(BIN)/python -m pytest -p no:cacheprovider

# The development loop (about 15 s once installed): the pure modules, the pipeline on short texts,
# the command line. `make test` (what CI runs) runs everything.
FAST_TESTS := tests/test_numbers.py tests/test_quantities.py tests/test_indicators.py tests/test_sentences.py \
	tests/test_reading.py tests/test_metadata.py tests/test_metadata_gazetteer.py tests/test_record_types.py \
	tests/test_metadata_year.py tests/test_pagehead.py tests/test_context_layer.py tests/test_extract.py tests/test_analysis.py tests/test_cli.py

test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -q -m "not slow and not labelstudio" $(FAST_TESTS)

clean:
	rm -rf $(VENV) .reportie-home

# --- Label Studio round trip (tests/test_label_studio.py, marked `labelstudio`) --------------------
# A pinned Label Studio in its own venv (its Django stack must not meet reportie's dependencies).
# `make test` installs it first, so its pytest run includes the real-server test; `make
# test-label-studio` runs that test alone. The server only ever listens on 127.0.0.1, with its
# version check and analytics off (the test sets LATEST_VERSION_CHECK/COLLECT_ANALYTICS).
LABEL_STUDIO_VERSION := 1.23.2
LS_VENV := $(VENV)/label-studio
LS_STAMP := $(LS_VENV)/.installed-$(LABEL_STUDIO_VERSION)

.PHONY: label-studio test-label-studio

$(LS_STAMP):
	@echo "make: installing label-studio==$(LABEL_STUDIO_VERSION) into $(LS_VENV) (a few minutes the first time)"
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip --disable-pip-version-check install --quiet "label-studio==$(LABEL_STUDIO_VERSION)"
	touch $@

label-studio: $(LS_STAMP)

test: $(LS_STAMP)
test: export REPORTIE_LABEL_STUDIO = $(abspath $(LS_VENV))/bin/label-studio

test-label-studio: $(DEV_STAMP) $(LS_STAMP)
	REPORTIE_LABEL_STUDIO=$(abspath $(LS_VENV))/bin/label-studio $(BIN)/python -m pytest -p no:cacheprovider -m labelstudio tests/test_label_studio.py

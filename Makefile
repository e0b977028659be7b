# The two quick-start commands: `make run` and `make test`. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# bytecode, as a non-editable install has: fresh processes (CLI, workers) start faster
	$(BIN)/python -m compileall -q src/reportie
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/reportie extract seeds/*.txt

test: $(STAMP)
	bash scripts/install-chromium.sh
	$(BIN)/python -m pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) .reportie-home

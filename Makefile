# Seedbed — `make run` serves the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SEEDBED := $(BIN)/seedbed
ADDR ?= 127.0.0.1:8000

.PHONY: install run serve worker test test-fast lint audit bench clean messages

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Seedbed needs Python 3.11 or newer; set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	@DEBUG=$${DEBUG:-1} $(SEEDBED) migrate --noinput -v0
	@DEBUG=$${DEBUG:-1} $(SEEDBED) demo
	@echo ""
	@echo "  Seedbed is at http://$(ADDR)/"
	@echo "  Log in as demo@demo.seedbed.org (member) or operator@demo.seedbed.org (operator),"
	@echo "  password: seedbed-demo. Stop with Ctrl-C."
	@echo ""
	@export DEBUG=$${DEBUG:-1}; trap 'kill 0' INT TERM EXIT; \
	  $(SEEDBED) worker --interval 1 & \
	  $(SEEDBED) serve $(ADDR)

test: install
	$(BIN)/pytest

# The quick loop: everything but the tests marked slow, on both cores.
test-fast: install
	$(BIN)/pytest -m "not slow" -n 2

lint: install
	$(BIN)/ruff check seedbed tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

# Known vulnerabilities in the installed packages, from PyPI's advisory data; it fails when one is
# found. AUDIT_FLAGS=--strict also fails when a package could not be looked up.
audit: install
	$(BIN)/python .ci/audit.py $(AUDIT_FLAGS)

bench: install
	$(BIN)/python bench/run.py

messages: install
	cd seedbed && SEEDBED_DATA_DIR=$(CURDIR)/data ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --no-wrap -i "engine/*" --settings=seedbed.settings --pythonpath=..
	cd seedbed && SEEDBED_DATA_DIR=$(CURDIR)/data ../$(BIN)/django-admin compilemessages --settings=seedbed.settings --pythonpath=..

clean:
	rm -rf $(VENV) build *.egg-info

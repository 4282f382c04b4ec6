# eISO — two commands: `make run` and `make test`. Needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint check audit messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=true $(BIN)/eiso migrate --noinput
	DEBUG=true $(BIN)/eiso load_admin_units
	DEBUG=true $(BIN)/eiso seed_holidays
	DEBUG=true $(BIN)/eiso load_demo
	DEBUG=true EISO_TWO_FACTOR_REQUIRED=$${EISO_TWO_FACTOR_REQUIRED:-false} $(BIN)/eiso runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	VENV=$(VENV) bash scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check .

audit: $(STAMP)
	$(BIN)/bandit -q -c pyproject.toml -r eiso
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off --timeout 30

check: $(STAMP)
	EISO_SECRET_KEY=check $(BIN)/eiso check --fail-level WARNING

messages: $(STAMP)
	cd eiso && PYTHONPATH=$(CURDIR) EISO_SECRET_KEY=messages ../$(BIN)/python -P -m eiso makemessages -l vi --no-obsolete
	cd eiso && PYTHONPATH=$(CURDIR) EISO_SECRET_KEY=messages ../$(BIN)/python -P -m eiso compilemessages -l vi

clean:
	rm -rf $(VENV) var .pytest_cache

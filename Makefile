# Two commands on a fresh machine: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | md5sum | cut -c1-12)
PIP    := -m pip install --quiet --disable-pip-version-check

.PHONY: run test install bench clean lock

# Exact versions of every dependency come from constraints.txt (`make lock` regenerates it).
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) $(PIP) -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# Resolve pyproject.toml's ranges afresh in a clean venv and pin the result.
lock:
	rm -rf .lock-venv && python3 -m venv .lock-venv
	.lock-venv/bin/python $(PIP) -e '.[test]'
	.lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check > constraints.txt
	rm -rf .lock-venv

install: $(STAMP)

PORT   ?= 5000
HOST   ?= 127.0.0.1

run: install
	$(VENV)/bin/kamflow run --host $(HOST) --port $(PORT)

# The suite runs on every core (pytest-xdist; each worker has its own PostgreSQL database).
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install
	$(PY) bench/engine.py
	$(PY) bench/lists.py
	$(PY) bench/completions.py
	$(PY) bench/web.py
	$(PY) bench/mail.py
	$(PY) bench/sandbox.py
	$(PY) bench/reports.py
	$(PY) bench/timers.py

clean:
	rm -rf $(VENV) instance

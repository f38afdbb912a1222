# Two commands on a fresh machine: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell md5sum pyproject.toml | cut -c1-12)

.PHONY: run test install bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

PORT   ?= 5000
HOST   ?= 127.0.0.1

run: install
	$(VENV)/bin/kamflow run --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/engine.py
	$(PY) bench/web.py
	$(PY) bench/mail.py

clean:
	rm -rf $(VENV) instance

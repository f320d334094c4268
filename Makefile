# Omzien — the two commands: `make demo` and `make test`. Everything else is set up by them.
SHELL := /bin/bash
# The first Python >= 3.12 that really runs (a pyenv shim may exist for a version not selected).
PYTHON ?= $(shell for candidate in python3.12 python3.13 python3 \
	$${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3; do \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$candidate; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/omzien_ci
DEMO_ENV := OMZIEN_DEBUG=0 OMZIEN_DEMO=1

.PHONY: demo test test-sqlite test-postgres lint bench install messages system-deps browser-deps clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Omzien needs Python 3.12 or newer; none was found."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: system-deps $(VENV)/.installed node_modules/.installed messages

# Run inside src/omzien so compilemessages does not walk into .venv and node_modules.
messages: $(VENV)/.installed
	@if [ -d src/omzien/locale ]; then \
		cd src/omzien && ../../$(PY) ../../manage.py compilemessages --verbosity 0; fi

# Debian packages: Pango for WeasyPrint's PDFs and gettext for the translations; for the tests
# also Chromium and its driver. Installed only when missing.
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 gettext
TEST_PACKAGES := chromium chromium-driver
define apt_install_missing
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
endef

system-deps:
	$(call apt_install_missing,$(RUNTIME_PACKAGES))

browser-deps:
	$(call apt_install_missing,$(TEST_PACKAGES))

demo: install
	mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --verbosity 0
	$(DEMO_ENV) $(MANAGE) load_demo
	@echo "Starting the task worker and the server on http://127.0.0.1:8000 (Ctrl+C stops both)."
	@echo "Mails the demo sends are written to var/mail/."
	@$(DEMO_ENV) $(MANAGE) db_worker --interval 1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000 --noreload

test: install browser-deps lint test-sqlite test-postgres

test-sqlite: install browser-deps
	$(VENV)/bin/pytest -p no:cacheprovider

test-postgres: install browser-deps
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432."; exit 1; }
	OMZIEN_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -p no:cacheprovider

lint: install
	$(VENV)/bin/ruff check src tests bench scripts
	$(MANAGE) makemigrations --check --dry-run --verbosity 1
	$(PY) scripts/check_messages.py
	$(PY) scripts/check_openapi.py

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var

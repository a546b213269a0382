# Two commands on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
# make run serves on this port: PORT=8080 make run
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements/dev.txt | cut -c1-12)
# The NL Design System CSS: npm ci from package-lock.json, then scripts/vendor-css copies what the
# app uses to static/vendor/nlds (committed, so a machine without Node still runs the app).
NODE_STAMP := node_modules/.installed-$(shell sha256sum package-lock.json | cut -c1-12)

.PHONY: install messages css run test lint format bench loadtest clean

$(STAMP): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP) messages css

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	scripts/vendor-css
	@rm -f node_modules/.installed-* && touch $(NODE_STAMP)

css:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "npm is missing: using the committed NL Design System CSS in static/vendor/nlds"; fi

# Compile the gettext catalogues (locale/*/LC_MESSAGES/django.po -> .mo).
messages:
	@command -v msgfmt >/dev/null || { echo "GNU gettext (msgfmt) is missing: apt-get install gettext"; exit 1; }
	@for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	scripts/run-tests

# Performance at municipal scale (docs/performance.md): PostgreSQL's server must be installed.
bench: install
	scripts/bench

loadtest: install
	scripts/loadtest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=wijkteam.settings.test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles test-output .pytest_cache .ruff_cache

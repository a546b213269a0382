# Two commands on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements/dev.txt | cut -c1-12)

.PHONY: install messages run test lint format bench loadtest clean

$(STAMP): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP) messages

# Compile the gettext catalogues (locale/*/LC_MESSAGES/django.po -> .mo).
messages:
	@command -v msgfmt >/dev/null || { echo "GNU gettext (msgfmt) is missing: apt-get install gettext"; exit 1; }
	@for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

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
	rm -rf $(VENV) db.sqlite3 staticfiles test-output .pytest_cache .ruff_cache

# Guichet — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FLASK_APP := wsgi:app

.PHONY: run test setup deps test-deps npm assets translations migrate content system-deps budgets bench clean

# The web server and the worker (timed jobs: emails, drafts purge, legal dates…) run side by side;
# stopping `make run` stops both. In development, demo staff accounts and requests are made and listed.
run: setup migrate content
	$(BIN)/flask drafts purge
	@if [ "$${GUICHET_ENV:-development}" = development ]; then $(BIN)/flask demo seed; fi
	trap 'kill 0' EXIT; $(BIN)/flask worker run & \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - wsgi:app

setup: deps assets translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Running needs only the app's dependencies; the tests add the `test` extra (see pyproject.toml).
deps: $(BIN)/python
	$(BIN)/pip install --quiet -e .

test-deps: deps
	$(BIN)/pip install --quiet -e '.[test]'

# --ignore-scripts: vnu-jar's install script would download a Java runtime; the tests use Debian's.
npm:
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# Third-party front-end files are copied from node_modules at build time, never committed.
assets: npm
	mkdir -p site/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js site/static/vendor/htmx.min.js

translations: deps
	$(BIN)/pybabel compile --use-fuzzy -d guichet/translations -D messages

migrate: deps
	mkdir -p instance
	$(BIN)/flask db upgrade

content: migrate
	$(BIN)/flask content load

# Debian packages the tests need: a browser for the accessibility audit, PostgreSQL, a text browser,
# Java for the W3C Nu HTML Checker (vnu.jar, from npm), Pango for WeasyPrint's PDF letters.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v w3m >/dev/null || missing="$$missing w3m"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: setup test-deps system-deps
	$(BIN)/python -m lexicon check site/content site/forms
	$(BIN)/python -m a11y.budgets
	$(BIN)/python -m pytest -p no:cacheprovider -W ignore::DeprecationWarning

budgets: setup
	$(BIN)/python -m a11y.budgets

bench: setup
	$(BIN)/python -m lexicon.bench
	$(BIN)/python -m a11y.bench_demarches
	$(BIN)/python -m a11y.bench_pages
	$(BIN)/python -m a11y.bench_queue
	$(BIN)/python -m a11y.bench_opendata

clean:
	rm -rf $(VENV) node_modules site/static/vendor

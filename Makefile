# Fangkong's entry points. `make demo` to try it, `make test` before pushing.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
PYTEST_ARGS ?=
# Never rewrite uv.lock from here: change dependencies with `uv add` / `uv lock` on purpose.
export UV_FROZEN := 1

UV := scripts/uv
FANGKONG := $(UV) run fangkong
TEST_PACKAGES := chromium fonts-noto-cjk gettext \
	'libreoffice-writer-nogui|libreoffice-writer' 'libreoffice-calc-nogui|libreoffice-calc' \
	poppler-utils

.PHONY: help demo serve install python-deps node-deps messages makemessages system-packages \
	test lint lint-ruff lint-format lint-mypy lint-migrations lint-deploy test-sqlite test-postgres \
	bench

help:
	@echo "make demo            install, migrate, build the demo city and serve on http://127.0.0.1:$(PORT)/"
	@echo "make test            install, lint, then the whole test suite on SQLite and on PostgreSQL"
	@echo "make lint            ruff, mypy, migrations check and the production deploy check"
	@echo "make test-sqlite     the test suite on SQLite only (PYTEST_ARGS=... passes options to pytest)"
	@echo "make test-postgres   the test suite on a throwaway PostgreSQL 15 cluster"
	@echo "make bench           run every benchmarks/*.py (on DATABASE_URL, else a throwaway PostgreSQL)"
	@echo "make serve           serve without reinstalling (PORT=$(PORT))"
	@echo "make makemessages    gather new strings into the English catalogue to translate"

# --- set-up ------------------------------------------------------------------------------------

install: python-deps node-deps messages

# Bytecode is compiled once here: every process (web, task worker, import workers, the command
# line) then starts without compiling its modules, which halves its start-up.
python-deps:
	$(UV) sync --frozen --compile-bytecode
	$(UV) run python -m compileall -q -j 0 config fangkong

node-deps:
	scripts/node-deps.sh

# Compile the catalogues (.mo files are built, not committed); msgfmt, else scripts/msgfmt.py.
messages: python-deps
	scripts/compile-messages.sh

# Gather new and changed strings into fangkong/locale/en/LC_MESSAGES/django.po to translate.
makemessages: python-deps
	$(FANGKONG) makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var

# Debian packages the tests need: a browser, Chinese fonts, gettext, LibreOffice for conversions.
system-packages:
	scripts/system-packages.sh $(TEST_PACKAGES)

# --- demo --------------------------------------------------------------------------------------

demo: install
	$(FANGKONG) migrate --noinput
	$(FANGKONG) demo
	scripts/collectstatic-if-needed.sh
	PORT=$(PORT) scripts/serve.sh

serve:
	PORT=$(PORT) scripts/serve.sh

# --- checks ------------------------------------------------------------------------------------

test: export MAKE := $(MAKE)
test:
	@scripts/phases install system-packages -- lint test-sqlite test-postgres

# All five checks run even when one fails, so one run lists every problem.
lint: python-deps
	@$(MAKE) --no-print-directory -k lint-ruff lint-format lint-mypy lint-migrations lint-deploy

lint-ruff:
	$(UV) run ruff check .

lint-format:
	$(UV) run ruff format --check .

# Type checks with django-stubs; the settings are in pyproject.toml ([tool.mypy]).
lint-mypy:
	$(UV) run mypy fangkong config

lint-migrations:
	$(FANGKONG) makemigrations --check --dry-run

# The production settings refuse to load without their secrets: give them throwaway ones.
lint-deploy:
	FANGKONG_ENV=production \
	FANGKONG_SECRET_KEY="$$(head -c 48 /dev/urandom | base64 -w0)" \
	FANGKONG_FIELD_KEY="$$(head -c 48 /dev/urandom | base64 -w0)" \
	FANGKONG_ALLOWED_HOSTS=example.org \
		$(FANGKONG) check --deploy --fail-level WARNING

test-sqlite: install
	env -u DATABASE_URL $(UV) run pytest $(PYTEST_ARGS)

test-postgres: install
	scripts/with-postgres.sh $(UV) run pytest $(PYTEST_ARGS)

# Benchmarks measure against PostgreSQL: the one in DATABASE_URL, else a throwaway cluster.
bench: install
	@if [ -n "$${DATABASE_URL:-}" ]; then scripts/bench.sh; else scripts/with-postgres.sh scripts/bench.sh; fi

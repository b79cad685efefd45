# Erfaringsforum: `make run` sets up and serves the product with demo data as its users see it
# (DEBUG off, gunicorn, whitenoise); `make dev` serves the same with Django's debug server;
# `make test` sets up and runs every check. All install what they need themselves.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_WORKERS ?= 2
# Two database roles (least privilege, scripts/db_roles.sql): the owner runs migrations and the
# test suite (it creates and empties test databases); the web server runs as the application
# role, which has only SELECT/INSERT/UPDATE/DELETE.
DB_ENV = export DATABASE_URL="$$($(PY) scripts/ensure_db.py)";
OWNER_DB_ENV = export DATABASE_URL="$$($(PY) scripts/ensure_db.py --owner)";

.PHONY: run dev test setup venv db browser vnu messages lint check serve bench clean screenshots

# `make run`: production settings on the loopback. DEBUG off (the product's own error pages),
# a secret key generated once into var/secret_key (ignored by git), static files collected
# and served by whitenoise, plain http on 127.0.0.1 (so no Secure flag on the cookies).
SECRET_KEY_FILE := var/secret_key
RUN_ENV = unset DEBUG; export SECRET_KEY="$$(cat $(SECRET_KEY_FILE))" SECURE_COOKIES=0 PORT=$(PORT);

run: setup $(SECRET_KEY_FILE)  ## set up, load demo data and serve on http://127.0.0.1:$(PORT)
	@($(OWNER_DB_ENV) DEBUG=1 $(PY) manage.py migrate --noinput)
	@$(DB_ENV) $(RUN_ENV) \
	$(PY) manage.py seed_demo; \
	$(PY) manage.py collectstatic --noinput -v 0; \
	echo "Serving on http://127.0.0.1:$(PORT)  (DEBUG off; Ctrl-C stops; make dev for the debug server)"; \
	exec scripts/serve.sh

dev: setup  ## the same with DEBUG on: Django's debug server, reloading on every change
	@($(OWNER_DB_ENV) DEBUG=1 $(PY) manage.py migrate --noinput)
	@$(DB_ENV) export DEBUG=1; \
	$(PY) manage.py seed_demo; \
	echo "Serving on http://127.0.0.1:$(PORT) with the notification worker beside it (Ctrl-C stops both)"; \
	$(PY) manage.py notify_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

$(SECRET_KEY_FILE):
	@mkdir -p $(@D)
	@(umask 077; $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@)
	@echo "Generated a secret key in $@ (kept for the next runs; not in git)."

test: setup browser vnu  ## set up, then lint, migration check and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@$(OWNER_DB_ENV) export DEBUG=1; $(PY) manage.py makemigrations --check --dry-run
	@$(OWNER_DB_ENV) $(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

setup: venv messages

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (python3.11 not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

messages: venv
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "gettext's msgfmt not found: using the committed .mo files"; fi

browser:  ## Debian's chromium for the Playwright tests (never `playwright install`)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium package (sudo apt-get install chromium)."; exit 1; fi; }

# The Nu HTML Checker for the crawl test (tests/browser/test_every_page_browser.py): the
# vnu-jar package from npm in the ignored var/ (its postinstall, which may fetch a Java, is
# not run), executed by Debian's Java.
VNU_VERSION := 26.9.27
VNU_DIR := var/node_modules/vnu-jar
vnu:  ## the Nu HTML Checker (vnu-jar from npm, Debian's Java) into var/
	@command -v java >/dev/null && command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless npm >/dev/null; \
	  else echo "Install Debian's Java and npm (sudo apt-get install default-jre-headless npm)."; exit 1; fi; }
	@grep -qs '"version": "$(VNU_VERSION)"' $(VNU_DIR)/package.json || \
	  npm install --prefix var --no-save --no-audit --no-fund --ignore-scripts --silent vnu-jar@$(VNU_VERSION)

screenshots: setup browser  ## the demo's home, a thread and the moderation queue at 1,280 and 375 px into docs/screenshots/
	@($(OWNER_DB_ENV) DEBUG=1 $(PY) manage.py migrate --noinput -v 0)
	@$(DB_ENV) $(PY) scripts/screenshots.py

db: venv
	@$(PY) scripts/ensure_db.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var/staticfiles

# Load benchmark (issue 6; docs/performance.md). Not part of `make test`. Seeds the benchmark
# database (BENCH_POSTS posts, default 1,000,000; bench/seed.py) when it has no data yet, then runs
# bench/run.py: gunicorn with production settings on 127.0.0.1 driven by wrk, results in
# bench/results/ and the table in docs/performance.md. BENCH_ARGS passes options through,
# e.g. BENCH_ARGS="--only thread-big-last,reply --duration 10".
BENCH_DATABASE_URL ?=
BENCH_DB_NAME ?= erf_bench
BENCH_POSTS ?= 1000000
BENCH_ARGS ?=
# The busy-Monday mix after the pages (bench/soak.py): e.g. SOAK_ARGS="--duration 30".
SOAK_ARGS ?=
# The benchmark seeds, vacuums and drops indexes: it runs as the database's owner.
BENCH_DB_ENV = export DATABASE_URL="$$($(if $(BENCH_DATABASE_URL),DATABASE_URL=$(BENCH_DATABASE_URL),unset DATABASE_URL; DB_NAME=$(BENCH_DB_NAME)) $(PY) scripts/ensure_db.py --owner)";

bench: setup  ## seed the benchmark database if empty, then measure every page that matters
	@command -v $${WRK:-wrk} >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is needed (Debian: sudo apt-get install wrk)."; exit 1; fi; }
	@$(BENCH_DB_ENV) export DEBUG=1; \
	$(PY) manage.py migrate --noinput -v 0; \
	$(PY) bench/seed.py --posts $(BENCH_POSTS) --if-empty; \
	unset DEBUG; $(PY) bench/run.py --database-url "$$DATABASE_URL" $(BENCH_ARGS); \
	$(PY) bench/soak.py --database-url "$$DATABASE_URL" $(SOAK_ARGS)

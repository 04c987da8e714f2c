# The two commands: `make run` (embedded SQLite, no services) and `make test` (PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker
PORT ?= 8000
# make run always uses the embedded database and runs tasks in-process.
RUN_ENV := DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 CELERY_BROKER_URL=

.PHONY: run test lint format install clean messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

run: $(VENV)/.installed
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_sample_data
	$(RUN_ENV) $(BIN)/python manage.py nightly_report --date 2021-07-15
	$(RUN_ENV) $(BIN)/python manage.py create_demo_user --port $(PORT)
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DATABASE_URL=$(DATABASE_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var

# Re-extract the strings marked for translation into locale/{be,ru}, then compile the .mo
# files that are committed (make run needs no gettext). Translate every new or fuzzy entry
# in between; tests/test_translations.py fails until they are all done.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l be -l ru --add-location=file --no-obsolete \
		--ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' --ignore='staticfiles/*'
	$(BIN)/python manage.py compilemessages -l be -l ru --ignore='.venv/*'

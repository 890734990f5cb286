# The index of commands. The README's two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The demo serves plain http on loopback: no secure cookies or https redirect.
DEMO_ENV := IS_HTTPS=false

.PHONY: demo test test-fast lint check lock messages clean

$(VENV)/.base: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/base.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

## demo: install, migrate, load demo data and serve on http://127.0.0.1:8000
demo: $(VENV)/.base
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo_data
	@echo "Portal: http://127.0.0.1:8000  (stop with Ctrl+C)"
	$(DEMO_ENV) $(PY) manage.py runserver --noreload 127.0.0.1:8000

## test: the whole test suite (installs dev dependencies and Debian's chromium if missing)
test: $(VENV)/.dev
	scripts/ensure-chromium || [ "$$CI" != "true" ]
	$(PY) -m pytest

## test-fast: everything but the browser tests
test-fast: $(VENV)/.dev
	$(PY) -m pytest -m "not e2e"

## check: lint, format, migrations, import contracts, types and module size
check: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	IS_HTTPS=false $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	IS_HTTPS=false $(VENV)/bin/mypy
	$(PY) scripts/check-module-size

## lock: re-pin requirements/*.txt from pyproject.toml (needs uv: pip install uv)
lock:
	uv pip compile pyproject.toml -o requirements/base.txt --python-version 3.11 -q
	uv pip compile pyproject.toml --extra dev -o requirements/dev.txt --python-version 3.11 -q

## messages: refresh and compile the Dutch translations
messages: $(VENV)/.base
	IS_HTTPS=false $(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	IS_HTTPS=false $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache

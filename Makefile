# newsreader: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export NEWSREADER_HTTPS ?= 0

.PHONY: run dev test install migrate seed static db-stop bench clean screenshots test-tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The test suite's own tools from npm: the Nu Html Checker (run with Java) and axe-core.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test-tools: node_modules/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py import_articles seeds/

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

# A task queue worker (feed polling, large admin imports) runs beside gunicorn and stops with it.
run: seed static
	$(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(VENV)/bin/gunicorn newsreader.wsgi --config newsreader/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

dev: seed
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install test-tools
	$(PY) -m pytest

# Benchmarks (not part of `make test`): BENCH_N=10000 for a quick run; see docs/performance.md.
bench: static
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) -m tests.bench.run

db-stop: install
	$(PY) -c 'from newsreader import embedded; embedded.stop()'

clean:
	rm -rf $(VENV) staticfiles node_modules

screenshots: install test-tools
	$(PY) -m pytest tests/browser/screenshots.py -q

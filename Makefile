# newsreader: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export NEWSREADER_HTTPS ?= 0

.PHONY: cluster cluster-tools test-cluster run dev test test-fast lint audit lock install migrate seed static db-stop backup restore bench clean screenshots test-tools system-tools

# requirements.lock pins what the tests passed with (make lock writes it); pyproject.toml keeps the ranges.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The test suite's own tools from npm: the Nu Html Checker (run with Java) and axe-core.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test-tools: system-tools node_modules/.installed

# What the tests need from Debian, installed when missing: Chromium (browser tests), Java (the Nu
# Html Checker) and npm (which installs it and axe-core).
system-tools:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

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

# The scaled-out shape on this machine (docs/scaling.md): a primary and two streaming replicas,
# Redis, three web nodes, a worker, haproxy on 127.0.0.1:$(PORT). Ctrl-C stops all of it.
cluster: install static cluster-tools
	exec $(PY) -m newsreader.cluster

# Redis and haproxy from Debian, installed when missing.
cluster-tools:
	@missing=""; \
	command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || missing="$$missing haproxy"; \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

dev: seed
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Every test: the linters and the import layers first, then the suite with the browser and HTML checks.
test: install test-tools cluster-tools lint
	$(PY) -m pytest

# The cluster's tests alone (tests/cluster: a cluster started as `make cluster` starts it).
test-cluster: install cluster-tools
	$(PY) -m pytest tests/cluster -q

# Day-to-day: the linters and every test but the browser ones, without the HTML checker (docs/testing.md).
test-fast: install lint
	NEWSREADER_HTML_CHECK=0 $(PY) -m pytest --ignore=tests/browser --ignore=tests/cluster -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# Known vulnerabilities in the locked dependencies (needs the vulnerability service), and Django's
# deployment checklist under production settings.
audit: install
	$(VENV)/bin/pip-audit --strict --progress-spinner off --requirement requirements.lock --no-deps --disable-pip
	DEBUG=0 NEWSREADER_HTTPS=1 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=news.example.org $(PY) manage.py check --deploy --fail-level WARNING

lock: install
	$(PY) -m pip freeze --exclude-editable --exclude pip > requirements.lock

# Benchmarks (not part of `make test`): BENCH_N=10000 for a quick run; see docs/performance.md.
# BENCH_MODE=cluster: the scaled-out shape under load instead (tests/bench/cluster.py);
# BENCH_MODE=import: readers while a back catalogue imports into the BENCH_N archive (tests/bench/during_import.py).
# BENCH_MODE=import-scale: seed-shaped imports at 100,000 and a million, fresh and again (tests/bench/import_scale.py).
bench: static cluster-tools
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) -m tests.bench.$(if $(filter cluster,$(BENCH_MODE)),cluster,$(if $(filter import,$(BENCH_MODE)),during_import,$(if $(filter import-scale,$(BENCH_MODE)),import_scale,run)))

# A verified backup of the database, its path printed last (docs/operations.md).
backup: install
	$(PY) manage.py backup

# `make restore BACKUP=path` says what it would replace; `make restore BACKUP=path YES=1` does it.
restore: install
	$(PY) manage.py restore "$(BACKUP)" $(if $(YES),--yes)

db-stop: install
	$(PY) -c 'from newsreader import embedded; embedded.stop()'

clean:
	rm -rf $(VENV) staticfiles node_modules

screenshots: install test-tools
	$(PY) -m pytest tests/browser/screenshots.py -q

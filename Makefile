# make run   – the app on SQLite with demo data, tasks in-process: http://127.0.0.1:8000
# make test  – the whole suite against real PostgreSQL and Redis (started/installed if needed)
# make bench – load benchmark at region scale (seed_scale data, gunicorn + wrk): bench/results/latest.md
# make bench-micro – pytest-benchmark micro-benchmarks
# make bench-pages – reading pages' throughput against the front page (gunicorn + wrk)
# make lint  – ruff check and ruff format --check (part of make test)
# make outdated – pinned packages with a newer patch release (asks the package index)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails, QR codes and calendar invitations: the address `make run` serves on.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run test lint bench bench-micro bench-pages check-deploy lock outdated clean

$(VENV)/.installed-dev: requirements/base.txt requirements/dev.txt
	@python=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed-dev

run: install
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py migrate --noinput
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py load_frameworks
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py send_reminders
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

outdated: install
	$(PY) scripts/outdated.py

lock:
	scripts/lock-requirements.sh $(if $(UPGRADE),--upgrade,)

test: install lint
	@env_lines=$$(VENV_PYTHON=$(PY) scripts/ensure-services.sh) || exit 1; eval "$$env_lines"; \
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	@env_lines=$$(VENV_PYTHON=$(PY) scripts/ensure-services.sh) || exit 1; eval "$$env_lines"; \
	$(PY) benchmarks/scale.py $(BENCH_ARGS)

bench-micro: install
	@env_lines=$$(VENV_PYTHON=$(PY) scripts/ensure-services.sh) || exit 1; eval "$$env_lines"; \
	$(PY) -m pytest benchmarks -q --benchmark-columns=min,median,max,rounds $(PYTEST_ARGS)

bench-pages: install
	@env_lines=$$(VENV_PYTHON=$(PY) scripts/ensure-services.sh) || exit 1; eval "$$env_lines"; \
	$(PY) benchmarks/pages.py $(BENCH_ARGS)

check-deploy: install
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=ledelse.example.org SITE_URL=https://ledelse.example.org EMAIL_BACKEND=smtp REDIS_CACHE_URL=redis://127.0.0.1:6379/0 \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles

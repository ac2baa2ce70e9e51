# coopkg: two commands do everything on a fresh machine.
#   make run   - virtual environment, install, build the graph from the corpus (if the store is empty),
#                print who funded what, then serve on http://127.0.0.1:8000
#   make test  - dev dependencies, the pages' assets, Chromium, Java and OWLAPI for the OWL tests,
#                Virtuoso and Jena for the remote store tests, lint, Dockerfile check, the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.dev-installed
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

ASSETS := src/coopkg/web/static/vendor/versions.json

.PHONY: run test install dev assets browser lint tools services bench score clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -c constraints.txt -e .
	touch $@

$(DEV_STAMP): $(STAMP)
	$(PIP) install -c constraints.txt -e '.[dev]'
	touch $@

# The pages' third-party assets (YASGUI, d3, world-atlas, swagger-ui, Redoc), pinned in
# assets/package-lock.json, installed with `npm ci` and copied into the package (never into git).
$(ASSETS): assets/package.json assets/package-lock.json assets/build.mjs
	cd assets && npm ci --no-audit --no-fund --ignore-scripts --omit=peer --loglevel=error
	node assets/build.mjs

assets: $(ASSETS)

# The browser tests drive Debian's Chromium (Playwright is given its path): installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=""; if [ "$$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || { echo "chromium could not be installed: the browser tests need it" >&2; exit 1; }

install: $(STAMP)

dev: $(DEV_STAMP)

run: $(STAMP) $(ASSETS)
	$(BIN)/coopkg ingest --if-empty data/corpus
	$(BIN)/coopkg query --name who-funded-what
	$(BIN)/coopkg serve --host 127.0.0.1 --port 8000

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/hadolint Dockerfile

# Debian packages the OWL tests need (Java, OWLAPI), installed when missing: .ci/tools
tools:
	bash .ci/tools

# The SPARQL engines the remote store tests start (besides `oxigraph serve`, a dev dependency):
# Debian's Virtuoso Open Source 7.2 and Apache Jena 4.5 (TDB2), installed when missing: .ci/services
services:
	bash .ci/services

# Two workers (pytest-xdist), one module each at a time: the suite is mostly waiting on servers and
# subprocesses, and a module's fixtures are built once.
test: lint $(ASSETS) browser tools services
	$(BIN)/pytest -q -n 2 --dist loadscope --durations=25

# The extraction against every batch of real articles (eval/real/*) and, when present, the shared
# development set: one table per set (first-look figures are kept in each batch's first-look.txt).
SHARED_DEV ?= ../shared/extraction/dev
score: $(STAMP)
	@for batch in eval/real/batch-*; do echo "== $$batch"; $(BIN)/coopkg evaluate $$batch | head -7; done
	@if [ -d $(SHARED_DEV)/gold ]; then echo "== $(SHARED_DEV)"; $(BIN)/coopkg evaluate $(SHARED_DEV) | head -7; fi

bench: $(STAMP)
	$(BIN)/python bench/bulk_load.py
	$(BIN)/python bench/validation_scaling.py
	$(BIN)/python bench/extraction_speed.py

clean:
	rm -rf $(VENV) data/store data/store-snapshots .pytest_cache .ruff_cache assets/node_modules src/coopkg/web/static/vendor

# Every target installs what it needs, once: re-running does not reinstall.
# `make` alone (or `make help`) lists the targets: each one's `## ...` comment is its description.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.installed-build
NODE_STAMP := node_modules/.installed
PORT ?= 8000
ENGINE ?= mkdocs
# Material for MkDocs prints a 9-line end-of-life notice at every start. Its one fact (end of life on
# 2027-05-05, Zensical as successor) is in README's "If MkDocs or Material stop working", and `make serve`
# repeats it in one line; the notice itself is silenced with the variable it names.
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help serve build check test test-fast lint schema golden lock release bench browser java nginx clean

help: ## list every target with what it does (this list)
	@echo "Usage: make <target>  (each sets up what it needs the first time: .venv, npm packages)"
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Two hashed locks: requirements/build.lock (what builds, previews and releases the site) and requirements/test.lock
# (that plus the test and lint tools). pip refuses any file whose hash is not in the lock (--require-hashes), and
# the project itself is installed with the locked setuptools (--no-build-isolation), so nothing comes unhashed.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes
$(BUILD_STAMP): requirements/build.lock pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP_INSTALL) -r requirements/build.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(BUILD_STAMP)

$(STAMP): $(BUILD_STAMP) requirements/test.lock
	$(PIP_INSTALL) -r requirements/test.lock
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $(NODE_STAMP)

# Debian's Chromium for the browser tests (tools that download their own browser cannot work here).
browser: ## install Debian's Chromium and fonts for the browser tests (if missing)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@fc-list 2>/dev/null | grep -qi dejavu || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; }
	@fc-list 2>/dev/null | grep -qi "color emoji" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji; }

# vnu-jar's own install script, which would download a Java runtime, never runs (.npmrc: ignore-scripts).
java: ## install Debian's Java for the W3C HTML checker (vnu.jar, from npm), only when no java is on the PATH
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

# Debian's nginx for the deploy test (tests/test_deploy_nginx.py), which runs it as a plain process on a loopback
# port with a temporary prefix: never as a system service.
nginx: ## install Debian's nginx for the deploy-config test (if missing)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }; }

serve: $(BUILD_STAMP) ## preview the site on http://127.0.0.1:8000/ukraine-resilience/ (or PORT=...), reloading on page and data edits
	@echo "Note: Material for MkDocs reaches end of life on 2027-05-05; 'make build ENGINE=zensical' builds with its successor (README)."
	$(VENV)/bin/mkdocs serve --livereload --dev-addr 127.0.0.1:$(PORT)

build: $(BUILD_STAMP) ## strict build of the site into site/ with MkDocs, or ENGINE=zensical (a failed build leaves site/ as it was)
	$(PY) -m publish.build --engine $(ENGINE)

check: $(BUILD_STAMP) ## validate every data file; each problem prints as file:line:column: field: what to do
	$(PY) -m build_charts check

lint: $(STAMP) ## ruff over the Python code, and mypy over build_charts/ and publish/ (strict on build_charts/data/)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test-fast: lint ## the quick loop while editing code: lint and every test that needs no browser, server or whole-site checker
	$(PY) -m pytest -q -m "not browser and not serve and not slow"

test: lint java $(NODE_STAMP) browser nginx ## lint (ruff, mypy) and the whole test suite, browser tests included
	$(PY) -m pytest

schema: $(BUILD_STAMP) ## re-export schemas/*.schema.json from the data models (editors' completion; a test checks it)
	$(PY) -m build_charts schema --out schemas

golden: $(STAMP) ## accept the current Vega-Lite specs of the charts (drawn from the frozen tests/fixtures/data) as the golden files
	$(PY) -m build_charts golden --data tests/fixtures/data --out tests/golden

# uv keeps every version already in a lock unless pyproject.toml asks for another; --upgrade-package NAME moves one.
LOCK := $(VENV)/bin/uv pip compile --quiet --generate-hashes --no-emit-index-url --custom-compile-command "make lock"
lock: $(STAMP) ## re-pin and re-hash every Python package into requirements/*.lock after changing pyproject.toml
	$(LOCK) pyproject.toml requirements/backend.in -o requirements/build.lock
	$(LOCK) pyproject.toml requirements/backend.in --extra dev -c requirements/build.lock -o requirements/test.lock

release: $(BUILD_STAMP) ## reproducible release archives and SHA256SUMS in dist/
	$(PY) -m publish.release

bench: $(STAMP) $(NODE_STAMP) browser ## benchmarks: build speed, rebuilds, scale, page weight
	$(PY) -m bench

clean: ## remove site/, dist/ and .cache/
	rm -rf site dist .cache

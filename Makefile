# Every target installs what it needs, once: re-running does not reinstall.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 8000
ENGINE ?= mkdocs

.PHONY: serve build check test lint schema golden lock release bench browser java clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $(NODE_STAMP)

# Debian's Chromium for the browser tests (tools that download their own browser cannot work here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@fc-list 2>/dev/null | grep -qi dejavu || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; }
	@fc-list 2>/dev/null | grep -qi "color emoji" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji; }

# Debian's Java for the W3C HTML checker (vnu.jar, from npm), only when no java is on the PATH.
# vnu-jar's own install script, which would download a Java runtime, never runs (.npmrc: ignore-scripts).
java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --livereload --dev-addr 127.0.0.1:$(PORT)

build: $(STAMP)
	$(PY) -m publish.build --engine $(ENGINE)

check: $(STAMP)
	$(PY) -m build_charts check

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: $(STAMP) java $(NODE_STAMP) browser
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

schema: $(STAMP)
	$(PY) -m build_charts schema --out schemas

golden: $(STAMP)
	$(PY) -m build_charts golden --out tests/golden

lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | sed '1i # Exact versions of every Python package (direct and indirect). Regenerate with `make lock`.' > requirements.lock

release: $(STAMP)
	$(PY) -m publish.release

bench: $(STAMP) $(NODE_STAMP) browser
	$(PY) -m bench

clean:
	rm -rf site dist .cache

# Diplomacy KB. Quick start:  make serve  (read it at http://127.0.0.1:8000)  ·  make test
# Every target sets up what it needs first (a virtual environment in .venv with the
# pinned packages) and can be run again at any time.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
READY  := $(VENV)/.ready
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

OFFLINE := build/offline
# The offline copy's pages (build_kb writes them with links to .html files) are in $(OFFLINE)/docs.

.PHONY: serve site offline edition test check pages bench screenshots lock clean help

help:
	@echo "make serve   build and serve the site at http://127.0.0.1:8000, rebuilding on every change"
	@echo "make test    run every test (browser tests need Debian's chromium: apt-get install chromium)"
	@echo "make site    write the static site to site/, ready for any static host (with the offline archive)"
	@echo "make offline build the offline copy (browsable from disk) as build/diplomacy-kb-offline.zip"
	@echo "make edition publish the edition kb.yml names: a fixed copy of the site in editions/ (see README)"
	@echo "make check   validate the records without writing anything"
	@echo "make pages   regenerate the Markdown pages in docs/ from the records"
	@echo "make bench   run the scale benchmark (see bench/)"

$(READY): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# axe-core (accessibility checks in the browser tests) comes from the npm registry.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --ignore-scripts; \
	else echo "npm not found: the accessibility tests will fail (install nodejs and npm)"; fi

# --dirty: a change rebuilds only the pages it touches (hooks/kb_site.py keeps search whole).
serve: $(READY)
	$(PY) -m mkdocs serve --dirty --dev-addr 127.0.0.1:8000

site: $(READY) offline
	$(PY) -m mkdocs build --strict --clean
	cp build/diplomacy-kb-offline.zip site/downloads/

offline: $(READY)
	rm -rf $(OFFLINE) build/diplomacy-kb-offline.zip
	$(PY) build_kb.py --quiet --urls file --docs $(OFFLINE)/docs --hand-written docs
	$(PY) -m mkdocs build --strict -f mkdocs.offline.yml -d $(OFFLINE)/diplomacy-kb
	cd $(OFFLINE) && $(abspath $(PY)) -m zipfile -c $(CURDIR)/build/diplomacy-kb-offline.zip diplomacy-kb

# Raise `edition` (and `edition_date`) in kb.yml first; then commit editions/<edition>/.
edition: $(READY)
	$(PY) -m kb.editions.publish

check: $(READY)
	$(PY) build_kb.py --check

pages: $(READY)
	$(PY) build_kb.py

test: $(READY) node_modules/.package-lock.json
	$(PY) -m pytest

bench: $(READY)
	$(PY) bench/run.py

screenshots: site
	$(PY) tools/screenshots.py site screenshots /concepts/urban-diplomacy/ /en/concepts/urban-diplomacy/

lock:
	rm -rf /tmp/kb-lock && $(PYTHON) -m venv /tmp/kb-lock
	/tmp/kb-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned: every package the site build installs. Regenerate: make lock"; \
	  /tmp/kb-lock/bin/pip freeze | grep -v '^pip=='; } > requirements.txt
	/tmp/kb-lock/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Pinned: everything the tests install on top of requirements.txt. Regenerate: make lock"; \
	  echo "-r requirements.txt"; \
	  /tmp/kb-lock/bin/pip freeze | grep -v '^pip==' | grep -v -x -F -f requirements.txt; } > requirements-dev.txt

clean:
	rm -rf site build .pytest_cache
	if [ -x $(PY) ]; then $(PY) build_kb.py --clean; fi

# The site's commands. Each one sets up what it needs: a virtual environment
# in .venv with requirements.txt (and, for the tests and the audit,
# tests/requirements.txt, the Debian packages of tests/system-packages.txt and
# the npm packages of audit/package-lock.json).

PYTHON      ?= python3
VENV        ?= .venv
# The blog to build: this one, or a test blog of tests/roots/.
SOURCEDIR   ?= .
BUILDDIR    ?= _build
# One strict build everywhere: locally, in the tests, in CI, on Read the Docs;
# it reads and writes in parallel, one process per core.
SPHINXOPTS  ?= -n -W --keep-going -j auto
SPHINXBUILD  = $(VENV)/bin/sphinx-build

# make livehtml: the local preview, on this port of 127.0.0.1 only.
PORT        ?= 8000

.PHONY: html livehtml post check test audit bench clean system-packages

# The saved environment goes beside the site, not into the folder that is published.
html: $(VENV)/.site-installed
	$(SPHINXBUILD) -b html $(SPHINXOPTS) -d "$(BUILDDIR)/doctrees" "$(SOURCEDIR)" "$(BUILDDIR)/html"

# Rebuilds on every saved source, setting, template, static file or extension
# and reloads the browser. `-t preview` builds drafts, marked;
# warnings are printed but do not stop the preview. No feeds (an empty
# blog_baseurl): writing them is a quarter of a rebuild. The 404 page's links
# start from /, where the preview serves the site.
livehtml: $(VENV)/.site-installed
	$(VENV)/bin/sphinx-autobuild -b html -n --keep-going -t preview -D blog_baseurl= -D notfound_urls_prefix=/ \
	  --host 127.0.0.1 --port $(PORT) \
	  --ignore "$(BUILDDIR)" --ignore tests --ignore README.md \
	  --re-ignore '/__pycache__/|\.mo$$|\.sw[px]$$|~$$' \
	  . "$(BUILDDIR)/preview"

# make post TITLE="论文标题" SLUG=ascii-slug [CATEGORY=对齐] [TAGS="RLHF, 偏好优化"] [POST_LANGUAGE=en]
# The values reach the script through the environment, so quotes in a title are safe.
post: $(VENV)/.site-installed
	PYTHONPATH=_extensions $(VENV)/bin/python -m paper_notes.commands.new_post --title "$$TITLE" --slug "$$SLUG" \
	  --category "$$CATEGORY" --tags "$$TAGS" --language "$$POST_LANGUAGE"

# The build's front matter checks alone, without building.
check: $(VENV)/.site-installed
	cd "$(SOURCEDIR)" && PYTHONPATH="$(CURDIR)/_extensions" "$(abspath $(VENV))/bin/python" -m paper_notes.commands.check

test: $(VENV)/.tests-installed system-packages audit/node_modules/.installed
	$(VENV)/bin/python -m pytest tests

# Lighthouse scores, page weight and Nu HTML checker over every page type;
# `make audit N=1000` audits a copy with 1,000 synthetic posts instead of the owner's.
audit: $(VENV)/.site-installed system-packages audit/node_modules/.installed
	$(VENV)/bin/python audit/run.py $(if $(filter command line environment,$(origin N)),--posts $(N))

# Times clean and incremental builds of N synthetic posts (bench/build_bench.py),
# with the options of make html.
N ?= 300
bench: $(VENV)/.site-installed
	$(VENV)/bin/python bench/build_bench.py --posts $(N) --sphinxopts="$(SPHINXOPTS)" $(BENCHOPTS)

clean:
	rm -rf "$(BUILDDIR)"

$(VENV)/.site-installed: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.tests-installed: $(VENV)/.site-installed tests/requirements.txt
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

system-packages:
	tests/install-system-packages.sh tests/system-packages.txt

# npm comes with the Debian packages.
audit/node_modules/.installed: audit/package-lock.json | system-packages
	cd audit && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The site's commands. Each one sets up what it needs: a virtual environment
# in .venv with requirements.txt (and, for the tests, tests/requirements.txt
# and the Debian packages the browser tests use).

PYTHON      ?= python3
VENV        ?= .venv
BUILDDIR    ?= _build
# One strict build everywhere: locally, in the tests, in CI, on Read the Docs.
SPHINXOPTS  ?= -n -W --keep-going
SPHINXBUILD  = $(VENV)/bin/sphinx-build

.PHONY: html test bench clean

html: $(VENV)/.site-installed
	$(SPHINXBUILD) -b html $(SPHINXOPTS) . "$(BUILDDIR)/html"

test: $(VENV)/.tests-installed
	tests/install-system-packages.sh tests/system-packages.txt
	$(VENV)/bin/python -m pytest tests

# Times clean and incremental builds of N synthetic posts (bench/build_bench.py).
N ?= 300
bench: $(VENV)/.site-installed
	$(VENV)/bin/python bench/build_bench.py --posts $(N) $(BENCHOPTS)

clean:
	rm -rf "$(BUILDDIR)"

$(VENV)/.site-installed: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.tests-installed: $(VENV)/.site-installed tests/requirements.txt
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

# `make lab` on a fresh machine: creates .venv, installs the pinned packages the first time, opens JupyterLab.
# The student edition ships this file as its Makefile; the course repository's Makefile includes it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS ?= course

.PHONY: lab clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else "Python 3.10-3.12 is needed (TensorFlow 2.21); found %d.%d. Run: make PYTHON=python3.11 ..." % v)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

lab: $(STAMP)  ## start JupyterLab on the student notebooks, without nbgrader's instructor tools (extra options: LAB_ARGS="--port 8890")
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter/student $(BIN)/jupyter lab notebooks/ $(LAB_ARGS)

clean-venv:
	rm -rf $(VENV)

# `make lab` on a fresh machine: creates .venv, installs the pinned packages the first time, opens JupyterLab.
# The student edition ships this file as its Makefile; the course repository's Makefile includes it.

PYTHON  ?= python3
# The Keras backend: tensorflow (default, in .venv), jax or torch (each in its own .venv-BACKEND).
BACKEND ?= $(or $(KERAS_BACKEND),tensorflow)
export KERAS_BACKEND := $(BACKEND)
VENV    := .venv$(if $(filter-out tensorflow,$(BACKEND)),-$(BACKEND))
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
EXTRAS  ?= course,$(BACKEND)
# PyTorch's CPU build (PyPI's default torch for Linux carries several GB of CUDA libraries).
# Set it empty where that index is out of reach and a CPU wheel is at hand (CI: .ci/run).
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu

.PHONY: lab clean-venv

$(STAMP): pyproject.toml
	@case "$(BACKEND)" in tensorflow|jax|torch) ;; *) echo "BACKEND=$(BACKEND): choose tensorflow, jax or torch"; exit 2;; esac
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else "Python 3.10-3.12 is needed (TensorFlow 2.21); found %d.%d. Run: make PYTHON=python3.11 ..." % v)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]' $(if $(and $(filter torch,$(BACKEND)),$(TORCH_INDEX)),--extra-index-url $(TORCH_INDEX))
	touch $@

lab: $(STAMP)  ## start JupyterLab on the student notebooks, without nbgrader's instructor tools: make lab [BACKEND=jax|torch] [LAB_ARGS="--port 8890"]
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter/student $(BIN)/jupyter lab notebooks/ $(LAB_ARGS)

clean-venv:
	rm -rf $(VENV)

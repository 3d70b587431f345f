# Two commands on a fresh machine: `make lab` runs the course, `make test` runs the tests.
# Each creates .venv and installs the pinned dependencies the first time; later runs reuse it.
# `lab` and the install live in course.mk, which the student edition ships as its own Makefile.

# BACKEND is set in course.mk (tensorflow, jax or torch); `=` expands it there.
EXTRAS = course,$(BACKEND),dev
include course.mk

.PHONY: formgrader test test-backends test-notebooks test-grade-modes test-colab run release grade grade-scheduler grade-worker benchmark-grading regrade student-edition

formgrader: $(STAMP)  ## instructors: JupyterLab with nbgrader's Formgrader (Nbgrader menu), started in grading/ for its nbgrader_config.py
	cd grading && $(abspath $(BIN))/jupyter lab --ServerApp.root_dir=.. $(LAB_ARGS)

test: $(STAMP)  ## unit, browser and student-edition tests, every solution notebook in quick mode (nbval), grading round trip, then the notebooks on JAX and PyTorch, then test-colab
	$(BIN)/python -m pytest
	$(MAKE) test-backends BACKENDS="jax torch"
	$(MAKE) test-colab

# The quick nbval suite on each Keras backend, each in its own environment built from the extras
# (.venv, .venv-jax, .venv-torch). `make test` runs it for JAX and PyTorch: its own pytest already ran TensorFlow.
BACKENDS ?= tensorflow jax torch
test-backends:  ## every solution notebook in quick mode (nbval) on each backend: make test-backends [BACKENDS="jax torch"]
	@failed=""; for b in $(BACKENDS); do \
	  echo "== solution notebooks, quick mode, KERAS_BACKEND=$$b"; \
	  $(MAKE) --no-print-directory BACKEND=$$b test-notebooks || failed="$$failed $$b"; \
	done; \
	if [ -n "$$failed" ]; then echo "test-backends failed on:$$failed"; exit 1; fi

test-notebooks: $(STAMP)  ## every solution notebook in quick mode (nbval) on one backend: make test-notebooks [BACKEND=jax]
	$(BIN)/python -m pytest solutions

test-grade-modes: $(STAMP)  ## GRADE_MODE=quick earns exactly the points of full mode, for every solution and blank notebook (~50 min; not in make test)
	$(BIN)/python -m pytest -m grade_modes -s tests/test_grade_modes.py

# Google Colab's package stack (tests/colab/requirements.txt), built once on Python 3.13 as on Colab.
COLAB_PYTHON ?= $(lastword python3.13 $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.13*/bin/python))
COLAB_VENV   := .venv-colab

$(COLAB_VENV)/.installed: tests/colab/requirements.txt
	@$(COLAB_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Colab runs Python 3.13; found %d.%d. Run: make test-colab COLAB_PYTHON=/path/to/python3.13" % sys.version_info[:2])'
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet -r tests/colab/requirements.txt
	touch $@

test-colab: $(STAMP) $(COLAB_VENV)/.installed  ## every solution notebook in quick mode on Colab's packages with a fake google.colab (needs KERAS_COURSE_DATA)
	$(BIN)/python tests/colab/run_notebooks.py $(COLAB_VENV)

run: $(STAMP)  ## run notebooks headlessly, two at a time: make run [QUICK=1] [NB="00 01"] [JOBS=1] [ALLOW_SYNTHETIC=1] [BACKEND=jax|torch]
	$(BIN)/keras-course run $(if $(QUICK),--quick) $(if $(ALLOW_SYNTHETIC),--allow-synthetic) --jobs $(or $(JOBS),2) $(NB)

release: $(STAMP)  ## regenerate notebooks/ from solutions/ with nbgrader
	$(BIN)/python grading/release.py

student-edition: $(STAMP)  ## write the students' repository (no solutions, hidden tests or grading): make student-edition DEST=DIR
	$(BIN)/python grading/student_edition.py "$(DEST)"

grade: $(STAMP)  ## grade a folder of submissions: make grade SUBMISSIONS=DIR [ASSIGNMENT=00-setup] [WORKERS=2] [SCHEDULER=tcp://host:8786] [GRADE_MODE=quick] [GRADE_ARGS="--set Execute.timeout=120"]
	$(BIN)/python grading/grade.py all "$(SUBMISSIONS)" $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(WORKERS),--workers $(WORKERS)) \
		$(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(GRADE_MODE),--mode $(GRADE_MODE)) $(GRADE_ARGS)

benchmark-grading: $(STAMP)  ## submissions per minute on local Dask clusters of 1 and 2 workers: make benchmark-grading [SUBMISSIONS=DIR] [GRADE_MODE=full]
	$(BIN)/python grading/benchmark.py $(SUBMISSIONS) $(if $(GRADE_MODE),--mode $(GRADE_MODE))

grade-scheduler: $(STAMP)  ## the Dask scheduler for make grade SCHEDULER=tcp://THIS-HOST:8786 (see grading/cluster.py): make grade-scheduler [SCHEDULER_ARGS=...]
	$(BIN)/python grading/cluster.py scheduler --port 8786 $(SCHEDULER_ARGS)

grade-worker: $(STAMP)  ## a Dask worker that grades (as root, for the sandbox): make grade-worker SCHEDULER=tcp://host:8786 [WORKER_ARGS="--nthreads 2"]
	$(BIN)/python grading/cluster.py worker $(SCHEDULER) $(WORKER_ARGS)

regrade: $(STAMP)  ## grade one student's notebook again, here: make regrade ASSIGNMENT=00-setup STUDENT=alice [GRADE_MODE=quick] [GRADE_ARGS=...]
	$(BIN)/python grading/grade.py regrade $(ASSIGNMENT) $(STUDENT) $(if $(GRADE_MODE),--mode $(GRADE_MODE)) $(GRADE_ARGS)

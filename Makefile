# Two commands on a fresh machine: `make lab` runs the course, `make test` runs the tests.
# Each creates .venv and installs the pinned dependencies the first time; later runs reuse it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test run release grade regrade clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else "Python 3.10-3.12 is needed (TensorFlow 2.21); found %d.%d. Run: make PYTHON=python3.11 ..." % v)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[course,dev]'
	touch $@

lab: $(STAMP)  ## start JupyterLab on the student notebooks (extra options: LAB_ARGS="--port 8890")
	$(BIN)/jupyter lab notebooks/ $(LAB_ARGS)

test: $(STAMP)  ## unit tests, every solution notebook in quick mode (nbval), grading round trip
	$(BIN)/python -m pytest

run: $(STAMP)  ## run notebooks headlessly, two at a time: make run [QUICK=1] [NB="00 01"] [JOBS=1]
	$(BIN)/keras-course run $(if $(QUICK),--quick) --jobs $(or $(JOBS),2) $(NB)

release: $(STAMP)  ## regenerate notebooks/ from solutions/ with nbgrader
	$(BIN)/python grading/release.py

grade: $(STAMP)  ## grade a folder of submissions: make grade SUBMISSIONS=DIR [ASSIGNMENT=00-setup] [WORKERS=2] [GRADE_ARGS="--set Execute.timeout=120"]
	$(BIN)/python grading/grade.py all "$(SUBMISSIONS)" $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) --workers $(or $(WORKERS),2) $(GRADE_ARGS)

regrade: $(STAMP)  ## grade one student's notebook again: make regrade ASSIGNMENT=00-setup STUDENT=alice [GRADE_ARGS=...]
	$(BIN)/python grading/grade.py regrade $(ASSIGNMENT) $(STUDENT) $(GRADE_ARGS)

clean-venv:
	rm -rf $(VENV)

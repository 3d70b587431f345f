"""Fair exercises: other correct answers pass the self-check and earn the points; plausible mistakes fail both.

Each notebook runs once in quick mode; then, for every variant in exercise_variants.py,
its answer cell is replaced by the variant, the exercise's self-check and graded test
cell run as they are, and the notebook's own answer is put back.
"""

import os

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from exercise_variants import VARIANTS
from judge import PASS_LINE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _cells_by_id(nb):
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")}


def _outcome(cell):
    """"passed" (the ✓ line and no error), or the error's name and message."""
    errors = [o for o in cell.outputs if o.output_type == "error"]
    if errors:
        return f"{errors[0].ename}: {errors[0].evalue}"[:300]
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return "passed" if PASS_LINE.search(text) else "no ✓ line"


def test_every_auto_graded_exercise_has_two_right_and_two_wrong_variants():
    for name in sorted(os.listdir(os.path.join(ROOT, "solutions"))):
        nb = nbformat.read(os.path.join(ROOT, "solutions", name, f"{name}.ipynb"), as_version=4)
        answers = [c.metadata.nbgrader.grade_id for c in nb.cells
                   if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
        for answer in answers:
            variants = VARIANTS.get(name, {}).get(answer, {})
            assert len(variants.get("right", [])) >= 2 and len(variants.get("wrong", [])) >= 2, f"{name} {answer}"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_right_answers_earn_the_points_and_wrong_ones_fail_their_self_check(name, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_COURSE_QUICK", "1")
    nb = nbformat.read(os.path.join(ROOT, "solutions", name, f"{name}.ipynb"), as_version=4)
    cells = _cells_by_id(nb)
    trials = []  # (answer id, kind, variant number, self-check cell, test cell)
    for answer, variants in VARIANTS[name].items():
        for kind in ("right", "wrong"):
            for number, source in enumerate(variants[kind]):
                check, test = new_code_cell(cells[f"{answer}_check"].source), new_code_cell(cells[f"test_{answer}"].source)
                nb.cells += [new_code_cell(source), check, test, new_code_cell(cells[answer].source)]
                trials.append((answer, kind, number, check, test))
    NotebookClient(nb, timeout=900, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    unfair = []
    for answer, kind, number, check, test in trials:
        outcomes = (_outcome(check), _outcome(test))
        if kind == "right" and outcomes != ("passed", "passed"):
            unfair.append(f"{answer}: right answer {number} -> self-check {outcomes[0]!r}, test {outcomes[1]!r}")
        if kind == "wrong" and "passed" in outcomes:
            unfair.append(f"{answer}: wrong answer {number} -> self-check {outcomes[0]!r}, test {outcomes[1]!r}")
    assert not unfair, "\n".join(unfair)

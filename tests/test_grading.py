"""nbgrader round trip: the solution earns every automatic point, even without its self-check cells; the blank student version none."""

import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config.loader import PyFileConfigLoader

import release

ROOT = Path(__file__).resolve().parents[1]


def test_cell_timeout_fits_training():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "grading")).load_config()
    assert config.Execute.timeout >= 600, "nbgrader's per-cell timeout must allow a full-mode training cell"
    assert config.CourseDirectory.source_directory == "solutions"
    assert config.CourseDirectory.release_directory == "notebooks"


def autograde(root, assignment, submissions):
    """Submit {student: notebook path} and autograde; return {student: (code score, max code score)}."""
    for student, notebook in submissions.items():
        target = root / "grading" / "workspace" / "submitted" / student / assignment
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(notebook, target / f"{assignment}.ipynb")
    done = release.nbgrader("autograde", assignment, "--force", root=root)
    assert done.returncode == 0, f"autograde crashed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    with Gradebook(f"sqlite:///{root}/gradebook.db") as gb:
        return {s: (gb.find_submission(assignment, s).code_score, gb.find_submission(assignment, s).max_code_score) for s in submissions}


def without_self_checks(source, target):
    """Write ``source`` without its self-check cells (locked, ungraded): nbgrader does not restore them."""
    nb = nbformat.read(source, as_version=4)
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_check")]
    nbformat.write(nb, target)
    return target


@pytest.mark.parametrize("assignment", release.assignments())
def test_round_trip(course_copy, assignment, tmp_path):
    scores = autograde(course_copy, assignment, {
        "solution": without_self_checks(course_copy / "solutions" / assignment / f"{assignment}.ipynb", tmp_path / "solution.ipynb"),
        "blank": course_copy / "notebooks" / assignment / f"{assignment}.ipynb",
    })
    score, max_score = scores["solution"]
    assert max_score > 0 and score == max_score, f"the solution without its self-checks scored {score} of {max_score}"
    assert scores["blank"][0] == 0, f"the blank student notebook scored {scores['blank'][0]}"

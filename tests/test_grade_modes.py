"""GRADE_MODE=quick earns exactly the points of full mode, for every solution and every blank notebook.

Full mode trains every model as learners do, about 50 minutes on 2 CPU cores,
so `make test` deselects this file (marker ``grade_modes``); run it with
`make test-grade-modes` after changing a notebook or a check. It prints each
notebook's grading time in both modes (the README's capacity table uses them).
"""

import contextlib
import io
import shutil
import time
from pathlib import Path

import nbformat
import pytest

import grade
import release

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = ["--SandboxKernelManager.uid=61500"]  # sandbox users of their own
pytestmark = pytest.mark.grade_modes


def points(root, assignment, student):
    """{graded cell: points} of one graded notebook."""
    from nbgrader.api import Gradebook

    with Gradebook(release.db_url(root)) as gb:
        notebook = gb.find_submission_notebook(assignment, assignment, student)
        return {g.name: g.score for g in notebook.grades}


@pytest.mark.parametrize("assignment", release.assignments())
def test_quick_mode_grades_exactly_as_full_mode(assignment, tmp_path):
    folder = tmp_path / "downloads"
    solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    solution.cells = [c for c in solution.cells if not c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_check")]
    earned, seconds = {}, {}
    for mode in ("quick", "full"):
        root = tmp_path / mode
        shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment)
        release.generate([assignment], root=root)
        (folder / "solution").mkdir(parents=True, exist_ok=True)
        nbformat.write(solution, folder / "solution" / f"{assignment}.ipynb")
        (folder / "blank").mkdir(exist_ok=True)
        shutil.copy(root / "notebooks" / assignment / f"{assignment}.ipynb", folder / "blank" / f"{assignment}.ipynb")
        with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
            grade.collect(folder, assignment, root=root)
            for student in ("solution", "blank"):  # one at a time: the time a notebook takes alone
                start = time.perf_counter()
                grade.autograde([assignment], [student], workers=1, options=OPTIONS, root=root, mode=mode)
                seconds[mode, student] = time.perf_counter() - start
        rows = {row[1]: row for row in grade.summary([grade.Work(assignment, s, root) for s in ("solution", "blank")], root)}
        assert rows["solution"][2] == rows["solution"][3] > 0 and rows["solution"][4] == "ok", (mode, rows, out.getvalue())
        assert rows["blank"][2] == 0, (mode, rows)
        earned[mode] = {s: points(root, assignment, s) for s in ("solution", "blank")}
    print(f"\n{assignment}: solution graded in {seconds['quick', 'solution']:.0f} s quick, {seconds['full', 'solution']:.0f} s full; "
          f"blank in {seconds['quick', 'blank']:.0f} s quick, {seconds['full', 'blank']:.0f} s full")
    assert earned["quick"] == earned["full"], "quick mode must earn exactly the points of full mode, cell by cell"

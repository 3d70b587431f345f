"""The notebooks as files: clean, normalised, and in sync with nbgrader's release."""

import ast
from pathlib import Path

import nbformat
import pytest

import release

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("solutions/*/*.ipynb")) + sorted(ROOT.glob("notebooks/*/*.ipynb"))
NOTEBOOK_METADATA = {"kernelspec", "language_info"}
CELL_METADATA = {"nbgrader", "tags", "editable", "deletable", "jupyter", "cellView"}
COLLAPSED = {"jupyter": {"source_hidden": True}, "cellView": "form"}  # a hints cell, folded in JupyterLab and Colab


def rel(path):
    return str(path.relative_to(ROOT))


def test_every_assignment_is_released():
    assert release.assignments(), "solutions/ holds no assignment"
    released = sorted(p.name for p in (ROOT / "notebooks").iterdir() if p.is_dir())
    assert released == release.assignments(), "notebooks/ and solutions/ hold different assignments: run `make release`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert set(nb.metadata) <= NOTEBOOK_METADATA, f"{rel(path)}: notebook metadata {set(nb.metadata) - NOTEBOOK_METADATA} is not allowed"
    for i, cell in enumerate(nb.cells):
        assert set(cell.metadata) <= CELL_METADATA, f"{rel(path)} cell {i}: metadata {set(cell.metadata) - CELL_METADATA} is not allowed"
        folded = {k: cell.metadata[k] for k in COLLAPSED if k in cell.metadata}
        assert folded in ({}, COLLAPSED), f"{rel(path)} cell {i}: only a hints cell is folded, with {COLLAPSED}"
        assert not folded or cell.source.startswith("#@title Hints for Exercise"), f"{rel(path)} cell {i}: only hints cells are folded"
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{rel(path)} cell {i} has stored outputs: clear them"


@pytest.mark.parametrize("path", sorted(ROOT.glob("solutions/*/*.ipynb")), ids=rel)
def test_solution_is_normalised(path):
    text = path.read_text()
    assert text == nbformat.writes(nbformat.read(path, as_version=4)) + "\n", f"{rel(path)} is not in nbformat's layout: re-save it with nbformat"


@pytest.mark.parametrize("path", sorted(ROOT.glob("solutions/*/*.ipynb")), ids=rel)
def test_solution_points_at_the_repository(path, tmp_path):
    copy = tmp_path / path.name
    copy.write_text(path.read_text())
    assert not release.stamp(copy, release.student_url()), f"{rel(path)}: the Colab badge or install cell does not name the student edition: run `make release`"


def test_student_notebooks_equal_a_fresh_release(course_copy):
    fresh = sorted(p.relative_to(course_copy) for p in course_copy.glob("notebooks/**/*") if p.is_file())
    committed = sorted(p.relative_to(ROOT) for p in ROOT.glob("notebooks/**/*") if p.is_file() and ".ipynb_checkpoints" not in str(p))
    assert committed == fresh, "notebooks/ does not hold what nbgrader generates: run `make release`"
    for name in fresh:
        if name.suffix == ".ipynb":
            assert nbformat.read(ROOT / name, as_version=4) == nbformat.read(course_copy / name, as_version=4), f"{name} differs from nbgrader's release: run `make release`"
        else:
            assert (ROOT / name).read_bytes() == (course_copy / name).read_bytes(), f"{name} differs: run `make release`"


@pytest.mark.parametrize("path", sorted(ROOT.glob("notebooks/*/*.ipynb")), ids=rel)
def test_student_notebook_hides_solutions(path):
    text = path.read_text()
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS"):
        assert marker not in text, f"{rel(path)} contains {marker!r}"


@pytest.mark.parametrize("path", sorted(ROOT.glob("solutions/*/*.ipynb")), ids=rel)
def test_graded_cells_end_on_passed(path):
    """A test cell that ends on a value would be read by nbgrader as a partial-credit score."""
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            last = ast.parse(cell.source).body[-1]
            call = getattr(last, "value", None)
            assert isinstance(call, ast.Call) and ast.unparse(call.func) == "checks.passed", f"{rel(path)} {meta['grade_id']}: end the test cell with checks.passed(...)"

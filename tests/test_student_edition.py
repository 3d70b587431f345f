"""`make student-edition`: the students' repository holds no solution, no hidden test and no grading tool, and runs."""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import release
import student_edition

ROOT = Path(__file__).resolve().parents[1]
_REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)
FORBIDDEN = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return student_edition.build(tmp_path_factory.mktemp("students") / "keras-hands-on-student")


def files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def solution_only_lines():
    """Lines of solutions, hidden tests and written model answers that appear nowhere in the public material."""
    secret, public = set(), set()
    for path in ROOT.glob("solutions/*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            written_answer = cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution")
            hidden = cell.source if written_answer else "".join(m[2] for m in _REGION.finditer(cell.source))
            secret |= {line.strip() for line in hidden.splitlines()}
            public |= {line.strip() for line in _REGION.sub("", "" if written_answer else cell.source).splitlines()}
    for path in [ROOT / "README.md", *ROOT.glob("src/**/*.py"), *ROOT.glob("data/*")]:
        public |= {line.strip() for line in path.read_text().splitlines()}
    return {line for line in secret - public if len(line) >= 20}


def test_edition_holds_the_student_side_only(edition):
    top = {p.name for p in edition.iterdir()}
    assert top == set(student_edition.COPIED + student_edition.WRITTEN)
    assert not {"solutions", "grading", "tests"} & top
    assert sorted(p.parent.name for p in edition.glob("notebooks/*/*.ipynb")) == release.assignments()
    assert (edition / "src" / "keras_course" / "checks.py").is_file()
    pyproject = (edition / "pyproject.toml").read_text()
    assert "dev = [" not in pyproject and "nbgrader" not in pyproject and "pytest" not in pyproject
    assert f'Repository = "{release.student_url()}"' in pyproject
    assert not student_edition.dev_packages() & set(re.findall(r"- ([a-z0-9_.-]+)==", (edition / "environment.yml").read_text()))
    readme = (edition / "README.md").read_text()
    assert "## For students" in readme and "## On Google Colab" in readme and "For instructors" not in readme
    assert "lab:" in (edition / "Makefile").read_text() and "pytest" not in (edition / "Makefile").read_text()


def test_edition_holds_no_solution_or_hidden_test(edition):
    secret = solution_only_lines()
    assert len(secret) > 100, "too few solution lines found to make this test meaningful"
    for path in files(edition):
        text = path.read_text(errors="replace")
        assert not [m for m in FORBIDDEN if m in text], f"{path.relative_to(edition)} holds an nbgrader region marker"
        if path.suffix == ".ipynb":
            text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
        leaked = sorted(secret & {line.strip() for line in text.splitlines()})
        assert not leaked, f"{path.relative_to(edition)} holds solution or hidden-test text, e.g. {leaked[0]!r}"


def test_edition_points_colab_at_itself(edition):
    url = release.student_url()
    for path in edition.glob("notebooks/*/*.ipynb"):
        text = path.read_text()
        assert f"colab.research.google.com/github/{url.removeprefix('https://github.com/')}/blob/main/notebooks/" in text
        assert f"git+{url}" in text, f"{path.name}: the Colab install cell does not install the student edition"


def test_rebuild_keeps_foreign_files_and_refuses_other_folders(edition, tmp_path):
    (edition / ".git").mkdir(exist_ok=True)
    (edition / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (edition / "notebooks" / "stale.txt").write_text("left by an older edition")
    student_edition.build(edition)
    assert (edition / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (edition / "notebooks" / "stale.txt").exists()
    other = tmp_path / "thesis"
    other.mkdir()
    (other / "chapter1.tex").write_text("mine")
    done = subprocess.run([sys.executable, str(ROOT / "grading" / "student_edition.py"), str(other)],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "not empty" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in other.iterdir()] == ["chapter1.tex"]


def test_edition_notebook_runs_to_the_first_exercise(edition):
    """00 from the edition, in quick mode, with the edition's package: only exercise cells fail (they are blank)."""
    path = edition / "notebooks" / "00-setup" / "00-setup.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import keras_course; print(keras_course.__file__)"))
    env = dict(os.environ, PYTHONPATH=str(edition / "src"), KERAS_COURSE_QUICK="1")
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
    failed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    exercise_cells = {i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id")
                      and not c.source.startswith("#@title Hints")}
    assert failed and set(failed) <= exercise_cells, f"cells {sorted(set(failed) - exercise_cells)} failed outside the exercises"
    assert {o.ename for i in failed for o in nb.cells[i].outputs if o.output_type == "error"} == {"NotImplementedError"}
    assert nb.cells[-1].outputs[0].text.strip().startswith(str(edition / "src"))

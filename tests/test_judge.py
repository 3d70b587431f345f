"""How judge.py splits a test cell, and what it makes of what the student's kernel handed over."""

import nbformat

import judge
from keras_course import answers

CELL = '''"""Checks mean_of."""
answer = checks.collect(small=mean_of([1, 2, 3]))
### BEGIN HIDDEN TESTS
cases = [[10, -4], [0.5]]
answer.add(more=[mean_of(c) for c in cases])
### END HIDDEN TESTS
checks.expect_close(answer.small, 2.0, 1e-9, "mean_of([1, 2, 3])")
### BEGIN HIDDEN TESTS
checks.expect_close(answer.more[0], 3.0, 1e-9, "the first hidden mean")
### END HIDDEN TESTS
checks.passed("Exercise 1")'''


def test_the_kernel_runs_up_to_the_last_collect_and_the_judge_everything_but_collecting():
    collect, checks = judge.split(CELL)
    assert collect.endswith("answer.add(more=[mean_of(c) for c in cases])") and "expect_close" not in collect
    assert "cases = [[10, -4], [0.5]]" in checks and "collect" not in checks and "answer.add" not in checks
    assert "checks.expect_close(answer.more[0], 3.0" in checks and checks.endswith("checks.passed('Exercise 1')")


def test_cells_without_collect_or_with_broken_syntax_are_not_judged():
    assert judge.split('checks.expect(True, "x")\nchecks.passed("E")') is None
    assert judge.split("answer = checks.collect(x=1") is None


def _cell(*outputs):
    return nbformat.v4.new_code_cell(CELL, outputs=list(outputs))


def test_records_merge_in_order_and_anything_else_is_ignored():
    first = nbformat.v4.new_output("display_data", data={answers.MIME: answers.dumps({"small": 2.0}), "text/plain": "x"})
    second = nbformat.v4.new_output("display_data", data={answers.MIME: answers.dumps({"more": [3.0, 0.5], "small": 1.0})})
    noise = nbformat.v4.new_output("stream", text="✓ Exercise 1: every check in this cell passed.\n")
    junk = nbformat.v4.new_output("display_data", data={answers.MIME: "not a record"})
    assert answers.loads({"version": 1, "values": judge.collected(_cell(first, noise, junk, second))}) == {"small": 1.0, "more": [3.0, 0.5]}


def test_a_cell_that_collected_nothing_names_only_a_builtin_error():
    raised = nbformat.v4.new_output("error", ename="NameError", evalue="name 'mean_of' is not defined", traceback=[])
    forged = nbformat.v4.new_output("error", ename="aGlkZGVuIHRlc3Rz", evalue="x", traceback=[])
    assert "(NameError)" in judge._not_collected(_cell(raised))
    assert "aGlk" not in judge._not_collected(_cell(forged))


def test_every_test_cell_of_the_course_is_judged():
    """Every graded test cell of every notebook collects its answers at the top level, so the clean kernel judges it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    names = sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir())
    assert len(names) == 7
    for name in names:
        nb = nbformat.read(root / "solutions" / name / f"{name}.ipynb", as_version=4)
        assert any(judge.is_test(c) for c in nb.cells), name
        assert judge.not_judged(nb) == [], f"{name}: these test cells have no top-level checks.collect"


def test_a_test_cell_that_does_not_collect_never_runs_in_the_students_kernel():
    import preprocessors

    cell = nbformat.v4.new_code_cell('checks.expect(True, "x")\nchecks.passed("E")', outputs=[])
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "old_style", "points": 1}
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert judge.not_judged(nb) == ["old_style"]
    execute = preprocessors.SafeExecute()
    execute._stopped = ""
    execute._deadline = float("inf")
    cell, _ = execute.preprocess_cell(cell, {}, 0)  # no kernel was started: running it would fail
    assert [(o.ename, "does not collect" in o.evalue) for o in cell.outputs] == [("GraderError", True)]

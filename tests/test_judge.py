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


def test_the_notebooks_test_cells_are_judged():
    """Every graded test cell of these notebooks collects its answers at the top level, so the clean kernel judges it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for name in ("00-setup", "01-building-blocks", "02-dnn-regression", "03-mnist-mlp", "04-imdb-lstm", "05-cnn"):
        cells = [c for c in nbformat.read(root / "solutions" / name / f"{name}.ipynb", as_version=4).cells if judge.is_test(c)]
        assert cells, name
        for cell in cells:
            assert judge.split(cell.source), f"{name} {cell.metadata.nbgrader.grade_id}: no top-level checks.collect"

"""The checks exercises call: equivalent answers pass, wrong ones fail with a useful message."""

import keras
import numpy as np
import pytest

from keras_course import checks


@pytest.mark.parametrize("loss", ["mse", "mean_squared_error", keras.losses.MeanSquaredError(), keras.losses.mean_squared_error])
def test_equivalent_losses_pass(loss):
    checks.expect_same_loss(loss, "mse")


@pytest.mark.parametrize("loss", ["mae", keras.losses.BinaryCrossentropy(), "not_a_loss", None])
def test_other_losses_fail_with_message(loss):
    with pytest.raises(checks.CheckError, match="loss"):
        checks.expect_same_loss(loss, "mse")


@pytest.mark.parametrize("shape", [(2, 3, 4), [2, 3, 4], np.array([2, 3, 4]), (np.int64(2), 3.0, 4)])
def test_shapes_in_any_spelling(shape):
    assert checks.expect_ints(shape, (2, 3, 4), "shape") == (2, 3, 4)


def test_wrong_shape_names_both_values():
    with pytest.raises(checks.CheckError, match=r"should be \(100, 512, 512, 3\), but it is \(512, 512, 3, 100\)"):
        checks.expect_ints((512, 512, 3, 100), (100, 512, 512, 3), "the batch shape")


def test_numbers():
    assert checks.expect_close(np.float32(1.95), 2.0, 0.1, "w") == pytest.approx(1.95)
    for bad in ("two", [1, 2], float("nan")):
        with pytest.raises(checks.CheckError):
            checks.expect_close(bad, 2.0, 0.1, "w")
    with pytest.raises(checks.CheckError, match=r"about 2 \(± 0.1\), but it is 3"):
        checks.expect_close(3, 2.0, 0.1, "w")
    with pytest.raises(checks.CheckError, match="whole numbers"):
        checks.as_ints(2.5, "count")


def test_expect_rejects_truthy_objects():
    class AlwaysTrue:
        def __eq__(self, other):
            return True

        def __bool__(self):
            return True

    with pytest.raises(checks.CheckError):
        checks.expect(AlwaysTrue(), "a truthy object is not a passed check")
    with pytest.raises(checks.CheckError):
        checks.expect_ints(AlwaysTrue(), 3, "an always-equal object")
    with pytest.raises(checks.CheckError):
        checks.expect_close(AlwaysTrue(), 3, 0.1, "an always-equal object")
    checks.expect(np.bool_(True), "numpy booleans are fine")


def test_instance_and_passed(capsys):
    checks.expect_instance(keras.optimizers.SGD(), keras.optimizers.Optimizer, "optimizer")
    with pytest.raises(checks.CheckError, match="should be a SGD, but it is a Adam"):
        checks.expect_instance(keras.optimizers.Adam(), keras.optimizers.SGD, "optimizer")
    checks.passed("Exercise 9")
    assert "✓ Exercise 9" in capsys.readouterr().out


def test_search_spaces_accept_every_equivalent_way_to_offer_the_same_values():
    import keras_tuner

    hp = keras_tuner.HyperParameters()
    hp.Int("units", 32, 256, step=32)
    hp.Float("dropout", 0.0, 0.5, step=0.1)
    hp.Float("learning_rate", 1e-4, 1e-2, sampling="log")
    hp.Int("filters", 8, 64, step=2, sampling="log")
    other = keras_tuner.HyperParameters()
    other.Choice("units", list(range(256, 31, -32)))
    other.Choice("dropout", [0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
    space, same = checks.search_space(hp.get_config()), checks.search_space(other.get_config())
    assert checks.offered_values(space["units"]) == checks.offered_values(same["units"]) == list(range(32, 257, 32))
    assert checks.offered_values(space["dropout"]) == checks.offered_values(same["dropout"]) == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert checks.offered_values(space["filters"]) == [8, 16, 32, 64]
    assert space["learning_rate"]["kind"] == "Float" and space["learning_rate"]["sampling"] == "log"
    with pytest.raises(checks.CheckError, match="get_config"):
        checks.search_space({"units": 32})


def test_folds_must_be_k_disjoint_complete_and_balanced():
    good = [(np.setdiff1d(np.arange(10), f), f) for f in np.array_split(np.arange(10), 3)]
    checks.expect_folds(good, 10, 3, "kfold_indices(10, 3)")
    overlapping = [(np.arange(10), f) for f in np.array_split(np.arange(10), 3)]
    unbalanced = [(np.arange(2, 10), np.arange(2)), (np.arange(2), np.arange(2, 10))]
    for pairs, k, message in [(good[:2], 3, "3 pairs, not 2"), (overlapping, 3, "shares indices"),
                              (unbalanced, 2, "differ by more than one"), ([good[0], good[0], good[1]], 3, "exactly one validation fold")]:
        with pytest.raises(checks.CheckError, match=message):
            checks.expect_folds(pairs, 10, k, "kfold_indices")


def test_in_a_notebook_a_failed_check_and_an_unanswered_exercise_show_one_line(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_cell("from keras_course import checks\nchecks.short_errors()", store_history=True)
    shell.run_cell("def area(r):\n    # YOUR CODE HERE\n    raise NotImplementedError()", store_history=True)
    capsys.readouterr()
    unanswered = shell.run_cell('area(2)\nchecks.passed("Exercise 3")', store_history=True)
    wrong = shell.run_cell('checks.expect_close(3.0, 12.57, 0.01, "area(2)")\nchecks.passed("Exercise 3")', store_history=True)
    other = shell.run_cell('raise NotImplementedError("not this course\'s stub")', store_history=True)
    lines = capsys.readouterr().out
    assert type(unanswered.error_in_exec) is NotImplementedError and type(wrong.error_in_exec) is checks.CheckError
    assert "✗ Exercise 3 is not answered yet: write your code where it says YOUR CODE HERE" in lines
    assert "✗ Exercise 3: area(2) should be about 12.57 (± 0.01), but it is 3." in lines
    assert type(other.error_in_exec) is NotImplementedError and "Traceback" in lines, "other errors keep their traceback"
    assert lines.count("Traceback") == 1 and "checks.py" not in lines
    InteractiveShell.clear_instance()


def test_hints_come_in_tiers_and_a_failed_check_points_to_them(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    from keras_course import hints

    hints.define(3, "Think about the radius.", "The area is pi times the radius squared.")
    hints.hint(3)
    hints.hint(3, 2)
    hints.hint(3, 9)
    hints.hint(8)
    shown = capsys.readouterr().out
    assert "Hint 1 of 2 for exercise 3: Think about the radius. For more detail: hint(3, 2)." in shown
    assert shown.count("Hint 2 of 2 for exercise 3: The area is pi") == 2 and "That is the last hint." in shown
    assert "No hints for exercise 8. Exercises with hints: 3" in shown
    shell = InteractiveShell.instance()
    shell.run_cell('from keras_course import checks\nchecks.expect_ints(1, 2, "n")\nchecks.passed("Exercise 3")', store_history=True)
    assert "✗ Exercise 3: n should be 2, but it is 1. Stuck? Run hint(3)." in capsys.readouterr().out
    InteractiveShell.clear_instance()


def test_every_auto_graded_exercise_has_two_or_three_hints_next_to_it():
    import re
    from pathlib import Path

    import nbformat

    for path in sorted((Path(__file__).resolve().parents[1] / "solutions").glob("*/*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("solution"):
                task, hint_cell = cells[i - 2], cells[i - 1]
                number = re.match(r"### Exercise (\d+) ", task.source).group(1)
                assert hint_cell.metadata["nbgrader"]["grade_id"] == meta["grade_id"] + "_hints", (path.name, number)
                found = re.fullmatch(rf"#@title Hints for Exercise {number}:[^\n]*\nhints\.define\({number},\n((?:    .+,\n){{2,3}})\)",
                                     hint_cell.source)
                assert found, (path.name, number, hint_cell.source[:200])
                assert f"`hint({number})`" in task.source, (path.name, number)

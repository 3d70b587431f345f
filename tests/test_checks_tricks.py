"""Checks do not trust objects the learner built: spoofed classes and notebook-defined numbers fail."""

import numpy as np
import pytest

from keras_course import checks


class Impostor:
    """Claims to be an ndarray and equal to everything, as a notebook class would."""

    __class__ = property(lambda self: np.ndarray)
    __eq__ = lambda self, other: True  # noqa: E731
    __float__ = lambda self: 2.0  # noqa: E731
    __array__ = lambda self, *args, **kwargs: np.array([100, 512, 512, 3])  # noqa: E731


Impostor.__module__ = "__main__"  # where a class defined in a notebook cell lives


def test_a_spoofed_class_is_not_an_instance():
    assert isinstance(Impostor(), np.ndarray), "isinstance alone would be fooled"
    with pytest.raises(checks.CheckError, match="should be a ndarray, but it is a Impostor"):
        checks.expect_instance(Impostor(), np.ndarray, "ones(3)")


@pytest.mark.parametrize("check", [
    lambda value: checks.expect_close(value, 2.0, 0.1, "the mean"),
    lambda value: checks.expect_ints(value, (100, 512, 512, 3), "the shape"),
])
def test_numbers_from_notebook_classes_are_refused(check):
    with pytest.raises(checks.CheckError, match="not an object of your own class Impostor"):
        check(Impostor())


def test_passed_prints_the_line_the_grader_looks_for(capsys):
    checks.passed("Exercise 1")
    assert capsys.readouterr().out == f"✓ Exercise 1: {checks.PASSED}.\n"

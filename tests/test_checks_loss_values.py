"""checks.expect_same_loss_values: losses compared on labels and predictions of the task's shapes."""

import numpy as np
import pytest

from keras_course import checks

keras = pytest.importorskip("keras")

ONE_HOT = np.eye(3, dtype="float32")[[0, 2, 1, 2]]
PROBS = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.2, 0.2, 0.6]], dtype="float32")


@pytest.mark.parametrize("loss", ["categorical_crossentropy", keras.losses.CategoricalCrossentropy(),
                                  keras.losses.categorical_crossentropy])
def test_equivalent_spellings_pass(loss):
    checks.expect_same_loss_values(loss, "categorical_crossentropy", ONE_HOT, PROBS)


def test_a_different_loss_fails_with_a_hint():
    with pytest.raises(checks.CheckError, match="check the loss you passed to compile"):
        checks.expect_same_loss_values("mse", "categorical_crossentropy", ONE_HOT, PROBS)


def test_labels_of_the_wrong_form_fail_with_a_message():
    with pytest.raises(checks.CheckError, match="cannot be computed"):
        checks.expect_same_loss_values("sparse_categorical_crossentropy", "categorical_crossentropy",
                                       np.zeros((4, 3, 2), dtype="float32"), PROBS)

"""Checks that exercises' visible and hidden tests call.

Each check converts the learner's answer to a plain type first (``float``,
``int``, ``tuple``, ``isinstance`` on Keras classes) and raises ``CheckError``
with a message that says what to look at, so a failed test teaches something.
"""

import numpy as np


PASSED = "every check in this cell passed"  # the grader scores a test cell only if it printed this line


class CheckError(AssertionError):
    """A learner's answer did not pass a check; the message says why."""


def expect(condition, message):
    """Raise ``CheckError(message)`` unless ``condition`` is true."""
    if condition is not True and not (isinstance(condition, (bool, np.bool_)) and bool(condition)):
        raise CheckError(message)


def _refuse_notebook_classes(value, what):
    """Refuse an object of a class the notebook defined: its conversions (``__float__``, ``__array__``...) could lie."""
    if type(value).__module__ == "__main__":
        raise CheckError(f"{what} should be a number or a sequence of numbers, not an object of your own class {type(value).__name__}.")


def as_float(value, what):
    """Return ``value`` as a Python float, or explain why it is not a number."""
    _refuse_notebook_classes(value, what)
    try:
        number = float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        raise CheckError(f"{what} should be a single number, but it is {type(value).__name__}: {value!r:.80}") from None
    expect(np.isfinite(number), f"{what} is {number}; check for a division by zero or a diverging training run.")
    return number


def as_ints(value, what):
    """Return ``value`` (an int or a sequence of ints) as a tuple of Python ints."""
    _refuse_notebook_classes(value, what)
    try:
        items = np.asarray(value).reshape(-1).tolist()
        ints = tuple(int(v) for v in items)
    except (TypeError, ValueError):
        raise CheckError(f"{what} should be whole numbers, but it is {value!r:.80}") from None
    expect(all(float(v) == i for v, i in zip(items, ints)), f"{what} should be whole numbers, but it is {value!r:.80}")
    return ints


def expect_close(actual, expected, tol, what):
    """Check that the number ``actual`` is within ``tol`` of ``expected``."""
    number = as_float(actual, what)
    expect(abs(number - float(expected)) <= tol, f"{what} should be about {expected:g} (± {tol:g}), but it is {number:g}.")
    return number


def expect_ints(actual, expected, what):
    """Check that ``actual`` equals ``expected`` as whole numbers (a count or a shape)."""
    got, want = as_ints(actual, what), as_ints(expected, "the expected value")
    expect(got == want, f"{what} should be {want if len(want) > 1 else want[0]}, but it is {got if len(got) > 1 else got[0] if got else '()'}.")
    return got


def expect_instance(obj, cls, what):
    """Check that ``obj`` is an instance of ``cls`` (a class or a tuple of classes)."""
    names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
    expect(issubclass(type(obj), cls), f"{what} should be a {names}, but it is a {type(obj).__name__}.")
    return obj


def expect_same_loss(loss, reference, what="the loss"):
    """Check that ``loss`` computes the same values as ``reference``.

    Accepts every spelling Keras does: ``"mse"``, ``"mean_squared_error"``,
    ``keras.losses.MeanSquaredError()`` or ``keras.losses.mean_squared_error``.
    """
    import keras

    rng = np.random.default_rng(0)
    y_true = rng.uniform(0.05, 0.95, size=(8, 1)).astype("float32")
    y_pred = rng.uniform(0.05, 0.95, size=(8, 1)).astype("float32")
    try:
        got = float(np.mean(keras.ops.convert_to_numpy(keras.losses.get(loss)(y_true, y_pred))))
    except Exception as exc:  # any unusable loss: report it in the learner's terms
        raise CheckError(f"{what} ({loss!r:.60}) is not a loss Keras recognises: {exc}") from None
    want = float(np.mean(keras.ops.convert_to_numpy(keras.losses.get(reference)(y_true, y_pred))))
    expect(np.isclose(got, want, rtol=1e-4, atol=1e-6), f"{what} ({loss!r:.60}) does not compute {reference!r}; check the loss you passed to compile().")


def expect_same_loss_values(loss, reference, y_true, y_pred, what="the loss"):
    """Check that ``loss`` gives the same mean value as ``reference`` on these labels and predictions.

    For losses that ``expect_same_loss``'s one-column test data cannot tell apart
    (categorical vs sparse cross-entropy): pass labels and predictions of the shapes
    the task uses. Accepts names, functions and ``keras.losses`` objects.
    """
    import keras

    def mean_loss(fn, label):
        try:
            return float(np.mean(keras.ops.convert_to_numpy(keras.losses.get(fn)(y_true, y_pred))))
        except Exception as exc:  # an unusable loss or labels of the wrong form
            raise CheckError(f"{label} ({fn!r:.60}) cannot be computed on labels of shape {np.shape(y_true)} "
                             f"and predictions of shape {np.shape(y_pred)}: {exc}") from None

    got, want = mean_loss(loss, what), mean_loss(reference, "the reference loss")
    expect(np.isclose(got, want, rtol=1e-4, atol=1e-6),
           f"{what} ({loss!r:.60}) gives {got:.4g} where {reference!r} gives {want:.4g}; check the loss you passed to compile() and the form of the labels.")


def passed(what):
    """Print the line a learner sees when every check of a cell passed.

    End every test cell with it: a test cell must not end on a value, which
    nbgrader would read as a partial-credit score.
    """
    print(f"✓ {what}: {PASSED}.")

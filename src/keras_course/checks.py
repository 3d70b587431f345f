"""Checks that exercises' visible and hidden tests call.

Each check converts the learner's answer to a plain type first (``float``,
``int``, ``tuple``, ``isinstance`` on Keras classes) and raises ``CheckError``
with a message that says what to look at, so a failed test teaches something.

A graded test cell starts with ``answer = checks.collect(...)``: the values it
names are what the grader reads from your notebook, and the checks after it run
on those values, rebuilt, both here and in the grader's own clean kernel.
"""

import os
import re
import traceback

import numpy as np


PASSED = "every check in this cell passed"  # the grader scores a test cell only if it printed this line
STUB = "raise NotImplementedError()"  # the line nbgrader leaves where the learner's code goes


def exercise_name():
    """The exercise the running notebook cell checks ("Exercise 3"), read from its ``checks.passed`` line; "" if none."""
    try:
        from IPython import get_ipython

        source = get_ipython().user_ns["_ih"][-1]
    except Exception:  # not in IPython, or no history: say nothing
        return ""
    found = re.search(r"checks\.passed\(\s*[\"']([^\"'\n]{1,60})[\"']", source)
    return found.group(1) if found else ""


class CheckError(AssertionError):
    """A learner's answer did not pass a check; the message says why."""

    def _render_traceback_(self):  # IPython shows this one line instead of a traceback into this module
        name = exercise_name()
        return [(f"✗ {name}: {self}" if name else f"✗ {self}") + _stuck(name)]


def _stuck(name):
    """" Stuck? Run hint(3)." when exercise ``name`` ("Exercise 3") has hints, else ""."""
    from keras_course import hints

    found = re.fullmatch(r"Exercise (\d+)", name)
    return f" Stuck? Run hint({found.group(1)})." if found and hints.available(int(found.group(1))) else ""


def _unanswered(shell, etype, value, tb, tb_offset=None):
    """IPython's handler for NotImplementedError: one line when it comes from nbgrader's stub, else the usual traceback."""
    frames = traceback.extract_tb(tb)
    if frames and (frames[-1].line or "").strip() == STUB:
        name = exercise_name()
        line = (f"✗ {name or 'This exercise'} is not answered yet: write your code where it says "
                f"YOUR CODE HERE, in place of the line {STUB}.{_stuck(name)}")
        value._render_traceback_ = lambda: [line]
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def short_errors():
    """In IPython, show an exercise that is not answered yet in one line instead of a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotImplementedError,), _unanswered)


def expect(condition, message):
    """Raise ``CheckError(message)`` unless ``condition`` is true."""
    if condition is not True and not (isinstance(condition, (bool, np.bool_)) and bool(condition)):
        raise CheckError(message)


class Answers:
    """The values a test cell collected, as attributes: ``answer.model``."""

    def add(self, **values):
        """Collect more values (see ``collect``); return self."""
        from keras_course import answers

        try:
            record = answers.dumps(values)
            rebuilt = answers.loads(record)
        except answers.AnswerError as exc:
            raise CheckError(str(exc)) from None
        if os.environ.get("KERAS_COURSE_GRADING"):  # set by the grader's sandbox: hand the record over
            from IPython.display import display

            display({answers.MIME: record, "text/plain": f"answers for the grader: {', '.join(values)}"}, raw=True)
        vars(self).update(rebuilt)
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise CheckError(f"No answer named {name} was collected: the cell stopped before it got there. "
                         "Run the cell in your notebook to see why.")


def collect(**values):
    """Collect a test cell's answers, and return them rebuilt exactly as the grader will see them.

    Values are numbers, strings, arrays, lists, tuples, dicts and Keras objects;
    a model travels as its ``.keras`` file (layers, compile settings, weights)
    and is rebuilt with Keras's safe deserialisation.
    """
    return Answers().add(**values)


def shown(value):
    """``value`` for a message: small numeric values as they are, anything else by its type only."""
    try:
        if np.asarray(value).dtype.kind in "biuf" and np.size(value) <= 16:
            return f"{value!r:.80}"
    except Exception:  # not array-like: describe it by its type
        pass
    if isinstance(value, str) and re.fullmatch(r"[a-z_]{1,30}", value):
        return repr(value)
    return f"a {type(value).__name__}"


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
        raise CheckError(f"{what} should be a single number, but it is {shown(value)}") from None
    expect(np.isfinite(number), f"{what} is {number}; check for a division by zero or a diverging training run.")
    return number


def as_ints(value, what):
    """Return ``value`` (an int or a sequence of ints) as a tuple of Python ints."""
    _refuse_notebook_classes(value, what)
    try:
        items = np.asarray(value).reshape(-1).tolist()
        ints = tuple(int(v) for v in items)
    except (TypeError, ValueError):
        raise CheckError(f"{what} should be whole numbers, but it is {shown(value)}") from None
    expect(all(float(v) == i for v, i in zip(items, ints)), f"{what} should be whole numbers, but it is {shown(value)}")
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
        raise CheckError(f"{what} ({shown(loss)}) is not a loss Keras recognises ({type(exc).__name__}).") from None
    want = float(np.mean(keras.ops.convert_to_numpy(keras.losses.get(reference)(y_true, y_pred))))
    expect(np.isclose(got, want, rtol=1e-4, atol=1e-6), f"{what} ({shown(loss)}) does not compute {reference!r}; check the loss you passed to compile().")


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
            raise CheckError(f"{label} ({shown(fn)}) cannot be computed on labels of shape {np.shape(y_true)} "
                             f"and predictions of shape {np.shape(y_pred)}: {exc}") from None

    got, want = mean_loss(loss, what), mean_loss(reference, "the reference loss")
    expect(np.isclose(got, want, rtol=1e-4, atol=1e-6),
           f"{what} ({shown(loss)}) gives {got:.4g} where {reference!r} gives {want:.4g}; check the loss you passed to compile() and the form of the labels.")


def search_space(config):
    """``{name: settings}`` of a KerasTuner search space given as ``hp.get_config()``.

    Each settings dict is the hyperparameter's config plus its ``kind``: Int, Float, Choice, Boolean or Fixed.
    """
    try:
        return {p["config"]["name"]: {**p["config"], "kind": p["class_name"]} for p in config["space"]}
    except (TypeError, KeyError):
        raise CheckError("The search space should come from keras_tuner.HyperParameters().get_config().") from None


def offered_values(p):
    """The values a hyperparameter from ``search_space`` can take, sorted (numbers rounded to 6 decimals)."""
    if p.get("kind") in ("Int", "Float") and p.get("step"):
        low, high, step = (as_float(p.get(k), f"the {k} of {p.get('name')!r}") for k in ("min_value", "max_value", "step"))
        if p.get("sampling") == "log":  # KerasTuner multiplies by the step on a log scale
            expect(low > 0 and step > 1, f"{p.get('name')!r}: log sampling needs a positive minimum and a step above 1.")
            values = low * step ** np.arange(int(np.floor(np.log(high / low) / np.log(step) + 1e-9)) + 1)
        else:
            values = np.arange(low, high + step / 2, step)
        return [round(float(v), 6) for v in values]
    values = p.get("values") or ([p["value"]] if "value" in p else [])
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return sorted(round(float(v), 6) for v in values)
    return sorted(map(str, values))


def _is_callback(value, kind):
    """Whether ``value`` is a callback of class ``kind``: a collected one (its ``kind``) or a real one (its classes)."""
    return getattr(value, "kind", None) == kind or kind in (t.__name__ for t in type(value).__mro__)


def expect_callback(value, kind, what):
    """Check that ``value`` is a Keras callback of class ``kind`` ("EarlyStopping"...), real or collected."""
    expect(_is_callback(value, kind), f"{what} should return a keras.callbacks.{kind}, not a {getattr(value, 'kind', type(value).__name__)}.")
    return value


def one_callback(callbacks, kind):
    """The callback of class ``kind`` ("EarlyStopping"...) in ``callbacks``, real or collected; fail unless there is exactly one."""
    found = [c for c in callbacks if _is_callback(c, kind)]
    expect(len(found) == 1, f"The list should hold exactly one {kind}; it holds {len(found)}.")
    return found[0]


def expect_folds(pairs, n, k, what):
    """Check k-fold ``pairs`` of (train indices, validation indices) for ``n`` samples and ``k`` folds."""
    pairs = list(pairs)
    expect(len(pairs) == k, f"{what} should return {k} pairs, not {len(pairs)}.")
    everything = set(range(n))
    val_sets = []
    for pair in pairs:
        expect(isinstance(pair, (tuple, list)) and len(pair) == 2, f"{what}: each item should be a (train_indices, val_indices) pair.")
        train_set, val_set = set(as_ints(pair[0], "a training fold")), set(as_ints(pair[1], "a validation fold"))
        expect(not train_set & val_set, f"{what}: a training set shares indices with its validation fold.")
        expect(train_set | val_set == everything, f"{what}: training + validation should cover 0..{n - 1}.")
        val_sets.append(val_set)
    expect(sum(map(len, val_sets)) == n and set().union(*val_sets) == everything,
           f"{what}: each index should be in exactly one validation fold.")
    sizes = [len(v) for v in val_sets]
    expect(max(sizes) - min(sizes) <= 1, f"{what}: fold sizes {sizes} differ by more than one.")


class MeanModel:
    """A stand-in for a Keras model in k-fold code: predicts the mean training target and records what it was given.

    ``MeanModel.built`` lists every instance since the last ``MeanModel.reset()``.
    """

    built = []

    def __init__(self):
        MeanModel.built.append(self)

    @classmethod
    def reset(cls):
        cls.built = []

    @classmethod
    def records(cls):
        """What each instance was fitted on, asked to predict, and the epochs it was given (plain data)."""
        return [{"fit_x": getattr(m, "fit_x", None), "predict_x": getattr(m, "predict_x", None),
                 "epochs": getattr(m, "fit_kwargs", {}).get("epochs")} for m in cls.built]

    def fit(self, x, y, **kwargs):
        self.fit_x, self.fit_kwargs = np.asarray(x, dtype=float), kwargs
        self.mean = float(np.mean(y))

    def predict(self, x, **kwargs):
        self.predict_x = np.asarray(x, dtype=float)
        return np.full((len(x), 1), self.mean)


def expect_kfold_run(maes, records, x, y, k, epochs, what="kfold_mae"):
    """Check a k-fold run with ``MeanModel``: folds in order, one fresh model each, standardised with its training rows."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    folds = np.array_split(np.arange(len(x)), k)
    rests = [np.concatenate([folds[j] for j in range(k) if j != i]) for i in range(k)]
    expected = [float(np.mean(np.abs(y[rest].mean() - y[fold]))) for fold, rest in zip(folds, rests)]
    expect(len(records) == k, f"{what} should call build_fn once per fold ({k} times), not {len(records)} times.")
    got = np.asarray(maes, dtype=float)
    expect(got.shape == (k,) and np.allclose(got, expected, atol=1e-6),
           f"With a model that predicts the training mean, the fold MAEs should be {np.round(expected, 3).tolist()}, "
           f"not {np.round(got, 3).tolist()}; split the rows in order with np.array_split.")
    for i, (record, fold, rest) in enumerate(zip(records, folds, rests)):
        fit_x, predict_x = record["fit_x"], record["predict_x"]
        expect(fit_x is not None and predict_x is not None, f"Fold {i}: the model should be fitted, then asked to predict the held-out rows.")
        expect(len(fit_x) == len(rest), f"Fold {i}: the model should be fitted on the {len(rest)} rows of the other folds, not {len(fit_x)}.")
        expect(np.allclose(fit_x.mean(axis=0), 0, atol=1e-6) and np.allclose(fit_x.std(axis=0), 1, atol=1e-6),
               f"Fold {i}: the training rows should be standardised with their own mean and sd.")
        want = (x[fold] - x[rest].mean(axis=0)) / x[rest].std(axis=0)
        expect(predict_x.shape == want.shape and np.allclose(predict_x, want, atol=1e-6),
               f"Fold {i}: the held-out rows should be standardised with the training rows' statistics.")
        expect(record["epochs"] == epochs, f"Fold {i}: fit should get epochs={epochs}, not {shown(record['epochs'])}.")


def outputs_before(model, stop, x):
    """What ``model``'s layers, run in order on ``x``, give just before layer ``stop`` (a plain stack of layers)."""
    import keras

    for layer in model.layers:
        if layer is stop:
            break
        if not isinstance(layer, keras.layers.InputLayer):
            x = layer(x)
    return keras.ops.convert_to_numpy(x)


def passed(what):
    """Print the line a learner sees when every check of a cell passed.

    End every test cell with it: a test cell must not end on a value, which
    nbgrader would read as a partial-credit score.
    """
    print(f"✓ {what}: {PASSED}.")

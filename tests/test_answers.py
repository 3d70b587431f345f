"""What a test cell collects reaches the grader as plain data, and comes back exactly; anything else is refused."""

import base64
import json

import keras
import numpy as np
import pytest

from keras_course import answers, checks


def round_trip(value):
    return answers.loads(json.loads(json.dumps(answers.dumps({"value": value}))))["value"]


@pytest.mark.parametrize("value", [None, True, 3, -2.5, "mse", [1, 2.5], (1, (2, 3)), {"a": [1], "b": (2,)}])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = round_trip(value)
    assert back == value and type(back) is type(value)


def test_numbers_of_numpy_and_keras_become_python_numbers_and_arrays():
    assert round_trip(np.float32(0.5)) == 0.5 and type(round_trip(np.int64(7))) is int
    assert np.isnan(round_trip(float("nan"))) and round_trip(float("-inf")) == float("-inf")
    array = np.arange(12, dtype="float32").reshape(3, 4)
    for value in (array, keras.ops.convert_to_tensor(array)):
        back = round_trip(value)
        assert type(back) is np.ndarray and back.dtype == np.float32 and np.array_equal(back, array)


class Mine:
    pass


Mine.__module__ = "__main__"  # where a class defined in a notebook cell lives


@pytest.mark.parametrize("value, message", [
    (Mine(), "your own class Mine"),
    (np.array([object()]), "array of object"),
    (len, "builtin_function_or_method"),
    ({1: 2}, "keys are not all strings"),
])
def test_values_the_grader_cannot_read_are_refused_with_a_reason(value, message):
    with pytest.raises(answers.AnswerError, match=message):
        answers.dumps({"value": value})


def test_a_compiled_model_comes_back_with_its_layers_weights_optimizer_and_loss():
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
    back = round_trip(model)
    assert type(back) is keras.Sequential and back is not model
    assert all(np.array_equal(a, b) for a, b in zip(back.get_weights(), model.get_weights()))
    assert type(back.optimizer) is keras.optimizers.SGD and np.isclose(float(back.optimizer.learning_rate), 0.05)
    checks.expect_same_loss(back.loss, "mse")


def test_keras_functions_come_back_as_themselves():
    assert round_trip(keras.losses.categorical_crossentropy) is keras.losses.categorical_crossentropy
    assert round_trip(keras.activations.relu) is keras.activations.relu
    with pytest.raises(answers.AnswerError, match="outside Keras"):
        answers.loads({"version": 1, "values": {"v": {"$": "keras", "config": {"module": "builtins", "class_name": "eval", "config": {}}}}})


def test_a_lambda_layer_never_runs_where_the_grader_rebuilds_it():
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Lambda(lambda x: x * 2)])
    record = json.loads(json.dumps(answers.dumps({"model": model})))
    with pytest.raises(answers.AnswerError, match="Lambda layers"):
        answers.loads(record)


@pytest.mark.parametrize("data", [
    {"$": "array", "dtype": "|O", "shape": [1], "data": ""},
    {"$": "array", "dtype": "<f4", "shape": [2], "data": "AAAAAA=="},
    {"$": "pickle", "data": ""},
    {"$": "keras", "config": {"module": "os", "class_name": "function", "config": "system", "registered_name": None}},
    {"$": "keras", "config": {"module": "keras.losses", "class_name": "MeanSquaredError",
                              "config": {"inner": {"module": "antigravity", "class_name": "X", "config": {}}}}},
    {"$": "model", "keras": "not base64!"},
    {"not": "tagged"},
])
def test_malformed_or_foreign_data_is_refused(data):
    with pytest.raises(answers.AnswerError):
        answers.loads({"version": answers.VERSION, "values": {"value": data}})


def test_collect_returns_the_rebuilt_values_and_names_what_is_missing(monkeypatch, capsys):
    monkeypatch.delenv("KERAS_COURSE_GRADING", raising=False)
    answer = checks.collect(shape=(2, 3), mean=np.float64(1.5))
    assert answer.shape == (2, 3) and answer.mean == 1.5
    with pytest.raises(checks.CheckError, match="No answer named hidden was collected"):
        answer.hidden  # noqa: B018
    with pytest.raises(checks.CheckError, match="your own class Mine"):
        checks.collect(value=Mine())
    assert capsys.readouterr().out == "", "outside the grader, collect displays nothing"


def test_a_keras_file_naming_a_module_outside_keras_is_refused_before_loading():
    import io
    import zipfile

    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    record = answers.dumps({"model": model})
    raw = io.BytesIO(base64.b64decode(record["values"]["model"]["keras"]))
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "config.json":
                data = data.replace(b'"module": "keras.layers"', b'"module": "antigravity"', 1)
                assert b"antigravity" in data
            dst.writestr(item, data)
    record["values"]["model"]["keras"] = base64.b64encode(out.getvalue()).decode()
    with pytest.raises(answers.AnswerError, match="outside Keras"):
        answers.loads(record)


def test_callbacks_travel_as_their_keras_class_and_public_settings():
    class Patient(keras.callbacks.EarlyStopping):  # a student's subclass: only Keras's class and settings travel
        def on_epoch_end(self, epoch, logs=None):
            raise SystemExit

    sent = [Patient(monitor="val_loss", patience=5, restore_best_weights=True),
            keras.callbacks.ModelCheckpoint("/tmp/run/best.keras", save_best_only=True),
            keras.callbacks.LambdaCallback(on_epoch_end=print)]
    stopper, saver, other = round_trip(sent)
    assert (stopper.kind, stopper.monitor, stopper.patience, stopper.restore_best_weights) == ("EarlyStopping", "val_loss", 5, True)
    assert (saver.kind, saver.filepath, saver.save_best_only, saver.save_weights_only) == ("ModelCheckpoint", "/tmp/run/best.keras", True, False)
    assert vars(other) == {"kind": "LambdaCallback"}
    assert checks.one_callback([stopper, saver, other], "ModelCheckpoint") is saver
    with pytest.raises(checks.CheckError, match="exactly one TensorBoard; it holds 0"):
        checks.one_callback([stopper, saver], "TensorBoard")


@pytest.mark.parametrize("data", [
    {"$": "callback", "class": "EarlyStopping", "settings": {"__class__": "x"}},
    {"$": "callback", "class": "os.system", "settings": {}},
    {"$": "callback", "class": "TensorBoard", "settings": {"log_dir": {"$": "pickle"}}},
])
def test_callback_data_with_unknown_settings_or_classes_is_refused(data):
    with pytest.raises(answers.AnswerError):
        answers.loads({"version": answers.VERSION, "values": {"value": data}})

"""The answers a graded test cell collects: plain data that the grader judges outside your kernel.

``encode`` turns numbers, strings, arrays, Keras models (architecture, compile
settings and weights, as a ``.keras`` file), other Keras objects (their config)
and Keras callbacks (their class and settings) into JSON; ``decode`` rebuilds them with Keras's safe deserialisation,
so nothing your notebook defined (a class, a function, a ``Lambda`` layer) can
run where the grader rebuilds it. ``checks.collect`` calls both.
"""

import base64
import io
import json
import math
import os
import re
import sys
import tempfile
import types
import warnings
import zipfile

import numpy as np

MIME = "application/vnd.keras-course.answers+json"  # the display output a test cell's answers travel in
VERSION = 1
MAX_BYTES = 64 << 20  # largest encoded answer, for one name
CALLBACK_SETTINGS = {  # the public settings a collected callback keeps; other callbacks keep only their class
    "EarlyStopping": ("monitor", "mode", "min_delta", "patience", "baseline", "restore_best_weights", "start_from_epoch"),
    "ReduceLROnPlateau": ("monitor", "mode", "min_delta", "factor", "patience", "cooldown", "min_lr"),
    "ModelCheckpoint": ("filepath", "monitor", "mode", "save_best_only", "save_weights_only", "save_freq"),
    "TensorBoard": ("log_dir", "histogram_freq", "write_graph", "update_freq"),
}


class AnswerError(ValueError):
    """A value cannot be collected or rebuilt; the message says which and why."""


def encode(value, what):
    """Return ``value`` as JSON-safe data, or raise ``AnswerError`` naming ``what``."""
    keras = sys.modules.get("keras")  # not imported: the value cannot be a Keras object
    kind = type(value)
    if kind.__module__ == "__main__":
        raise AnswerError(f"{what} is an object of your own class {kind.__name__}; the grader reads only numbers, "
                          "strings, arrays, lists and Keras objects.")
    if value is None or kind in (bool, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and kind is not bool:
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else {"$": "float", "value": repr(number)}
    if kind in (list, tuple):
        items = [encode(v, f"{what}[{i}]") for i, v in enumerate(value)]
        return items if kind is list else {"$": "tuple", "items": items}
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise AnswerError(f"{what} is a dict whose keys are not all strings.")
        return {"$": "dict", "items": [[k, encode(v, f"{what}[{k!r}]")] for k, v in value.items()]}
    if keras and issubclass(kind, keras.Model):
        return {"$": "model", "keras": _b64(_model_bytes(value, what), what)}
    if keras and issubclass(kind, keras.callbacks.Callback):
        name = next(c.__name__ for c in kind.__mro__ if c.__module__.startswith("keras.") and issubclass(c, keras.callbacks.Callback))
        settings = {k: encode(getattr(value, k), f"{what}.{k}") for k in CALLBACK_SETTINGS.get(name, ()) if hasattr(value, k)}
        return {"$": "callback", "class": name, "settings": settings}
    if keras and (issubclass(kind, (keras.layers.Layer, keras.losses.Loss, keras.optimizers.Optimizer, keras.metrics.Metric))
                  or callable(value) and str(getattr(value, "__module__", "")).startswith("keras.")):  # keras.losses.mse...
        return {"$": "keras", "config": _config(value, what)}
    if issubclass(kind, np.ndarray) or hasattr(value, "__array__") and kind.__module__.split(".")[0] in (
            "tensorflow", "jax", "jaxlib", "torch", "keras"):
        array = value if kind is np.ndarray else np.asarray(__import__("keras").ops.convert_to_numpy(value))
        if array.dtype.kind not in "biuf":
            raise AnswerError(f"{what} is an array of {array.dtype}; the grader reads arrays of numbers or booleans.")
        data = np.ascontiguousarray(array)
        return {"$": "array", "dtype": data.dtype.str, "shape": list(data.shape), "data": _b64(data.tobytes(), what)}
    raise AnswerError(f"{what} is a {kind.__name__}; the grader reads only numbers, strings, arrays, lists, "
                      "tuples, dicts and Keras models, layers, losses, optimizers, metrics and callbacks.")


def decode(data, what="the answer"):
    """Rebuild a value from ``encode``'s data; raise ``AnswerError`` for anything else."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(v, what) for v in data]
    if type(data) is not dict or not isinstance(data.get("$"), str):
        raise AnswerError(f"{what}: unreadable answer data")
    tag = data["$"]
    if tag == "float" and data.get("value") in ("nan", "inf", "-inf"):
        return float(data["value"])
    if tag == "tuple" and type(data.get("items")) is list:
        return tuple(decode(v, what) for v in data["items"])
    if tag == "dict" and type(data.get("items")) is list:
        pairs = data["items"]
        if not all(type(p) is list and len(p) == 2 and type(p[0]) is str for p in pairs):
            raise AnswerError(f"{what}: unreadable dict")
        return {k: decode(v, f"{what}[{k!r}]") for k, v in pairs}
    if tag == "array":
        dtype = np.dtype(str(data.get("dtype")))
        shape = data.get("shape")
        if dtype.kind not in "biuf" or type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
            raise AnswerError(f"{what}: unreadable array")
        raw = _unb64(data.get("data"), what)
        if len(raw) != dtype.itemsize * math.prod(shape):
            raise AnswerError(f"{what}: the array's data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if tag == "callback":
        return _callback(data, what)
    if tag == "model":
        return _load_model(_unb64(data.get("keras"), what), what)
    if tag == "keras":
        import keras

        _only_keras(data.get("config"), what)
        try:
            return keras.saving.deserialize_keras_object(data.get("config"), safe_mode=True)
        except Exception as exc:
            raise AnswerError(f"{what} cannot be rebuilt from Keras's own classes ({type(exc).__name__}): "
                              "use Keras's layers, losses and optimizers, not classes or functions of your own.") from None
    raise AnswerError(f"{what}: unknown kind of answer {tag!r:.40}")


def dumps(values):
    """The display data of one collect: {name: encoded value}."""
    return {"version": VERSION, "values": {name: encode(v, name) for name, v in values.items()}}


def loads(record):
    """Rebuild the values of a record made by ``dumps``."""
    if type(record) is not dict or record.get("version") != VERSION or type(record.get("values")) is not dict:
        raise AnswerError("unreadable record of answers")
    return {str(name): decode(data, str(name)) for name, data in record["values"].items()}


def _b64(raw, what):
    if len(raw) > MAX_BYTES:
        raise AnswerError(f"{what} takes {len(raw) >> 20} MB; the grader reads at most {MAX_BYTES >> 20} MB per answer.")
    return base64.b64encode(raw).decode("ascii")


def _unb64(text, what):
    if type(text) is not str or len(text) > MAX_BYTES * 4 // 3 + 4:
        raise AnswerError(f"{what}: unreadable data")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise AnswerError(f"{what}: unreadable data") from None


def _config(value, what):
    import keras

    try:
        config = keras.saving.serialize_keras_object(value)
        json.dumps(config)
    except Exception as exc:
        raise AnswerError(f"{what} cannot be saved as a Keras config ({type(exc).__name__}: {exc})"[:300]) from None
    return config


def _model_bytes(model, what):
    """The model as a ``.keras`` file (config, compile settings, weights)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "answer.keras")
        try:
            model.save(path)
        except Exception as exc:
            raise AnswerError(f"{what} cannot be saved as a .keras file ({type(exc).__name__}: {exc})"[:300]) from None
        with open(path, "rb") as f:
            return f.read()


def _callback(data, what):
    """A collected callback: ``kind`` (its Keras class name) and its settings, as attributes; no Keras object."""
    name, settings = data.get("class"), data.get("settings")
    if type(name) is not str or not re.fullmatch(r"[A-Z][A-Za-z]{0,40}", name) or type(settings) is not dict:
        raise AnswerError(f"{what}: unreadable callback")
    unknown = set(settings) - set(CALLBACK_SETTINGS.get(name, ()))
    if unknown:
        raise AnswerError(f"{what}: a {name} has no setting {sorted(unknown)[0]!r:.40}")
    return types.SimpleNamespace(kind=name, **{k: decode(v, f"{what}.{k}") for k, v in settings.items()})


def _only_keras(config, what):
    """Refuse a config that names a module outside Keras: deserialising it would import that module."""
    if isinstance(config, dict):
        module = config.get("module")
        keras_function = module == "builtins" and config.get("class_name") == "function"  # Keras looks these up in its own modules
        if module is not None and not (module == "keras" or str(module).startswith("keras.") or keras_function):
            raise AnswerError(f"{what} uses a class or function from outside Keras; build it from Keras's own "
                              "layers, losses and optimizers.")
        for value in config.values():
            _only_keras(value, what)
    elif isinstance(config, list):
        for value in config:
            _only_keras(value, what)


def _load_model(raw, what):
    """Load a ``.keras`` file's bytes with ``safe_mode``: only Keras's own classes, no Lambda code."""
    import keras

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unexpected = set(archive.namelist()) - {"config.json", "metadata.json", "model.weights.h5"}
            if unexpected or sum(i.file_size for i in archive.infolist()) > 4 * MAX_BYTES:
                raise AnswerError(f"{what}: not a .keras file of the size and layout Keras writes")
            _only_keras(json.loads(archive.read("config.json")), what)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        if isinstance(exc, AnswerError):
            raise
        raise AnswerError(f"{what}: not a readable .keras file") from None
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "answer.keras")
        with open(path, "wb") as f:
            f.write(raw)
        try:
            with warnings.catch_warnings():  # Colab's Keras (3.10 to 3.13) warns that it leaves the fresh optimizer unbuilt
                warnings.filterwarnings("ignore", "Skipping variable loading for optimizer", UserWarning)
                return keras.saving.load_model(path, safe_mode=True)
        except Exception as exc:
            raise AnswerError(f"{what} cannot be rebuilt from Keras's own layers ({type(exc).__name__}): build it from "
                              "Keras's layers, losses and optimizers, without Lambda layers or classes of your own.") from None


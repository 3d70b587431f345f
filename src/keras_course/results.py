"""Record a notebook's headline metrics, and any synthetic data it used, so ``keras-course run`` can show them.

Under ``keras-course run`` they go to the JSON file named by ``KERAS_COURSE_RESULTS``:
``{"metrics": {name: value}, "synthetic": {dataset: why the real data failed}, "backend": "jax"}``.
"""

import json
import math
import os
from pathlib import Path

RESULTS_ENV = "KERAS_COURSE_RESULTS"


def record(name, value):
    """Record one metric (a number or short text) and print it.

    When the notebook runs under ``keras-course run``, the value is also
    written to the JSON file named by ``KERAS_COURSE_RESULTS``.
    """
    if not isinstance(value, str):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"record({name!r}, ...): the value is {value}; check the training run.")
    print(f"[result] {name} = {value:.4g}" if isinstance(value, float) else f"[result] {name} = {value}")
    _store("metrics", name, value)
    return value


def note_synthetic(dataset, reason):
    """Note that ``dataset`` was served the synthetic stand-in, and why (``keras_course.datasets`` calls it)."""
    _store("synthetic", dataset, reason)


def note_backend(name):
    """Note the Keras backend the notebook runs on (``session.start`` calls it)."""
    _store("backend", None, name)


def _store(section, name, value):
    target = os.environ.get(RESULTS_ENV)
    if target:
        found = _read_all(target)
        if name is None:
            found[section] = value
        else:
            found.setdefault(section, {})[name] = value
        Path(target).write_text(json.dumps(found, indent=1))


class FloorNotMet(AssertionError):
    """A notebook's headline result missed the floor its text promises."""


def floor(name, value, minimum=None, maximum=None):
    """Record ``name`` and its floor (``name_min`` or ``name_max``); raise ``FloorNotMet`` if the value misses it.

    ``make run`` then shows each result next to the floor it had to meet.
    """
    if (minimum is None) == (maximum is None):
        raise TypeError("floor() needs exactly one of minimum= or maximum=.")
    value = record(name, value)
    bound, kind = (minimum, "min") if minimum is not None else (maximum, "max")
    record(f"{name}_{kind}", bound)
    met = value >= bound if kind == "min" else value <= bound
    if not met:
        sign = ">=" if kind == "min" else "<="
        raise FloorNotMet(f"{name} = {value:.4g} misses its floor ({sign} {bound:g}): check the data source and the training cells above.")
    print(f"floor met: {name} = {value:.4g} {'>=' if kind == 'min' else '<='} {bound:g}")
    return value


def read(path):
    """Return the metrics recorded in ``path`` ({} when there are none)."""
    return _read_all(path).get("metrics", {})


def synthetic(path):
    """Return ``{dataset: reason}`` for each dataset served synthetic data ({} when none was)."""
    return _read_all(path).get("synthetic", {})


def backend(path):
    """Return the Keras backend the notebook reported ("" before its Setup ran)."""
    return _read_all(path).get("backend", "")


def _read_all(path):
    path = Path(path)
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text() or "{}")
    except json.JSONDecodeError as exc:
        raise ValueError(f"The results file {path} is not valid JSON ({exc}); delete it and run again.") from None

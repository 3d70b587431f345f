"""Record a notebook's headline metrics so ``keras-course run`` can show them."""

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
    target = os.environ.get(RESULTS_ENV)
    if target:
        path = Path(target)
        found = read(path)
        found[name] = value
        path.write_text(json.dumps(found, indent=1))
    return value


def read(path):
    """Return the metrics recorded in ``path`` ({} when there are none)."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text() or "{}")
    except json.JSONDecodeError as exc:
        raise ValueError(f"The results file {path} is not valid JSON ({exc}); delete it and run again.") from None

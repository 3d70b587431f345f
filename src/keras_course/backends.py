"""Train the same script on every Keras backend installed (notebook 00's backend switch).

Keras reads ``KERAS_BACKEND`` once, at the first ``import keras``, so a running
kernel cannot change backend: ``compare`` runs the script once per backend, each
in a fresh Python process with ``KERAS_BACKEND`` set.
"""

import importlib.util
import json
import os
import subprocess
import sys

BACKENDS = ("tensorflow", "jax", "torch")
INSTALL = {  # the course's pinned CPU builds (README, "Choose a backend"; make lab BACKEND=...)
    "tensorflow": "pip install tensorflow==2.21.0",
    "jax": "pip install jax==0.10.2 jaxlib==0.10.2",
    "torch": "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",
}
RESULT_PREFIX = "KERAS_COURSE_RESULT "


def installed():
    """The backends whose package this Python can import, in the order of ``BACKENDS``."""
    return [name for name in BACKENDS if importlib.util.find_spec(name) is not None]


def report(**values):
    """Print values for ``compare`` to read: call it at the end of the script."""
    print(RESULT_PREFIX + json.dumps(values), flush=True)


def run(script, backend, timeout=600):
    """Run ``script`` in a new Python with ``KERAS_BACKEND=backend``; return the values it reported."""
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    try:
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"no result within {timeout} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit code {done.returncode}: {last}"}


def compare(script, columns, timeout=600):
    """Run ``script`` on every installed backend and print one table row per backend.

    ``columns`` maps each reported value's name to a format such as ``"{:.2f} s"``.
    Returns ``{backend: values}`` for the backends that ran.
    """
    results = {}
    print(f"{'backend':<11} " + "  ".join(f"{name:>14}" for name in columns))
    for backend in BACKENDS:
        if backend not in installed():
            print(f"{backend:<11} not installed: {INSTALL[backend]}")
            continue
        values = run(script, backend, timeout)
        if "error" in values:
            print(f"{backend:<11} failed: {values['error']}")
            continue
        results[backend] = values
        print(f"{backend:<11} " + "  ".join(f"{fmt.format(values[name]):>14}" for name, fmt in columns.items()))
    return results

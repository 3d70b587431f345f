"""Start a notebook: platform report, reproducible seeds and quick/full mode.

Every notebook's Setup ends with ``S = session.start()``. Quick mode
(``KERAS_COURSE_QUICK=1``, used by the tests) trains on small subsets for few
epochs; full mode, the default, is what a learner runs.
"""

import os
import platform as _platform
import sys
from dataclasses import dataclass, field

QUICK_ENV = "KERAS_COURSE_QUICK"


@dataclass
class Session:
    """What a notebook needs to know about where and how it runs."""

    quick: bool
    seed: int
    where: str  # "Google Colab", "Kaggle" or "local machine"
    gpus: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)

    @property
    def mode(self):
        return "quick" if self.quick else "full"

    def pick(self, full, quick):
        """Return ``quick`` in quick mode and ``full`` otherwise (epochs, sizes…)."""
        return quick if self.quick else full

    def subset(self, *arrays, n):
        """Return the first ``n`` items of each array in quick mode, all of them in full mode."""
        picked = tuple(a[:n] if self.quick else a for a in arrays)
        return picked[0] if len(picked) == 1 else picked


def quick_mode():
    """True when ``KERAS_COURSE_QUICK`` is set to 1/true/yes."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def where():
    """Name the platform: Google Colab, Kaggle or a local machine."""
    if "google.colab" in sys.modules or os.environ.get("COLAB_RELEASE_TAG"):
        return "Google Colab"
    if os.environ.get("KAGGLE_KERNEL_RUN_TYPE"):
        return "Kaggle"
    return "local machine"


_GPU_HINTS = {
    "Google Colab": "for a GPU, choose Runtime > Change runtime type > T4 GPU, then run the notebook again.",
    "Kaggle": "for a GPU, open Settings > Accelerator and choose one.",
    "local machine": (
        "the notebooks are sized to run on 2 CPU cores (see the run times in each header). "
        "With an NVIDIA GPU on Linux, install `tensorflow[and-cuda]==2.21.0` to use it; "
        "on macOS TensorFlow trains on the CPU."
    ),
}


def start(seed=42):
    """Print the platform report, seed every random generator, make exercise errors short, and return a ``Session``."""
    import keras

    from keras_course import checks, quiet

    checks.short_errors()

    keras.utils.set_random_seed(seed)
    with quiet.native_stderr_filtered():  # without a GPU, TensorFlow logs a failed cuInit here
        devices = keras.distribution.list_devices()
    gpus = [d for d in devices if d.lower().startswith("gpu")]
    versions = {
        "Python": _platform.python_version(),
        "Keras": keras.__version__,
        "backend": keras.backend.backend(),
    }
    if versions["backend"] == "tensorflow":
        import tensorflow as tf

        versions["TensorFlow"] = tf.__version__
    s = Session(quick=quick_mode(), seed=seed, where=where(), gpus=gpus, versions=versions)
    mode_text = (
        f"quick ({QUICK_ENV}=1): small subsets, few epochs"
        if s.quick
        else f"full (set {QUICK_ENV}=1 for a fast check run)"
    )
    print("Keras course: platform report")
    print("  versions : " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"  devices  : {', '.join(devices)} ({os.cpu_count()} CPU cores)")
    print(f"  platform : {s.where} ({_platform.system()} {_platform.machine()})")
    print(f"  mode     : {mode_text}")
    print(f"  seed     : {seed} (Python, NumPy and {versions['backend']} seeded)")
    if not gpus:
        print(f"  GPU      : none found, so training runs on the CPU: {_GPU_HINTS[s.where]}")
    return s

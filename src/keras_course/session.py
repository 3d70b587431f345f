"""Start a notebook: platform report, reproducible seeds and quick/full mode.

Every notebook's Setup ends with ``S = session.start()``. Quick mode
(``KERAS_COURSE_QUICK=1``, used by the tests) trains on small subsets for few
epochs; full mode, the default, is what a learner runs.
"""

import importlib
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

    def steps_per_execution(self, n):
        """``n`` for ``compile(steps_per_execution=...)``, or 1 on PyTorch, which runs one step per call (Keras 3.15)."""
        return 1 if self.versions.get("backend") == "torch" else n

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
    "local machine": "the notebooks are sized to run on 2 CPU cores (see the run times in each header).",
}
# What a local NVIDIA GPU needs, per backend (the course's CPU installs cannot use one).
_LOCAL_GPU_INSTALL = {
    "tensorflow": "With an NVIDIA GPU on Linux, install `tensorflow[and-cuda]==2.21.0` to use it; on macOS TensorFlow trains on the CPU.",
    "jax": "With an NVIDIA GPU on Linux, install `jax[cuda13]==0.10.2` to use it.",
    "torch": "With an NVIDIA GPU, install PyPI's default (CUDA) build of `torch==2.13.0` instead of the CPU build.",
}
# The package behind each Keras backend, as the platform report names it.
BACKEND_PACKAGES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}


def list_devices():
    """The devices the backend can use, named as Keras names them ("cpu:0", "gpu:0"…), on every backend."""
    import keras

    from keras_course import quiet

    if keras.backend.backend() == "torch":  # keras.distribution has no PyTorch support in Keras 3.15
        import torch

        accelerators = [f"gpu:{i}" for i in range(torch.cuda.device_count())]
        if not accelerators and torch.backends.mps.is_available():
            accelerators = ["mps:0"]  # Apple silicon
        return ["cpu:0"] + accelerators
    with quiet.native_stderr_filtered():  # without a GPU, TensorFlow logs a failed cuInit here
        return keras.distribution.list_devices()


def gpu_hint(where, backend):
    """What to do for a GPU on this platform with this backend."""
    if where == "local machine" and backend in _LOCAL_GPU_INSTALL:
        return f"{_GPU_HINTS[where]} {_LOCAL_GPU_INSTALL[backend]}"
    return _GPU_HINTS[where]


def start(seed=42):
    """Print the platform report, seed every random generator, make exercise errors short, and return a ``Session``."""
    import keras

    from keras_course import checks, results

    checks.short_errors()

    keras.utils.set_random_seed(seed)
    devices = list_devices()
    gpus = [d for d in devices if not d.lower().startswith("cpu")]  # GPUs, TPUs, Apple's MPS
    versions = {
        "Python": _platform.python_version(),
        "Keras": keras.__version__,
        "backend": keras.backend.backend(),
    }
    backend = versions["backend"]
    if backend in BACKEND_PACKAGES:
        versions[BACKEND_PACKAGES[backend]] = importlib.import_module(backend).__version__
    results.note_backend(backend)
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
    print(f"  seed     : {seed} (Python, NumPy and {backend} seeded)")
    if not gpus:
        print(f"  GPU      : none found, so training runs on the CPU: {gpu_hint(s.where, backend)}")
    return s

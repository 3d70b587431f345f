"""Keep TensorFlow's C++ start-up log out of the notebook: ``from keras_course import quiet`` before ``import keras``.

TensorFlow's C++ code writes to file descriptor 2, which Jupyter shows as a pink
stderr box. On a machine without a GPU that is CUDA probing (``failed call to
cuInit ... (303)``), absl's preamble and notes on CPU instructions: noise that
looks like failure. ``TF_CPP_MIN_LOG_LEVEL`` cannot hide it all (some lines come
before TensorFlow reads it, and cuInit is logged as an error). Importing this
module imports Keras, and so its backend, with file descriptor 2 captured, then
passes on every captured line that does not match ``NOISE``, so a real error
still shows. ``session.start`` does the same around its device query.
"""

import contextlib
import os
import re
import sys
import tempfile

NOISE = re.compile("|".join([
    r"failed call to cuInit",
    r"Could not find cuda drivers on your machine",
    r"All log messages before absl::InitializeLog\(\) is called",
    r"cpu_feature_guard\.cc.*This TensorFlow binary is optimized",
    r"^To enable the following instructions: .* rebuild TensorFlow",
    r"oneDNN custom operations are on",
    r"Unable to register cu(DNN|FFT|BLAS) factory",
    r"computation placer already registered",
    r"TF-TRT Warning: Could not find TensorRT",
]))


@contextlib.contextmanager
def native_stderr_filtered():
    """Capture what is written to file descriptor 2 meanwhile; afterwards, pass on every line that is not ``NOISE``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            lines = capture.read().decode(errors="replace").splitlines(keepends=True)
            kept = "".join(line for line in lines if not NOISE.search(line))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()


with native_stderr_filtered():
    import keras  # noqa: F401  (TensorFlow, or the chosen backend, starts here)

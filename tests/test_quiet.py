"""keras_course.quiet keeps TensorFlow's C++ start-up noise out of notebook outputs, and nothing else."""

import os

import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from keras_course import quiet

SEEN_ON_CPU = [  # what a Setup cell showed on this 2-core CPU machine before quiet (TensorFlow 2.21)
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1796387870.983855   16748 cudart_stub.cc:31] Could not find cuda drivers on your machine, "
    "GPU will not be used.",
    "I0000 00:00:1796387871.400749   16748 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use "
    "available CPU instructions in performance-critical operations.",
    "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate "
    "compiler flags.",
    "E0000 00:00:1796387879.115096   16748 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error: "
    "Failed call to cuInit: UNKNOWN ERROR (303)",
    # TensorFlow 2.20 on Colab's stack (make test-colab) logs in its own format
    "2026-12-04 12:57:50.173739: I external/local_xla/xla/tsl/cuda/cudart_stub.cc:31] Could not find cuda drivers "
    "on your machine, GPU will not be used.",
    "2026-12-04 12:57:52.916539: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is "
    "optimized to use available CPU instructions in performance-critical operations.",
]


@pytest.mark.parametrize("line", SEEN_ON_CPU)
def test_known_noise_is_dropped(line):
    assert quiet.NOISE.search(line)


@pytest.mark.parametrize("line", [
    "E0000 00:00:1796387879.115096   16748 some_op.cc:52] INVALID_ARGUMENT: Incompatible shapes: [32,10] vs. [32,1]",
    "Traceback (most recent call last):",
    "To enable them, set this flag",
])
def test_other_lines_pass(line):
    assert not quiet.NOISE.search(line)


def test_a_real_setup_shows_no_noise_and_real_errors_still_show():
    """Execute a Setup as the notebooks have it, in a kernel without TF_CPP_MIN_LOG_LEVEL."""
    nb = new_notebook(cells=[
        new_code_cell("from keras_course import quiet\nimport keras\nfrom keras_course import session"),
        new_code_cell("S = session.start(seed=42)"),
        new_code_cell("import os\nwith quiet.native_stderr_filtered():\n"
                      "    os.write(2, b'E0000 cuda_platform.cc:52] failed call to cuInit: (303)\\na genuine error\\n')"),
    ])
    # Under pytest (PYTEST_CURRENT_TEST) ipykernel does not capture file descriptor 2 into outputs,
    # and TF_CPP_MIN_LOG_LEVEL would hide part of the noise: a learner's kernel has neither.
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "PYTEST_CURRENT_TEST")}
    NotebookClient(nb, kernel_name="python3", timeout=300).execute(env=env)
    stderr = [o.text for c in nb.cells for o in c.outputs if o.get("name") == "stderr"]
    assert stderr == ["a genuine error\n"]  # the only stderr output, in the cell that wrote it
    assert nb.cells[2].outputs[0].text == "a genuine error\n"
    report = "".join(o.text for o in nb.cells[1].outputs if o.get("name") == "stdout")
    assert "Keras course: platform report" in report
    assert report.count("GPU      :") == 1  # a CPU machine: one line says so

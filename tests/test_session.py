"""The platform report every Setup cell starts with."""

import keras
import numpy as np
import pytest

from keras_course import session


@pytest.mark.parametrize("value, quick", [("1", True), ("true", True), ("0", False), ("", False)])
def test_quick_mode_from_environment(monkeypatch, value, quick):
    monkeypatch.setenv(session.QUICK_ENV, value)
    assert session.quick_mode() is quick


def test_report_prints_versions_mode_and_seed(monkeypatch, capsys):
    monkeypatch.setenv(session.QUICK_ENV, "1")
    s = session.start(seed=3)
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if "GPU" in line] == [
        "  GPU      : none found, so training runs on the CPU: " + session.gpu_hint("local machine", keras.backend.backend())]
    backend = keras.backend.backend()
    for text in ("Python", f"Keras {keras.__version__}", f"backend {backend}", session.BACKEND_PACKAGES[backend],
                 f"seed     : 3 (Python, NumPy and {backend} seeded)", "cpu:0", "quick", "local machine"):
        assert text in out
    assert s.quick and s.seed == 3 and s.gpus == []


def test_seed_makes_runs_repeat(monkeypatch, capsys):
    monkeypatch.setattr(session, "list_devices", lambda: ["cpu:0", "gpu:0"])
    session.start(seed=5)
    first = np.random.rand(3), keras.ops.convert_to_numpy(keras.random.uniform((3,)))
    s = session.start(seed=5)
    assert "GPU      :" not in capsys.readouterr().out  # with a GPU: no hint
    second = np.random.rand(3), keras.ops.convert_to_numpy(keras.random.uniform((3,)))
    assert s.gpus == ["gpu:0"]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("env, name", [({"COLAB_RELEASE_TAG": "x"}, "Google Colab"), ({"KAGGLE_KERNEL_RUN_TYPE": "Interactive"}, "Kaggle")])
def test_platform_detection_and_hint(monkeypatch, capsys, env, name):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert session.where() == name
    session.start()
    assert ("Runtime > Change runtime type" if "Colab" in name else "Settings > Accelerator") in capsys.readouterr().out


def test_pick_and_subset():
    x, y = np.arange(10), np.arange(10) * 2
    quick = session.Session(quick=True, seed=0, where="local machine")
    full = session.Session(quick=False, seed=0, where="local machine")
    assert quick.pick(full=100, quick=3) == 3 and full.pick(full=100, quick=3) == 100
    assert [len(a) for a in quick.subset(x, y, n=4)] == [4, 4]
    assert len(full.subset(x, n=4)) == 10


@pytest.mark.parametrize("backend, install", [("tensorflow", "tensorflow[and-cuda]"), ("jax", "jax[cuda13]"), ("torch", "torch==")])
def test_a_local_gpu_hint_names_the_backends_own_install(backend, install):
    assert install in session.gpu_hint("local machine", backend)
    assert install not in session.gpu_hint("Google Colab", backend)


@pytest.mark.parametrize("backend, steps", [("tensorflow", 8), ("jax", 8), ("torch", 1)])
def test_steps_per_execution_is_1_on_pytorch_only(backend, steps):
    assert session.Session(quick=False, seed=0, where="local machine", versions={"backend": backend}).steps_per_execution(8) == steps

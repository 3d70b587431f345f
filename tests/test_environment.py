"""pyproject.toml and environment.yml pin the same versions."""

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"([A-Za-z0-9_.\-]+)==([0-9][^\s\"',#]*)")


def pins(text):
    return {name.lower(): version for name, version in PIN.findall(text)}


def test_pins_agree():
    pyproject = pins((ROOT / "pyproject.toml").read_text())
    conda = pins((ROOT / "environment.yml").read_text())
    assert pyproject, "pyproject.toml pins nothing"
    assert pyproject == conda, f"pins differ: pyproject only {set(pyproject.items()) - set(conda.items())}, environment.yml only {set(conda.items()) - set(pyproject.items())}"


def test_every_pin_says_why():
    for name in ("pyproject.toml", "environment.yml"):
        for line in (ROOT / name).read_text().splitlines():
            if PIN.search(line):
                assert "#" in line, f"{name}: say which part of the course needs {line.strip()}"


def test_core_pins():
    pyproject = pins((ROOT / "pyproject.toml").read_text())
    for name, prefix in {"tensorflow": "2.21", "keras": "3.15", "jupyterlab": "4.6", "nbgrader": "0.9.6", "nbval": "0.11"}.items():
        assert pyproject.get(name, "").startswith(prefix), f"{name} should be pinned to {prefix}"


def test_runtime_package_stays_light():
    """On Colab `pip install keras-course` must not replace Colab's own TensorFlow or Keras."""
    runtime = re.search(r"^dependencies = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.S | re.M).group(1)
    names = {re.match(r"\s*\"([A-Za-z0-9_.\-]+)", line).group(1).lower() for line in runtime.splitlines() if line.strip().startswith('"')}
    assert names == {"numpy", "matplotlib"}, f"runtime dependencies {names}: keep TensorFlow, Keras and tools in extras"
    assert "==" not in runtime, "runtime dependencies must not pin exact versions (Colab brings its own)"


def test_licence_is_an_spdx_string_with_its_file():
    """PEP 639: a TOML table here made setuptools warn twice on every first install."""
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^license = "MIT"', text, re.M) and not re.search(r"^license = \{", text, re.M)
    assert re.search(r'^license-files = \["LICENSE"\]', text, re.M)
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert re.search(r'^requires = \["setuptools>=77"\]', text, re.M)  # the first setuptools that reads it


@pytest.mark.parametrize("args, env, venv", [
    ([], {}, ".venv"), (["BACKEND=jax"], {}, ".venv-jax"), (["BACKEND=torch"], {}, ".venv-torch"),
    ([], {"KERAS_BACKEND": "jax"}, ".venv-jax"),  # a learner's own KERAS_BACKEND picks the environment too
])
def test_make_lab_runs_each_backend_in_its_own_environment(args, env, venv):
    environ = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "MAKEFLAGS", "MAKELEVEL")}
    out = subprocess.run(["make", "--no-print-directory", "-n", "lab", *args], cwd=ROOT, env={**environ, **env},
                         capture_output=True, text=True, check=True).stdout
    assert f" {venv}/bin/jupyter lab notebooks/" in out
    backend = {".venv": "tensorflow"}.get(venv, venv.removeprefix(".venv-"))
    assert f"-e '.[course,{backend},dev]'" in out or f"{venv}/.installed" not in out  # installs its own extra when it installs


def test_the_torch_environment_takes_pytorchs_cpu_build():
    environ = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "MAKEFLAGS", "MAKELEVEL", "TORCH_INDEX")}
    out = subprocess.run(["make", "-n", "-W", "pyproject.toml", ".venv-torch/.installed", "BACKEND=torch"], cwd=ROOT, env=environ,
                         capture_output=True, text=True, check=True).stdout
    assert "-e '.[course,torch,dev]' --extra-index-url https://download.pytorch.org/whl/cpu" in out

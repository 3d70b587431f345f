"""keras_course.backends: notebook 00's backend switch, one fresh Python per installed backend."""

import re
from pathlib import Path

import keras

from keras_course import backends

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "import keras\nfrom keras_course import backends\nbackends.report(name=keras.backend.backend(), x=1.5)"


def test_compare_runs_the_script_on_each_installed_backend_and_names_the_others(capsys):
    got = backends.compare(SCRIPT, {"x": "{:.1f} s"})
    assert keras.backend.backend() in backends.installed()
    assert list(got) == backends.installed()
    assert all(values["name"] == backend for backend, values in got.items())  # KERAS_BACKEND reached each process
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].split() == ["backend", "x"]
    for backend, row in zip(backends.BACKENDS, rows[1:]):
        if backend in got:
            assert row.split() == [backend, "1.5", "s"]
        else:
            assert row == f"{backend:<11} not installed: {backends.INSTALL[backend]}"


def test_a_failing_script_gives_a_row_with_its_error_not_a_traceback(capsys):
    got = backends.compare("1 / 0", {"x": "{}"})
    assert got == {}
    row = capsys.readouterr().out.splitlines()[1]
    assert row.endswith("failed: exit code 1: ZeroDivisionError: division by zero")


def test_a_script_that_hangs_is_stopped():
    assert backends.run("import time; time.sleep(30)", keras.backend.backend(), timeout=2) == {"error": "no result within 2 s"}


def test_the_install_hints_use_the_course_pins():
    pyproject = (ROOT / "pyproject.toml").read_text()
    for backend in backends.BACKENDS:
        for pin in re.findall(r"[a-z]+==[0-9.]+", backends.INSTALL[backend]):
            assert f'"{pin}"' in pyproject, f"{backend}: {pin} is not the pin in pyproject.toml"

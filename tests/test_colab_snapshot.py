"""The git snapshot of the student edition that `make test-colab` installs the course from, as the Colab cells name it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "colab"))

import run_notebooks  # noqa: E402


def test_snapshot_holds_the_student_edition_and_is_fetched_through_the_student_url(tmp_path):
    (ROOT / "src" / "keras_course" / "__pycache__").mkdir(exist_ok=True)  # present after any import
    package = run_notebooks.snapshot(tmp_path / "snapshot")
    url = run_notebooks.student_url()
    env = {**os.environ, "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{package.as_uri()}.insteadOf",
           "GIT_CONFIG_VALUE_0": url}
    subprocess.run(["git", "clone", "--quiet", url, str(tmp_path / "clone")], check=True, env=env, timeout=60)
    files = subprocess.run(["git", "-C", str(tmp_path / "clone"), "ls-files"], check=True,
                           capture_output=True, text=True).stdout.split()
    assert {"pyproject.toml", "README.md", "src/keras_course/__init__.py", "src/keras_course/datasets.py",
            "notebooks/00-setup/00-setup.ipynb"} <= set(files)
    assert not [f for f in files if "__pycache__" in f or ".egg-info" in f or f.startswith(("tests/", "solutions/", "grading/"))]
    assert (tmp_path / "clone" / "src" / "keras_course" / "datasets.py").read_text() == \
        (ROOT / "src" / "keras_course" / "datasets.py").read_text()

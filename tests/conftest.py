"""Shared fixtures: a throw-away copy of the course that nbgrader can work on."""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "grading"))

import release  # noqa: E402  (grading/release.py)


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory):
    """A copy of solutions/ released by nbgrader into its own notebooks/ and gradebook."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "solutions", root / "solutions")
    release.generate(release.assignments(), root=root)
    return root

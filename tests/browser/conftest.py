"""Browser-test fixtures: a throw-away copy of the course, the learner's and the instructor's JupyterLab, Chromium."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browser_lab import CHROMIUM, ROOT, Lab, course_env, screenshot


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A copy of what the Lab targets need, so a test run never writes into the repository."""
    root = tmp_path_factory.mktemp("course")
    for name in ("notebooks", "solutions", "grading", "jupyter"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("workspace", "__pycache__", ".ipynb_checkpoints"))
    for name in ("Makefile", "course.mk", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    (root / "grading" / "workspace").mkdir()
    return root


@pytest.fixture(scope="session")
def student_lab(course, tmp_path_factory):
    """The learner's JupyterLab, started by `make lab`."""
    lab = Lab("lab", course, course / "notebooks", tmp_path_factory.mktemp("student"), course_env())
    yield lab
    lab.stop()


@pytest.fixture(scope="session")
def instructor_lab(course, tmp_path_factory):
    """The instructor's JupyterLab, started by `make formgrader` (from grading/)."""
    lab = Lab("formgrader", course, course, tmp_path_factory.mktemp("instructor"), course_env())
    yield lab
    lab.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"No Chromium at {CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM=/path/to/it.")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture
def page(browser, request):
    """A fresh 1400×1000 page; on failure a screenshot of it is saved and its path printed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "failed_call", False):
        screenshot(page, f"{request.node.name}-failure")
    context.close()

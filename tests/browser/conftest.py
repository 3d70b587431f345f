"""Browser-test fixtures: a throw-away copy of the course, JupyterLab started by `make lab` / `make formgrader`, Chromium.

Servers run on a free port with a token and temporary Jupyter dirs; each test's
screenshots go to tests/artifacts/browser/ (git-ignored), and their paths are printed.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
START_TIMEOUT = 90  # seconds for a server to answer /api/status


def screenshot(target, name):
    """Save a screenshot of a page or locator as tests/artifacts/browser/NAME.png and print its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "-", name) + ".png")
    target.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


class Lab:
    """A JupyterLab server started by a Makefile target in the course copy, serving ``root``; ``url(path)`` adds the token."""

    def __init__(self, target, course, root, tmp, env=None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = uuid.uuid4().hex
        self.root = root
        self.log = tmp / f"{target}.log"
        jupyter_env = {name: str(tmp / f"{target}-{name.lower()}") for name in
                       ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR")}
        lab_args = (f"--port={self.port} --ip=127.0.0.1 --no-browser --ServerApp.open_browser=False --allow-root "
                    f"--IdentityProvider.token={self.token}")
        # The Makefile's own recipe, with this interpreter's environment as its .venv (-o: do not reinstall it).
        command = ["make", "-s", "-o", ".venv/.installed", target, f"BIN={Path(sys.executable).parent}", f"LAB_ARGS={lab_args}"]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(command, cwd=course, env={**os.environ, **jupyter_env, **(env or {})},
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait()

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}{'&' if '?' in path else '?'}token={self.token}"

    def get(self, path):
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return response.read().decode()

    def _wait(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`make` exited with {self.process.returncode} before the server started:\n{self.log.read_text()}")
            try:
                self.get("api/status")
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer /api/status within {START_TIMEOUT} s:\n{self.log.read_text()}")

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A copy of what the Lab targets need, so a test run never writes into the repository."""
    root = tmp_path_factory.mktemp("course")
    for name in ("notebooks", "solutions", "grading", "jupyter"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("workspace", "__pycache__", ".ipynb_checkpoints"))
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    (root / "grading" / "workspace").mkdir()
    return root


def _course_env():
    return {"KERAS_COURSE_QUICK": "1", "PYTHONPATH": str(ROOT / "src"), "TF_CPP_MIN_LOG_LEVEL": "2",
            "KERAS_COURSE_DATA": os.environ.get("KERAS_COURSE_DATA", str(ROOT.parent / "shared" / "datasets"))}


@pytest.fixture(scope="session")
def student_lab(course, tmp_path_factory):
    """The learner's JupyterLab, started by `make lab`."""
    lab = Lab("lab", course, course / "notebooks", tmp_path_factory.mktemp("student"), _course_env())
    yield lab
    lab.stop()


@pytest.fixture(scope="session")
def instructor_lab(course, tmp_path_factory):
    """The instructor's JupyterLab, started by `make formgrader` (from grading/)."""
    lab = Lab("formgrader", course, course, tmp_path_factory.mktemp("instructor"), _course_env())
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

"""JupyterLab servers started by the Makefile's `lab` / `formgrader` targets, and screenshots, for the browser tests.

Servers run on a free port with a token and temporary Jupyter dirs; screenshots
go to tests/artifacts/browser/ (git-ignored), and their paths are printed.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

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


NBGRADER_TOOLS = ("Nbgrader", "Formgrader", "Create Assignment", "Validate", "Assignments", "Courses")


def visible_nbgrader_tools(page):
    """Which of nbgrader's menu, panels and buttons the Lab shows in its menu bar, side bars and notebook toolbar."""
    chrome = " ".join(page.locator("#jp-top-panel, .jp-SideBar, .jp-NotebookPanel-toolbar").all_inner_texts())
    return [tool for tool in NBGRADER_TOOLS if tool in chrome]


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


def course_env():
    """The learner's environment variables: quick mode, the dataset mirror, this checkout's helper package."""
    return {"KERAS_COURSE_QUICK": "1", "PYTHONPATH": str(ROOT / "src"), "TF_CPP_MIN_LOG_LEVEL": "2",
            "KERAS_COURSE_DATA": os.environ.get("KERAS_COURSE_DATA", str(ROOT.parent / "shared" / "datasets"))}

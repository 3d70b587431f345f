"""Run every solution notebook in quick mode as on Google Colab (`make test-colab`).

    python tests/colab/run_notebooks.py COLAB_VENV [NOTEBOOK ...]   # exit status 1 if any fails

COLAB_VENV holds Colab's package stack (tests/colab/requirements.txt). Each
notebook gets a fresh layer over it, as each Colab session starts fresh: a
venv whose site-packages come first and that sees COLAB_VENV's packages
behind them, so the notebooks' own ``%pip install`` lands in the layer and
COLAB_VENV stays as built. Its kernel imports a fake ``google.colab`` at start
(tests/colab/fake), so every Colab branch runs; the install cell, unchanged,
fetches the course package from a git snapshot of the student edition built
from this working tree (``git config url.<snapshot>.insteadOf <student URL>``),
as learners fetch it from the students' repository; the Keras cache
(``KERAS_HOME``) links to the dataset mirror named by KERAS_COURSE_DATA, as a
learner's downloads would fill it. Fails a notebook whose install changes a
preinstalled package or does not install keras-course.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from keras_course import runner

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "grading"))
from release import student_url  # noqa: E402  (the URL the install cells name)
import student_edition  # noqa: E402

MIRROR_FILES = ("mnist.npz", "fashion-mnist", "imdb.npz", "imdb_word_index.json", "boston_housing.npz")


def snapshot(dest):
    """Make ``dest`` a one-commit git repository of the student edition, as its repository on GitHub holds it."""
    dest = student_edition.build(dest)
    git = ["git", "-C", str(dest), "-c", "user.name=test-colab", "-c", "user.email=test-colab@localhost"]
    for args in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "--message", "snapshot"]):
        subprocess.run(git + args, check=True)
    return dest


def keras_cache(mirror, keras_home):
    """Fill ``keras_home``/datasets with links to the mirror's files, Keras's cache layout."""
    datasets = Path(keras_home) / "datasets"
    datasets.mkdir(parents=True)
    for name in MIRROR_FILES:
        if not (Path(mirror) / name).exists():
            raise SystemExit(f"The dataset mirror {mirror} has no {name}: point KERAS_COURSE_DATA at a full mirror.")
        (datasets / name).symlink_to(Path(mirror).resolve() / name)


def colab_layer(colab_venv, folder):
    """A venv at ``folder`` that sees ``colab_venv``'s packages behind its own; returns its python."""
    subprocess.run([str(Path(colab_venv) / "bin" / "python"), "-m", "venv", "--without-pip", str(folder)], check=True)
    base = subprocess.run([str(Path(colab_venv) / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    python = Path(folder) / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # A path line, not `import site; site.addsitedir(...)`: pip's isolated builds then drop it, as they drop
    # Colab's own site-packages, and fetch the build requirements (setuptools>=77) instead of using Colab's 75.2.
    Path(purelib, "colab-base.pth").write_text(f"{base}\n")
    return python


def installed(python):
    """``{name: version}`` of every package ``python`` sees."""
    listing = subprocess.run([str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                             check=True, capture_output=True, text=True).stdout
    return {p["name"].lower(): p["version"] for p in json.loads(listing)}


def kernel_spec(python, jupyter_dir):
    """Make ``python`` the ``python3`` kernel for kernels started with JUPYTER_PATH=``jupyter_dir``."""
    spec = Path(jupyter_dir) / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (fake Colab)", "language": "python"}))


class TensorBoards(threading.Thread):
    """Note the TensorBoard servers that ``%tensorboard`` starts while a notebook runs: their info
    files appear in the kernel's temporary folder ``tmp``. The servers stop with the kernel, whose
    whole process group jupyter_client ends."""

    def __init__(self, tmp):
        super().__init__(daemon=True)
        self.folder, self.pids, self.done = Path(tmp) / ".tensorboard-info", set(), threading.Event()

    def run(self):
        while not self.done.wait(0.5):
            for info in self.folder.glob("pid-*.info"):
                try:
                    self.pids.add(json.loads(info.read_text())["pid"])
                except (OSError, ValueError):  # removed or half-written meanwhile
                    pass

    def stop(self):
        """Stop watching; return how many servers were started."""
        self.done.set()
        self.join()
        return len(self.pids)


def run_on_colab(notebook, colab_venv, work):
    """Run one notebook in a fresh fake Colab session under ``work``; returns (runner.Result, install problems)."""
    work = Path(work)
    python = colab_layer(colab_venv, work / "venv")
    kernel_spec(python, work / "jupyter")
    (work / "tmp").mkdir()
    before = installed(python)
    os.environ.update({
        "JUPYTER_PATH": str(work / "jupyter"),
        "PATH": os.pathsep.join([str(python.parent), str(Path(colab_venv).resolve() / "bin"), os.environ["PATH"]]),
        "TMPDIR": str(work / "tmp"),
    })
    watcher = TensorBoards(work / "tmp")
    watcher.start()
    try:
        result = runner.run_one(notebook, quick=True, timeout=900, progress=False)
    finally:
        tensorboards = watcher.stop()
    after = installed(python)
    problems = [f"the install changed {name} {version} to {after.get(name, 'nothing')}"
                for name, version in before.items() if after.get(name) != version]
    if "keras-course" not in after:
        problems.append("keras-course was not installed")
    if "%tensorboard" in Path(notebook).read_text() and not tensorboards:
        problems.append("%tensorboard started no TensorBoard")  # the magic shows its error without raising
    added = ", ".join(f"{name} {after[name]}" for name in sorted(set(after) - set(before)))
    print(f"{Path(notebook).stem}: the install added {added or 'nothing'}; TensorBoard servers started: {tensorboards}")
    return result, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("colab_venv", type=Path, help="the venv with Colab's packages")
    parser.add_argument("notebooks", nargs="*", help="names or paths (default: every solution notebook)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    mirror = os.environ.get("KERAS_COURSE_DATA")
    if not mirror:
        raise SystemExit("Set KERAS_COURSE_DATA to the dataset mirror: the Colab test fills a Keras cache from it "
                         "(there is no internet for Keras's downloads).")
    notebooks = runner.resolve(args.notebooks, root=ROOT)
    url = student_url()
    with tempfile.TemporaryDirectory(prefix="test-colab-") as tmp:
        tmp = Path(tmp)
        package = snapshot(tmp / "snapshot")
        keras_cache(mirror, tmp / "keras_home")
        startup = tmp / "ipython" / "profile_default" / "startup"
        shutil.copytree(HERE / "ipython_startup", startup)
        os.environ.pop("KERAS_COURSE_DATA")  # Colab has no mirror; Keras's cache serves the data
        os.environ.pop("MPLBACKEND", None)
        os.environ.update({
            "PYTHONPATH": str(HERE / "fake"),
            "IPYTHONDIR": str(tmp / "ipython"),
            "KERAS_HOME": str(tmp / "keras_home"),
            "KERAS_COURSE_TEST_MIRROR": mirror,
            "COLAB_RELEASE_TAG": "fake-colab",  # Colab's kernels have it set
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": f"url.{package.as_uri()}.insteadOf",
            "GIT_CONFIG_VALUE_0": url,
        })
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(run_on_colab, nb, args.colab_venv.resolve(), tmp / nb.stem) for nb in notebooks]
            outcomes = [future.result() for future in futures]
    rows = []
    for result, problems in outcomes:
        if problems and result.ok:
            result.error = "; ".join(problems)
        rows.append(result)
    runner.print_table(rows, time.perf_counter() - start, args.jobs)
    return 0 if all(row.ok and not row.synthetic for row in rows) else 1  # synthetic data would pass for nothing


if __name__ == "__main__":
    sys.exit(main())

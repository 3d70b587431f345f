"""Autograde on a Dask cluster: each submission's sandboxed run is a Dask task on a worker.

The coordinator (``grade.py --scheduler ADDRESS``) runs nbgrader as usual, with
``ClusterExecute`` in place of ``SafeExecute``: it sends the notebook to a worker,
waits, and goes on with the executed notebook it gets back, so only the
coordinator writes the gradebook, the feedback and grades.csv. A worker is a
checkout of the same course version, started as

    PYTHONPATH=grading dask worker tcp://HOST:8786 --nthreads 1 --preload cluster   # make grade-worker

(the scheduler, too, runs from a checkout with grading/ on its path: it unpickles
each task), and runs ``execute``: SafeExecute, in its own sandbox, exactly as a local run does.
A worker that dies mid-notebook has the notebook run again elsewhere (Dask's
scheduler counts the tries: ``distributed.scheduler.allowed-failures``); a worker
refuses work from a coordinator of another course version.

    python grading/cluster.py --version                      # this checkout's course version
    python grading/cluster.py scheduler [DASK SCHEDULER OPTIONS]   # make grade-scheduler
    python grading/cluster.py worker ADDRESS [DASK WORKER OPTIONS]   # make grade-worker
"""

import contextlib
import functools
import hashlib
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import threading
import uuid
from importlib.metadata import version as installed_version
from importlib.util import find_spec
from pathlib import Path

import nbformat
from traitlets import Unicode
from traitlets.config import Config

import sandbox
from preprocessors import SafeExecute

GRADING = Path(__file__).resolve().parent
SENT = ("Execute", "SafeExecute", "ExecutePreprocessor", "NbGraderPreprocessor", "SandboxKernelManager")  # config a worker uses
MAX_FILES = 64 << 20  # bytes of files beside a notebook that travel with it
logger = logging.getLogger("distributed.worker.keras_course")


class VersionMismatchError(Exception):
    """A worker's course version is not the coordinator's."""


class WorkerDiedError(Exception):
    """Every worker that ran a notebook died while running it."""


@functools.cache
def course_version():
    """This checkout's course version: the package version and a hash of solutions/, grading/, keras_course and pyproject.toml."""
    root = GRADING.parent
    package = Path(find_spec("keras_course").submodule_search_locations[0])
    files = [*root.glob("solutions/**/*"), *GRADING.glob("*.py"), *package.rglob("*"), root / "pyproject.toml"]
    digest = hashlib.sha256()
    for path in sorted(p for p in files if p.is_file() and not {"__pycache__", ".ipynb_checkpoints"} & set(p.parts)):
        name = path.relative_to(package.parent if path.is_relative_to(package) else root)
        digest.update(f"{name}\0".encode() + path.read_bytes() + b"\0")
    return f"{installed_version('keras-course')}+{digest.hexdigest()[:12]}"


def describe():
    """What a worker reports to the coordinator: host, course version, and why it cannot sandbox ("" if it can)."""
    return {"host": socket.gethostname(), "version": course_version(), "unsandboxed": sandbox.unavailable()}


def dask_setup(worker):
    """``dask worker --preload cluster``: say at start-up which course version this worker grades, and whether it sandboxes."""
    about = describe()
    logger.info("keras-course worker: course version %s on %s", about["version"], about["host"])
    if about["unsandboxed"]:
        logger.warning(sandbox.WARNING, about["unsandboxed"])


_claims = threading.local()  # each worker thread's own sandbox user


def execute(notebook, files, config, mode, version):
    """On a worker: run a submission (nbformat JSON) with SafeExecute in the sandbox; return what the coordinator needs.

    ``files`` are the other files of its folder (relative path -> bytes), ``config`` the
    coordinator's settings for SafeExecute and the sandbox, ``mode`` "quick" or "full".
    """
    mine = course_version()
    if version != mine:
        raise VersionMismatchError(f"this worker ({socket.gethostname()}) has course version {mine}, the coordinator "
                                   f"{version}; check out the coordinator's commit on every worker and restart them")
    if not hasattr(_claims, "uid"):
        first = int(config.SandboxKernelManager.get("uid", sandbox.SandboxKernelManager.uid.default_value))
        _claims.uid = sandbox.claim_user(first)
    config = Config(config)
    config.SandboxKernelManager.uid = _claims.uid
    config.SandboxKernelManager.mode = mode
    records = []
    log = logging.Logger("keras_course.autograde")  # not registered: one per task
    log.addHandler(_Collect(records))
    with tempfile.TemporaryDirectory(prefix="keras-course-task-") as folder:
        for name, data in files.items():
            path = Path(folder, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        executor = SafeExecute(config=config, log=log)
        nb, _ = executor.preprocess(nbformat.reads(notebook, as_version=4), {"metadata": {"path": folder}})
    from distributed import get_worker

    return {"notebook": nbformat.writes(nb), "log": records, "worker": get_worker().address, **describe()}


class _Collect(logging.Handler):
    def __init__(self, records):
        super().__init__()
        self.records = records

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


_clients = {}


def client(address):
    """This process's Dask client of the scheduler at ``address``."""
    from distributed import Client  # only the coordinator and workers need Dask

    if address not in _clients:
        _clients[address] = Client(address, timeout="30s")
    return _clients[address]


class ClusterExecute(SafeExecute):
    """SafeExecute, run as a Dask task on a worker of the cluster at ``scheduler``; nbgrader's steps around it stay here."""

    scheduler = Unicode("", help="Address of the Dask scheduler, e.g. tcp://host:8786 (grade.py --scheduler).").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        from distributed import KilledWorker

        folder = Path(resources["metadata"]["path"])
        files = {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".ipynb"}
        if sum(p.stat().st_size for p in files.values()) > MAX_FILES:
            raise ValueError(f"the files beside this notebook pass {MAX_FILES >> 20} MB; a cluster run sends them to a worker")
        config = Config({name: self.config[name] for name in SENT if name in self.config})
        mode = self.config.SandboxKernelManager.get("mode") or ("quick" if os.environ.get("KERAS_COURSE_QUICK") == "1" else "full")
        who = resources.get("nbgrader", {})
        key = f"autograde-{who.get('assignment', '')}-{who.get('student', '')}-{uuid.uuid4().hex[:8]}"
        future = client(self.scheduler).submit(execute, nbformat.writes(nb), {k: p.read_bytes() for k, p in files.items()},
                                               config, mode, course_version(), key=key, pure=False)
        try:
            done = future.result()
        except KilledWorker as exc:
            raise WorkerDiedError(f"every worker that ran this notebook died while running it ({exc}); "
                                  "read the workers' logs, then regrade it") from None
        self.log.warning("ran on worker %s (%s) as task %s, course version %s, %s mode",  # the notebook's log keeps warnings
                      done["worker"], done["host"], future.key, done["version"], mode)
        if done["unsandboxed"]:
            self.log.warning("NOT SANDBOXED on worker %s: %s", done["worker"], done["unsandboxed"])
        for level, message in done["log"]:
            self.log.log(level, "%s", message)
        return nbformat.reads(done["notebook"], as_version=4), resources


DASK = Path(sys.executable).parent / "dask"


def _environment(grading):
    """This environment with ``grading`` on the Python path: Dask's scheduler and workers unpickle each task, naming cluster.execute."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(grading), os.environ.get("PYTHONPATH")]))}


def scheduler_command(*args, retries=None, grading=GRADING):
    """``dask scheduler`` for grading: a notebook waits there until a worker thread is free (never queued behind
    another on a worker that may die), and is tried on at most 1 + ``retries`` workers that die running it
    (default: DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES, else Dask's 3)."""
    env = {"DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0", **_environment(grading)}
    if retries is not None:
        env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = str(retries)
    return [str(DASK), "scheduler", *args], env


def worker_command(*args, grading=GRADING):
    """``dask worker`` that grades: this folder's code (the course version it reports), one notebook per thread by default."""
    threads = [] if any(a.startswith("--nthreads") for a in args) else ["--nthreads", "1"]
    return [str(DASK), "worker", *args, *threads, "--preload", "cluster"], _environment(grading)


@contextlib.contextmanager
def local_cluster(workers, folder, retries=None, grading=GRADING):
    """A real scheduler and ``workers`` worker processes on this machine (logs in ``folder``); yields the scheduler's address."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "scheduler.json"
    file.unlink(missing_ok=True)
    cmd, env = scheduler_command("--scheduler-file", str(file), "--port", "0", "--no-dashboard", retries=retries, grading=grading)
    procs = [subprocess.Popen(cmd, env=env, cwd=folder, stdout=open(folder / "scheduler.log", "w"), stderr=subprocess.STDOUT)]
    try:
        for _ in range(600):
            if file.exists() and file.stat().st_size:
                break
            time.sleep(0.1)
        for i in range(workers):
            cmd, env = worker_command("--scheduler-file", str(file), "--name", f"w{i}", "--no-dashboard", grading=grading)
            procs.append(subprocess.Popen(cmd, env=env, cwd=folder, stdout=open(folder / f"worker{i}.log", "w"), stderr=subprocess.STDOUT))
        from distributed import Client

        with Client(scheduler_file=str(file), timeout="60s") as dask:
            dask.wait_for_workers(workers, timeout=180)
            address = dask.scheduler.address
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(30)
            proc.kill()


if __name__ == "__main__":
    if sys.argv[1:] == ["--version"]:
        print(course_version())
    elif sys.argv[1:2] == ["scheduler"] or sys.argv[1:2] == ["worker"] and sys.argv[2:]:
        command, environment = (scheduler_command if sys.argv[1] == "scheduler" else worker_command)(*sys.argv[2:])
        os.execve(command[0], command, environment)
    else:
        sys.exit(__doc__)

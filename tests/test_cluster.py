"""Grading on a Dask cluster (grading/cluster.py): a real scheduler and two worker processes on localhost.

A mixed folder earns exactly the grades of a local run; a worker killed
mid-notebook loses no grade and counts none twice; a notebook whose every
worker dies ends as NOT GRADED without stalling the batch; workers of another
course version refuse the work; quick-mode grading is an explicit option.
"""

import contextlib
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbclient import NotebookClient
from distributed import Client
from nbgrader.api import Gradebook

import cluster
import grade
import grading_corpus as corpus
import release
import sandbox

ROOT = Path(__file__).resolve().parents[1]
FIXTURE, SETUP = corpus.ASSIGNMENT, corpus.SETUP
UID = 62500  # sandbox users of their own (test_grade.py counts down from 63500)
OPTIONS = ["--Execute.timeout=60", f"--SandboxKernelManager.uid={UID}", "--SafeExecute.notebook_timeout=300"]
MIXED = ["correct", "partial", "blank", "os_exit", "read_solutions", "write_gradebook", "corrupt_json", "not_a_notebook"]


@contextlib.contextmanager
def running_cluster(folder, workers=2, grading=ROOT / "grading"):
    """cluster.local_cluster (real `dask scheduler` and `dask worker` processes), with a client for the test."""
    with cluster.local_cluster(workers, folder, retries=1, grading=grading) as address, Client(address, timeout="30s") as client:
        yield SimpleNamespace(address=address, client=client)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    with running_cluster(tmp_path_factory.mktemp("dask")) as dask:
        yield dask


def course_copy(root, assignments=(FIXTURE, SETUP)):
    """A course copy at ``root`` with the fixture (and notebook 00), released, with its own gradebook."""
    (root / "solutions" / FIXTURE).mkdir(parents=True)
    nbformat.write(corpus.fixture_source(), root / "solutions" / FIXTURE / f"{FIXTURE}.ipynb")
    if SETUP in assignments:
        shutil.copytree(ROOT / "solutions" / SETUP, root / "solutions" / SETUP)
    release.generate(list(assignments), root=root)
    return root


def released(root):
    return nbformat.read(root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)


def grades(root):
    """Every autograded cell's score in the gradebook: {(assignment, student, cell): score}."""
    with Gradebook(release.db_url(root)) as gb:
        return {(a.name, s.student.id, g.name): g.auto_score for a in gb.assignments for s in a.submissions
                for n in s.notebooks for g in n.grades}


def quietly(function, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
        result = function(*args, **kwargs)
    return result, out.getvalue()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One folder of mixed submissions (fixture: correct ... broken; notebook 00: correct), written once."""
    base = tmp_path_factory.mktemp("mixed")
    source = course_copy(base / "source")
    folder = base / "downloads"
    entries = [e for e in corpus.write_corpus(folder, source / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb", source, 1,
                                              attacks=not sandbox.unavailable()) if e.student in MIXED]
    for path in folder.glob("*.ipynb"):
        if path.name.removesuffix(f"_{FIXTURE}.ipynb") not in MIXED:
            path.unlink()
    entries.append(corpus.Entry(SETUP, "correct", 6, False))
    for other in {e.student for e in corpus.write_setup_submissions(folder, source)} - {"correct"}:
        shutil.rmtree(folder / other)  # one real notebook is enough here
    return SimpleNamespace(folder=folder, entries=entries)


def test_a_cluster_gives_exactly_the_grades_of_a_local_run(tmp_path, dask_cluster, mixed):
    local = course_copy(tmp_path / "local")
    remote = course_copy(tmp_path / "remote")
    works, _ = quietly(grade.grade_all, mixed.folder, options=OPTIONS, root=local)
    remote_works, out = quietly(grade.grade_all, mixed.folder, options=OPTIONS, root=remote, scheduler=dask_cluster.address)
    assert [w.student for w in works] == [w.student for w in remote_works] and len(works) == len(mixed.entries)
    here, there = grade.summary(works, local), grade.summary(remote_works, remote)
    assert [row[:5] for row in here] == [row[:5] for row in there], out
    assert grades(local) == grades(remote) and len(grades(remote)) > len(works)
    for entry in mixed.entries:
        row = next(r for r in there if r[:2] == (entry.assignment, entry.student))
        assert row[2] == entry.expected, (entry.student, row)
    ran_on = {line.split()[4] for w in remote_works if w.log.exists() for line in w.log.read_text().splitlines() if "ran on worker" in line}
    assert ran_on == set(dask_cluster.client.scheduler_info()["workers"]), "both workers graded"
    assert "course version" in out and (grade.workspace(remote) / "grades.csv").read_text() == (grade.workspace(local) / "grades.csv").read_text()
    assert not (ROOT / "grading" / "workspace" / "submitted" / "os_exit").exists()  # the workers wrote nothing of the coordinator's


def _watch(client, victims, stop):
    """Kill the worker process running a victim's notebook 4 s into it: ``victims`` maps student -> how many times (None: always)."""
    killed, seen = [], {}
    while not stop.is_set():
        with contextlib.suppress(Exception):  # a worker that just died or is starting
            executing = client.run(lambda dask_worker: [ts.key for ts in dask_worker.state.executing], on_error="ignore")
            for address, keys in executing.items():
                for key in keys:
                    student = next((s for s in victims if f"-{s}-" in key), None)
                    if student is None or victims[student] == 0:
                        continue
                    if time.monotonic() - seen.setdefault((address, key), time.monotonic()) >= 4:
                        os.kill(client.run(os.getpid, workers=[address])[address], signal.SIGKILL)
                        killed.append((student, address))
                        victims[student] = None if victims[student] is None else victims[student] - 1
        time.sleep(0.5)
    return killed


def sandboxes():
    """Process ids of every sandbox on this machine."""
    return subprocess.run(["pgrep", "-f", "grading/sandbox.py"], capture_output=True, text=True).stdout.split()


def grade_while_killing(tmp_path, dask_cluster, victims):
    """Grade alice (correct), bob (blank) and each victim (correct, then 20 s asleep) while their workers are killed."""
    root = course_copy(tmp_path / "course", assignments=(FIXTURE,))
    folder = tmp_path / "downloads"
    folder.mkdir()
    slow = corpus._after(corpus.correct(released(root)), None, "import time\ntime.sleep(20)")
    for student, nb in [*((v, slow) for v in victims), ("alice", corpus.correct(released(root))), ("bob", released(root))]:
        nbformat.write(nb, folder / f"{student}_{FIXTURE}.ipynb")
    before = set(sandboxes())
    stop, killed = threading.Event(), []
    watcher = threading.Thread(target=lambda: killed.extend(_watch(dask_cluster.client, dict(victims), stop)))
    watcher.start()
    try:
        works, out = quietly(grade.grade_all, folder, options=OPTIONS, root=root, scheduler=dask_cluster.address)
    finally:
        stop.set()
        watcher.join()
    dask_cluster.client.wait_for_workers(2, timeout=120)  # the nannies restarted the killed workers
    time.sleep(2)
    left = set(sandboxes()) - before
    assert not left, f"sandboxes of killed workers still run: {left}"
    with Gradebook(release.db_url(root)) as gb:
        assert sorted(s.student.id for s in gb.find_assignment(FIXTURE).submissions) == sorted(["alice", "bob", *victims])
    csv_students = [line.split(",")[3] for line in (grade.workspace(root) / "grades.csv").read_text().splitlines()[1:]]
    assert sorted(csv_students) == sorted(["alice", "bob", *victims]), "one row each, none twice"
    rows = {row[1]: row for row in grade.summary(works, root)}
    assert rows["alice"][2:5] == (4, 4, "ok") and rows["bob"][2] == 0, rows
    return root, rows, killed


def test_a_worker_killed_mid_notebook_loses_no_grade_and_counts_none_twice(tmp_path, dask_cluster):
    root, rows, killed = grade_while_killing(tmp_path, dask_cluster, {"slow": 1})
    assert [student for student, _ in killed] == ["slow"], killed
    assert rows["slow"][2:5] == (4, 4, "ok"), rows["slow"]
    ran = [line for line in grade.Work(FIXTURE, "slow", root).log.read_text().splitlines() if "ran on worker" in line]
    assert len(ran) == 1 and killed[0][1] not in ran[0], "it ran again on another worker, and was counted once"


def test_a_notebook_that_kills_every_worker_it_touches_ends_as_not_graded(tmp_path, dask_cluster):
    _, rows, killed = grade_while_killing(tmp_path, dask_cluster, {"killer": None})
    assert [student for student, _ in killed] == ["killer", "killer"], "two tries (allowed-failures 1), then no more"
    assert rows["killer"][2] == 0 and rows["killer"][4].startswith(
        "NOT GRADED: WorkerDiedError: every worker that ran this notebook died"), rows["killer"]


def test_workers_refuse_a_coordinator_of_another_course_version(tmp_path, dask_cluster):
    future = dask_cluster.client.submit(cluster.execute, "{}", {}, None, "full", "0.0.1+000000000000", pure=False)
    with pytest.raises(cluster.VersionMismatchError, match=r"has course version \S+, the coordinator 0\.0\.1\+000000000000"):
        future.result()
    # A worker started from a checkout whose solutions differ: grade.py refuses before anything runs.
    other = tmp_path / "checkout"
    for part in ("grading", "solutions", "pyproject.toml"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, other / part)
    (other / "solutions" / SETUP / f"{SETUP}.ipynb").write_text((ROOT / "solutions" / SETUP / f"{SETUP}.ipynb").read_text() + "\n")
    with running_cluster(tmp_path / "dask", workers=1, grading=other / "grading") as stale:
        [(address, about)] = stale.client.run(cluster.describe).items()
        assert about["version"] != cluster.course_version()
        expected = f"{address} ({socket.gethostname()}) has course version {about['version']}, this coordinator {cluster.course_version()}"
        root = course_copy(tmp_path / "course", (FIXTURE,))
        for workers in (None, 1):  # the cluster's threads, or as many as the instructor asks for
            with pytest.raises(SystemExit, match=re.escape(expected)):
                quietly(grade.autograde, root=root, scheduler=stale.address, workers=workers)


@pytest.mark.parametrize("mode, seen", [("quick", "1"), ("full", None), ("", "1")])  # "": the grader's own (conftest: quick)
def test_grade_mode_sets_quick_mode_for_the_students_kernels(mode, seen, tmp_path):
    from traitlets.config import Config

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; print(os.environ.get('KERAS_COURSE_QUICK'))")])
    config = Config({"SandboxKernelManager": {"mode": mode, "uid": UID - 100}})
    NotebookClient(nb, kernel_name="python3", kernel_manager_class=sandbox.SandboxKernelManager, config=config,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[0].outputs[0].text.strip() == str(seen)

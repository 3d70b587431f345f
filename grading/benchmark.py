"""Grade the same folder of submissions on local Dask clusters of 1 and 2 workers; print submissions per minute.

    python grading/benchmark.py [FOLDER] [--workers 1 2] [--mode quick|full]    # make benchmark-grading

Each cluster is a real `dask scheduler` and real `dask worker` processes on this
machine (cluster.local_cluster, as make grade-scheduler and make grade-worker
start them), and each run grades into a fresh course copy in a temporary
folder, never into the workspace. Without FOLDER it grades every solution
notebook and every blank student notebook (two "students" per assignment).
A benchmark, not a test: its figures belong to the machine it ran on.
"""

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import nbformat

import cluster
import grade
import release


def course_copy(root):
    """Every assignment's solution and student notebook in ``root``, with a gradebook of its own."""
    shutil.copytree(release.ROOT / "solutions", root / "solutions")
    release.generate(release.assignments(root), root=root)
    return root


def demo_folder(folder, root):
    """A folder of submissions: each solution as student "solution", each blank student notebook as "blank"."""
    for name in release.assignments(root):
        for student, source in (("solution", root / "solutions"), ("blank", root / "notebooks")):
            (folder / student).mkdir(parents=True, exist_ok=True)
            nbformat.write(nbformat.read(source / name / f"{name}.ipynb", as_version=4), folder / student / f"{name}.ipynb")
    return folder


def run(folder, workers, mode, scratch):
    """Grade ``folder`` on a fresh local cluster of ``workers``; return (seconds, rows of grade.summary)."""
    root = course_copy(scratch / "course")
    with cluster.local_cluster(workers, scratch / "dask") as address, open(scratch / "grade.log", "w") as log:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            start = time.perf_counter()
            works = grade.grade_all(folder, root=root, scheduler=address, mode=mode)
            seconds = time.perf_counter() - start
    return seconds, grade.summary(works, root)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="benchmark.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, help="submissions, as for make grade (default: solutions and blanks)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="cluster sizes to compare (default 1 2)")
    parser.add_argument("--mode", choices=["quick", "full"], default="quick", help="grading mode (default quick)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="keras-course-benchmark-") as scratch:
        scratch = Path(scratch)
        folder = args.folder or demo_folder(scratch / "submissions", course_copy(scratch / "demo"))
        print(f"course version {cluster.course_version()}, {args.mode} mode, submissions in {folder}")
        print(f"{'workers':>7}  {'submissions':>11}  {'minutes':>7}  {'per minute':>10}  statuses")
        for workers in args.workers:
            seconds, rows = run(folder, workers, args.mode, scratch / f"workers-{workers}")
            statuses = Counter("ok" if r[4] == "ok" else r[4].split(":")[0] for r in rows)
            print(f"{workers:>7}  {len(rows):>11}  {seconds / 60:>7.2f}  {len(rows) / seconds * 60:>10.2f}  "
                  + ", ".join(f"{n} {s}" for s, n in statuses.most_common()), flush=True)


if __name__ == "__main__":
    sys.exit(main())

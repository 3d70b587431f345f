"""Grade a folder of submitted notebooks with nbgrader, in a few idempotent steps.

    python grading/grade.py all FOLDER [--assignment NAME]   # collect, autograde, feedback, export (make grade)
    python grading/grade.py collect FOLDER [--assignment NAME]
    python grading/grade.py autograde [NAME ...] [--force]
    python grading/grade.py feedback [NAME ...]
    python grading/grade.py export
    python grading/grade.py regrade NAME STUDENT             # autograde one student again (make regrade)

Grading options: --workers N (notebooks graded at once, default 2 here, or every
worker thread of the cluster), --scheduler ADDRESS (run the notebooks on a Dask
cluster, see cluster.py), --mode quick|full (KERAS_COURSE_QUICK for the students'
kernels; default: this shell's) and --set CLASS.TRAIT=VALUE (nbgrader
configuration for this run, e.g. --set Execute.timeout=1800). Each step skips
what is up to date; none deletes a submission (a replaced one moves to
workspace/archive/) or a manual grade.
"""

import argparse
import logging
import multiprocessing
import os
import re
import shutil
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps.api import NbGraderAPI
from sqlalchemy.exc import SAWarning
from tqdm import tqdm
from traitlets.config.loader import KVArgParseConfigLoader, PyFileConfigLoader

import cluster
import release
import sandbox

CANVAS = re.compile(r"^(?P<id>.+?)_(?:LATE_)?\d+_\d+_")  # smithjane_12345_678901_00-setup.ipynb
MOODLE = re.compile(r"_\d+_assignsubmission_file_?$")  # Jane Doe_12345_assignsubmission_file_/00-setup.ipynb
FAILURE = re.compile(r"^\s*([\w.]*(?:Error|Exception)): (.+)$", re.M)  # the first is the root cause
STOPPED = ("CellTimeoutError", "KernelDied")  # SafeExecute's reasons for not running the rest of a notebook
GRADER_ERRORS = ("GraderError", "DatasetError")  # the judge failed; the sandbox could not see a dataset
TAMPERING = {  # nbgrader's log line -> what it means
    "Attribute 'points'": "edited points (restored)",
    "Attribute 'locked'": "unlocked a cell (restored)",
    "Attribute 'cell_type'": "changed a cell's type (restored)",
    "Missing grade cell": "deleted graded cell (restored)",
    "exists multiple times!": "duplicated graded cell (the last copy counts)",
    "does not exist in the database": "unknown cell id (ignored)",
    "Edited locked cell": "edited a locked cell (restored)",
}
UNSANDBOXED = re.compile(r"NOT SANDBOXED on worker \S+?(?=: )|NOT SANDBOXED")  # a worker names itself


def workspace(root=None):
    """The grading workspace of the repository, or of a course copy at ``root``."""
    return Path(root or release.ROOT) / "grading" / "workspace"


@dataclass(frozen=True)
class Work:
    """One student's notebook for one assignment."""

    assignment: str
    student: str
    root: Path | None = None

    def path(self, stage):
        """The notebook in workspace/STAGE (submitted, autograded), or its feedback HTML."""
        suffix = ".html" if stage == "feedback" else ".ipynb"
        return workspace(self.root) / stage / self.student / self.assignment / f"{self.assignment}{suffix}"

    @property
    def log(self):
        return workspace(self.root) / "logs" / self.assignment / f"{self.student}.log"


def submissions(root=None):
    """Every collected submission."""
    found = workspace(root).glob("submitted/*/*/*.ipynb")
    return [Work(p.parent.name, p.parent.parent.name, root) for p in sorted(found) if p.stem == p.parent.name]


def _stale(source, target):
    return not target.exists() or target.stat().st_mtime < source.stat().st_mtime


def collect(folder, assignment=None, root=None):
    """Copy the notebooks under ``folder`` into workspace/submitted/STUDENT/ASSIGNMENT/; return a report line per file.

    The student id comes from an LMS's per-student folder (Moodle's
    Jane Doe_123_assignsubmission_file_/), else from the file name without the
    assignment name (alice_00-setup.ipynb, Canvas's alice_123_456_00-setup.ipynb),
    else, for a file named after the assignment, from its folder (alice/00-setup.ipynb).
    Symbolic links are refused: a submission is a file the student handed in.
    """
    folder, known, found, lines = Path(folder), release.assignments(root), {}, []
    for path, link in _notebooks(folder):
        rel = path.relative_to(folder)
        if link:
            lines.append(f"skipped   {shown(rel)}: a symbolic link{' inside a linked folder' if link == 'folder' else ''}, "
                         "not a file; hand in the notebook itself")
            continue
        names = [assignment] if assignment else [a for a in known if a in rel.stem or a in rel.parts[:-1]]
        if len(names) != 1:
            lines.append(f"skipped   {shown(rel)}: cannot tell which assignment it is; name it with --assignment")
            continue
        student, conflict = _student_id(rel, names[0])
        if not student:
            lines.append(f"skipped   {shown(rel)}: no student id in its name or folder")
            continue
        if conflict:
            lines.append(f"note      {shown(rel)}: its name says {conflict}, its LMS folder says {student}; the folder counts")
        found.setdefault(Work(names[0], student, root), []).append(rel)
    for work, paths in found.items():
        if len(paths) > 1:
            lines += [f"skipped   {shown(rel)}: ambiguous, {len(paths)} files would be {work.student}'s {work.assignment}; "
                      "keep or rename one" for rel in paths]
        else:
            try:
                status = _store(work, _read(folder / paths[0]))
            except OSError as exc:
                status = f"skipped (cannot read it: {exc.strerror})"
            lines.append(f"{status:<9} {work.assignment}/{work.student} <- {shown(paths[0])}")
    return lines


def _notebooks(folder):
    """(path, link) for every .ipynb under ``folder`` outside hidden folders; link is "", "file" or "folder"."""
    found = []
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
            dirs.remove(name)  # never walked into: what it holds is reported as linked
            found += [(p, "folder") for p in Path(parent, name).rglob("*.ipynb")]
        found += [(Path(parent, f), "file" if os.path.islink(os.path.join(parent, f)) else "")
                  for f in files if f.endswith(".ipynb") and not f.startswith(".")]
    return sorted(found)


def _read(path):
    """The bytes of a regular file, never through a symbolic link that appeared since it was listed."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        return f.read()


def shown(text):
    """``text`` for a report line: control characters (ESC, newline...) escaped, so a file name cannot forge a line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _student_id(rel, assignment):
    """(student id, the other id its file name claims when an LMS folder overrides it)."""
    stem = re.sub(r"\s*\(\d+\)$", "", rel.stem)  # a browser's second download: 00-setup (1).ipynb
    canvas = CANVAS.match(stem)
    named = _clean_id((canvas["id"] if canvas else stem.replace(assignment, "")).strip("_-. "))
    lms = [MOODLE.sub("", p) for p in reversed(rel.parts[:-1]) if MOODLE.search(p)]
    if lms:
        folder_id = _clean_id(lms[0])
        return folder_id, named if named and named != folder_id else ""
    if named:
        return named, ""
    folders = [p for p in reversed(rel.parts[:-1]) if p != assignment]
    return (_clean_id(folders[0]) if folders else ""), ""


def _clean_id(student):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", student).strip("_.-")


def _store(work, data):
    """Write a submission; an earlier, different one moves to workspace/archive/. Return what happened."""
    target = work.path("submitted")
    status = "new"
    if target.exists():
        if target.read_bytes() == data:
            return "unchanged"
        archive = workspace(work.root) / "archive" / work.assignment / work.student
        archive.mkdir(parents=True, exist_ok=True)
        shutil.move(target, archive / f"{datetime.now():%Y-%m-%d_%H%M%S_%f}.ipynb")
        status = "updated"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    os.chmod(target, 0o644)  # fixed, whatever the handed-in file had
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat's own complaints, e.g. duplicate cell ids
            nbformat.reads(data.decode(), as_version=4)
    except Exception as exc:  # kept as submitted: it scores 0, and the report says why
        status += f" (not a readable notebook, {type(exc).__name__}: it will score 0)"
    return status


def autograde(assignments=(), students=(), workers=None, force=False, options=(), root=None, scheduler=None, mode=None):
    """Autograde new and changed submissions (all with ``force``; named ``students`` always); return them.

    ``workers`` processes each run nbgrader's autograde (its Python API) on one notebook at a time:
    its kernels run here, or with ``scheduler`` as Dask tasks on the cluster's workers (cluster.py).
    ``mode`` "quick" or "full" sets KERAS_COURSE_QUICK for the students' kernels.
    """
    jobs = [w for w in submissions(root)
            if (not assignments or w.assignment in assignments) and (not students or w.student in students)]
    if not (force or students):  # new or changed since it was graded (or since grading it failed)
        jobs = [w for w in jobs if _stale(w.path("submitted"), w.path("autograded")) and _stale(w.path("submitted"), w.log)]
    options = [*options, *([f"--SandboxKernelManager.mode={mode}"] if mode else [])]
    if scheduler:
        threads = check_cluster(scheduler)  # also with --workers: a worker of another version stops the run here
        workers = workers or threads
    elif sandbox.unavailable():
        print("\n" + "!" * 100 + "\n" + sandbox.WARNING % sandbox.unavailable() + "\n" + "!" * 100 + "\n", file=sys.stderr)
    for name in sorted({w.assignment for w in jobs}):
        _register(name, root)
    context = multiprocessing.get_context("spawn")
    start = time.perf_counter()
    with (ProcessPoolExecutor(workers or 2, context, _start_worker, (options, root, scheduler)) as pool,
          tqdm(total=len(jobs), desc="autograde", unit="notebook") as bar):
        futures = {pool.submit(_autograde_one, work.assignment, work.student): work for work in jobs}
        for future in as_completed(futures):
            work, result = futures[future], future.result()
            work.log.parent.mkdir(parents=True, exist_ok=True)
            work.log.write_text(result.get("log", "") + result.get("error", ""))
            bar.set_postfix_str(work.student)
            bar.update()
    print_summary(summary(jobs, root), time.perf_counter() - start)
    return jobs


_api = None  # a worker process's nbgrader API


def check_cluster(scheduler):
    """Connect to the Dask scheduler; refuse workers of another course version; return how many notebooks it runs at once."""
    from distributed import Client

    try:
        with Client(scheduler, timeout="30s") as dask:
            dask.wait_for_workers(1, timeout=120)
            workers = dask.run(cluster.describe, on_error="return")
            threads = sum(dask.nthreads().values())
    except (OSError, TimeoutError) as exc:
        raise SystemExit(f"Cannot use the Dask scheduler at {scheduler}: {exc}. Start it (dask scheduler) and its workers "
                         "(make grade-worker SCHEDULER=...), or grade here without --scheduler.") from None
    mine, wrong = cluster.course_version(), []
    for address, about in sorted(workers.items()):
        if isinstance(about, Exception):
            wrong.append(f"{address} cannot run the course's grading code ({type(about).__name__}: {about}); "
                         "start it with make grade-worker (PYTHONPATH=grading dask worker ... --preload cluster)")
        elif about["version"] != mine:
            wrong.append(f"{address} ({about['host']}) has course version {about['version']}, this coordinator {mine}")
        else:
            print(f"worker {address} ({about['host']}): course version {about['version']}, "
                  + (f"NOT SANDBOXED ({about['unsandboxed']})" if about["unsandboxed"] else "sandboxed"))
            if about["unsandboxed"]:
                print("!" * 100 + "\n" + sandbox.WARNING % f"worker {address}: {about['unsandboxed']}" + "\n" + "!" * 100, file=sys.stderr)
    if wrong:
        raise SystemExit("Workers refused: their course version differs from this coordinator's.\n  " + "\n  ".join(wrong)
                         + "\nCheck out the coordinator's commit on every worker and restart them.")
    return threads


def _start_worker(options, root, scheduler=None):
    """In a new worker process: nbgrader's API, configured as the nbgrader command would be, with its own sandbox user.

    With ``scheduler``, ClusterExecute replaces SafeExecute: the notebook runs on a Dask worker.
    """
    global _api
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's gradebook code is noisy
    config = PyFileConfigLoader("nbgrader_config.py", path=str(release.GRADING)).load_config()
    config.merge(KVArgParseConfigLoader([*options, *release.course_options(root)]).load_config())
    if scheduler:
        config.Autograde.autograde_preprocessors = [cluster.ClusterExecute if p.__name__ == "SafeExecute" else p
                                                    for p in config.Autograde.autograde_preprocessors]
        config.ClusterExecute.scheduler = scheduler
    else:
        first = int(config.SandboxKernelManager.uid) if "uid" in config.SandboxKernelManager else sandbox.SandboxKernelManager.uid.default_value
        config.SandboxKernelManager.uid = sandbox.claim_user(first)  # no other worker or grading run shares it
    log = logging.getLogger(f"grade.worker{os.getpid()}")  # nbgrader's API captures each notebook's log itself
    log.propagate = False
    log.addHandler(logging.NullHandler())
    _api = NbGraderAPI(config=config, log=log)


def _autograde_one(assignment, student):
    return _api.autograde(assignment, student, force=True)


def _register(name, root):
    """Make sure the gradebook knows the assignment (nbgrader generate_assignment)."""
    with Gradebook(release.db_url(root)) as gb:
        try:
            gb.find_assignment(name)
            return
        except MissingEntry:
            pass
    print(f"{name} is not in the gradebook yet: releasing it (nbgrader generate_assignment)")
    release.generate([name], root=root)


def feedback(assignments=(), root=None):
    """Generate feedback HTML for every autograded notebook newer than its feedback."""
    graded = [w for w in submissions(root) if w.path("autograded").exists()]
    for name in sorted({w.assignment for w in graded if not assignments or w.assignment in assignments}):
        mine = [w for w in graded if w.assignment == name]
        fresh = [w.student for w in mine if not _stale(w.path("autograded"), w.path("feedback"))]
        if len(fresh) < len(mine):
            done = release.nbgrader("generate_feedback", name, "--force",
                                    f"--CourseDirectory.student_id_exclude={','.join(fresh)}", root=root)
            log = workspace(root) / "logs" / name / "feedback.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(done.stdout + done.stderr)
            if done.returncode:
                print(f"nbgrader generate_feedback {name} failed for some notebooks; see {log}")


def export(root=None):
    """Write every grade to workspace/grades.csv (nbgrader export); return its path."""
    csv = workspace(root) / "grades.csv"
    done = release.nbgrader("export", f"--CsvExportPlugin.to={csv}", root=root)
    if done.returncode:
        raise RuntimeError(f"nbgrader export failed:\n{done.stdout}{done.stderr}")
    return csv


def summary(works, root=None):
    """One row per notebook: assignment, student, automatic points, their maximum, status, tampering noticed."""
    rows = []
    with Gradebook(release.db_url(root)) as gb:
        for work in works:
            try:
                sub = gb.find_submission(work.assignment, work.student)
                score, best = sub.code_score, sub.max_code_score
            except MissingEntry:
                score, best = 0.0, None
            log = work.log.read_text() if work.log.exists() else ""
            notes = sorted({note for line, note in TAMPERING.items() if line in log} | set(UNSANDBOXED.findall(log)[:1]))
            rows.append((work.assignment, work.student, score, best, _status(work, log), notes))
    return rows


def _status(work, log):
    """"ok", why the notebook stopped early, or why nbgrader could not grade it."""
    if not work.path("autograded").exists():
        failures = FAILURE.findall(log)
        reason = f"{failures[0][0].rsplit('.', 1)[-1]}: {failures[0][1]}" if failures else f"see {work.log}"
        return f"NOT GRADED: {reason}"[:160]  # it keeps the points of an earlier grading, if any
    nb = nbformat.read(work.path("autograded"), as_version=4)
    errors = [out for cell in nb.cells for out in cell.get("outputs", []) if out.output_type == "error"]
    for out in errors:
        if out.ename in GRADER_ERRORS:  # the grader's setup, not the student: the points are not the student's
            return f"GRADER ERROR ({out.ename}): {out.evalue}"[:200]
    for out in errors:
        if out.ename in STOPPED:
            return out.evalue.split(", in the cell")[0]
    return "ok"


def print_summary(rows, seconds):
    """Print the rows of ``summary`` and the time they took."""
    for assignment, student, score, best, status, notes in rows:
        points = f"{score:g}/{best:g}" if best is not None else f"{score:g}"
        print(shown(f"{assignment:<20} {student:<24} {points:>8}  {status}" + (f"  [{'; '.join(notes)}]" if notes else "")))
    if rows:
        print(f"{len(rows)} notebook(s) autograded in {seconds:.0f} s, {seconds / len(rows):.1f} s per notebook.")


def regrade(assignment, student, options=(), root=None, mode=None):
    """Autograde one student's notebook again, here, then refresh its feedback and the grades CSV."""
    works = autograde([assignment], [student], workers=1, options=options, root=root, mode=mode)
    if not works:
        raise SystemExit(f"No submission of {assignment} by {student} in {workspace(root) / 'submitted'}.")
    feedback([assignment], root=root)
    export(root=root)
    return works


def grade_all(folder, assignment=None, workers=None, options=(), root=None, scheduler=None, mode=None):
    """Collect ``folder``, autograde what is new or changed, generate feedback, export the grades."""
    print("\n".join(collect(folder, assignment, root=root)))
    works = autograde([assignment] if assignment else (), workers=workers, options=options, root=root,
                      scheduler=scheduler, mode=mode)
    feedback(root=root)
    print(f"feedback: {workspace(root) / 'feedback'}\ngrades:   {export(root=root)}")
    return works


def main(argv=None):
    parser = argparse.ArgumentParser(prog="grade.py", description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    source = argparse.ArgumentParser(add_help=False)
    source.add_argument("folder", type=Path, help="a folder of .ipynb files, e.g. an LMS download")
    source.add_argument("--assignment", help="the assignment of every file (default: read from the file names)")
    workers = argparse.ArgumentParser(add_help=False)
    workers.add_argument("--workers", type=int, help="notebooks graded at once (default 2, or the cluster's worker threads)")
    workers.add_argument("--scheduler", metavar="ADDRESS", help="run the notebooks on the Dask cluster of this scheduler, "
                                                                "e.g. tcp://host:8786 (see cluster.py)")
    settings = argparse.ArgumentParser(add_help=False)
    settings.add_argument("--mode", choices=["quick", "full"], help="quick: small subsets and few epochs (KERAS_COURSE_QUICK=1); "
                                                                    "default: as this shell sets it")
    settings.add_argument("--set", action="append", default=[], metavar="CLASS.TRAIT=VALUE", dest="options",
                          type=lambda setting: f"--{setting}",
                          help="nbgrader configuration for this run, e.g. Execute.timeout=1800 (seconds per cell) "
                               "or SafeExecute.notebook_timeout=7200 (seconds per notebook)")

    steps.add_parser("all", parents=[source, workers, settings], help="collect, autograde, feedback and export").set_defaults(
        run=lambda a: grade_all(a.folder, a.assignment, a.workers, a.options, scheduler=a.scheduler, mode=a.mode))
    steps.add_parser("collect", parents=[source], help="copy submitted notebooks into the workspace").set_defaults(
        run=lambda a: print("\n".join(collect(a.folder, a.assignment))))
    step = steps.add_parser("autograde", parents=[workers, settings], help="autograde new and changed submissions")
    step.add_argument("assignments", nargs="*", metavar="NAME")
    step.add_argument("--force", action="store_true", help="autograde every submission again")
    step.set_defaults(run=lambda a: autograde(a.assignments, workers=a.workers, force=a.force, options=a.options,
                                              scheduler=a.scheduler, mode=a.mode))
    step = steps.add_parser("feedback", help="generate feedback HTML")
    step.add_argument("assignments", nargs="*", metavar="NAME")
    step.set_defaults(run=lambda a: feedback(a.assignments))
    steps.add_parser("export", help="write workspace/grades.csv").set_defaults(run=lambda a: print(export()))
    step = steps.add_parser("regrade", parents=[settings], help="autograde one student's notebook again")
    step.add_argument("assignment")
    step.add_argument("student")
    step.set_defaults(run=lambda a: regrade(a.assignment, a.student, a.options, mode=a.mode))
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()

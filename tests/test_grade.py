"""The grading workflow (grading/grade.py) end to end.

One command grades a folder of mixed submissions, notebook 00 and the hostile
corpus of grading_corpus.py, in the sandbox; every notebook gets the score it
earned, feedback never shows the hidden tests, and re-running or regrading
loses nothing.
"""

import base64
import contextlib
import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.api import Gradebook

import grade
import grading_corpus as corpus
import judge
import preprocessors
import release
import sandbox

ROOT = Path(__file__).resolve().parents[1]
FIXTURE, SETUP = corpus.ASSIGNMENT, corpus.SETUP
# Short enough for the infinite loop, long enough for notebook 00 in quick mode on a busy machine; sandbox users
# of their own, so that the fork storm never takes the process limit of another grading run on the machine.
UID = 63500
LIMITS = ["--Execute.timeout=45", f"--SandboxKernelManager.uid={UID}"]
OPTIONS = [*LIMITS, "--SafeExecute.notebook_timeout=300"]
ATTACKERS = ["read_solutions", "read_gradebook", "write_gradebook", "network", "read_other_student"]
WRITERS = ["write_gradebook", "read_other_student"]  # regraded alone: they aim at other students' files


@contextlib.contextmanager
def solution_server():
    """A local TCP server that hands the fixture's solutions to anyone who connects; yields its port."""
    code = "\n".join(cell.source for cell in corpus.fixture_source().cells).encode()

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(code)

    with socketserver.TCPServer(("127.0.0.1", 0), Handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield server.server_address[1]
        server.shutdown()


SECRETS = {"TF_VAR_cloud_token": "tf-secret-8d1e", "GITHUB_TOKEN": "ghp-secret-77aa"}  # a grader's shell has such things


@contextlib.contextmanager
def secrets_in_environment():
    """The grading processes inherit SECRETS, as they would from an instructor's shell."""
    saved = {k: os.environ.get(k) for k in SECRETS}
    os.environ.update(SECRETS)
    try:
        yield
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A course copy with notebook 00 and the fixture, and one `grade.py all` run over a folder of submissions."""
    root = tmp_path_factory.mktemp("grading")
    shutil.copytree(ROOT / "solutions" / SETUP, root / "solutions" / SETUP)
    (root / "solutions" / FIXTURE).mkdir()
    nbformat.write(corpus.fixture_source(), root / "solutions" / FIXTURE / f"{FIXTURE}.ipynb")
    release.generate([SETUP, FIXTURE], root=root)
    folder = root / "downloads"
    out, err = io.StringIO(), io.StringIO()
    attacks = not sandbox.unavailable()  # without a sandbox they would succeed and deface the workspace
    leftovers = set(Path(tempfile.gettempdir()).glob("keras-course-*"))
    with solution_server() as port, secrets_in_environment():
        entries = corpus.write_corpus(folder, root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb", root, port, attacks)
        entries += corpus.write_setup_submissions(folder, root, attacks)
        for twin in (folder / f"twin_{FIXTURE}.ipynb", folder / "twin" / f"{FIXTURE}.ipynb"):
            twin.parent.mkdir(exist_ok=True)
            shutil.copy(folder / f"correct_{FIXTURE}.ipynb", twin)
        start = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            works = grade.grade_all(folder, options=OPTIONS, root=root)
        seconds = time.perf_counter() - start
    print(out.getvalue())  # the command's report, with its timings (pytest -s shows it)
    rows = {(a, s): SimpleNamespace(score=score, best=best, status=status, notes=notes)
            for a, s, score, best, status, notes in grade.summary(works, root)}
    return SimpleNamespace(root=root, folder=folder, entries={(e.assignment, e.student): e for e in entries},
                           works=works, rows=rows, out=out.getvalue(), err=err.getvalue(), seconds=seconds,
                           leftovers=set(Path(tempfile.gettempdir()).glob("keras-course-*")) - leftovers)


def outputs(root, assignment, student):
    """Every output text of a student's autograded notebook, joined."""
    nb = nbformat.read(grade.Work(assignment, student, root).path("autograded"), as_version=4)
    return "\n".join(o.get("text", "") + o.get("ename", "") + ": " + o.get("evalue", "")
                     for cell in nb.cells for o in cell.get("outputs", []))


def snapshot(root, skip=()):
    """Hashes of every workspace file (except logs and ``skip`` students' files) and every grade in the gradebook."""
    files = {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(grade.workspace(root).rglob("*")) if p.is_file() and "logs" not in p.parts
             and not any(part in skip for part in p.parts) and p.name != "grades.csv"}
    with Gradebook(release.db_url(root)) as gb:
        grades = {(g.assignment.name, g.student.id, g.name): (g.auto_score, g.manual_score)
                  for a in gb.assignments for s in a.submissions for n in s.notebooks for g in n.grades
                  if s.student.id not in skip}
    return files, grades


def test_one_command_grades_the_whole_folder(batch):
    assert set(batch.entries) == set(corpus.NAMES) if not sandbox.unavailable() else len(batch.entries) >= 20
    assert set(batch.rows) == set(batch.entries), "every submission is collected and graded in one run"
    unreadable = {(FIXTURE, "corrupt_json"), (FIXTURE, "not_a_notebook")}
    for key, row in batch.rows.items():
        feedback = grade.Work(*key, batch.root).path("feedback")
        if key in unreadable:
            assert row.status.startswith("NOT GRADED:") and row.score == 0 and not feedback.exists()
        else:
            assert feedback.exists(), f"no feedback for {key}"
    with (grade.workspace(batch.root) / "grades.csv").open() as f:
        assert {(row["assignment"], row["student_id"]) for row in csv.DictReader(f)} >= set(batch.entries)
    assert f"{len(batch.works)} notebook(s) autograded in" in batch.out and "s per notebook" in batch.out


@pytest.mark.parametrize("key", corpus.NAMES, ids=[f"{a}-{s}" for a, s in corpus.NAMES])
def test_every_submission_gets_exactly_what_it_earned(batch, key):
    if key not in batch.entries:  # an attack only the sandbox stops, left out without it: the run must say so
        assert sandbox.unavailable() and "NOT SANDBOXED" in batch.err
        return
    entry, row = batch.entries[key], batch.rows[key]
    assert row.score == entry.expected, f"{key}: {row.score} points, expected {entry.expected} ({row.status})"
    assert row.best in (None, 4.0, 6.0), "tampered points never change the maximum"
    if entry.feedback:
        assert entry.feedback in grade.Work(*key, batch.root).path("feedback").read_text()


def test_tampering_and_limits_are_reported(batch):
    assert "timed out in cell" in batch.rows[FIXTURE, "infinite_loop"].status
    assert "the kernel died in cell" in batch.rows[FIXTURE, "os_exit"].status
    assert "deleted graded cell (restored)" in batch.rows[FIXTURE, "deleted_test_cell"].notes
    assert "edited points (restored)" in batch.rows[FIXTURE, "edited_metadata"].notes
    assert "duplicated graded cell (the last copy counts)" in batch.rows[FIXTURE, "duplicated_ids"].notes
    assert "JSONDecodeError" in batch.rows[FIXTURE, "corrupt_json"].status
    assert re.search(r"skipped +twin_fixture.ipynb: ambiguous", batch.out) and not (grade.workspace(batch.root) / "submitted" / "twin").exists()
    assert "not a readable notebook" in batch.out
    assert "edited a locked cell (restored)" in batch.rows[FIXTURE, "edited_hidden_test"].notes
    assert "should be about 2" in outputs(batch.root, FIXTURE, "patched_checks"), "the clean kernel's verdict"
    assert "NotCollected" in outputs(batch.root, FIXTURE, "fake_success")
    if (SETUP, "hostile") in batch.rows:  # the test cell it deleted from notebook 00 came back
        assert "deleted graded cell (restored)" in batch.rows[SETUP, "hostile"].notes


def test_sandbox_blocks_the_attacks_or_says_loudly_that_it_cannot(batch):
    reason = sandbox.unavailable()
    if reason:
        assert "NOT SANDBOXED" in batch.err and reason in batch.err
        return
    assert "NOT SANDBOXED" not in batch.err
    for student in ATTACKERS:
        text = outputs(batch.root, FIXTURE, student)
        assert "blocked:" in text and ("stole 0 characters" in text or student == "write_gradebook"), text
    assert re.search(rf"uid ({UID}|{UID - 1})\b", outputs(batch.root, FIXTURE, "network"))
    assert "Network is unreachable" in outputs(batch.root, FIXTURE, "network")
    assert "No such file or directory" in outputs(batch.root, FIXTURE, "read_solutions")
    assert "No such file or directory" in outputs(batch.root, FIXTURE, "read_other_student")
    assert "unable to open database file" in outputs(batch.root, FIXTURE, "read_gradebook")
    assert "unable to open database file" in outputs(batch.root, FIXTURE, "write_gradebook")
    assert "MemoryError" in outputs(batch.root, FIXTURE, "memory_hog")
    assert "Resource temporarily unavailable" in outputs(batch.root, FIXTURE, "process_storm")


def _text(path):
    """A page's visible text, without tags or whitespace."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", path.read_text())))


def test_feedback_never_shows_hidden_tests(batch):
    hidden = {a: [re.sub(r"\s+", "", line) for line in corpus.hidden_lines(nbformat.read(
        batch.root / "solutions" / a / f"{a}.ipynb", as_version=4))] for a in (FIXTURE, SETUP)}
    autograded = re.sub(r"\s+", "", grade.Work(FIXTURE, "correct", batch.root).path("autograded").read_text().replace("\\n", ""))
    assert all(line.replace('"', '\\"') in autograded for line in hidden[FIXTURE]), "the search would find them"
    pages = sorted(grade.workspace(batch.root).glob("feedback/*/*/*.html"))
    assert len(pages) == len(batch.entries) - 2
    for page in pages:
        text = _text(page)
        leaked = [line for line in hidden[page.parent.name] if line in text]
        assert not leaked, f"{page} shows hidden tests: {leaked[:2]}"
    assert "[outputremoved:itquotedthehiddentests]" in _text(grade.Work(FIXTURE, "leak_hidden_tests", batch.root).path("feedback"))


def test_attacks_leave_other_students_untouched(batch):
    attackers = [s for s in WRITERS if (FIXTURE, s) in batch.entries]
    assert attackers or sandbox.unavailable()
    before = snapshot(batch.root, skip=attackers)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        grade.autograde([FIXTURE], attackers, options=OPTIONS, root=batch.root)
        grade.feedback(root=batch.root)
    assert snapshot(batch.root, skip=attackers) == before
    with Gradebook(release.db_url(batch.root)) as gb:
        assert all(gb.find_submission(FIXTURE, s).score == 0 for s in attackers)


def test_running_again_loses_nothing_and_grades_only_what_changed(batch):
    with Gradebook(release.db_url(batch.root)) as gb:
        gb.find_grade("fixture_explain", FIXTURE, FIXTURE, "correct").manual_score = 1
        gb.db.commit()
    before = snapshot(batch.root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert grade.grade_all(batch.folder, options=OPTIONS, root=batch.root) == []
    assert snapshot(batch.root) == before and out.getvalue().count("unchanged") == len(batch.entries)

    old = grade.Work(FIXTURE, "partial", batch.root).path("submitted").read_bytes()
    others = snapshot(batch.root, skip=["partial"])
    shutil.copy(batch.folder / f"correct_{FIXTURE}.ipynb", batch.folder / f"partial_{FIXTURE}.ipynb")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        works = grade.grade_all(batch.folder, options=OPTIONS, root=batch.root)
    assert [(w.assignment, w.student) for w in works] == [(FIXTURE, "partial")] and "updated   fixture/partial" in out.getvalue()
    archived = list((grade.workspace(batch.root) / "archive" / FIXTURE / "partial").glob("*.ipynb"))
    assert [p.read_bytes() for p in archived] == [old]
    assert snapshot(batch.root, skip=["partial"]) == others
    with Gradebook(release.db_url(batch.root)) as gb:
        assert gb.find_submission(FIXTURE, "partial").code_score == 4
        assert gb.find_grade("fixture_explain", FIXTURE, FIXTURE, "correct").manual_score == 1


def test_regrade_with_a_notebook_time_limit_keeps_the_manual_grade(batch):
    with Gradebook(release.db_url(batch.root)) as gb:
        gb.find_grade("fixture_explain", FIXTURE, FIXTURE, "slow").manual_score = 0.5
        gb.db.commit()
    work = grade.Work(FIXTURE, "slow", batch.root)
    with contextlib.redirect_stderr(io.StringIO()):
        grade.regrade(FIXTURE, "slow", options=[*LIMITS, "--SafeExecute.notebook_timeout=2"], root=batch.root)
    [(_, _, score, _, status, _)] = grade.summary([work], batch.root)
    assert score == 0 and "the notebook's limit of 2 s" in status
    assert "timed out in cell" in work.path("feedback").read_text()
    with Gradebook(release.db_url(batch.root)) as gb:
        assert gb.find_grade("fixture_explain", FIXTURE, FIXTURE, "slow").manual_score == 0.5


def test_collect_reads_student_ids_from_lms_file_names(tmp_path):
    (tmp_path / "solutions" / FIXTURE).mkdir(parents=True)
    (tmp_path / "solutions" / SETUP).mkdir()
    folder = tmp_path / "download"
    files = {"smithjane_4521_889123_fixture.ipynb": "smithjane", "smithjane_LATE_4521_889124_00-setup.ipynb": "smithjane",
             "Bo Li_77_assignsubmission_file_/fixture.ipynb": "Bo_Li", "exchange/ann/00-setup/00-setup.ipynb": "ann",
             "00-setup-kim.ipynb": "kim", "notes.ipynb": None}
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("{}")
    lines = grade.collect(folder, root=tmp_path)
    for name, student in files.items():
        assert any(name in line and (f"/{student} <-" in line if student else "cannot tell which assignment" in line)
                   for line in lines), (name, lines)
    assert sum(line.startswith("unchanged") for line in grade.collect(folder, root=tmp_path)) == len(files) - 1


def test_without_a_sandbox_grading_warns_loudly(tmp_path, monkeypatch, caplog):
    with monkeypatch.context() as m:
        m.setattr(sys, "platform", "darwin")
        assert "needs Linux, this is darwin" in sandbox.unavailable.__wrapped__()
    monkeypatch.setattr(sandbox, "unavailable", lambda: "the sandbox needs Linux, this is darwin")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        grade.autograde(root=tmp_path)
    assert "NOT SANDBOXED" in err.getvalue()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; print('uid', os.getuid())")])
    NotebookClient(nb, kernel_name="python3", kernel_manager_class=sandbox.SandboxKernelManager).execute()
    assert "NOT SANDBOXED" in caplog.text and nb.cells[0].outputs[0].text.startswith("uid")


@pytest.mark.skipif(bool(sandbox.unavailable()), reason="needs the sandbox (Linux, root)")
def test_sandboxed_kernel_reads_a_mirror_named_through_a_symbolic_link(tmp_path, monkeypatch):
    (tmp_path / "real" / "datasets").mkdir(parents=True)
    (tmp_path / "real" / "datasets" / "marker.txt").write_text("mirror")
    (tmp_path / "link").symlink_to(tmp_path / "real")  # like /data -> /mnt/server/data on a lab machine
    monkeypatch.setenv("KERAS_COURSE_DATA", str(tmp_path / "link" / "datasets"))
    workdir = tmp_path / "course"  # the kernel's folder: neither the link nor its target is inside it
    workdir.mkdir()
    code = "import os; print(open(os.path.join(os.environ['KERAS_COURSE_DATA'], 'marker.txt')).read())"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, kernel_name="python3", kernel_manager_class=sandbox.SandboxKernelManager,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    assert nb.cells[0].outputs[0].text.strip() == "mirror"


def test_a_dataset_the_sandbox_cannot_see_is_a_grader_error_not_a_plain_zero(tmp_path, monkeypatch):
    """When the kernel cannot load a course dataset, the summary blames the grader's setup and says what to do."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("KERAS_COURSE_DATA", str(tmp_path / "empty"))  # a mirror without the file, and no network
    root = tmp_path / "course"
    source = corpus.fixture_source()
    source.cells.insert(2, nbformat.v4.new_code_cell("from keras_course import datasets\n"
                                                     "(x_train, y_train), _ = datasets.load_boston_housing()"))
    (root / "solutions" / FIXTURE).mkdir(parents=True)
    nbformat.write(source, root / "solutions" / FIXTURE / f"{FIXTURE}.ipynb")
    release.generate([FIXTURE], root=root)
    (root / "downloads").mkdir()
    released = nbformat.read(root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
    nbformat.write(corpus.correct(released), root / "downloads" / f"carol_{FIXTURE}.ipynb")
    with contextlib.redirect_stdout(io.StringIO()) as out:
        works = grade.grade_all(root / "downloads", options=OPTIONS, root=root)
    [(_, student, _, _, status, _)] = grade.summary(works, root)
    assert status.startswith("GRADER ERROR (DatasetError)") and "KERAS_COURSE_DATA" in status, status
    assert "GRADER ERROR (DatasetError)" in out.getvalue()


def _student_outputs(root, assignment, student):
    """Every output of a graded notebook's cells that the student's own kernel produced (not the verdicts)."""
    nb = nbformat.read(grade.Work(assignment, student, root).path("autograded"), as_version=4)
    return "\n".join(preprocessors._text(o) for c in nb.cells if not judge.is_test(c) for o in c.get("outputs", []))


def test_the_checks_of_a_test_cell_never_reach_the_students_kernel(batch):
    solution = nbformat.read(batch.root / "solutions" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
    checks_only = [re.sub(r"\s+", "", line) for cell in solution.cells if judge.is_test(cell)
                   for line in judge.split(cell.source)[1].splitlines() if "answer." in line]
    assert checks_only
    printed = _student_outputs(batch.root, FIXTURE, "leak_encoded")
    decoded = [base64.b64decode(token + "=" * (-len(token) % 4)).decode("utf-8", "replace")
               for token in re.findall(r"[A-Za-z0-9+/]{40,}={0,2}", printed)]
    assert decoded, "the student's cells printed what their kernel had seen"
    seen = re.sub(r"\s+", "", "\n".join(decoded) + printed + printed[::-1])
    assert "answer=checks.collect(small=mean_of([1,2,3]))" in seen, "the collect part is what the kernel ran"
    leaked = [line for line in checks_only if re.sub(r"[\"']", "", line) in re.sub(r"[\"']", "", seen)]
    assert not leaked, f"the student's kernel saw the checks: {leaked[:2]}"


@contextlib.contextmanager
def formgrader(root, folder):
    """A live Jupyter server with nbgrader's Formgrader over the course copy ``root``; yields (base URL, headers)."""
    (folder / "nbgrader_config.py").write_text(  # what an instructor's nbgrader_config.py next to the course would say
        f"c = get_config()\nload_subconfig({str(release.GRADING / 'nbgrader_config.py')!r})\n"
        f"c.CourseDirectory.root = {str(root)!r}\nc.CourseDirectory.db_url = {release.db_url(root)!r}\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "formgrader-test"
    server = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", f"--port={port}",
                               "--ip=127.0.0.1", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
                               "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=True"],
                              cwd=folder, stdout=subprocess.DEVNULL, stderr=open(folder / "server.log", "w"))
    url, headers = f"http://127.0.0.1:{port}", {"Authorization": f"token {token}"}
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(urllib.request.Request(f"{url}/api/status", headers=headers), timeout=5) as r:
                    json.load(r)
                break
            except OSError:
                assert server.poll() is None, (folder / "server.log").read_text()[-2000:]
                time.sleep(0.5)
        yield url, headers
    finally:
        server.terminate()
        server.wait(30)


def _rendered_pages(batch, student, folder):
    """The feedback page, and the page a live Formgrader serves for a fixture submission."""
    with Gradebook(release.db_url(batch.root)) as gb:
        submission = gb.find_submission_notebook(FIXTURE, FIXTURE, student).id
    with formgrader(batch.root, folder) as (url, headers):
        request = urllib.request.Request(f"{url}/formgrader/submissions/{submission}/?index=0", headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            page = response.read().decode()
    assert "/formgrader/static/" in page and student in page, page[:500]
    return {"feedback": grade.Work(FIXTURE, student, batch.root).path("feedback").read_text(), "formgrader": page}


def test_feedback_and_formgrader_pages_run_no_script_of_the_student(batch, tmp_path):
    for name, page in _rendered_pages(batch, "xss", tmp_path).items():
        assert "<b>bold</b>" in page, f"{name}: harmless HTML is kept"
        for pattern in (r"<script[^>]*>[^<]*alert", r"<[a-z]+[^>]*\son(error|load)\s*=", r"href=\"javascript:", r"<iframe",
                        r"data:image/svg\+xml"):
            assert not re.search(pattern, page), f"{name} page: {pattern} {re.search(pattern, page)}"
    assert batch.rows[FIXTURE, "xss"].score == 4


def test_outputs_are_capped_per_notebook_errors_and_metadata_included(batch):
    work = grade.Work(FIXTURE, "huge_outputs", batch.root)
    assert work.path("autograded").stat().st_size < 1_000_000, "a 50 MB error and 30 MB of display metadata are cut"
    assert "ValueError" in outputs(batch.root, FIXTURE, "huge_outputs") and batch.rows[FIXTURE, "huge_outputs"].score == 4


def test_the_kernel_gets_no_secret_of_the_graders_environment(batch):
    printed = _student_outputs(batch.root, FIXTURE, "env_leak") + grade.Work(FIXTURE, "env_leak", batch.root).path("feedback").read_text()
    assert "KERAS_COURSE_QUICK" in printed, "the kernel printed its environment"
    if not sandbox.unavailable():
        assert not [value for value in SECRETS.values() if value in printed]


def test_what_the_kernel_process_prints_goes_to_the_notebooks_log_escaped(batch):
    log = grade.Work(FIXTURE, "terminal_writes", batch.root).log.read_text()
    assert "\\x1b[2J" in log and "NOT GRADED" in log and "\x1b" not in log
    assert "\x1b[2J" not in batch.out + batch.err and "alice  0/4" not in batch.out + batch.err
    assert batch.rows[FIXTURE, "terminal_writes"].score == 4


@pytest.mark.skipif(bool(sandbox.unavailable()), reason="needs the sandbox (Linux, root)")
def test_the_kernels_writable_places_are_small_memory_file_systems_removed_after(batch):
    text = outputs(batch.root, FIXTURE, "ipc_fill")
    assert re.search(r"fill stopped after [01] MB: No space left on device", text), text
    assert "tree depth 2999" in text, "the deep tree was made"
    assert batch.rows[FIXTURE, "ipc_fill"].score == 4
    assert not batch.leftovers, f"left on the host: {batch.leftovers}"


def test_collect_refuses_links_and_lets_the_lms_folder_name_the_student(tmp_path):
    (tmp_path / "solutions" / SETUP).mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    folder = tmp_path / "download"
    (folder / "Mallory M_99_assignsubmission_file_").mkdir(parents=True)
    (folder / "Mallory M_99_assignsubmission_file_" / "Alice Smith_00-setup.ipynb").write_text("{}")
    (folder / "Bob B_98_assignsubmission_file_").mkdir()
    (folder / "Bob B_98_assignsubmission_file_" / "00-setup (1).ipynb").write_text("{}")
    (folder / "eve_00-setup.ipynb").symlink_to(secret)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "trudy_00-setup.ipynb").write_text("{}")
    (folder / "linked").symlink_to(tmp_path / "elsewhere")
    (folder / "new\n00-setup/forged_student \x1b[31m_00-setup.ipynb".replace("/", "_")).write_text("{}")
    lines = grade.collect(folder, root=tmp_path)
    report = "\n".join(lines)
    assert "00-setup/Mallory_M <- " in report and "its name says Alice_Smith, its LMS folder says Mallory_M" in report
    assert "00-setup/Bob_B <- " in report, "a browser's '(1)' is not a student id"
    assert re.search(r"skipped +eve_00-setup.ipynb: a symbolic link", report)
    assert re.search(r"skipped +linked/trudy_00-setup.ipynb: a symbolic link inside a linked folder", report)
    assert "\x1b" not in report and "\\x1b[31m" in report and "\\x0a" in report
    assert len(lines) == len(report.splitlines()), "a file name cannot add a line to the report"
    submitted = grade.workspace(tmp_path) / "submitted"
    assert not (submitted / "eve").exists() and not (submitted / "trudy").exists() and not (submitted / "Alice_Smith").exists()
    assert oct((submitted / "Mallory_M" / SETUP / f"{SETUP}.ipynb").stat().st_mode & 0o777) == "0o644"


@pytest.mark.skipif(bool(sandbox.unavailable()), reason="needs the sandbox (Linux, root)")
def test_two_grading_runs_at_once_keep_their_own_users_limits_and_clean_up(tmp_path):
    """One run grades a submission that takes every process its sandbox user may have and holds them; a second run,
    started meanwhile on the same machine with the same settings, still grades its correct submission in full."""
    first = 62000  # both runs are told the same first sandbox user; the second must claim another
    runs = {}
    for student, build in (("storm", lambda nb: corpus.holding_processes(nb, 75)), ("calm", corpus.correct)):
        root = tmp_path / student
        (root / "solutions" / FIXTURE).mkdir(parents=True)
        nbformat.write(corpus.fixture_source(), root / "solutions" / FIXTURE / f"{FIXTURE}.ipynb")
        release.generate([FIXTURE], root=root)
        (root / "downloads").mkdir()
        released = nbformat.read(root / "notebooks" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
        nbformat.write(build(released), root / "downloads" / f"{student}_{FIXTURE}.ipynb")
        code = ("import json, sys\nfrom pathlib import Path\nsys.path.insert(0, 'grading')\nimport grade\n"
                f"works = grade.grade_all(Path({str(root / 'downloads')!r}), options=['--Execute.timeout=150', "
                f"'--SandboxKernelManager.uid={first}'], root=Path({str(root)!r}))\n"
                f"print('ROWS', json.dumps([row[:5] for row in grade.summary(works, Path({str(root)!r}))]))")
        runs[student] = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if student == "storm":  # wait until its kernel holds (nearly) every process its user may have
            deadline = time.monotonic() + 240
            while sandbox.processes_of(first) < 400 and runs["storm"].poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
            assert sandbox.processes_of(first) >= 400, "the storm did not start"
    out = {"calm": runs["calm"].communicate(timeout=600)[0]}
    held = sandbox.processes_of(first)  # the storm still holds its processes: the calm run ran beside it
    out["storm"] = runs["storm"].communicate(timeout=600)[0]
    assert held >= 400, f"the runs did not overlap ({held} processes left)"
    rows = {student: json.loads(text.split("ROWS ", 1)[1]) for student, text in out.items()}
    assert rows["calm"] == [[FIXTURE, "calm", 4.0, 4.0, "ok"]], out["calm"][-3000:]
    assert rows["storm"] == [[FIXTURE, "storm", 4.0, 4.0, "ok"]], out["storm"][-3000:]
    users = [uid for claimed in (first, first - 1) for uid in (claimed, claimed - judge.UID_OFFSET)]  # kernels and judges
    assert not [uid for uid in users if sandbox.processes_of(uid)], "every process of both runs ended with them"

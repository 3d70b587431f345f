"""keras-course run: headless execution, results, failures and name resolution."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import keras
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from keras_course import cli, results, runner
from keras_course.session import QUICK_ENV

RECORDS = """\
import os
from keras_course.results import record
record("answer", 42)
record("cwd", os.getcwd())
record("quick", os.environ.get("KERAS_COURSE_QUICK", "unset"))"""


def write_notebook(path, *sources):
    """Write a notebook: a markdown title, then one code cell per source."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=[new_markdown_cell("# Test"), *(new_code_cell(s) for s in sources)])
    nbformat.write(nb, path)
    return path


@pytest.fixture
def good(tmp_path):
    return write_notebook(tmp_path / "solutions" / "00-good" / "00-good.ipynb", RECORDS)


@pytest.fixture
def bad(tmp_path):
    return write_notebook(
        tmp_path / "solutions" / "01-bad" / "01-bad.ipynb",
        "from keras_course.results import record\nrecord('before', 1.5)",
        "raise ValueError('boom')",
        "print('never runs')",
    )


def test_run_records_metrics(good, monkeypatch):
    monkeypatch.setenv(QUICK_ENV, "1")  # full mode removes it from the kernel's environment
    before = good.read_bytes()
    (row,) = runner.run([good], quick=False, timeout=60)
    assert (row.status, row.mode, row.error, row.cell) == ("ok", "full", "", None)
    assert row.metrics == {"answer": 42.0, "cwd": str(good.parent.resolve()), "quick": "unset"}
    assert good.read_bytes() == before  # outputs never go back into the notebook


def test_run_failing_cell(bad):
    (row,) = runner.run([bad], quick=True, timeout=60)
    assert not row.ok
    assert (row.cell, row.error) == (2, "ValueError: boom")
    assert row.status == "FAIL (cell 2: ValueError: boom)"
    assert row.metrics == {"before": 1.5}  # what was recorded before the failure is kept


def test_run_several_at_once(good, bad, capsys):
    rows = runner.run([bad, good], quick=True, timeout=60, jobs=2)
    assert [r.notebook for r in rows] == [bad, good]  # the order asked for, whichever finished first
    assert [r.status for r in rows] == ["FAIL (cell 2: ValueError: boom)", "ok"]
    assert rows[1].metrics["answer"] == 42.0 and rows[1].metrics["quick"] == "1"
    runner.print_table(rows, seconds=12.34, jobs=2)
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 1 failed in 12.3 s, 2 notebooks at a time."


def test_the_table_names_the_backend_the_platform_report_named(tmp_path, capsys):
    started = write_notebook(tmp_path / "started.ipynb", "from keras_course import session\nS = session.start()")
    (row,) = runner.run([started], quick=True, timeout=120)
    assert row.ok and row.backend == keras.backend.backend()
    runner.print_table([row])
    assert capsys.readouterr().out.splitlines()[1].split()[:3] == ["started", keras.backend.backend(), "quick"]


def test_run_cell_timeout(tmp_path):
    slow = write_notebook(tmp_path / "slow.ipynb", "import time", "time.sleep(30)")
    (row,) = runner.run([slow], timeout=1)
    assert row.cell == 2 and row.error.startswith("CellTimeoutError")
    assert row.seconds < 20


def test_cli_run_exit_codes(good, bad, capsys):
    assert cli.main(["run", "--quick", str(good)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["notebook", "backend", "mode", "time", "(s)", "metrics", "status"]
    assert table[1].startswith("00-good") and table[1].split()[1:3] == ["-", "quick"] and "answer=42" in table[1]
    assert "quick=1" in table[1] and table[1].endswith("ok")
    assert re.fullmatch(r"1 passed, 0 failed in \d+\.\d s\.", table[-1])

    assert cli.main(["run", "--quick", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL (cell 2: ValueError: boom)" in out and "0 passed" not in out


def test_resolve_names(good, bad, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert runner.resolve() == [good.relative_to(tmp_path), bad.relative_to(tmp_path)]
    assert runner.resolve(["01"]) == runner.resolve(["01-bad"]) == [bad.relative_to(tmp_path)]
    assert runner.resolve([str(good)]) == [good]
    with pytest.raises(FileNotFoundError, match=r"'99' is neither a notebook file nor a known name\. "
                       r"Available: 00-good, 01-bad\."):
        runner.resolve(["99"])
    assert cli.main(["run", "99"]) == 2
    assert "Available: 00-good, 01-bad." in capsys.readouterr().err


def test_resolve_without_notebooks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"No notebooks match solutions/\*/\*\.ipynb"):
        runner.run()


# ---------------------------------------------------------------- synthetic data is not "ok"


def test_synthetic_data_is_marked_and_fails_the_run_unless_allowed(good, tmp_path, capsys):
    faked = write_notebook(tmp_path / "solutions" / "02-faked" / "02-faked.ipynb",
                           "from keras_course import results\nresults.note_synthetic('mnist', 'no mirror')")
    assert cli.main(["run", "--quick", str(good), str(faked)]) == 3
    out = capsys.readouterr().out
    assert re.search(r"^00-good .* ok$", out, flags=re.M)
    assert re.search(r"^02-faked .* ok \(SYNTHETIC DATA\)$", out, flags=re.M)
    assert "WARNING: 1 notebook(s) ran on SYNTHETIC DATA, so their numbers mean nothing: " \
           "02-faked (mnist: no mirror). Fix: set KERAS_COURSE_DATA" in out
    assert "--allow-synthetic (make run ALLOW_SYNTHETIC=1)" in out
    assert cli.main(["run", "--quick", "--allow-synthetic", str(faked)]) == 0
    assert "ok (SYNTHETIC DATA)" in capsys.readouterr().out


def test_offline_without_a_mirror_the_data_layer_tells_the_runner(tmp_path, monkeypatch):
    """The real path: no mirror, an empty Keras cache, no network: the loader's fallback marks the row."""
    for name in ("KERAS_COURSE_DATA", "KERAS_COURSE_REAL_DATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")  # no download, even on a machine online
    nb = write_notebook(tmp_path / "boston.ipynb", "from keras_course import datasets\n"
                                                   "(x_train, y_train), _ = datasets.load_boston_housing()")
    (row,) = runner.run([nb], timeout=120)
    assert row.status == "ok (SYNTHETIC DATA)"
    assert list(row.synthetic) == ["boston_housing"]
    assert "KERAS_COURSE_DATA is not set; the Keras cache" in row.synthetic["boston_housing"]


# ---------------------------------------------------------------- Ctrl-C, and no kernel left behind

SLEEPER = "import os, time\nopen({pidfile!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)"


def sleepers(tmp_path, n):
    """``n`` notebooks whose kernels write their pid to a file, then sleep a minute."""
    return [write_notebook(tmp_path / "solutions" / f"0{i}-sleep" / f"0{i}-sleep.ipynb",
                           SLEEPER.format(pidfile=str(tmp_path / f"0{i}.pid"))) for i in range(n)]


def kernel_pids(tmp_path, n, bound=60):
    """The pids of the first ``n`` kernels once they have all written them."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        files = sorted(tmp_path.glob("*.pid"))
        if len(files) >= n and all(f.read_text() for f in files):
            return [int(f.read_text()) for f in files]
        time.sleep(0.2)
    raise AssertionError(f"{n} kernel(s) did not start within {bound} s")


def running(pid):
    """Whether ``pid`` is a live process (a zombie runs nothing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def assert_gone(pids, bound=15):
    deadline = time.monotonic() + bound
    while any(running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in pids if running(p)], "a kernel outlived the run"


def start_cli(tmp_path, *args):
    code = "import sys; from keras_course import cli; sys.exit(cli.main())"  # the keras-course command
    return subprocess.Popen([sys.executable, "-c", code, "run", *args], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.parametrize("jobs, statuses", [
    (1, ["interrupted", "not run"]),
    (2, ["interrupted", "interrupted", "not run"]),
])
def test_ctrl_c_stops_everything_at_once(tmp_path, jobs, statuses):
    sleepers(tmp_path, len(statuses))
    process = start_cli(tmp_path, "--jobs", str(jobs))
    pids = kernel_pids(tmp_path, jobs)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 130, out
    table = out[out.index("interrupted: every kernel was shut down"):]
    assert [line.split()[-1] if not line.endswith("not run") else "not run"
            for line in table.splitlines()[2:2 + len(statuses)]] == statuses
    assert "Traceback" not in out and "AssertionError" not in out and "never retrieved" not in out
    assert "0 passed, 0 failed, " in out
    assert len(list(tmp_path.glob("*.pid"))) == jobs  # Ctrl-C started no other notebook
    assert_gone(pids)


def test_sigterm_stops_the_run_like_ctrl_c(tmp_path):
    sleepers(tmp_path, 1)
    process = start_cli(tmp_path)
    pids = kernel_pids(tmp_path, 1)
    process.terminate()
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in out
    assert_gone(pids)


def test_a_killed_runner_leaves_no_kernel(tmp_path):
    sleepers(tmp_path, 2)
    process = start_cli(tmp_path, "--jobs", "2")
    pids = kernel_pids(tmp_path, 2)
    process.kill()  # no clean-up code runs: ipykernel's parent poller ends the kernels
    process.communicate(timeout=60)
    assert_gone(pids)


def test_a_crash_of_the_runner_itself_shuts_every_kernel_down(tmp_path, monkeypatch):
    """An exception in the runner (here: reading one notebook's results) stops the other notebooks too."""
    crashing, sleeping = sleepers(tmp_path, 2)
    (tmp_path / "00.pid").write_text("")  # written by its kernel: wait for both
    read = results.read

    def broken(path):
        if not Path(path).exists():  # the notebook that sleeps has recorded nothing
            return read(path)
        raise RuntimeError("a bug in the runner")

    crashing_nb = write_notebook(crashing, "import os\nopen({!r}, 'w').write(str(os.getpid()))\n"
                                           "from keras_course.results import record\nrecord('x', 1)"
                                 .format(str(tmp_path / "00.pid")))
    monkeypatch.setattr(results, "read", broken)
    with pytest.raises(RuntimeError, match="a bug in the runner"):
        runner.run([crashing_nb, sleeping], jobs=2)
    assert_gone([int(f.read_text()) for f in tmp_path.glob("*.pid")])


def test_every_exit_path_shuts_its_kernel_down(tmp_path, bad):
    """A normal end, a failing cell and a cell timeout leave no kernel behind."""
    done = write_notebook(tmp_path / "done.ipynb", SLEEPER.format(pidfile=str(tmp_path / "a.pid")).replace("60", "0"))
    slow = write_notebook(tmp_path / "slow.ipynb", SLEEPER.format(pidfile=str(tmp_path / "b.pid")))
    failing = write_notebook(tmp_path / "failing.ipynb", "import os\nopen({!r}, 'w').write(str(os.getpid()))\n"
                                                         "raise ValueError('boom')".format(str(tmp_path / "c.pid")))
    rows = runner.run([done, slow, failing], timeout=3, jobs=2)
    assert [r.status.split(" ")[0] for r in rows] == ["ok", "FAIL", "FAIL"]
    pids = [int(f.read_text()) for f in sorted(tmp_path.glob("*.pid"))]
    assert len(pids) == 3
    assert not [p for p in pids if running(p)]  # at once: the runner waits for each shutdown


def kernel_children():
    """The pids of this process's children that run an IPython kernel."""
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        if int(fields["PPid"]) == os.getpid() and b"ipykernel" in cmdline and not fields["State"].startswith("Z"):
            pids.append(int(status.parent.name))
    return pids


def test_a_crash_while_a_kernel_starts_leaves_no_kernel(tmp_path, monkeypatch):
    """The stop lands while the other notebook's kernel is starting, before nbclient's own clean-up applies."""
    unreadable = tmp_path / "unreadable.ipynb"
    unreadable.write_text("not a notebook")  # fails at once, then the runner crashes reading its results
    (sleeping,) = sleepers(tmp_path, 1)

    def broken(path):
        raise RuntimeError("a bug in the runner")

    monkeypatch.setattr(results, "read", broken)
    with pytest.raises(RuntimeError, match="a bug in the runner"):
        runner.run([unreadable, sleeping], jobs=2)
    assert_gone(kernel_children(), bound=5)
    assert not kernel_children()


def test_ctrl_c_again_while_the_kernels_shut_down(tmp_path):
    """An impatient second (third...) Ctrl-C neither skips the shutdown nor ends in a traceback."""
    sleepers(tmp_path, 2)
    process = start_cli(tmp_path, "--jobs", "2")
    pids = kernel_pids(tmp_path, 2)
    for _ in range(100):  # up to 5 s of Ctrl-C every 50 ms, until the runner has exited
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            pass
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 130, out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert "0 passed, 0 failed, 2 interrupted or not run" in out
    assert_gone(pids)

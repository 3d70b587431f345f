"""keras-course run: headless execution, results, failures and name resolution."""

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from keras_course import cli, runner
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


def test_run_cell_timeout(tmp_path):
    slow = write_notebook(tmp_path / "slow.ipynb", "import time", "time.sleep(30)")
    (row,) = runner.run([slow], timeout=1)
    assert row.cell == 2 and row.error.startswith("CellTimeoutError")
    assert row.seconds < 20


def test_cli_run_exit_codes(good, bad, capsys):
    assert cli.main(["run", "--quick", str(good)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["notebook", "mode", "time", "(s)", "metrics", "status"]
    assert table[1].startswith("00-good") and "quick" in table[1] and "answer=42" in table[1]
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

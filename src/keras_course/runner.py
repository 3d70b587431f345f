"""Run notebooks headlessly and tabulate what they recorded (``keras-course run``).

Each notebook runs in a fresh ``python3`` kernel started in the notebook's
folder. Outputs stay in memory: the source notebook is never written. The
kernel's own stderr (TensorFlow's start-up chatter) goes to a log whose tail
is shown only when the notebook fails. With ``jobs`` > 1, that many notebooks
run at once, each in its own process: much of a small model's training time
is Python overhead on one core, so a 2-core machine finishes the course sooner.
"""

import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from tqdm import tqdm

from keras_course import results
from keras_course.session import QUICK_ENV

SOLUTIONS_GLOB = "solutions/*/*.ipynb"


@dataclass
class Result:
    """One notebook's run: its recorded metrics and whether it passed."""

    notebook: Path
    mode: str  # "quick" or "full"
    seconds: float
    metrics: dict = field(default_factory=dict)
    error: str = ""  # the error's last line; empty when the notebook passed
    cell: int | None = None  # index (from 0, counting every cell) of the failing cell

    @property
    def ok(self):
        return not self.error

    @property
    def status(self):
        if self.ok:
            return "ok"
        return f"FAIL (cell {self.cell}: {self.error})" if self.cell is not None else f"FAIL ({self.error})"


def resolve(names=(), root="."):
    """Turn paths or short names (``00``, ``00-setup``) into notebook paths.

    No names means every ``solutions/*/*.ipynb`` under ``root``, sorted.
    """
    available = sorted(Path(root).glob(SOLUTIONS_GLOB))
    if not names:
        if not available:
            raise FileNotFoundError(f"No notebooks match {SOLUTIONS_GLOB} under {Path(root).resolve()}.")
        return available
    return [_resolve_one(name, available) for name in names]


def _resolve_one(name, available):
    if Path(name).is_file():
        return Path(name)
    matches = [p for p in available if p.stem == name or p.stem.startswith(f"{name}-")]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(p.stem for p in available) or f"none (no {SOLUTIONS_GLOB} here)"
    problem = "matches several notebooks" if matches else "is neither a notebook file nor a known name"
    raise FileNotFoundError(f"{name!r} {problem}. Available: {known}.")


def _error_line(exc):
    """Name the error in one line, e.g. "ValueError: boom" (a traceback's last line)."""
    if hasattr(exc, "ename"):  # CellExecutionError: an exception raised inside a cell
        name, message = exc.ename, exc.evalue
    else:  # a timeout, a dead kernel, an unreadable notebook...
        name, message = type(exc).__name__, str(exc)
    message = message.strip().splitlines()[0] if message.strip() else ""
    return f"{name}: {message}" if message else name


def run_one(path, quick=False, timeout=1800, progress=True):
    """Execute one notebook; ``timeout`` is in seconds per cell. Never raises for a failing notebook.

    ``progress`` shows a per-cell progress bar; without it, one line when the notebook ends.
    """
    path = Path(path)
    env = os.environ.copy()
    env.pop(QUICK_ENV, None)
    if quick:
        env[QUICK_ENV] = "1"
    row = Result(notebook=path, mode="quick" if quick else "full", seconds=0.0)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        env[results.RESULTS_ENV] = str(Path(tmp) / "results.json")
        log = Path(tmp) / "kernel.log"
        try:
            nb = nbformat.read(path, as_version=4)
            total = sum(c.cell_type == "code" and bool(c.source.strip()) for c in nb.cells)
            with tqdm(total=total, desc=path.stem, unit="cell", disable=not progress) as bar:
                client = NotebookClient(
                    nb,
                    timeout=timeout,
                    kernel_name="python3",
                    resources={"metadata": {"path": str(path.parent.resolve())}},
                    # remember the running cell: it is the failing one if execution stops there
                    on_cell_execute=lambda cell, cell_index: setattr(row, "cell", cell_index),
                    on_cell_executed=lambda **_: bar.update(),
                )
                with log.open("w") as stderr:
                    client.execute(env=env, stderr=stderr)
            row.cell = None
        except Exception as exc:  # a failing notebook is a result, not a crash of the runner
            row.error = _error_line(exc)
            tail = log.read_text(errors="replace").strip().splitlines()[-5:] if log.exists() else []
            print(f"{path.stem} failed: {row.error}" + "".join(f"\n  kernel log: {line}" for line in tail))
        try:
            row.metrics = results.read(env[results.RESULTS_ENV])
        except ValueError as exc:
            row.error = row.error or str(exc)
    row.seconds = time.perf_counter() - start
    if not progress:
        print(f"{path.stem}: {row.status} after {row.seconds:.0f} s", flush=True)
    return row


def run(paths=(), quick=False, timeout=1800, jobs=1):
    """Execute notebooks (paths or short names; default: every solution), ``jobs`` at a time.

    Returns their ``Result`` rows in the order of ``paths``.
    """
    paths = resolve(paths)
    if jobs <= 1 or len(paths) == 1:
        return [run_one(path, quick=quick, timeout=timeout) for path in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_one, path, quick, timeout, False) for path in paths]
        return [future.result() for future in futures]


def _metric(name, value):
    """Compact ``name=value``: 4 significant digits, no exponent for big numbers."""
    if isinstance(value, float):
        value = f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    return f"{name}={value}"


def print_table(rows, seconds=None, jobs=1):
    """Print one line per notebook: name, mode, wall time, recorded metrics and status.

    ``seconds``, the whole run's wall time, goes on the summary line.
    """
    lines = [("notebook", "mode", "time (s)", "metrics", "status")] + [
        (r.notebook.stem, r.mode, f"{r.seconds:.1f}", ", ".join(_metric(*m) for m in r.metrics.items()) or "-", r.status)
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    failed = sum(not r.ok for r in rows)
    total = "" if seconds is None else f" in {seconds:.1f} s" + (f", {jobs} notebooks at a time" if jobs > 1 else "")
    print(f"{len(rows) - failed} passed, {failed} failed{total}.")

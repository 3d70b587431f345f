"""Run notebooks headlessly and tabulate what they recorded (``keras-course run``).

Each notebook runs in a fresh ``python3`` kernel started in the notebook's
folder. Outputs stay in memory: the source notebook is never written. The
kernel's own stderr (TensorFlow's start-up chatter) goes to a log whose tail
is shown only when the notebook fails. With ``jobs`` > 1, that many notebooks
run at once: the training happens in the kernels, each its own process, so a
thread per notebook drives them, and a 2-core machine finishes the course sooner.

Ctrl-C (or SIGTERM) stops the whole run: every kernel is shut down, the rows
finished before keep their status, the others read ``interrupted`` or
``not run`` (``run`` raises ``Interrupted`` with them). No kernel outlives the
run: a kernel whose runner dies exits by itself (ipykernel's parent poller).
"""

import asyncio
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
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
    stopped: str = ""  # "interrupted" or "not run" when a Ctrl-C cut the run short
    synthetic: dict = field(default_factory=dict)  # {dataset: why} for data served by the synthetic stand-in
    backend: str = ""  # the Keras backend its platform report named

    @property
    def ok(self):
        return not (self.error or self.stopped)

    @property
    def status(self):
        if self.stopped:
            status = self.stopped
        elif self.ok:
            status = "ok"
        else:
            status = f"FAIL (cell {self.cell}: {self.error})" if self.cell is not None else f"FAIL ({self.error})"
        return status + (" (SYNTHETIC DATA)" if self.synthetic else "")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped the run; ``rows`` holds every notebook's row, as far as it got."""

    def __init__(self, rows):
        super().__init__("interrupted")
        self.rows = rows


class _Stop:
    """Lets the main thread stop one notebook that a worker thread is running."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requested = False
        self.task = None

    def attach(self, client):
        """Called in the worker's event loop once the notebook starts."""
        with self.lock:
            self.task = (asyncio.get_running_loop(), asyncio.current_task(), client)
            if self.requested:
                self._cancel()

    def detach(self):
        """Called when the notebook has ended, before its event loop closes."""
        with self.lock:
            self.task = None

    def request(self):
        """Shut the notebook's kernel down now (thread-safe)."""
        with self.lock:
            self.requested = True
            if self.task:
                self._cancel()

    def _cancel(self):
        loop, task, client = self.task
        client.shutdown_kernel = "immediate"
        loop.call_soon_threadsafe(self._cancel_if_running, task)

    def _cancel_if_running(self, task):
        """In the notebook's event loop: cancel it, unless it ended meanwhile (and is shutting its kernel down)."""
        with self.lock:
            if self.task is not None:
                task.cancel()


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


def run_one(path, quick=False, timeout=1800, progress=True, stop=None):
    """Execute one notebook; ``timeout`` is in seconds per cell. Never raises for a failing notebook.

    ``progress`` shows a per-cell progress bar; without it, one line when the notebook ends.
    ``stop`` (a ``_Stop``) lets another thread cut the run short.
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
                    asyncio.run(_execute(client, stop or _Stop(), env=env, stderr=stderr))
            row.cell = None
        except (Exception, asyncio.CancelledError) as exc:  # a failing notebook is a result, not a crash of the runner
            if stop and stop.requested:
                row.stopped = "interrupted"
            else:
                row.error = _error_line(exc)
                tail = log.read_text(errors="replace").strip().splitlines()[-5:] if log.exists() else []
                print(f"{path.stem} failed: {row.error}" + "".join(f"\n  kernel log: {line}" for line in tail))
        try:
            row.metrics = results.read(env[results.RESULTS_ENV])
            row.synthetic = results.synthetic(env[results.RESULTS_ENV])
            row.backend = results.backend(env[results.RESULTS_ENV])
        except ValueError as exc:
            row.error = row.error or str(exc)
    row.seconds = time.perf_counter() - start
    if not progress:
        print(f"{path.stem}: {row.status} after {row.seconds:.0f} s", flush=True)
    return row


async def _execute(client, stop, **kwargs):
    """Run ``client``'s notebook as a task that ``stop`` can cancel; the kernel is down when this returns.

    nbclient shuts the kernel down itself, except when the cancel lands while it starts the kernel.
    """
    kernel = client.create_kernel_manager()  # now, so that it is ours to stop, started or not
    stop.attach(client)
    try:
        await client.async_execute(**kwargs)
    finally:
        stop.detach()
        if kernel.has_kernel:
            await kernel.shutdown_kernel(now=True)
        # nbclient's polls of a kernel now gone must not end in "Task exception was never retrieved"
        others = asyncio.all_tasks() - {asyncio.current_task()}
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)


def run(paths=(), quick=False, timeout=1800, jobs=1):
    """Execute notebooks (paths or short names; default: every solution), ``jobs`` at a time.

    Returns their ``Result`` rows in the order of ``paths``. On Ctrl-C it shuts every
    kernel down and raises ``Interrupted`` with the rows as far as they got.
    """
    paths = resolve(paths)
    progress = jobs <= 1 or len(paths) == 1
    stops = [_Stop() for _ in paths]
    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, len(paths))), thread_name_prefix="notebook")
    futures = [pool.submit(run_one, path, quick, timeout, progress, stop) for path, stop in zip(paths, stops)]
    try:
        while wait(futures, timeout=0.2, return_when=FIRST_EXCEPTION).not_done:
            if any(f.done() and f.exception() for f in futures):
                break
        return [future.result() for future in futures]  # raises a crash of run_one itself
    except KeyboardInterrupt:
        finished = [f.done() for f in futures]
        _stop_all(pool, stops, futures)
        raise Interrupted([_row_after_stop(f, done, path, quick) for f, done, path
                           in zip(futures, finished, paths)]) from None
    finally:
        _stop_all(pool, stops, futures)


def _stop_all(pool, stops, futures):
    """Cancel what has not started, shut every running kernel down, and wait for the threads.

    A Ctrl-C meanwhile does not cut this wait short: the kernels would outlive the run.
    """
    for stop in stops:
        stop.request()
    pool.shutdown(wait=False, cancel_futures=True)
    while not all(f.done() for f in futures):
        try:
            wait(futures, timeout=0.2)
        except KeyboardInterrupt:
            print("Shutting the kernels down; a moment.", file=sys.stderr, flush=True)
    pool.shutdown(wait=True)


def _row_after_stop(future, finished, path, quick):
    if future.cancelled():
        return Result(notebook=Path(path), mode="quick" if quick else "full", seconds=0.0, stopped="not run")
    row = future.result()
    if not finished:
        row.stopped = "interrupted"
    return row


def _metric(name, value):
    """Compact ``name=value``: 4 significant digits, no exponent for big numbers."""
    if isinstance(value, float):
        value = f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"
    return f"{name}={value}"


def print_table(rows, seconds=None, jobs=1):
    """Print one line per notebook: name, mode, wall time, recorded metrics and status.

    ``seconds``, the whole run's wall time, goes on the summary line.
    """
    lines = [("notebook", "backend", "mode", "time (s)", "metrics", "status")] + [
        (r.notebook.stem, r.backend or "-", r.mode, f"{r.seconds:.1f}", ", ".join(_metric(*m) for m in r.metrics.items()) or "-", r.status)
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    stopped = sum(bool(r.stopped) for r in rows)
    failed = sum(not r.ok for r in rows) - stopped
    total = "" if seconds is None else f" in {seconds:.1f} s" + (f", {jobs} notebooks at a time" if jobs > 1 else "")
    cut = f", {stopped} interrupted or not run" if stopped else ""
    print(f"{len(rows) - failed - stopped} passed, {failed} failed{cut}{total}.")
    synthetic = [r for r in rows if r.synthetic]
    if synthetic:
        which = "; ".join(f"{r.notebook.stem} ({', '.join(f'{d}: {why}' for d, why in r.synthetic.items())})"
                          for r in synthetic)
        print(f"WARNING: {len(synthetic)} notebook(s) ran on SYNTHETIC DATA, so their numbers mean nothing: "
              f"{which}. Fix: set KERAS_COURSE_DATA to a dataset mirror or go online "
              f"(`keras-course data status` checks every source). To accept synthetic data on purpose: "
              f"keras-course run --allow-synthetic (make run ALLOW_SYNTHETIC=1).")

"""nbgrader preprocessors hardened against hostile submissions.

``SafeExecute`` replaces nbgrader's ``Execute`` in autograde: it runs the kernel
in the sandbox, keeps a per-notebook time limit on top of the per-cell one,
survives timeouts and dead kernels (later graded cells score 0, with a reason),
caps the output it keeps in memory, and runs only the collecting part of each
test cell (``answer = checks.collect(...)``): judge.py runs the checks in a
clean kernel. A test cell that does not collect is not run and scores 0 with a
GraderError.

``SafeOverwriteCells`` puts deleted graded cells back without nbgrader's crashes.

``HideHiddenTests`` runs in generate_feedback: learners see which check failed
and its message, never the hidden tests' source.
"""

import json
import re
import signal
from time import monotonic

import jinja2
import nh3
from keras_course import answers
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor, OverwriteCells
from traitlets import Integer
from traitlets.config import LoggingConfigurable

import judge
from judge import is_test
from sandbox import SandboxKernelManager

def error(ename, evalue):
    """An error output, the kind nbgrader scores 0 and feedback shows."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class SafeExecute(Execute):
    """nbgrader's Execute, made to survive hostile notebooks (see the module docstring)."""

    notebook_timeout = Integer(3600, help="Seconds the whole notebook may run; later cells are not run.").tag(config=True)
    max_output = Integer(1_000_000, help="Characters of output kept per cell while it runs.").tag(config=True)
    max_answers = Integer(200_000_000, help="Characters of collected answers (models, arrays) kept per notebook.").tag(config=True)
    max_error = Integer(20_000, help="Characters kept of one error's message and of each traceback line.").tag(config=True)

    def __init__(self, **kw):
        kw.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(**kw)
        self.interrupt_on_timeout = False  # a timed-out cell stops the notebook
        self.shutdown_kernel = "immediate"

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = monotonic() + self.notebook_timeout
        self._stopped = ""  # why the cells still to come are not run
        self._sizes = {}
        self._answer_chars = 0
        self._kernel = None
        nb, resources = super().preprocess(nb, resources, km)
        if isinstance(self._kernel, SandboxKernelManager):
            self._kernel.log_output(self.log)
        return judge.judge(nb, self), resources

    def create_kernel_manager(self):
        self._kernel = super().create_kernel_manager()
        self._kernel.log = self.log  # its warnings go to the notebook's log, not to the grader's terminal
        return self._kernel

    def _get_timeout(self, cell):
        return max(1, int(min(self.timeout or float("inf"), self._deadline - monotonic())))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._stopped:
            cell.outputs = [error("NotRun", f"not run: {self._stopped}")] if is_test(cell) else []
            return cell, resources
        limit = self._get_timeout(cell)
        parts = judge.split(cell.source) if is_test(cell) else None
        if is_test(cell) and parts is None:  # the student's kernel never runs checks
            cell.outputs = [error("GraderError", judge.NOT_JUDGED)]
            return cell, resources
        try:
            if parts:  # the student's kernel runs only the collect part; judge.py runs the checks
                source, cell.source = cell.source, parts[0]
                try:
                    cell, resources = super().preprocess_cell(cell, resources, index)
                finally:
                    cell.source = source
            else:
                cell, resources = super().preprocess_cell(cell, resources, index)
        except CellTimeoutError:
            which = "the per-cell limit" if limit >= (self.timeout or float("inf")) else f"the notebook's limit of {self.notebook_timeout} s"
            self._stop(cell, index, "CellTimeoutError", f"timed out in cell {index} after {limit} s ({which})")
        except DeadKernelError:
            self._stop(cell, index, "KernelDied", f"the kernel died in cell {index} ({self._exit_reason()})")
        return cell, resources

    def _stop(self, cell, index, ename, reason):
        first = cell.source.strip().splitlines()[0][:60]
        cell.outputs.append(error(ename, f"{reason}, in the cell that starts with {first!r}; the cells after it were not run"))
        self._stopped = reason
        self.log.warning("%s", reason)

    def _exit_reason(self):
        code = self.km.provisioner.process.poll() if self.km and self.km.provisioner else None
        if code is None:
            return "no exit status"
        number = -code if code < 0 else code - 128 if code > 128 else 0  # the sandbox reports signal N as 128 + N
        if number:
            return f"killed by {signal.Signals(number).name}: a memory or CPU limit, or the code itself"
        return f"it exited with code {code}"

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``max_output`` characters of a cell's output in memory, and ``max_answers`` of collected answers.

        Errors are always kept, cut to ``max_error`` characters.
        """
        content = msg["content"]
        if msg["msg_type"] == "error":
            content["evalue"] = str(content.get("evalue", ""))[:self.max_error]
            content["traceback"] = [str(line)[:self.max_error] for line in content.get("traceback", [])[-50:]]
            return super().output(outs, msg, display_id, cell_index)
        size = (len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
                + len(str(content.get("metadata", ""))))
        if answers.MIME in content.get("data", {}):  # a collect call: its own, larger budget for the whole notebook
            self._answer_chars += size
            if self._answer_chars > self.max_answers:
                outs.append(error("AnswersTooLarge", f"the answers collected in this notebook passed {self.max_answers:,} characters"))
                return None
            return super().output(outs, msg, display_id, cell_index)
        before = self._sizes.get(cell_index, 0)
        self._sizes[cell_index] = before + size
        if before + size > self.max_output:
            if before <= self.max_output:
                outs.append(NotebookNode(output_type="stream", name="stdout",
                                         text=f"\n[the grader dropped the rest of this cell's output: more than {self.max_output} characters]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


HTML_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "*": {"class", "id"}}  # nh3's, plus what nbconvert's own cleaner keeps
OUTPUT_TYPES = {"text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg"}  # what feedback shows


def clean_html(html):
    """HTML without scripts, event handlers, ``javascript:`` URLs, iframes or styles (nh3, the ammonia sanitiser).

    The feedback and Formgrader pages use it for Markdown cells and HTML outputs
    (``HTMLExporter.filters`` in nbgrader_config.py).
    """
    return nh3.clean(html.decode() if isinstance(html, bytes) else str(html), attributes=HTML_ATTRIBUTES)


class SafeMarkdown(LoggingConfigurable):
    """The exporter's ``markdown2html`` filter, then ``clean_html``.

    nbgrader's feedback and Formgrader templates render Markdown cells without
    nbconvert's sanitising, so nbgrader_config.py puts this filter in its place.
    """

    jinja_pass_arg = jinja2.pass_context(lambda: None).jinja_pass_arg  # Jinja passes the template context

    def __call__(self, context, source):
        return clean_html(self.parent.markdown2html(context, source))


class SanitizeNotebook(NbGraderPreprocessor):
    """Make an autograded notebook safe to show: known output types only, HTML sanitised, sizes capped.

    Runs after autograde's execution, so the .ipynb that Formgrader and feedback
    read is already clean, and again before feedback.
    """

    max_notebook_output = Integer(20_000_000, help="Characters of output kept per notebook, errors and metadata included.").tag(config=True)
    max_error = Integer(20_000, help="Characters kept of one error's message and traceback.").tag(config=True)

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)  # widget state: script the classic template would run
        budget = self.max_notebook_output
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            kept = []
            for out in cell.get("outputs", []):
                out = self._clean(out)
                size = len(json.dumps(out))
                if size > budget:
                    kept.append(NotebookNode(output_type="stream", name="stdout",
                                             text=f"[output removed: the notebook's outputs passed {self.max_notebook_output:,} characters]\n"))
                    budget = 0
                    break
                budget -= size
                kept.append(out)
            cell.outputs = kept
        return nb, resources

    def _clean(self, out):
        if out.output_type == "error":
            out.ename, out.evalue = str(out.get("ename", ""))[:200], str(out.get("evalue", ""))[:self.max_error]
            out.traceback = [str(line) for line in out.get("traceback", [])][-50:]
            while sum(map(len, out.traceback)) > self.max_error and len(out.traceback) > 1:
                out.traceback.pop(0)
            out.traceback = [line[:self.max_error] for line in out.traceback]
            return out
        if out.output_type == "stream":
            return NotebookNode(output_type="stream", name=out.get("name", "stdout") if out.get("name") == "stderr" else "stdout",
                                text=str(out.get("text", "")))
        data = {k: v for k, v in out.get("data", {}).items() if k in OUTPUT_TYPES}
        metadata = NotebookNode()
        if "image/png" in data:  # a course figure: show the PNG with its alt text, not its <img> copy (nh3 drops data: sources)
            data.pop("text/html", None)
            alt = out.get("metadata", {}).get("image/png", {}).get("alt")
            if isinstance(alt, str):
                metadata["image/png"] = NotebookNode(alt=alt[:self.max_error])
        for key in ("text/html", "text/markdown"):
            if key in data:
                data[key] = clean_html("".join(data[key]) if isinstance(data[key], list) else data[key])
        cleaned = NotebookNode(output_type=out.output_type, data=NotebookNode(data), metadata=metadata)
        if out.output_type == "execute_result":
            cleaned.execution_count = out.get("execution_count")
        return cleaned


class SafeOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells with ``add_missing_cells``, without its crashes.

    nbgrader 0.9.6 raises KeyError when a deleted graded cell followed a locked
    cell or another deleted cell, and when a cell kept nbgrader metadata without
    a grade id (a duplicate DeduplicateIds emptied, or an unknown id): the whole
    submission then failed. Here a missing graded cell goes back after the nearest
    earlier source cell still present, and id-less metadata is dropped.
    """

    def add_missing_grade_cells(self, nb, resources):
        source = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        points = {cell.name: cell.max_score for cell in source.grade_cells}
        solutions = {cell.name for cell in source.solution_cells}
        for position, cell in enumerate(source.source_cells):
            present = {c.metadata["nbgrader"]["grade_id"]: i for i, c in enumerate(nb.cells)
                       if "grade_id" in c.metadata.get("nbgrader", {})}
            if cell.name in points and cell.name not in present:
                self.log.warning("Missing grade cell %s encountered, adding to notebook", cell.name)
                earlier = [present[c.name] for c in source.source_cells[:position] if c.name in present]
                restored = self.missing_cell_transform(cell, points[cell.name], is_solution=cell.name in solutions)
                nb.cells.insert(earlier[-1] + 1 if earlier else 0, restored)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        """Report a locked cell (a test or self-check) whose code differs from the released one; nbgrader restores it."""
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        try:
            source = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id) if grade_id else None
        except MissingEntry:
            source = None
        if source is not None and source.locked:
            released = NotebookNode(cell_type=source.cell_type, source=source.source)
            ClearHiddenTests(parent=self)._remove_hidden_test_region(released)
            if cell.source.strip() not in (released.source.strip(), source.source.strip()):  # (a restored cell is the full one)
                self.log.warning("Edited locked cell %s restored", grade_id)
        return super().preprocess_cell(cell, resources, index)

    def add_missing_task_cells(self, nb, resources):
        for cell in nb.cells:
            if "grade_id" not in cell.metadata.get("nbgrader", {"grade_id": None}):
                del cell.metadata["nbgrader"]
        return super().add_missing_task_cells(nb, resources)


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests from feedback: from test cells' source, from tracebacks, and from any output quoting them."""

    def preprocess(self, nb, resources):
        clear = ClearHiddenTests(parent=self)
        hidden = set()
        for cell in filter(is_test, nb.cells):
            before = set(cell.source.splitlines())
            clear._remove_hidden_test_region(cell)
            hidden |= before - set(cell.source.splitlines())
        shown = {_squash(line) for cell in nb.cells for line in cell.source.splitlines()}
        hidden = {_squash(line) for line in hidden} - shown - {""}
        hidden = {line for line in hidden if len(line) >= 8 and "HIDDENTESTS" not in line}
        for cell in nb.cells:
            for i, out in enumerate(cell.get("outputs", [])):
                if out.output_type == "error" and is_test(cell):
                    out.traceback = [f"{out.ename}: {out.evalue}"]
                if any(line in _squash(_text(out)) for line in hidden):
                    cell.outputs[i] = NotebookNode(output_type="stream", name="stdout",
                                                   text="[output removed: it quoted the hidden tests]\n")
        return nb, resources


def _text(value):
    """Every string inside an output (text, data, error name, message and traceback), joined."""
    if isinstance(value, dict):
        return "\n".join(_text(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(map(_text, value))
    return str(value)


def _squash(text):
    """``text`` without whitespace, so re-indented or re-wrapped quotes still match."""
    return re.sub(r"\s+", "", text)

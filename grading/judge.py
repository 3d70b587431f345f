"""Judge graded test cells outside the student's kernel.

A judged test cell starts with ``answer = checks.collect(...)`` (more values may
follow with ``answer.add(...)``), then checks ``answer``. The student's kernel
runs only the first part, which hands the grader plain data: numbers, strings, arrays, Keras models as their ``.keras``
file (see ``keras_course.answers``). After the notebook has run, ``judge()``
runs every other statement of those cells in a second, clean sandboxed kernel
that never ran student code, on the collected data rebuilt with Keras's safe
deserialisation, and replaces each cell's outputs with that verdict alone: a ✓
line, or the failed check's message. nbgrader scores those outputs, so points
come only from the clean kernel; nothing the student's kernel printed or
displayed while a test cell ran reaches the grade or the feedback.
"""

import ast
import builtins
import json
import re
import shutil
import tempfile

from jupyter_core.utils import run_sync
from keras_course import answers
from keras_course.checks import PASSED
from nbclient import NotebookClient
from nbgrader import utils
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook

from sandbox import SandboxKernelManager

UID_OFFSET = 1000  # the clean kernel runs as another user than the students' kernels (uid - 1000 - worker)
SETUP = "import json\nimport numpy as np\nfrom keras_course import answers, checks\n"
OPTIONAL = ("keras", "keras_tuner")  # imported in the clean kernel when the checks name them (keras also for rebuilt models)
NOT_JUDGED = ("this test cell does not collect its answers (answer = checks.collect(...)), so the grader cannot "
              "judge it; the instructor must rewrite it (see the README: Writing test cells)")
PASS_LINE = re.compile(rf"^✓ .*: {re.escape(PASSED)}\.$", re.M)


STOPPED = ("NotRun", "CellTimeoutError", "KernelDied")  # outputs of cells the student's kernel did not finish


def is_test(cell):
    """An autograded test cell (a graded code cell that is not a manually graded answer)."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def _is_probe(statement):
    """``answer = checks.collect(...)`` or ``answer.add(...)``: runs only in the student's kernel."""
    if isinstance(statement, ast.Assign):
        target, call = statement.targets, statement.value
        return (len(target) == 1 and isinstance(target[0], ast.Name) and target[0].id == "answer"
                and isinstance(call, ast.Call) and ast.unparse(call.func) == "checks.collect")
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and ast.unparse(statement.value.func) == "answer.add")


def split(source):
    """A judged test cell's two parts, or None for a cell without ``collect``.

    Returns (collect part, checks): the student's kernel runs the cell up to its last
    ``collect``/``add`` statement and never sees the checks; the clean kernel runs
    every statement but those, on the collected answers.
    """
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    probes = [s for s in body if _is_probe(s)]
    if not probes:
        return None
    collect = "\n".join(source.splitlines()[:probes[-1].end_lineno])
    return collect, ast.unparse(ast.Module(body=[s for s in body if not _is_probe(s)], type_ignores=[]))


def not_judged(nb):
    """The grade ids of ``nb``'s test cells that do not collect their answers at the top level."""
    return [cell.metadata.nbgrader.grade_id for cell in nb.cells if is_test(cell) and split(cell.source) is None]


def collected(cell):
    """The values a cell's collect calls handed over, merged in order ({} if none)."""
    values = {}
    for out in cell.get("outputs", []):
        record = out.get("data", {}).get(answers.MIME) if out.output_type in ("display_data", "execute_result") else None
        if isinstance(record, dict) and isinstance(record.get("values"), dict):
            values.update(record["values"])
    return values


def verdict_output(passed, message):
    """The one output a judged cell keeps: a ✓ line, or an error nbgrader scores 0."""
    if passed:
        return NotebookNode(output_type="stream", name="stdout", text=message + "\n")
    ename, _, evalue = message.partition(": ")
    return NotebookNode(output_type="error", ename=ename, evalue=evalue[:1000], traceback=[message[:1000]])


def _not_collected(cell):
    """Why a cell handed over nothing, in words the student's kernel cannot choose."""
    names = [o.ename for o in cell.get("outputs", []) if o.output_type == "error"]
    raised = f" ({names[0]})" if names and isinstance(getattr(builtins, names[0], None), type) else ""
    return ("NotCollected: the cell stopped in your notebook before it collected your answers" + raised +
            "; run it in your notebook to see why.")


def judge(nb, executor):
    """Judge ``nb``'s collected test cells in a clean sandboxed kernel; replace their outputs with the verdicts.

    ``executor`` is the SafeExecute that ran the student's kernel: its configuration
    (sandbox limits, time limits) and log are the clean kernel's too.
    """
    todo = {}  # cell index -> (checks source, collected values)
    for index, cell in enumerate(nb.cells):
        parts = split(cell.source) if is_test(cell) else None
        if parts is None or any(o.output_type == "error" and o.ename in STOPPED for o in cell.get("outputs", [])):
            continue
        values = collected(cell)
        if not values:
            cell.outputs = [verdict_output(False, _not_collected(cell))]
            continue
        todo[index] = (parts[1], values)
    if not todo:
        return nb
    for index, (passed, message) in _run(todo, executor).items():
        nb.cells[index].outputs = [verdict_output(passed, message)]
    return nb


def _run(todo, executor):
    """Run the checks in a clean kernel; return {cell index: (passed, message)}."""
    folder = tempfile.mkdtemp(prefix="keras-course-judge-")
    try:
        sources = "\n".join(code for code, _ in todo.values())
        rebuilt = re.search(r'"\$": "(model|keras)"', json.dumps([values for _, values in todo.values()]))
        imports = "".join(f"import {name}\n" for name in OPTIONAL if re.search(rf"\b{name}\b", sources) or name == "keras" and rebuilt)
        cells = [new_code_cell(SETUP + imports)]
        for index, (code, values) in todo.items():
            with open(f"{folder}/answers-{index}.json", "w") as f:
                json.dump({"version": answers.VERSION, "values": values}, f)
            cells.append(new_code_cell(f"answer = checks.Answers()\nvars(answer).update("
                                       f"answers.loads(json.load(open('answers-{index}.json'))))\n{code}"))
        nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
        km = SandboxKernelManager(kernel_name="python3", config=executor.config)
        km.uid -= UID_OFFSET
        client = NotebookClient(nb, km=km, timeout=executor.timeout, allow_errors=True, interrupt_on_timeout=True,
                                resources={"metadata": {"path": folder}}, config=executor.config)
        try:
            client.execute()
        except Exception as exc:  # the clean kernel could not start or died: the grader's problem, not the student's
            executor.log.error("the judge kernel failed: %s", exc)
            reason = f"GraderError: the grader's clean kernel failed ({type(exc).__name__}: {exc})"[:300]
            return {index: (False, reason) for index in todo}
        finally:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)  # nbclient leaves a kernel it was given running
            else:
                try:
                    run_sync(km.cleanup_resources)()
                except Exception as exc:  # nothing was started
                    executor.log.debug("judge kernel clean-up: %s", exc)
            km.log_output(executor.log)
        setup = nb.cells[0].get("outputs", [])
        if any(o.output_type == "error" for o in setup):
            return {index: (False, "GraderError: the grader's clean kernel could not import the course's packages") for index in todo}
        return {index: _verdict(cell) for index, cell in zip(todo, nb.cells[1:])}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _verdict(cell):
    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
    if errors:
        return False, f"{errors[0].ename}: {errors[0].evalue}"
    lines = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
    found = PASS_LINE.search(lines)
    if not found:
        return False, f"GraderError: the checks ended without their ✓ line ({PASSED})"
    return True, found.group(0)
